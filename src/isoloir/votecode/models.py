from django.db import models

from isoloir.accounts.models import Electeur


class Origine(models.TextChoices):
    INITIAL = "initial", "Notice initiale"
    REASSORT = "reassort", "Réassort"


class CodeDeVote(models.Model):
    """The voter's current code de vote, as a hash only.

    ``generation`` grows with every new code: a voting-space session remembers the
    generation it was opened with and ends when the code changes.
    """

    electeur = models.OneToOneField(
        Electeur, on_delete=models.CASCADE, related_name="code_de_vote", verbose_name="électeur"
    )
    empreinte = models.CharField("empreinte", max_length=200, editable=False)
    generation = models.PositiveIntegerField("génération", default=1)
    origine = models.CharField("origine", max_length=16, choices=Origine.choices)
    emis_le = models.DateTimeField("émis le")

    class Meta:
        verbose_name = "code de vote"
        verbose_name_plural = "codes de vote"

    def __str__(self) -> str:
        return f"Code n° {self.generation} de {self.electeur}"
