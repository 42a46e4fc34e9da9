"""The manifest and the ballot: creation, strict reading, proofs, tracker (§ 4–5)."""

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from isoloir.crypto.bulletin import (
    CODES,
    TAILLE_MAXIMALE,
    VOTE_BLANC,
    BulletinInvalide,
    ManifesteInvalide,
    construire_bulletin,
    creer_bulletin,
    json_canonique,
    lire_manifeste,
    manifeste,
    traceur,
    verifier_bulletin,
)
from isoloir.crypto.elgamal import dechiffrer
from isoloir.crypto.groupe import NEUTRE, AleaDeterministe, AleaSysteme, B, base, blake2b_256
from tests.crypto.aides import CLE_PRIVEE, CLE_PUBLIQUE, graines, points, scalaires, un_manifeste

MANIFESTE = un_manifeste(6)  # blank + 6 lists
BULLETIN = creer_bulletin(MANIFESTE, 3, AleaDeterministe(b"test_bulletin"))


def _refus(texte: str | bytes, manifeste_: Any = MANIFESTE) -> str:
    with pytest.raises(BulletinInvalide) as erreur:
        verifier_bulletin(texte, manifeste_)
    assert erreur.value.code in CODES
    return erreur.value.code


def _alterer(texte: str, chemin: list[str | int], valeur: object) -> str:
    contenu = json.loads(texte)
    cible = contenu
    for pas in chemin[:-1]:
        cible = cible[pas]
    cible[chemin[-1]] = valeur
    return json_canonique(contenu, ascii=True)


# --- Manifest ----------------------------------------------------------------------------


def test_manifeste_canonique() -> None:
    m = manifeste(
        campagne="ep2026",
        scrutin="csa-men",
        intitule="CSA ministériel",
        choix=("Vote blanc", "FSU", "UNSA"),
        cle_publique=CLE_PUBLIQUE,
        origine_cle="developpement",
        ouverture=datetime(2026, 12, 1, 9, 0, 0, 999999, tzinfo=timezone(timedelta(hours=1))),
        cloture=datetime(2026, 12, 8, 16, tzinfo=UTC),
    )
    assert m.texte == (
        '{"campagne":"ep2026","choix":["Vote blanc","FSU","UNSA"],"cle_publique":"'
        + CLE_PUBLIQUE.hex()
        + '","cloture":"2026-12-08T16:00:00Z","intitule":"CSA ministériel",'
        '"origine_cle":"developpement","ouverture":"2026-12-01T08:00:00Z",'
        '"scrutin":"csa-men","version":1}'
    )
    assert m.empreinte == blake2b_256(m.texte.encode())
    assert len(m.empreinte) == 32 and m.empreinte_hex == m.empreinte.hex()
    assert (m.scrutin, m.cle_publique, m.origine_cle) == ("csa-men", CLE_PUBLIQUE, "developpement")
    assert m.choix == ("Vote blanc", "FSU", "UNSA")
    assert lire_manifeste(m.texte) == m


texte_libre = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
dates = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@settings(max_examples=100)
@given(
    campagne=texte_libre,
    scrutin=st.from_regex(r"[A-Za-z0-9_-]{1,64}", fullmatch=True),
    intitule=texte_libre,
    listes=st.lists(texte_libre, max_size=10),
    origine=st.sampled_from(["developpement", "ceremonie"]),
    ouverture=dates,
    cloture=dates,
    decalage=st.integers(min_value=-23 * 60, max_value=23 * 60),
)
def test_manifeste_aller_retour(
    campagne: str,
    scrutin: str,
    intitule: str,
    listes: list[str],
    origine: str,
    ouverture: datetime,
    cloture: datetime,
    decalage: int,
) -> None:
    fuseau = timezone(timedelta(minutes=decalage))
    m = manifeste(
        campagne=campagne,
        scrutin=scrutin,
        intitule=intitule,
        choix=[VOTE_BLANC, *listes],
        cle_publique=CLE_PUBLIQUE,
        origine_cle=origine,
        ouverture=ouverture.astimezone(fuseau),
        cloture=cloture,
    )
    assert lire_manifeste(m.texte) == m
    contenu = json.loads(m.texte)
    assert contenu["campagne"] == campagne and contenu["intitule"] == intitule
    assert contenu["choix"] == [VOTE_BLANC, *listes]
    assert contenu["ouverture"] == ouverture.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert m.texte.isascii() == all(s.isascii() for s in [campagne, intitule, *listes])


