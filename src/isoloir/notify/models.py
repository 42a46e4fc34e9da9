from django.conf import settings
from django.db import models


class EtatCourriel(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    A_REESSAYER = "a_reessayer", "Nouvel essai programmé"
    ENVOYE = "envoye", "Envoyé"
    EN_ECHEC = "en_echec", "En échec"
    SANS_OBJET = "sans_objet", "Annulé, sans objet"


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

    class Meta:
        verbose_name = "courriel"
        verbose_name_plural = "courriels"
        ordering = ["-cree_le"]

    def __str__(self) -> str:
        return f"{self.type} → {self.destinataire} ({self.get_etat_display()})"
