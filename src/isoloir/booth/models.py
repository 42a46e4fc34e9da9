"""What the default database knows of a vote: the scrutin's public key, the émargement,
and, for the milliseconds of a vote, its intent. Nothing here names a ballot."""

from django.db import models

from isoloir.core.dates import date_heure_fr
from isoloir.elections.models import Inscription, Scrutin


class OrigineCle(models.TextChoices):
    DEVELOPPEMENT = "developpement", "cérémonie de développement (hors production)"
    CEREMONIE = "ceremonie", "cérémonie du bureau de vote"


class CleDeScrutin(models.Model):
    """The election public key of one scrutin (docs/protocol.md § 3). The private key is
    never here: it belongs to the key holders (or, for a development key, to a file the
    server never reads)."""

    scrutin = models.OneToOneField(
        Scrutin, on_delete=models.PROTECT, related_name="cle", verbose_name="scrutin"
    )
    cle_publique = models.CharField("clé publique (hexadécimal)", max_length=64)
    origine = models.CharField("origine", max_length=16, choices=OrigineCle.choices)
    publiee_le = models.DateTimeField("publiée le")

    class Meta:
        verbose_name = "clé de l'élection"
        verbose_name_plural = "clés de l'élection"

    def __str__(self) -> str:
        return f"Clé de {self.scrutin} ({self.get_origine_display()})"


class Emargement(models.Model):
    """The register of who voted (A11, A15): one row per inscription, append-only during
    the vote, timestamped."""

    inscription = models.OneToOneField(
        Inscription, on_delete=models.PROTECT, related_name="emargement"
    )
    emarge_le = models.DateTimeField("émargé le")

    class Meta:
        verbose_name = "émargement"
        verbose_name_plural = "émargements"
        permissions = [
            ("voir_participation", "Voir la participation pendant le vote (membre du bureau)"),
        ]

    def __str__(self) -> str:
        return f"{self.inscription} — {date_heure_fr(self.emarge_le)}"


class IntentionDeVote(models.Model):
    """Step 1 of a vote (docs/vote.md): reserves the inscription while the ballot goes
    into the urne. ``nonce`` is what the urne's pending row is keyed on (hashed); the row
    is deleted once the vote is complete, so the link lasts only as long as the vote."""

    inscription = models.OneToOneField(
        Inscription, on_delete=models.CASCADE, related_name="intention_de_vote"
    )
    nonce = models.CharField(max_length=64)
    faite = models.BooleanField(default=False)
    creee_le = models.DateTimeField()

    class Meta:
        verbose_name = "vote en cours"
        verbose_name_plural = "votes en cours"

    def __str__(self) -> str:
        return f"vote en cours — {self.inscription}"
