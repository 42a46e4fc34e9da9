from django.conf import settings
from django.db import models


class Usage(models.TextChoices):
    ACTIVATION = "activation", "Activation du compte"
    MOT_DE_PASSE = "mot_de_passe", "Réinitialisation du mot de passe"
    REASSORT = "reassort", "Réassort du code de vote"


class LienUsageUnique(models.Model):
    """A single-use link, for every purpose the product has (activation, password, réassort).

    Only the SHA-256 of the token is stored: the token has 256 random bits, so a fast
    hash cannot be reversed, and a database dump gives no usable link.
    """

    usage = models.CharField("usage", max_length=32, choices=Usage.choices)
    compte = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="liens",
        verbose_name="compte",
    )
    empreinte_jeton = models.CharField("empreinte du jeton", max_length=64, unique=True)
    # What the link was issued for, never a secret: e.g. the channel a réassort link went
    # to, which the confirmation mail names.
    contexte = models.JSONField("contexte", default=dict, blank=True)
    cree_le = models.DateTimeField("créé le")
    expire_le = models.DateTimeField("expire le")
    utilise_le = models.DateTimeField("utilisé le", null=True, blank=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        verbose_name = "lien à usage unique"
        verbose_name_plural = "liens à usage unique"
        indexes = [models.Index(fields=["compte", "usage"])]

    def __str__(self) -> str:
        return f"{self.get_usage_display()} — {self.compte}"
