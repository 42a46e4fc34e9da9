from django.conf import settings
from django.db import models

from isoloir.core.dates import date_heure_fr


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


class NatureEnvoi(models.TextChoices):
    ACTIVATION = "activation", "Activation des comptes"
    RELANCE_ACTIVATION = "relance_activation", "Relance : comptes non activés"
    RELANCE_VOTE = "relance_vote", "Relance : électeurs n'ayant pas encore voté"


class EnvoiDeMasse(models.Model):
    """A campaign mailing: one kind of mail to every voter of a campaign that it targets.

    Its recipients are never loaded at once: a planning task walks them by primary key and
    cuts them into :class:`LotDEnvoi`, each one task that creates its mails.
    """

    campagne = models.ForeignKey(
        "elections.Campagne",
        on_delete=models.CASCADE,
        related_name="envois_de_masse",
        verbose_name="campagne",
    )
    nature = models.CharField("nature", max_length=32, choices=NatureEnvoi.choices)
    # The confirmation form's one-time value: the same form sent twice launches once.
    jeton = models.CharField("jeton de confirmation", max_length=64, unique=True)
    lance_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="envois_lances",
        verbose_name="lancé par",
    )
    lance_le = models.DateTimeField("lancé le")
    destinataires_prevus = models.PositiveIntegerField("destinataires prévus", default=0)
    # The voter's primary key the planning reached: planning resumes from there.
    planifie_jusqua = models.BigIntegerField("planifié jusqu'à l'électeur", default=0)
    planifie_le = models.DateTimeField("planification terminée le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "envoi de masse"
        verbose_name_plural = "envois de masse"
        ordering = ["-lance_le"]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} — {self.campagne} ({date_heure_fr(self.lance_le)})"


class LotDEnvoi(models.Model):
    """A slice of a mailing's recipients, by voter primary key: ``premier`` to ``dernier``
    included. ``programme_le`` is set in the transaction that creates its mails, so a lot
    task run twice creates them once."""

    envoi = models.ForeignKey(
        EnvoiDeMasse, on_delete=models.CASCADE, related_name="lots", verbose_name="envoi"
    )
    numero = models.PositiveIntegerField("numéro")
    premier = models.BigIntegerField("premier électeur")
    dernier = models.BigIntegerField("dernier électeur")
    programme_le = models.DateTimeField("courriels créés le", null=True, blank=True)
    courriels = models.PositiveIntegerField("courriels créés", default=0)

    class Meta:
        verbose_name = "lot d'envoi"
        verbose_name_plural = "lots d'envoi"
        ordering = ["envoi", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["envoi", "numero"], name="lot_numero_unique"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.numero} de {self.envoi}"


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
    envoi = models.ForeignKey(
        EnvoiDeMasse,
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
