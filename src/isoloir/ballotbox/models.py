"""The urne (A05, A15): ballots and nothing that leads back to a voter.

No voter id, no time, no insertion order: a ballot's key is random, listings are sorted
by tracker, and on SQLite the table is clustered on that random key (WITHOUT ROWID) so
that even the file's row order says nothing of arrival order.
"""

from django.db import models


class Bulletin(models.Model):
    id = models.CharField(primary_key=True, max_length=32, editable=False)
    scrutin_id = models.PositiveIntegerField("scrutin", db_index=True)
    contenu = models.TextField("bulletin chiffré (forme canonique)")
    traceur = models.CharField("traceur", max_length=43, unique=True)
    # The first ciphertext: a copy of another voter's ballot is refused even with new
    # proofs (docs/protocol.md § 5.5).
    alpha0 = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "bulletin"
        verbose_name_plural = "bulletins"

    def __str__(self) -> str:
        return self.traceur


class DepotEnAttente(models.Model):
    """Step 2 of a vote: this ballot is in the urne but its émargement is not yet
    written. Keyed on the hash of the vote's nonce; deleted at step 4."""

    empreinte_nonce = models.CharField(primary_key=True, max_length=64)
    bulletin = models.OneToOneField(Bulletin, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"dépôt en attente {self.empreinte_nonce[:8]}…"


class Releve(models.Model):
    """A snapshot of a scrutin's public board, chained to the previous one
    (docs/protocol.md § 7)."""

    scrutin_id = models.PositiveIntegerField("scrutin")
    numero = models.PositiveIntegerField("numéro")
    nombre = models.PositiveIntegerField("nombre de bulletins")
    empreinte_tableau = models.CharField(max_length=64)
    precedent = models.CharField(max_length=64)
    valeur = models.CharField(max_length=64)
    fait_le = models.DateTimeField("fait le")

    class Meta:
        verbose_name = "relevé du tableau"
        verbose_name_plural = "relevés du tableau"
        constraints = [
            models.UniqueConstraint(fields=["scrutin_id", "numero"], name="releve_unique"),
        ]

    def __str__(self) -> str:
        return f"relevé n° {self.numero} du scrutin {self.scrutin_id}"
