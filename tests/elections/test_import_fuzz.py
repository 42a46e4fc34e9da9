"""Fuzzing the importer: files written by real tools in every way they write CSV (encodings,
BOM, separators, quoting) import exactly; the same files damaged (NUL bytes, bytes of no
encoding, a line cut short, a runaway quote, a huge field) are refused with a French
message per row or for the file, and nothing of them is written."""

import csv
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isoloir.accounts import numen
from isoloir.elections.import_liste.en_une_fois import importer_liste_electorale
from isoloir.elections.import_liste.lecture import COLONNES
from isoloir.elections.models import Inscription
from tests.elections.test_import_liste import CODES, campagne_des_tests, etat, ligne
from tests.factories import numen_de

pytestmark = pytest.mark.django_db
REGLAGES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# A sentence, in French, that starts with a capital (or a count) and ends with a full stop.
MESSAGE = re.compile(r"^[0-9A-ZÀ-Ý«(][^\n]*[.»]$")


@pytest.fixture
def campagne(creer_campagne, creer_scrutin):
    return campagne_des_tests(creer_campagne, creer_scrutin)


# Names as civil registries write them: accents, hyphens, apostrophes, spaces, and the
# characters that CSV must quote.
NOMS = st.text(
    alphabet=st.sampled_from("abcdeéèêëàçôûïAZÉÈÇ-' ;,\"\t"), min_size=1, max_size=40
).filter(lambda t: t.strip(" \t-'") != "")


@st.composite
def fichiers(draw) -> tuple[list[dict[str, str]], bytes, str]:
    lignes = []
    for i in range(draw(st.integers(1, 6))):
        valeurs = ligne(
            numen=numen_de(700 + i),
            email_professionnel=f"agent{i}@ac-lyon.fr",
            nom_naissance=draw(NOMS),
            prenoms=draw(NOMS),
            etablissement=draw(NOMS),
            scrutins="|".join(draw(st.sets(st.sampled_from(CODES), min_size=1, max_size=3))),
        )
        lignes.append(valeurs)
    separateur = draw(st.sampled_from([";", ",", "\t"]))
    encodage = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    citation = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    fin = draw(st.sampled_from(["\r\n", "\n"]))
    texte = io.StringIO()
    ecrivain = csv.writer(texte, delimiter=separateur, quoting=citation, lineterminator=fin)
    ecrivain.writerow(COLONNES)
    for valeurs in lignes:
        ecrivain.writerow([valeurs[c] for c in COLONNES])
    return lignes, texte.getvalue().encode(encodage), separateur


def normalise(texte: str) -> str:
    return " ".join(texte.split())


def roll(campagne) -> set[tuple[object, ...]]:
    return set(
        Inscription.objects.filter(scrutin__campagne=campagne).values_list(
            "electeur__numen_empreinte",
            "electeur__nom_naissance",
            "electeur__prenoms",
            "electeur__etablissement",
            "scrutin__code",
        )
    )


@REGLAGES
@given(fichier=fichiers())
def test_tout_fichier_bien_forme_s_importe_exactement(campagne, fichier) -> None:
    lignes, contenu, separateur = fichier
    rapport = importer_liste_electorale(campagne=campagne, fichier=io.BytesIO(contenu))
    assert not rapport.refuse, rapport.erreurs
    assert rapport.separateur == separateur
    assert rapport.lignes_lues == len(lignes)
    assert roll(campagne) == {
        (
            numen.empreinte(v["numen"]),
            normalise(v["nom_naissance"]),
            normalise(v["prenoms"]),
            normalise(v["etablissement"]),
            code,
        )
        for v in lignes
        for code in v["scrutins"].split("|")
    }


def _endommager(contenu: bytes, degat: str, position: int) -> bytes:
    """One kind of damage, somewhere after the header."""
    entete = contenu.index(b"\n") + 1
    ou = entete + position % max(len(contenu) - entete, 1)
    if degat == "octet_nul":
        return contenu[:ou] + b"\x00" + contenu[ou:]
    if degat == "octets_sans_encodage":
        return contenu[:ou] + b"\x81\x8d" + contenu[ou:]
    if degat == "ligne_coupee":
        # The last row loses its end, as a copy interrupted halfway would leave it.
        derniere = contenu.rstrip(b"\r\n").rindex(b"\n") + 1
        return contenu[: derniere + (position % 40) + 1]
    if degat == "guillemet_non_referme":
        return contenu[:ou] + b'"' + contenu[ou:]
    if degat == "champ_enorme":
        return contenu[:ou] + b"x" * 12_000 + contenu[ou:]
    raise AssertionError(degat)


@REGLAGES
@given(
    fichier=fichiers(),
    degat=st.sampled_from(
        [
            "octet_nul",
            "octets_sans_encodage",
            "ligne_coupee",
            "guillemet_non_referme",
            "champ_enorme",
        ]
    ),
    position=st.integers(0, 10_000),
)
def test_tout_fichier_endommage_est_refuse_en_francais_sans_rien_ecrire(
    campagne, fichier, degat, position
) -> None:
    lignes, contenu, _ = fichier
    avant = etat()
    rapport = importer_liste_electorale(
        campagne=campagne, fichier=io.BytesIO(_endommager(contenu, degat, position))
    )
    if not rapport.refuse:
        # Only a cut or a quote that leaves well-formed rows may pass: then the roll is
        # exactly the rows the file still holds, none half-written.
        assert degat in ("ligne_coupee", "guillemet_non_referme")
        assert len(roll(campagne)) >= rapport.lignes_lues
        return
    assert etat() == avant
    assert rapport.erreurs
    for erreur in rapport.erreurs:
        assert MESSAGE.match(erreur.raison), erreur.raison
        assert erreur.ligne >= 0
    assert all(
        n not in str(rapport.erreurs) for n in (numen_de(700 + i) for i in range(len(lignes)))
    )
