"""The matching rules between a FranceConnect identity and the voter on the roll."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isoloir.accounts.models import Electeur
from isoloir.core.texte import sans_accents
from isoloir.franceconnect.identite import IdentiteFC, comparer, normaliser, rapprocher


def electeur(**champs: Any) -> Electeur:
    # Unsaved: the rules read the fields only.
    valeurs: dict[str, Any] = {
        "civilite": "Mme",
        "nom_naissance": "Campodifiori",
        "nom_usage": "",
        "prenoms": "Sophie Marie",
        "date_naissance": date(1977, 5, 4),
    }
    valeurs.update(champs)
    return Electeur(**valeurs)


def identite(**revendications: Any) -> IdentiteFC:
    valeurs: dict[str, Any] = {
        "sub": "abc",
        "given_name": "Sophie Marie",
        "given_name_array": ["Sophie", "Marie"],
        "family_name": "CAMPODIFIORI",
        "birthdate": "1977-05-04",
        "gender": "female",
        "birthplace": "75056",
        "birthcountry": "99100",
    }
    valeurs.update(revendications)
    return IdentiteFC.depuis_userinfo(valeurs)


@pytest.mark.parametrize(
    ("brut", "attendu"),
    [
        ("Élodie", "elodie"),
        ("SAINT-EXUPÉRY", "saint exupery"),
        ("saint’exupéry", "saint exupery"),
        ("  Le   Guérec ", "le guerec"),
        ("N'Diaye", "n diaye"),
        ("Lætitia Œuvray", "laetitia oeuvray"),
        ("François", "francois"),
    ],
)
def test_normaliser(brut: str, attendu: str) -> None:
    assert normaliser(brut) == attendu


@given(st.text())
def test_normaliser_est_idempotente(texte: str) -> None:
    assert normaliser(normaliser(texte)) == normaliser(texte)


def test_meme_personne() -> None:
    assert rapprocher(identite(), electeur())


def test_date_de_naissance_exacte() -> None:
    comparaison = comparer(identite(birthdate="1977-05-05"), electeur())
    assert not comparaison.concordante
    assert comparaison.ecarts == ["date_naissance"]


def test_date_presumee() -> None:
    # FranceConnect sends 1 January when the registry knows the year only: the roll must
    # hold the same date, or the voter goes through the question défi.
    presumee = identite(birthdate="1960-01-01")
    assert presumee.date_peut_etre_presumee
    assert not rapprocher(presumee, electeur(date_naissance=date(1960, 3, 15)))
    assert rapprocher(presumee, electeur(date_naissance=date(1960, 1, 1)))
    assert not identite().date_peut_etre_presumee


def test_date_mal_formee() -> None:
    assert not rapprocher(identite(birthdate="04/05/1977"), electeur())
    assert not rapprocher(identite(birthdate=""), electeur())


def test_nom_de_naissance_ou_d_usage() -> None:
    marie = electeur(nom_naissance="Dupont", nom_usage="Lefèvre-Dubois")
    # FranceConnect's family_name is the birth name...
    assert rapprocher(identite(family_name="DUPONT"), marie)
    # ...which the roll may hold as the usage name,
    assert rapprocher(identite(family_name="LEFEVRE DUBOIS"), marie)
    # or FranceConnect's usage name is the roll's one.
    assert rapprocher(identite(family_name="DUPOND", preferred_username="LEFÈVRE DUBOIS"), marie)
    assert comparer(identite(family_name="DURAND"), marie).ecarts == ["nom"]


def test_nom_sans_separateurs() -> None:
    assert rapprocher(identite(family_name="NDIAYE"), electeur(nom_naissance="N'Diaye"))
    assert rapprocher(identite(family_name="LE GUEREC"), electeur(nom_naissance="Leguérec"))


def test_nom_vide_de_franceconnect() -> None:
    # Some identities have no birth name at FranceConnect: only the usage name can match.
    assert not rapprocher(identite(family_name=""), electeur(nom_usage=""))
    assert rapprocher(
        identite(family_name="", preferred_username="MARTIN"), electeur(nom_usage="Martin")
    )
    # An empty usage name on both sides is not a match.
    assert not rapprocher(identite(family_name="", preferred_username=""), electeur())


def test_premier_prenom() -> None:
    assert rapprocher(identite(given_name="SOPHIE", given_name_array=None), electeur())
    assert rapprocher(identite(given_name_array=["sophie"]), electeur(prenoms="Sophie"))
    assert comparer(identite(given_name_array=["Marie", "Sophie"]), electeur()).ecarts == ["prenom"]
    assert not rapprocher(identite(given_name_array=[]), electeur(prenoms=""))


@pytest.mark.parametrize(
    ("fc", "roll", "concorde"),
    [
        (["Jean-Pierre", "Marie"], "Jean-Pierre Marie", True),
        (["Jean-Pierre"], "Jean Pierre", True),  # the roll lost the hyphen
        (["Jean", "Pierre"], "Jean-Pierre", True),  # FranceConnect did
        (["Jean-Pierre"], "Jean", False),
        (["Jean"], "Jean-Pierre", False),
        (["Jean-Marc"], "Jean Pierre", False),
        (["Anne-Sophie"], "ANNE SOPHIE", True),
    ],
)
def test_prenoms_composes(fc: list[str], roll: str, concorde: bool) -> None:
    assert rapprocher(identite(given_name_array=fc), electeur(prenoms=roll)) is concorde


def test_le_sexe_ne_decide_pas() -> None:
    comparaison = comparer(identite(gender="male"), electeur(civilite="Mme"))
    assert comparaison.concordante
    assert comparaison.civilite is False
    assert comparer(identite(), electeur()).civilite is True
    assert comparer(identite(gender=""), electeur()).civilite is None


LETTRES = "abcdefghijklmnopqrstuvwxyzéèêëàâäîïôöùûüçÿœæ"
mot = st.text(alphabet=LETTRES, min_size=1, max_size=12)
separateur = st.sampled_from([" ", "-", "'", "’"])


@st.composite
def nom(draw: st.DrawFn) -> str:
    mots = draw(st.lists(mot, min_size=1, max_size=3))
    texte = mots[0]
    for suite in mots[1:]:
        texte += draw(separateur) + suite
    return texte


# First names: compound ones are hyphenated on the roll.
prenom = st.lists(mot, min_size=1, max_size=2).map("-".join)


@st.composite
def variante(draw: st.DrawFn, texte: str) -> str:
    """The same text as another system writes it: case, accents and separators."""
    if draw(st.booleans()):
        texte = sans_accents(texte)
    casse: list[Callable[[str], str]] = [str.upper, str.lower, str.title, str.strip]
    texte = draw(st.sampled_from(casse))(texte)
    for signe in "-'’":
        texte = texte.replace(signe, draw(st.sampled_from([" ", "-", "'", "  "])))
    return texte


@given(
    naissance=nom(),
    usage=st.one_of(st.just(""), nom()),
    prenoms=st.lists(prenom, min_size=1, max_size=3),
    ne_le=st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31)),
    donnees=st.data(),
)
def test_un_electeur_est_reconnu_sous_toutes_les_graphies(
    naissance: str, usage: str, prenoms: list[str], ne_le: date, donnees: st.DataObject
) -> None:
    roll = electeur(
        nom_naissance=naissance, nom_usage=usage, prenoms=" ".join(prenoms), date_naissance=ne_le
    )
    fc = IdentiteFC.depuis_userinfo(
        {
            "sub": "x",
            "given_name_array": [donnees.draw(variante(p)) for p in prenoms],
            "family_name": donnees.draw(variante(naissance)),
            "preferred_username": donnees.draw(variante(usage)) if usage else "",
            "birthdate": ne_le.isoformat(),
        }
    )
    assert rapprocher(fc, roll)


@given(
    ne_le=st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31)),
    decalage=st.integers(min_value=-20000, max_value=20000).filter(bool),
)
def test_une_autre_date_n_est_jamais_reconnue(ne_le: date, decalage: int) -> None:
    fc = identite(birthdate=(ne_le + timedelta(days=decalage)).isoformat())
    assert not rapprocher(fc, electeur(date_naissance=ne_le))