def test_manifeste_refuse() -> None:
    parametres: dict[str, Any] = {
        "campagne": "ep2026",
        "scrutin": "csa-men",
        "intitule": "CSA",
        "choix": [VOTE_BLANC, "FSU"],
        "cle_publique": CLE_PUBLIQUE,
        "origine_cle": "developpement",
        "ouverture": datetime(2026, 12, 1, tzinfo=UTC),
        "cloture": datetime(2026, 12, 8, tzinfo=UTC),
    }
    manifeste(**parametres)
    for cle, valeur in [
        ("choix", ["FSU", VOTE_BLANC]),
        ("choix", []),
        ("choix", [VOTE_BLANC, ""]),
        ("choix", "Vote blanc"),
        ("scrutin", "csa men"),
        ("scrutin", "csa-mén"),
        ("scrutin", ""),
        ("campagne", ""),
        ("cle_publique", NEUTRE),
        ("cle_publique", b"\x01" + bytes(31)),
        ("origine_cle", "production"),
        ("ouverture", datetime(2026, 12, 1)),
    ]:
        with pytest.raises(ManifesteInvalide):
            manifeste(**{**parametres, cle: valeur})


def test_lire_manifeste_strict() -> None:
    texte = MANIFESTE.texte
    contenu = json.loads(texte)
    variantes = [
        "pas du JSON",
        json.dumps(contenu, ensure_ascii=False, indent=1),  # not canonical
        json.dumps(contenu, ensure_ascii=True, sort_keys=True, separators=(",", ":")),
        json_canonique({**contenu, "version": 2}, ascii=False),
        json_canonique({**contenu, "version": True}, ascii=False),
        json_canonique({**contenu, "electeur": "x"}, ascii=False),
        json_canonique({k: v for k, v in contenu.items() if k != "intitule"}, ascii=False),
        json_canonique({**contenu, "cloture": "2026-12-08T16:00:00+00:00"}, ascii=False),
        json_canonique({**contenu, "cloture": "2026-02-30T16:00:00Z"}, ascii=False),
        json_canonique({**contenu, "cle_publique": contenu["cle_publique"].upper()}, ascii=False),
        json_canonique({**contenu, "cle_publique": "00" * 32}, ascii=False),
        json_canonique({**contenu, "choix": contenu["choix"][1:]}, ascii=False),
        "[]",
    ]
    assert json.dumps(contenu, ensure_ascii=True, sort_keys=True) != texte
    for variante in variantes:
        with pytest.raises(ManifesteInvalide):
            lire_manifeste(variante)


# --- Ballot creation and reading ---------------------------------------------------------


def test_bulletin_canonique_et_traceur() -> None:
    assert BULLETIN.isascii()
    assert json_canonique(json.loads(BULLETIN), ascii=True) == BULLETIN
    contenu = json.loads(BULLETIN)
    assert contenu["version"] == 1 and contenu["scrutin"] == "csa-men"
    assert contenu["election"] == MANIFESTE.empreinte_hex
    assert len(contenu["choix"]) == 7
    lu = verifier_bulletin(BULLETIN, MANIFESTE)
    assert lu.canonique == BULLETIN
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", lu.traceur)
    assert lu.traceur == traceur(BULLETIN)
    assert lu.alpha0.hex() == contenu["choix"][0]["alpha"]
    assert [c.alpha.hex() for c in lu.chiffres] == [c["alpha"] for c in contenu["choix"]]
    assert [dechiffrer(CLE_PRIVEE, c, 1) for c in lu.chiffres] == [0, 0, 0, 1, 0, 0, 0]
    assert verifier_bulletin(BULLETIN.encode(), MANIFESTE) == lu


