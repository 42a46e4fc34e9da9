"""A tie for a seat is told in the same words by the results page, the PV and ``isoloir
verify`` (issue 12, point 16): all three print the sentences of ``sieges.decrire_egalite``,
the one source, on scrutins counted for real (tests/counting/resultats.py)."""

import html
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from isoloir import sieges
from isoloir.core import horloge
from isoloir.counting.archive import construire_archive
from isoloir.counting.models import Depouillement
from isoloir.elections.models import Scrutin
from tests.counting.resultats import APRES_LA_CLOTURE, candidats, depouiller
from tests.pdf import texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


@dataclass(frozen=True)
class Cas:
    sieges: int
    choix: list[int]  # 0 blank, k the k-th list (FSU, UNSA, FO)
    departage: str


CAS = {
    # FSU 3, UNSA 3, FO 1 for 3 seats: QE 7/3, FSU and UNSA one each at the quotient, then
    # both at 3/2 for the last seat with the same votes: a lot decides.
    "tirage": Cas(sieges=3, choix=[0, 1, 1, 1, 2, 2, 2, 3], departage="tirage"),
    # FSU 2, UNSA 1, FO 1 for 2 seats: QE 2, FSU one at the quotient, then the three lists
    # at an average of 1 for the last seat: FSU has the most votes and takes it.
    "voix": Cas(sieges=2, choix=[0, 1, 1, 2, 3], departage="voix"),
}


def _plat(texte: str) -> str:
    """Whitespace (line breaks of the PDF's layout, no-break spaces) as single spaces."""
    return re.sub(r"\s+", " ", texte).strip()


def _texte_de_la_page(page: str) -> str:
    return _plat(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _phrases_attendues(scrutin: Scrutin, d: Depouillement) -> tuple[str, ...]:
    """The single function, run on the recorded votes with the recorded seed."""
    assert d.resultat is not None
    lignes = d.resultat["listes"]
    repartition = sieges.repartir(
        [
            sieges.Liste(
                identifiant=str(ligne["id"]),
                voix=ligne["voix"],
                candidats=scrutin.listes.get(pk=ligne["id"]).candidats.count(),
            )
            for ligne in lignes
        ],
        scrutin.sieges_titulaires,
        graine=bytes.fromhex(d.graine),
    )
    return sieges.decrire_egalite(
        repartition.egalite, {str(ligne["id"]): ligne["sigle"] for ligne in lignes}
    )


@pytest.mark.parametrize("nom", CAS)
def test_l_egalite_se_dit_de_meme_sur_la_page_le_pv_et_au_verificateur(
    nom: str, client, bureau, scrutin, creer_electeur, tmp_path: Path, django_db_blocker
) -> None:
    cas = CAS[nom]
    scrutin.sieges_titulaires = cas.sieges
    scrutin.save(update_fields=["sieges_titulaires"])
    candidats(
        scrutin,
        {
            "FSU": ["Aubrac Lucie", "Moulin Jean"],
            "UNSA": ["Zay Jean", "Tillion Germaine"],
            "FO": ["Blanc Luc"],
        },
    )
    d = depouiller(bureau, scrutin, creer_electeur, cas.choix)
    assert d.resultat is not None
    assert d.resultat["tirage_au_sort"] is (cas.departage == "tirage")

    phrases = _phrases_attendues(scrutin, d)
    if cas.departage == "tirage":
        sieges_obtenus = {ligne["sigle"]: ligne["sieges"] for ligne in d.resultat["listes"]}
        gagnante = "FSU" if sieges_obtenus["FSU"] == 2 else "UNSA"
        assert phrases == (
            "Égalité de moyenne pour le siège n° 3 : les listes FSU et UNSA ont la même plus "
            "forte moyenne (1,5), pour un seul siège restant à pourvoir.",
            "Siège n° 3 : les listes FSU et UNSA ont recueilli le même nombre de voix ; "
            f"attribué par tirage au sort à la liste {gagnante}.",
        )
    else:
        assert phrases == (
            "Égalité de moyenne pour le siège n° 2 : les listes FSU, UNSA et FO ont la même "
            "plus forte moyenne (1), pour un seul siège restant à pourvoir.",
            "Siège n° 2 : attribué à la liste FSU, qui a recueilli plus de voix que les "
            "listes UNSA et FO.",
        )

    # ``isoloir verify`` on the bureau's archive, with every database access forbidden.
    with horloge.decalee_de(APRES_LA_CLOTURE):
        archive = construire_archive(bureau, tmp_path / "archive.zip")
    sortie = io.StringIO()
    with django_db_blocker.block():
        call_command("verify", str(archive), stdout=sortie)
    rapport = _plat(sortie.getvalue())
    assert "✗" not in rapport

    page = client.get(reverse("counting:resultats", args=[scrutin.campagne.slug, scrutin.code]))
    assert page.status_code == 200
    texte_de_la_page = _texte_de_la_page(page.content.decode())

    pv = client.get(reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code]))
    assert pv.status_code == 200
    texte_du_pv = _plat(texte_du_pdf(pv.content, tmp_path))

    for phrase in phrases:
        attendue = _plat(phrase)
        assert attendue in rapport, (phrase, rapport)
        assert attendue in texte_de_la_page, (phrase, texte_de_la_page)
        assert attendue in texte_du_pv, (phrase, texte_du_pv)
    # The PV states the rule in the same single wording, tie or not.
    assert _plat(sieges.REGLE_D_EGALITE) in texte_du_pv
    # The wordings each of them used to have of its own are gone.
    for ancienne in ("tirage au sort refait avec la graine", "égalité pour le(s) siège(s)"):
        assert ancienne not in rapport
    for ancienne in ("tiré au sort entre", "départagée au nombre de voix"):
        assert ancienne not in texte_de_la_page and ancienne not in texte_du_pv
    assert "listes en lice FSU" not in texte_du_pv
