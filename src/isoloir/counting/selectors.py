"""What a member of a bureau de vote sees of it: where its life stands (key ceremony,
sealing, vote, closing, count), and what this member may do next."""

from dataclasses import dataclass, field
from typing import Any

from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    Depouillement,
    EtatCeremonie,
    MembreDuBureau,
    Role,
)
from isoloir.elections.models import Scrutin
from isoloir.elections.selectors import Fenetre, Phase, fenetre_du_scrutin


def sieges_du_compte(compte_id: int) -> list[MembreDuBureau]:
    """The seats this account holds, one per bureau."""
    return list(
        MembreDuBureau.objects.filter(compte_id=compte_id)
        .select_related("bureau__campagne", "liste")
        .order_by("bureau__campagne__ouverture", "bureau__nom")
    )


def siege_dans(bureau_id: int, compte_id: int) -> MembreDuBureau | None:
    return (
        MembreDuBureau.objects.filter(bureau_id=bureau_id, compte_id=compte_id)
        .select_related("bureau__campagne", "compte", "liste")
        .first()
    )


@dataclass(frozen=True)
class EtatDuScrutin:
    scrutin: Scrutin
    fenetre: Fenetre
    depouillement: Depouillement | None

    @property
    def phase(self) -> Phase:
        return self.fenetre.phase()

    @property
    def parts_publiees(self) -> int:
        return self.depouillement.parts.count() if self.depouillement else 0

    @property
    def calcule(self) -> bool:
        return self.depouillement is not None and self.depouillement.resultat is not None


@dataclass
class EtatDuBureau:
    """The bureau seen by one of its members."""

    membre: MembreDuBureau
    ceremonie: CeremonieDesCles | None
    scrutins: list[EtatDuScrutin]
    # Holder index j (1 … n) of this member in the ceremony, when they hold a key.
    indice: int | None
    # Which holders (by index) published at the ceremony's current step.
    publies: dict[str, list[int]] = field(default_factory=dict)

    @property
    def bureau(self) -> BureauDeVote:
        return self.membre.bureau

    @property
    def est_president(self) -> bool:
        return self.membre.role == Role.PRESIDENT

    @property
    def detenteurs(self) -> int:
        return len(self.ceremonie.detenteurs) if self.ceremonie else 0

    @property
    def cle_etablie(self) -> bool:
        return self.ceremonie is not None and self.ceremonie.etat == EtatCeremonie.CLOSE

    def a_publie(self, nature: str) -> bool:
        return self.indice is not None and self.indice in self.publies.get(nature, [])

    @property
    def scellement(self) -> Any:
        return getattr(self.bureau, "scellement", None)

    @property
    def scelle(self) -> bool:
        scellement = self.scellement
        return scellement is not None and scellement.scelle_le is not None

    @property
    def a_signe(self) -> bool:
        scellement = self.scellement
        return (
            scellement is not None
            and self.indice is not None
            and any(s["detenteur"] == self.indice for s in scellement.signatures)
        )

    @property
    def vote_commence(self) -> bool:
        return any(e.phase is not Phase.A_VENIR for e in self.scrutins)

    @property
    def calcules(self) -> list[EtatDuScrutin]:
        """The scrutins whose result is computed, and published."""
        return [e for e in self.scrutins if e.calcule]

    @property
    def termine(self) -> bool:
        """Every scrutin of the bureau is counted: nothing is left to do but read."""
        return bool(self.scrutins) and len(self.calcules) == len(self.scrutins)


def etat_du_bureau(membre: MembreDuBureau) -> EtatDuBureau:
    bureau = membre.bureau
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first()
    indice = None
    publies: dict[str, list[int]] = {}
    if ceremonie is not None:
        rang = {pk: j for j, pk in enumerate(ceremonie.detenteurs, start=1)}
        indice = rang.get(membre.pk)
        for membre_id, nature in ceremonie.messages.values_list("membre_id", "nature"):
            publies.setdefault(nature, []).append(rang[membre_id])
        for liste in publies.values():
            liste.sort()
    scrutins = [
        EtatDuScrutin(
            scrutin=r.scrutin,
            fenetre=fenetre_du_scrutin(r.scrutin),
            depouillement=Depouillement.objects.filter(scrutin=r.scrutin).first(),
        )
        for r in bureau.rattachements.select_related("scrutin__campagne").order_by(
            "scrutin__ordre", "scrutin__intitule"
        )
    ]
    return EtatDuBureau(
        membre=membre, ceremonie=ceremonie, scrutins=scrutins, indice=indice, publies=publies
    )


def detenteurs_nommes(ceremonie: CeremonieDesCles) -> list[tuple[int, MembreDuBureau]]:
    """The key holders in index order, for the screens and the minutes."""
    membres = MembreDuBureau.objects.select_related("compte", "liste").in_bulk(
        list(ceremonie.detenteurs)
    )
    return [(j, membres[pk]) for j, pk in enumerate(ceremonie.detenteurs, start=1)]


def membres_dans_l_ordre(bureau: BureauDeVote) -> list[MembreDuBureau]:
    """Président, secrétaire, then the délégués in the order of their lists on the ballot."""
    rang = {Role.PRESIDENT: 0, Role.SECRETAIRE: 1, Role.DELEGUE: 2}
    return sorted(
        bureau.membres.select_related("compte", "liste"),
        key=lambda m: (rang[Role(m.role)], m.liste.ordre if m.liste else 0, m.pk),
    )