def test_meme_graine_meme_bulletin_autre_graine_autre_bulletin() -> None:
    assert creer_bulletin(MANIFESTE, 3, AleaDeterministe(b"test_bulletin")) == BULLETIN
    assert creer_bulletin(MANIFESTE, 3, AleaDeterministe(b"autre")) != BULLETIN


def test_ordre_des_tirages() -> None:
    """§ 5: r₀ … r_{k−1}, then (wⱼ, c̄ⱼ, s̄ⱼ) per choice, then w; 4k + 1 draws in all."""
    alea = AleaDeterministe(b"ordre")
    contenu = json.loads(creer_bulletin(MANIFESTE, 2, alea))
    assert alea.tirages == 4 * 7 + 1
    suite = AleaDeterministe(b"ordre")
    tirages = [suite.scalaire() for _ in range(4 * 7 + 1)]
    assert [c["alpha"] for c in contenu["choix"]] == [base(r).hex() for r in tirages[:7]]
    # Choice 0 holds 0: its simulated branch is 1, so (c1, s1) = (c̄₀, s̄₀), draws k+1, k+2.
    preuve0 = contenu["choix"][0]["preuve"]
    assert (preuve0["c1"], preuve0["s1"]) == (tirages[8].hex(), tirages[9].hex())
    # Choice 2 holds 1: its simulated branch is 0, (c0, s0) = (c̄₂, s̄₂), draws k+7, k+8.
    preuve2 = contenu["choix"][2]["preuve"]
    assert (preuve2["c0"], preuve2["s0"]) == (tirages[14].hex(), tirages[15].hex())


def test_choix_hors_bornes() -> None:
    for choix in (-1, 7, True):
        with pytest.raises(ValueError):
            creer_bulletin(MANIFESTE, choix, AleaSysteme())
    with pytest.raises(ValueError):
        construire_bulletin(MANIFESTE, [0, 0, 2, 0, 0, 0, 0], AleaSysteme())
    with pytest.raises(ValueError):
        construire_bulletin(MANIFESTE, [1], AleaSysteme())


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10), st.data(), graines)
def test_bulletin_valide_pour_tout_choix(listes: int, data: st.DataObject, graine: bytes) -> None:
    m = un_manifeste(listes)
    choix = data.draw(st.integers(min_value=0, max_value=listes))
    texte = creer_bulletin(m, choix, AleaDeterministe(graine))
    lu = verifier_bulletin(texte, m)
    assert lu.canonique == texte
    attendu = [1 if j == choix else 0 for j in range(listes + 1)]
    assert [dechiffrer(CLE_PRIVEE, c, 1) for c in lu.chiffres] == attendu


def test_bulletin_systeme_valide() -> None:
    for choix in range(7):
        verifier_bulletin(creer_bulletin(MANIFESTE, choix, AleaSysteme()), MANIFESTE)


ELEMENTS = ["alpha", "beta", "c0", "c1", "s0", "s1", "c", "s", "election", "scrutin"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    listes=st.integers(min_value=0, max_value=10),
    data=st.data(),
    graine=graines,
    element=st.sampled_from(ELEMENTS),
)
def test_toute_alteration_est_refusee(
    listes: int, data: st.DataObject, graine: bytes, element: str
) -> None:
    m = un_manifeste(listes)
    k = listes + 1
    choix = data.draw(st.integers(min_value=0, max_value=listes), label="choix")
    texte = creer_bulletin(m, choix, AleaDeterministe(graine))
    contenu = json.loads(texte)
    j = data.draw(st.integers(min_value=0, max_value=k - 1), label="j")
    # Each element, its place, a valid replacement, and the first check it breaks.
    chemin: list[str | int]
    if element in ("alpha", "beta"):
        # S changes: the first 0/1 proof no longer holds.
        chemin, valeur, attendu = ["choix", j, element], data.draw(points).hex(), "preuve_choix"
    elif element in ("c0", "c1", "s0", "s1"):
        chemin, attendu = ["choix", j, "preuve", element], "preuve_choix"
        valeur = data.draw(scalaires).hex()
    elif element in ("c", "s"):
        chemin, valeur = ["preuve_somme", element], data.draw(scalaires).hex()
        attendu = "preuve_somme"
    elif element == "election":
        chemin, attendu = ["election"], "election"
        valeur = data.draw(st.binary(min_size=32, max_size=32)).hex()
    else:
        chemin, attendu = ["scrutin"], "scrutin"
        valeur = data.draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True))
    cible: Any = contenu
    for pas in chemin[:-1]:
        cible = cible[pas]
    assume(cible[chemin[-1]] != valeur)
    cible[chemin[-1]] = valeur
    assert _refus(json_canonique(contenu, ascii=True), m) == attendu


