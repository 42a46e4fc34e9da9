"""The bureaux de vote (décret 2011-595 art. 3-II, A08): who sits on them, for which
scrutins, and who holds a key (art. 11-III, A10)."""

from django.db import models

from isoloir.accounts.models import Compte
from isoloir.elections.models import Campagne, ListeCandidats, Scrutin


class BureauDeVote(models.Model):
    """A bureau de vote électronique, or a centralising one (BVEC) when it has several
    scrutins. Its key holders decrypt the tally of its scrutins together."""

    campagne = models.ForeignKey(
        Campagne, on_delete=models.PROTECT, related_name="bureaux", verbose_name="campagne"
    )
    nom = models.CharField("nom", max_length=200)
    seuil = models.PositiveSmallIntegerField(
        "seuil de déchiffrement",
        default=3,
        help_text="Nombre de détenteurs de clé nécessaires au dépouillement (par défaut : le "
        "président et deux délégués de liste).",
    )

    class Meta:
        verbose_name = "bureau de vote"
        verbose_name_plural = "bureaux de vote"
        constraints = [
            models.UniqueConstraint(fields=["campagne", "nom"], name="bureau_nom_unique"),
        ]

    def __str__(self) -> str:
        return self.nom


class RattachementAuBureau(models.Model):
    """A scrutin is counted by exactly one bureau."""

    bureau = models.ForeignKey(BureauDeVote, on_delete=models.CASCADE, related_name="rattachements")
    scrutin = models.OneToOneField(
        Scrutin, on_delete=models.PROTECT, related_name="rattachement_au_bureau"
    )

    class Meta:
        verbose_name = "scrutin du bureau"
        verbose_name_plural = "scrutins du bureau"

    def __str__(self) -> str:
        return f"{self.scrutin} → {self.bureau}"


class Role(models.TextChoices):
    PRESIDENT = "president", "président"
    SECRETAIRE = "secretaire", "secrétaire"
    DELEGUE = "delegue", "délégué de liste"


class MembreDuBureau(models.Model):
    bureau = models.ForeignKey(BureauDeVote, on_delete=models.CASCADE, related_name="membres")
    compte = models.ForeignKey(
        Compte, on_delete=models.PROTECT, related_name="sieges_de_bureau", verbose_name="compte"
    )
    role = models.CharField("rôle", max_length=12, choices=Role.choices)
    liste = models.ForeignKey(
        ListeCandidats,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegues",
        verbose_name="liste représentée",
        help_text="Pour un délégué : la liste de candidats qui l'a désigné.",
    )
    detenteur_de_cle = models.BooleanField("détenteur d'une clé", default=False)

    class Meta:
        verbose_name = "membre du bureau"
        verbose_name_plural = "membres du bureau"
        constraints = [
            models.UniqueConstraint(fields=["bureau", "compte"], name="membre_unique"),
            models.UniqueConstraint(
                fields=["bureau"],
                condition=models.Q(role="president"),
                name="un_seul_president",
            ),
            models.UniqueConstraint(
                fields=["bureau"],
                condition=models.Q(role="secretaire"),
                name="un_seul_secretaire",
            ),
            # One délégué per list (art. 3-II).
            models.UniqueConstraint(fields=["bureau", "liste"], name="un_delegue_par_liste"),
            models.CheckConstraint(
                condition=models.Q(role="delegue", liste__isnull=False)
                | (~models.Q(role="delegue") & models.Q(liste__isnull=True)),
                name="delegue_d_une_liste",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compte} — {self.get_role_display()} ({self.bureau})"
