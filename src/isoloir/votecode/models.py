from django.db import models

from isoloir.accounts.models import Electeur
from isoloir.core.dates import date_heure_fr


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


class EtatGeneration(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente du traitement"
    EN_COURS = "en_cours", "En cours"
    TERMINEE = "terminee", "Terminée"
    ECHOUEE = "echouee", "Interrompue par une erreur"


ETATS_ACTIFS = (EtatGeneration.EN_ATTENTE, EtatGeneration.EN_COURS)


class GenerationDeNotices(models.Model):
    """One launch of the initial codes' generation for a campaign, run by a background task.

    At most one run per campaign is waiting or running (a partial unique constraint, so
    two launches at once cannot both win). ``jeton`` and ``battement`` form a lease: the
    worker that holds the run renews it after each file, and a run whose lease has gone
    stale (the worker died) is taken over by the next launch instead of being duplicated.
    """

    campagne = models.ForeignKey(
        "elections.Campagne",
        on_delete=models.CASCADE,
        related_name="generations_de_notices",
        verbose_name="campagne",
    )
    etat = models.CharField(
        "état", max_length=16, choices=EtatGeneration.choices, default=EtatGeneration.EN_ATTENTE
    )
    lancee_par = models.ForeignKey(
        "accounts.Compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancée par",
    )
    lancee_le = models.DateTimeField("lancée le")
    terminee_le = models.DateTimeField("terminée le", null=True, blank=True)
    hors_delai = models.BooleanField(
        "lancée après la date de remise des notices (confirmée)", default=False
    )
    etablissements_total = models.PositiveIntegerField("établissements", default=0)
    etablissements_faits = models.PositiveIntegerField("établissements traités", default=0)
    notices_total = models.PositiveIntegerField("notices", default=0)
    notices_faites = models.PositiveIntegerField("notices imprimées", default=0)
    jeton = models.CharField("jeton du traitement", max_length=32, blank=True, editable=False)
    battement = models.DateTimeField("dernier signe de vie", null=True, blank=True)
    reprises = models.PositiveIntegerField("reprises", default=0)
    erreur = models.CharField("erreur", max_length=200, blank=True)

    class Meta:
        verbose_name = "génération de notices"
        verbose_name_plural = "générations de notices"
        ordering = ["-lancee_le", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne"],
                condition=models.Q(etat__in=["en_attente", "en_cours"]),
                name="une_generation_active_par_campagne",
            )
        ]

    def __str__(self) -> str:
        return f"Génération du {date_heure_fr(self.lancee_le)} ({self.get_etat_display()})"

    @property
    def active(self) -> bool:
        return self.etat in ETATS_ACTIFS


class LotDeNotices(models.Model):
    """One printed PDF of notices: its file lives in a private folder of the data folder
    (never under MEDIA) and holds codes in clear until it is destroyed."""

    campagne = models.ForeignKey(
        "elections.Campagne",
        on_delete=models.CASCADE,
        related_name="lots_de_notices",
        verbose_name="campagne",
    )
    generation = models.ForeignKey(
        GenerationDeNotices,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lots",
        verbose_name="génération",
    )
    etablissement = models.CharField("établissement", max_length=200)
    fichier = models.CharField("fichier", max_length=200)
    # Where the file was written, relative to the notices' root (DATA_DIR/notices). Stored,
    # not derived from the campaign's slug: the slug may change after the file is written,
    # and destroying the file must reach the file that holds the clear codes.
    chemin = models.CharField("chemin du fichier", max_length=400)
    notices = models.PositiveIntegerField("nombre de notices")
    genere_le = models.DateTimeField("généré le")
    telechargements = models.PositiveIntegerField("téléchargements", default=0)
    detruit_le = models.DateTimeField("fichier détruit le", null=True, blank=True)
    detruit_par = models.ForeignKey(
        "accounts.Compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="détruit par",
    )
    # Set when « Détruire le fichier » found no file at ``chemin``: nothing was unlinked,
    # and the record must not claim otherwise.
    introuvable = models.BooleanField("fichier introuvable à la destruction", default=False)

    class Meta:
        verbose_name = "lot de notices"
        verbose_name_plural = "lots de notices"
        ordering = ["etablissement", "genere_le", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campagne", "fichier"], name="un_lot_par_fichier")
        ]

    def __str__(self) -> str:
        return f"{self.etablissement} — {self.fichier}"


class EtatRemise(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    REMISE = "remise", "Remise contre signature"
    POSTE = "poste", "Envoyée par la poste"
    DETRUITE = "detruite", "Détruite"


class RemiseDeNotice(models.Model):
    """How the voter's paper notice reached them (B01), as the establishment reports it.

    A voter whose notice was never reported has no row and counts as « en attente ». A
    « détruite » notice is an undelivered envelope destroyed: that voter gets a code only
    through the réassort.
    """

    electeur = models.OneToOneField(
        Electeur, on_delete=models.CASCADE, related_name="remise_de_notice", verbose_name="électeur"
    )
    etat = models.CharField(
        "état", max_length=16, choices=EtatRemise.choices, default=EtatRemise.EN_ATTENTE
    )
    date = models.DateField("date", null=True, blank=True)
    etablissement = models.CharField("établissement", max_length=200, blank=True)
    modifiee_le = models.DateTimeField("modifiée le")

    class Meta:
        verbose_name = "remise de notice"
        verbose_name_plural = "remises de notices"
        indexes = [models.Index(fields=["etat"], name="remise_par_etat")]

    def __str__(self) -> str:
        return f"{self.electeur} : {self.get_etat_display()}"