def test_deux_bulletins_du_meme_choix_n_ont_aucun_champ_commun() -> None:
    """Nothing in a ballot comes from the voter; two ballots for the same choice share
    only what comes from the manifest."""

    def feuilles(valeur: object) -> set[str]:
        if isinstance(valeur, dict):
            return set().union(*(feuilles(v) for v in valeur.values()))
        if isinstance(valeur, list):
            return set().union(*(feuilles(v) for v in valeur))
        return {str(valeur)}

    a = json.loads(creer_bulletin(MANIFESTE, 2, AleaSysteme()))
    b = json.loads(creer_bulletin(MANIFESTE, 2, AleaSysteme()))
    commun = {"version", "scrutin", "election"}
    assert set(a) == set(b) == {"choix", "preuve_somme", *commun}
    for cle in commun:
        assert a.pop(cle) == b.pop(cle)
    assert feuilles(a).isdisjoint(feuilles(b))
    assert len(feuilles(a)) == 7 * 6 + 2


def test_deux_choix_faits_refuses_par_la_preuve_de_somme() -> None:
    # Honest 0/1 proofs, two 1s: only the sum proof stands in the way.
    for valeurs in ([0, 1, 1, 0, 0, 0, 0], [0] * 7, [1] * 7):
        texte = construire_bulletin(MANIFESTE, valeurs, AleaSysteme())
        assert _refus(texte) == "preuve_somme"


def test_codes_dans_l_ordre() -> None:
    autre = un_manifeste(6, scrutin="ctc")
    # Another scrutin also changes E: the scrutin is checked first.
    assert _refus(BULLETIN, autre) == "scrutin"
    assert _refus(BULLETIN, un_manifeste(5)) == "election"
    # A wrong count and a bad point: the count comes first.
    contenu = json.loads(BULLETIN)
    contenu["choix"] = contenu["choix"][:3]
    contenu["choix"][0]["alpha"] = NEUTRE.hex()
    assert _refus(json_canonique(contenu, ascii=True)) == "nombre_de_choix"
    # A bad point and a bad scalar: the point comes first, even on a later choice.
    contenu = json.loads(BULLETIN)
    contenu["choix"][0]["preuve"]["s0"] = "ff" * 32
    contenu["choix"][6]["beta"] = NEUTRE.hex()
    assert _refus(json_canonique(contenu, ascii=True)) == "point"
    # A bad scalar and a false proof: the scalar first.
    contenu = json.loads(BULLETIN)
    contenu["choix"][0]["preuve"]["s0"] = B.hex()
    contenu["preuve_somme"]["s"] = "ff" * 32
    assert _refus(json_canonique(contenu, ascii=True)) == "scalaire"


def test_ecritures_non_canoniques_acceptees_et_reecrites() -> None:
    contenu = json.loads(BULLETIN)
    for texte in (
        json.dumps(contenu, indent=4),
        "\n " + BULLETIN + "\r\n",
        json.dumps(dict(reversed(list(contenu.items())))),
    ):
        assert verifier_bulletin(texte, MANIFESTE).canonique == BULLETIN


