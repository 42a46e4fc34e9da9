from django.conf import settings
from django.db import models


class EtatCourriel(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    A_REESSAYER = "a_reessayer", "Nouvel essai programmé"
    ENVOYE = "envoye", "Envoyé"
    EN_ECHEC = "en_echec", "En échec"
    SANS_OBJET = "sans_objet", "Annulé, sans objet"
    # Accepted by our relay, then bounced by the recipient's server (RFC 3464 DSN, 5.x.x).
    REJETE = "rejete", "Rejeté par le destinataire"
    # Never sent: an earlier mail to this address bounced for good (see AdresseRejetee).
    ADRESSE_ECARTEE = "adresse_ecartee", "Écarté : adresse déjà rejetée"


class Courriel(models.Model):
    """A mail to send and what became of it.

    The body is not stored: it is composed by the worker at sending time, because it may
    carry a single-use link whose token must exist only in the mail itself.
    """

    type = models.CharField("type", max_length=32, db_index=True)
    compte = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="courriels",
        verbose_name="compte",
    )
    destinataire = models.EmailField("destinataire")
    objet = models.CharField("objet", max_length=250, blank=True)
    # What the composer needs beyond the account, never a secret: e.g. the masked channel
    # a réassort link went to.
    contexte = models.JSONField("contexte", default=dict, blank=True)
    etat = models.CharField(
        "état",
        max_length=16,
        choices=EtatCourriel.choices,
        default=EtatCourriel.EN_ATTENTE,
        db_index=True,
    )
    tentatives = models.PositiveSmallIntegerField("tentatives", default=0)
    derniere_erreur = models.CharField("dernière erreur", max_length=500, blank=True)
    cree_le = models.DateTimeField("créé le")
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    # The campaign mailing (isoloir.envois) this mail belongs to, if any: named by its
    # label, without an import, so that notify knows nothing of mailings.
    envoi = models.ForeignKey(
        "envois.EnvoiDeMasse",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="courriels",
        verbose_name="envoi de masse",
    )
    # For a mailing's mails: what makes a mail unique (the activation of an account within
    # a campaign, a reminder within its mailing). The database refuses a second one, so
    # that a batch run twice or two mailings at once never mail a voter twice.
    cle = models.CharField("clé d'unicité", max_length=80, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-cree_le"]
        indexes = [models.Index(fields=["envoi", "etat"], name="courriel_envoi_etat")]

    def __str__(self) -> str:
        return f"{self.type} → {self.destinataire} ({self.get_etat_display()})"


class Rebond(models.Model):
    """A delivery status notification (RFC 3464) received for one of our mails.

    A permanent failure (5.x.x) makes the mail « rejeté » and its address rejected; a
    transient one (4.x.x: the remote server keeps trying) is only recorded.
    """

    courriel = models.ForeignKey(
        Courriel, on_delete=models.CASCADE, related_name="rebonds", verbose_name="courriel"
    )
    action = models.CharField("action", max_length=16, blank=True)  # failed, delayed…
    statut = models.CharField("statut", max_length=16)  # e.g. 5.1.1
    diagnostic = models.CharField("diagnostic", max_length=500, blank=True)
    permanent = models.BooleanField("échec définitif")
    recu_le = models.DateTimeField("reçu le")

    class Meta:
        verbose_name = "rebond"
        verbose_name_plural = "rebonds"
        ordering = ["-recu_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["courriel", "action", "statut"], name="rebond_unique_par_statut"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statut} {self.action} — {self.courriel_id}"


class AdresseRejetee(models.Model):
    """An address whose mail bounced for good: later mailings skip it (a mailbox that
    does not exist only earns the service a poor reputation with the receiving servers).
    Correcting the account's address ends it, since the new address is not listed."""

    adresse = models.EmailField("adresse", unique=True)
    statut = models.CharField("statut", max_length=16)
    diagnostic = models.CharField("diagnostic", max_length=500, blank=True)
    courriel = models.ForeignKey(
        Courriel,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="courriel rejeté",
    )
    rejetee_le = models.DateTimeField("rejetée le")

    class Meta:
        verbose_name = "adresse rejetée"
        verbose_name_plural = "adresses rejetées"
        ordering = ["-rejetee_le"]

    def __str__(self) -> str:
        return f"{self.adresse} ({self.statut})"
