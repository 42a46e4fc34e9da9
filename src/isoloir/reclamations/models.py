"""Claims about the electoral roll and their attachments.

A claim is filed by a voter from the portal, or, by a person on no roll (who therefore has
no account), from an anonymous form. The administration takes it in hand, then accepts it
(the roll changes in the same transaction) or rejects it with a reason.
"""

import secrets
from functools import cache

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db import models
from django.utils import timezone

from isoloir.accounts.models import CHAMPS_D_IDENTITE, Civilite, Compte, Electeur
from isoloir.elections.models import Campagne, Scrutin

# The part of a voter's identity (accounts.models.CHAMPS_D_IDENTITE) that a claim states
# and that accepting it may correct: the place of birth comes from the roll alone.
CHAMPS_D_IDENTITE_RECLAMES = tuple(
    champ for champ in CHAMPS_D_IDENTITE if champ not in {"commune_naissance", "pays_naissance"}
)


class TypeReclamation(models.TextChoices):
    OMISSION = "omission", "Je ne figure pas sur la liste électorale d'un scrutin"
    MAUVAIS_SCRUTIN = (
        "mauvais_scrutin",
        "Je suis inscrit sur la liste d'un scrutin qui n'est pas le mien",
    )
    IDENTITE = "identite", "Mon identité est erronée sur la liste électorale"


# The back-office's words for the same kinds, where the voter's sentences would not fit.
LIBELLES_COURTS = {
    TypeReclamation.OMISSION: "Absent de la liste",
    TypeReclamation.MAUVAIS_SCRUTIN: "Mauvais scrutin",
    TypeReclamation.IDENTITE: "Identité erronée",
}


class StatutReclamation(models.TextChoices):
    DEPOSEE = "deposee", "Déposée"
    EN_COURS = "en_cours", "En cours d'instruction"
    ACCEPTEE = "acceptee", "Acceptée"
    REJETEE = "rejetee", "Rejetée"


STATUTS_OUVERTS = (StatutReclamation.DEPOSEE, StatutReclamation.EN_COURS)


class Reclamation(models.Model):
    """One claim. ``numero`` counts the claims of its campaign from 1: with the year of
    the vote it makes the receipt number the claimant keeps (« R-2026-00042 »).

    The identity fields hold what the claimant declared: for an anonymous claim, who the
    person is (the voter accepting it creates); for an identity claim, the corrected values
    proposed. The administrator confirms or amends them when accepting.
    """

    campagne = models.ForeignKey(
        Campagne, on_delete=models.PROTECT, related_name="reclamations", verbose_name="campagne"
    )
    numero = models.PositiveIntegerField("numéro dans la campagne", editable=False)
    # The identifier of the form that was posted: the same form posted twice files one claim.
    jeton = models.UUIDField("jeton du formulaire", unique=True, editable=False)
    type = models.CharField("objet", max_length=20, choices=TypeReclamation.choices)
    statut = models.CharField(
        "statut",
        max_length=10,
        choices=StatutReclamation.choices,
        default=StatutReclamation.DEPOSEE,
        db_index=True,
    )
    electeur = models.ForeignKey(
        Electeur,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reclamations",
        verbose_name="électeur",
        help_text="Vide pour une réclamation sans compte tant qu'elle n'est pas acceptée.",
    )
    sans_compte = models.BooleanField("déposée sans compte", default=False)
    scrutin = models.ForeignKey(
        Scrutin, on_delete=models.PROTECT, related_name="reclamations", verbose_name="scrutin"
    )
    scrutin_souhaite = models.ForeignKey(
        Scrutin,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reclamations_souhaitees",
        verbose_name="scrutin demandé",
    )
    explication = models.TextField("explication", max_length=2000)

    civilite = models.CharField("civilité", max_length=3, choices=Civilite.choices, blank=True)
    nom_naissance = models.CharField("nom de naissance", max_length=100, blank=True)
    nom_usage = models.CharField("nom d'usage", max_length=100, blank=True)
    prenoms = models.CharField("prénoms", max_length=150, blank=True)
    date_naissance = models.DateField("date de naissance", null=True, blank=True)
    email = models.EmailField("adresse électronique professionnelle", blank=True)
    etablissement = models.CharField("établissement d'affectation", max_length=200, blank=True)

    depose_le = models.DateTimeField("déposée le")
    pris_en_charge_par = models.ForeignKey(
        Compte,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="prise en charge par",
    )
    pris_en_charge_le = models.DateTimeField("prise en charge le", null=True, blank=True)
    decide_par = models.ForeignKey(
        Compte,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décidée par",
    )
    decide_le = models.DateTimeField("décidée le", null=True, blank=True)
    motif = models.TextField("motif de la décision", max_length=2000, blank=True)

    class Meta:
        verbose_name = "réclamation"
        verbose_name_plural = "réclamations"
        ordering = ["-depose_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["campagne", "numero"], name="reclamation_numero_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        # The year of the vote as the voters read it, in Paris.
        return f"R-{timezone.localtime(self.campagne.ouverture).year}-{self.numero:05d}"

    @property
    def objet_court(self) -> str:
        return LIBELLES_COURTS.get(TypeReclamation(self.type), self.type)

    @property
    def ouverte(self) -> bool:
        return self.statut in STATUTS_OUVERTS

    @property
    def nom_du_reclamant(self) -> str:
        if self.electeur is not None:
            return str(self.electeur)
        return f"{self.civilite} {self.nom_usage or self.nom_naissance} {self.prenoms}"

    @property
    def email_du_reclamant(self) -> str:
        return self.electeur.compte.email if self.electeur is not None else self.email


class StockagePrive(FileSystemStorage):
    """Files with no public address: even if a web server serves MEDIA, nothing links to
    them, and their names are random."""

    def url(self, name: str | None) -> str:
        raise ValueError("Les pièces jointes n'ont pas d'adresse publique.")


@cache
def _stockage() -> Storage:
    return StockagePrive(location=settings.MEDIA_ROOT / "reclamations")


def stockage_des_pieces() -> Storage:
    """The attachments' own folder under MEDIA, with no public address: they are read
    through the views that check who asks (views.piece_jointe, views_gestion.piece_jointe)."""
    return _stockage()


def nom_de_stockage(piece: "PieceJointe", nom_d_origine: str) -> str:
    # Nothing of the claimant's file name, nor a sequence: 160 random bits.
    return f"{secrets.token_hex(20)}.bin"


class PieceJointe(models.Model):
    reclamation = models.ForeignKey(
        Reclamation, on_delete=models.CASCADE, related_name="pieces", verbose_name="réclamation"
    )
    fichier = models.FileField(
        "fichier", upload_to=nom_de_stockage, storage=stockage_des_pieces, max_length=60
    )
    nom = models.CharField("nom du fichier", max_length=120)
    type_mime = models.CharField("type", max_length=40)
    taille = models.PositiveIntegerField("taille (octets)")

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["reclamation", "pk"]

    def __str__(self) -> str:
        return self.nom


class CompteurDeReclamations(models.Model):
    """The last receipt number given in a campaign, locked while the next one is taken so
    that two claims filed at once get two numbers."""

    campagne = models.OneToOneField(
        Campagne, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "compteur de réclamations"
        verbose_name_plural = "compteurs de réclamations"

    def __str__(self) -> str:
        return f"{self.campagne} : {self.dernier}"