@pytest.mark.parametrize(
    "texte",
    [
        "",
        " ",
        "null",
        "1",
        '"bulletin"',
        "[]",
        "{}",
        "\ufeff" + BULLETIN,
        BULLETIN.replace('"version":1}', '"version":1.0}'),
        BULLETIN.replace('"version":1}', '"version":NaN}'),
        BULLETIN.replace('"version":1}', '"version":Infinity}'),
        BULLETIN.replace('"version":1}', '"version":1e400}'),
        BULLETIN.replace('"version":1}', '"version":' + "9" * 5000 + "}"),
        BULLETIN[:-1] + ',"version":1}',
        BULLETIN[:-1],
        BULLETIN + "x",
        BULLETIN.replace('"choix"', '"choix\\u0000"', 1),
        "[" * 100_000 + "]" * 100_000,
        "[" * 20_000,
        '{"a":' * 10_000 + "1" + "}" * 10_000,
        BULLETIN + " " * TAILLE_MAXIMALE,
    ],
)
def test_non_bulletins_refuses_en_format(texte: str) -> None:
    assert _refus(texte) == "format"


def test_octets_non_utf8_et_trop_longs() -> None:
    assert _refus(b"\xff\xfe" + BULLETIN.encode()) == "format"
    assert _refus(BULLETIN.encode() + b" " * TAILLE_MAXIMALE) == "format"
    assert _refus("\ud800") == "format"
    assert _refus(None) == "format"  # type: ignore[arg-type]


valeurs_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=70),
    lambda enfants: (
        st.lists(enfants, max_size=4) | st.dictionaries(st.text(max_size=8), enfants, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(st.one_of(st.text(), st.binary(), valeurs_json.map(json.dumps)))
def test_entrees_quelconques_toujours_bulletin_invalide(texte: str | bytes) -> None:
    _refus(texte)


hexa = st.one_of(
    points.map(bytes.hex),
    scalaires.map(bytes.hex),
    st.sampled_from([NEUTRE.hex(), "ff" * 32, B.hex(), MANIFESTE.empreinte_hex, "00" * 31 + "01"]),
    st.binary(min_size=32, max_size=32).map(bytes.hex),
    st.text(max_size=66),
)
preuves_01 = st.fixed_dictionaries({"c0": hexa, "c1": hexa, "s0": hexa, "s1": hexa})
faux_bulletins = st.fixed_dictionaries(
    {
        "choix": st.lists(
            st.fixed_dictionaries({"alpha": hexa, "beta": hexa, "preuve": preuves_01}),
            min_size=6,
            max_size=8,
        ),
        "election": st.sampled_from([MANIFESTE.empreinte_hex, "00" * 32]),
        "preuve_somme": st.fixed_dictionaries({"c": hexa, "s": hexa}),
        "scrutin": st.sampled_from(["csa-men", "autre"]),
        "version": st.sampled_from([1, 1, 1, 2, "1"]),
    }
)


@settings(max_examples=150, deadline=None)
@given(faux_bulletins)
def test_faux_bulletins_bien_formes_refuses(contenu: dict[str, Any]) -> None:
    _refus(json.dumps(contenu))


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_bulletin_corrompu_au_hasard(data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=len(BULLETIN) - 1))
    longueur = data.draw(st.integers(min_value=0, max_value=5))
    insertion = data.draw(st.text(max_size=5))
    texte = BULLETIN[:position] + insertion + BULLETIN[position + longueur :]
    try:
        lu = verifier_bulletin(texte, MANIFESTE)
    except BulletinInvalide:
        return
    # Accepted only if the corruption was whitespace or a no-op.
    assert lu.canonique == BULLETIN


def test_bulletin_invalide_code_connu() -> None:
    erreur = BulletinInvalide("point", "alpha is the identity")
    assert isinstance(erreur, ValueError)
    assert (erreur.code, str(erreur)) == ("point", "alpha is the identity")
    with pytest.raises(ValueError):
        BulletinInvalide("autre", "")
