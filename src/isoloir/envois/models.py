"""Campaign mailings: one kind of mail to the voters of a campaign, cut into lots. Their
mails are notify's :class:`~isoloir.notify.models.Courriel`, which point back here."""

from django.conf import settings
from django.db import models

from isoloir.core.dates import date_heure_fr


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
        # The table it had in notify (migrations 0001 of envois, 0005 of notify): moving
        # the model up did not move its rows.
        db_table = "notify_envoidemasse"
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
        db_table = "notify_lotdenvoi"
        verbose_name = "lot d'envoi"
        verbose_name_plural = "lots d'envoi"
        ordering = ["envoi", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["envoi", "numero"], name="lot_numero_unique"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.numero} de {self.envoi}"
