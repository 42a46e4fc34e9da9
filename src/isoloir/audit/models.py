from django.db import models

from isoloir.core.dates import date_heure_fr


class Evenement(models.Model):
    """One entry of the security journal, chained to the previous one by its hash.

    Rows are only ever appended (see :mod:`isoloir.audit.services`); changing or removing
    one breaks every later hash, which :func:`~isoloir.audit.services.verifier_chaine`
    detects. ``details`` never holds a secret: masked addresses at most.
    """

    horodatage = models.DateTimeField("horodatage")
    type = models.CharField("type", max_length=64, db_index=True)
    compte_id = models.BigIntegerField("compte", null=True, blank=True, db_index=True)
    ip = models.CharField("adresse IP", max_length=64, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)
    empreinte_precedente = models.CharField("empreinte précédente", max_length=64)
    empreinte = models.CharField("empreinte", max_length=64, unique=True)

    class Meta:
        verbose_name = "événement du journal"
        verbose_name_plural = "journal de sécurité"
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{date_heure_fr(self.horodatage)} — {self.type}"


class TeteDuJournal(models.Model):
    """A single row locked by each writer, so that two appends never chain to the same
    predecessor."""

    empreinte = models.CharField(max_length=64)

    class Meta:
        verbose_name = "tête du journal"

    def __str__(self) -> str:
        return self.empreinte
