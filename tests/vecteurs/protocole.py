"""The test vectors of protocol v1 (§ 9), shared by the Python server and the JavaScript
booth: ``tests/vecteurs/protocole-v1.json``.

    python -m tests.vecteurs.protocole [PATH]

Everything is drawn from seeds (:class:`~isoloir.crypto.groupe.AleaDeterministe`), so the
file is the same at every run; the test regenerates it in memory and compares. Each vector
holds what another implementation needs to recompute it (seeds in hex, manifest texts,
expected outputs), never a reference to another vector.
"""

import copy
import json
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from isoloir.crypto import elgamal, tableau
from isoloir.crypto.bulletin import (
    CODES,
    BulletinInvalide,
    Manifeste,
    PreuveChoix,
    construire_bulletin,
    creer_bulletin,
    defi_choix,
    ecrire_bulletin,
    enonce,
    json_canonique,
    manifeste,
    prouver_choix,
    prouver_somme,
    tirer,
    traceur,
    verifier_bulletin,
)
from isoloir.crypto.cles import generer_cle
from isoloir.crypto.groupe import (
    ETIQUETTE_ALEA,
    NEUTRE,
    AleaDeterministe,
    B,
    L,
    base,
    encoder_partie,
    hacher_en_scalaire,
    message_hache,
    mul,
    scalaire_add,
    scalaire_de_entier,
    scalaire_mul,
)
from tests.vecteurs.communs import REPERTOIRE, FichierDeVecteurs, bit_255

CHEMIN_PAR_DEFAUT = REPERTOIRE / "protocole-v1.json"

DESCRIPTION = (
    "Vecteurs de test du protocole de vote d'Isoloir, version 1 (docs/protocol.md § 9). "
    "Produits par `python -m tests.vecteurs.protocole` ; ne pas modifier à la main. "
    "Octets en hexadécimal minuscule ; graines : octets de l'aléa déterministe (§ 2). "
    "`refus` : lecture stricte d'un bulletin altéré (un élément à la fois) contre le "
    "manifeste donné → code du § 5.4, les contrôles se faisant dans l'ordre format, scrutin, "
    "election, nombre_de_choix, point, scalaire, preuve_choix (choix par choix), "
    "preuve_somme. `refus_json` : mêmes règles, mais sur des détails lexicaux que "
    "JSON.parse ne laisse pas voir (clé en double, 1.0, NaN). `acceptes` : écritures non "
    "canoniques d'un bulletin valide → forme canonique réécrite."
)


def _graine(texte: str) -> bytes:
    return f"isoloir/vecteurs/{texte}".encode()


def _partie(partie: bytes | str | int) -> dict[str, Any]:
    if isinstance(partie, bytes):
        return {"type": "octets", "hex": partie.hex()}
    if isinstance(partie, str):
        return {"type": "texte", "valeur": partie, "hex": encoder_partie(partie).hex()}
    return {"type": "entier", "valeur": partie, "hex": encoder_partie(partie).hex()}


def _hachages() -> list[dict[str, Any]]:
    cas: list[tuple[str, tuple[bytes | str | int, ...]]] = [
        ("isoloir/v1/essai", ()),
        ("isoloir/v1/essai", (b"",)),
        ("isoloir/v1/essai", ("",)),
        (ETIQUETTE_ALEA, (_graine("alea/0"), 0)),
        ("isoloir/v1/essai", ("Force Ouvrière", 7, 2**32 - 1, bytes(range(200)))),
        ("isoloir/v1/essai", (B, "csa-men", 256)),
    ]
    return [
        {
            "etiquette": etiquette,
            "parties": [_partie(p) for p in parties],
            "message": message_hache(etiquette, *parties).hex(),
            "scalaire": hacher_en_scalaire(etiquette, *parties).hex(),
        }
        for etiquette, parties in cas
    ]


def _aleas() -> list[dict[str, Any]]:
    vecteurs = []
    for graine in (b"", _graine("alea/0"), _graine("alea/1")):
        alea = AleaDeterministe(graine)
        vecteurs.append(
            {"graine": graine.hex(), "scalaires": [alea.scalaire().hex() for _ in range(3)]}
        )
    return vecteurs


_CLES = {
    "csa-men": _graine("cle/csa-men"),
    "csa-lyon": _graine("cle/csa-lyon"),
}


def _cle(nom: str) -> tuple[bytes, bytes]:
    return generer_cle(AleaDeterministe(_CLES[nom]))


def _vecteurs_cle() -> list[dict[str, Any]]:
    vecteurs = []
    for graine in _CLES.values():
        x, y = generer_cle(AleaDeterministe(graine))
        vecteurs.append({"graine": graine.hex(), "x": x.hex(), "Y": y.hex()})
    return vecteurs


# Datetimes as given to manifeste(): one with an offset, to pin the conversion to UTC.
_PARAMETRES: dict[str, dict[str, Any]] = {
    "csa-men": {
        "campagne": "ep2026",
        "scrutin": "csa-men",
        "intitule": "CSA ministériel de l'Éducation nationale",
        "choix": ["Vote blanc", "CFDT-UNSA", "Force Ouvrière"],
        "origine_cle": "developpement",
        "ouverture": "2026-12-01T09:00:00+01:00",
        "cloture": "2026-12-08T16:00:00+00:00",
        "cle": "csa-men",
    },
    # The same scrutin with its closing moved: another E, same scrutin identifier.
    "csa-men-prolonge": {
        "campagne": "ep2026",
        "scrutin": "csa-men",
        "intitule": "CSA ministériel de l'Éducation nationale",
        "choix": ["Vote blanc", "CFDT-UNSA", "Force Ouvrière"],
        "origine_cle": "developpement",
        "ouverture": "2026-12-01T09:00:00+01:00",
        "cloture": "2026-12-08T17:00:00+00:00",
        "cle": "csa-men",
    },
    "csa-lyon": {
        "campagne": "ep2026",
        "scrutin": "csa-academique-lyon",
        "intitule": "CSA académique — académie de Lyon",
        "choix": [
            "Vote blanc",
            "FSU",
            "UNSA Éducation",
            "SGEN-CFDT",
            "SNALC",
            "Force Ouvrière",
            "SUD Éducation",
        ],
        "origine_cle": "ceremonie",
        "ouverture": "2026-12-01T08:00:00+00:00",
        "cloture": "2026-12-08T17:30:00+01:00",
        "cle": "csa-lyon",
    },
}


def _manifeste(nom: str) -> Manifeste:
    p = _PARAMETRES[nom]
    return manifeste(
        campagne=p["campagne"],
        scrutin=p["scrutin"],
        intitule=p["intitule"],
        choix=p["choix"],
        cle_publique=_cle(p["cle"])[1],
        origine_cle=p["origine_cle"],
        ouverture=datetime.fromisoformat(p["ouverture"]),
        cloture=datetime.fromisoformat(p["cloture"]),
    )


def _vecteurs_manifeste() -> list[dict[str, Any]]:
    vecteurs = []
    for nom, p in _PARAMETRES.items():
        m = _manifeste(nom)
        parametres = {cle: valeur for cle, valeur in p.items() if cle != "cle"}
        parametres["cle_publique"] = m.cle_publique.hex()
        vecteurs.append(
            {"nom": nom, "parametres": parametres, "texte": m.texte, "empreinte": m.empreinte_hex}
        )
    return vecteurs


def _vecteurs_chiffrement() -> list[dict[str, Any]]:
    x, y = _cle("csa-men")
    alea = AleaDeterministe(_graine("chiffrement"))
    vecteurs = []
    for m in (0, 1, 2, 1000):
        r = alea.scalaire()
        chiffre = elgamal.chiffrer(y, m, r)
        assert elgamal.dechiffrer(x, chiffre, 1000) == m
        vecteurs.append(
            {
                "Y": y.hex(),
                "x": x.hex(),
                "m": m,
                "r": r.hex(),
                "alpha": chiffre.alpha.hex(),
                "beta": chiffre.beta.hex(),
            }
        )
    return vecteurs


def _bulletin(nom: str, choix: int, graine: bytes) -> dict[str, Any]:
    m = _manifeste(nom)
    texte = creer_bulletin(m, choix, AleaDeterministe(graine))
    return {
        "manifeste": m.texte,
        "choix": choix,
        "graine": graine.hex(),
        "bulletin": texte,
        "traceur": traceur(texte),
    }


def _vecteurs_bulletin() -> list[dict[str, Any]]:
    vecteurs = [_bulletin("csa-men", j, _graine(f"bulletin/csa-men/{j}")) for j in range(3)]
    vecteurs += [_bulletin("csa-lyon", j, _graine(f"bulletin/csa-lyon/{j}")) for j in (0, 3, 6)]
    return vecteurs


# --- Refusals -----------------------------------------------------------------------------


def _alterer(texte: str, alteration: Callable[[dict[str, Any]], None]) -> str:
    contenu = json.loads(texte)
    alteration(contenu)
    return json_canonique(contenu, ascii=True)


def _plus_l(hex_scalaire: str) -> str:
    """The same scalar, not reduced: s + ℓ still fits in 32 bytes since s < ℓ < 2²⁵³."""
    return (int.from_bytes(bytes.fromhex(hex_scalaire), "little") + L).to_bytes(32, "little").hex()


def _plus_un(hex_scalaire: str) -> str:
    s = bytes.fromhex(hex_scalaire)
    return scalaire_add(s, scalaire_de_entier(1)).hex()


def _bulletin_defi_nul(m: Manifeste, choix: int, graine: bytes) -> str:
    """A ballot whose first 0/1 proof simulates its false branch with c̄ = 0: the proof
    is mathematically sound, but checking it needs 0·α, which libsodium refuses to
    compute. Protocol v1 refuses it (`preuve_choix`): a verifier must not work around the
    refusal, or two implementations would disagree on the same ballot."""
    k = len(m.choix)
    valeurs = [1 if j == choix else 0 for j in range(k)]
    aleas, tirages, w_somme = tirer(k, AleaDeterministe(graine))
    y = m.cle_publique
    chiffres = [elgamal.chiffrer(y, v, r) for v, r in zip(valeurs, aleas, strict=True)]
    s = enonce(chiffres)
    preuves = [
        prouver_choix(m, s, j, chiffres[j], valeurs[j], aleas[j], tirages[j]) for j in range(k)
    ]
    # Choice 0 holds 0 (choix ≠ 0): real branch 0, simulated branch 1 with c̄ = 0, so
    # A₁ = s̄·B and C₁ = s̄·Y.
    assert valeurs[0] == 0
    w, _, s_barre = tirages[0]
    engagements = (base(w), mul(w, y), base(s_barre), mul(s_barre, y))
    c = defi_choix(m, s, 0, chiffres[0], engagements)
    preuves[0] = PreuveChoix(
        c0=c, c1=bytes(32), s0=scalaire_add(w, scalaire_mul(c, aleas[0])), s1=s_barre
    )
    r_total = aleas[0]
    for r in aleas[1:]:
        r_total = scalaire_add(r_total, r)
    return ecrire_bulletin(m, chiffres, preuves, prouver_somme(m, s, r_total, w_somme))


def _bit_255(encodage: str) -> str:
    return bit_255(bytes.fromhex(encodage)).hex()


def _vecteurs_refus() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    men = _manifeste("csa-men")
    prolonge = _manifeste("csa-men-prolonge")
    lyon = _manifeste("csa-lyon")
    valide = creer_bulletin(men, 1, AleaDeterministe(_graine("refus/csa-men")))
    autre = creer_bulletin(men, 2, AleaDeterministe(_graine("refus/csa-men/autre")))
    valide_lyon = creer_bulletin(lyon, 5, AleaDeterministe(_graine("refus/csa-lyon")))
    autre_contenu = json.loads(autre)

    def supprimer(chemin: Sequence[str | int]) -> Callable[[dict[str, Any]], None]:
        def faire(contenu: dict[str, Any]) -> None:
            cible: Any = contenu
            for pas in chemin[:-1]:
                cible = cible[pas]
            del cible[chemin[-1]]

        return faire

    def poser(chemin: Sequence[str | int], valeur: Any) -> Callable[[dict[str, Any]], None]:
        def faire(contenu: dict[str, Any]) -> None:
            cible: Any = contenu
            for pas in chemin[:-1]:
                cible = cible[pas]
            cible[chemin[-1]] = valeur(cible[chemin[-1]]) if callable(valeur) else valeur

        return faire

    def echanger_choix(contenu: dict[str, Any]) -> None:
        contenu["choix"][0], contenu["choix"][1] = contenu["choix"][1], contenu["choix"][0]

    def echanger_defis(contenu: dict[str, Any]) -> None:
        preuve = contenu["choix"][1]["preuve"]
        preuve["c0"], preuve["c1"] = preuve["c1"], preuve["c0"]

    def ajouter_choix(contenu: dict[str, Any]) -> None:
        contenu["choix"].append(copy.deepcopy(contenu["choix"][0]))

    point_invalide = "01" + "00" * 31  # odd field element: no ristretto255 encoding
    cas: list[tuple[str, Manifeste, str, str]] = [
        ("pas-du-json", men, "ceci n'est pas un bulletin", "format"),
        ("texte-vide", men, "", "format"),
        ("tableau", men, "[]", "format"),
        ("version-2", men, _alterer(valide, poser(["version"], 2)), "format"),
        ("version-chaine", men, _alterer(valide, poser(["version"], "1")), "format"),
        ("version-booleen", men, _alterer(valide, poser(["version"], True)), "format"),
        ("version-absente", men, _alterer(valide, supprimer(["version"])), "format"),
        ("cle-en-trop", men, _alterer(valide, poser(["electeur"], "dupont")), "format"),
        ("cle-manquante", men, _alterer(valide, supprimer(["preuve_somme"])), "format"),
        (
            "cle-en-trop-preuve",
            men,
            _alterer(valide, poser(["choix", 0, "preuve", "c2"], "00" * 32)),
            "format",
        ),
        ("beta-manquant", men, _alterer(valide, supprimer(["choix", 1, "beta"])), "format"),
        ("s-manquant", men, _alterer(valide, supprimer(["preuve_somme", "s"])), "format"),
        (
            "hex-majuscule",
            men,
            _alterer(valide, poser(["choix", 0, "alpha"], str.upper)),
            "format",
        ),
        (
            "hex-court",
            men,
            _alterer(valide, poser(["choix", 2, "preuve", "s0"], lambda h: h[:62])),
            "format",
        ),
        (
            "hex-invalide",
            men,
            _alterer(valide, poser(["election"], lambda h: "g" + h[1:])),
            "format",
        ),
        ("choix-objet", men, _alterer(valide, poser(["choix"], {})), "format"),
        ("scrutin-nombre", men, _alterer(valide, poser(["scrutin"], 7)), "format"),
        ("election-null", men, _alterer(valide, poser(["election"], None)), "format"),
        ("preuve-somme-liste", men, _alterer(valide, poser(["preuve_somme"], [])), "format"),
        ("autre-scrutin", lyon, valide, "scrutin"),
        ("scrutin-modifie", men, _alterer(valide, poser(["scrutin"], "csa-mem")), "scrutin"),
        ("manifeste-modifie", prolonge, valide, "election"),
        (
            "empreinte-modifiee",
            men,
            _alterer(
                valide, poser(["election"], lambda h: h[:-1] + ("0" if h[-1] != "0" else "1"))
            ),
            "election",
        ),
        ("choix-retire", men, _alterer(valide, supprimer(["choix", 2])), "nombre_de_choix"),
        ("choix-ajoute", men, _alterer(valide, ajouter_choix), "nombre_de_choix"),
        ("choix-vide", men, _alterer(valide, poser(["choix"], [])), "nombre_de_choix"),
        (
            "alpha-neutre",
            men,
            _alterer(valide, poser(["choix", 0, "alpha"], NEUTRE.hex())),
            "point",
        ),
        ("beta-neutre", men, _alterer(valide, poser(["choix", 2, "beta"], NEUTRE.hex())), "point"),
        (
            "alpha-hors-groupe",
            men,
            _alterer(valide, poser(["choix", 1, "alpha"], point_invalide)),
            "point",
        ),
        (
            "beta-non-canonique",
            men,
            _alterer(valide, poser(["choix", 1, "beta"], "ff" * 32)),
            "point",
        ),
        (
            # The same point with bit 255 set: RFC 9496 and libsodium 1.0.22 refuse it,
            # Debian's libsodium 1.0.18 decodes it (protocol § 1).
            "alpha-bit-255",
            men,
            _alterer(valide, poser(["choix", 1, "alpha"], _bit_255)),
            "point",
        ),
        (
            "s0-non-reduit",
            men,
            _alterer(valide, poser(["choix", 1, "preuve", "s0"], _plus_l)),
            "scalaire",
        ),
        ("c-non-reduit", men, _alterer(valide, poser(["preuve_somme", "c"], _plus_l)), "scalaire"),
        (
            "c1-maximal",
            men,
            _alterer(valide, poser(["choix", 0, "preuve", "c1"], "ff" * 32)),
            "scalaire",
        ),
        (
            "s0-modifie",
            men,
            _alterer(valide, poser(["choix", 1, "preuve", "s0"], _plus_un)),
            "preuve_choix",
        ),
        (
            "c0-modifie",
            men,
            _alterer(valide, poser(["choix", 2, "preuve", "c0"], _plus_un)),
            "preuve_choix",
        ),
        ("defis-echanges", men, _alterer(valide, echanger_defis), "preuve_choix"),
        ("chiffres-echanges", men, _alterer(valide, echanger_choix), "preuve_choix"),
        (
            "alpha-remplace",
            men,
            _alterer(valide, poser(["choix", 0, "alpha"], B.hex())),
            "preuve_choix",
        ),
        (
            "beta-egal-b",
            men,
            _alterer(valide, poser(["choix", 1, "beta"], B.hex())),
            "preuve_choix",
        ),
        (
            "preuve-d-un-autre-bulletin",
            men,
            _alterer(valide, poser(["choix", 0, "preuve"], autre_contenu["choix"][0]["preuve"])),
            "preuve_choix",
        ),
        (
            "chiffre-d-un-autre-bulletin",
            men,
            _alterer(valide, poser(["choix", 0], autre_contenu["choix"][0])),
            "preuve_choix",
        ),
        (
            "defi-nul",
            men,
            _bulletin_defi_nul(men, 1, _graine("refus/csa-men/defi-nul")),
            "preuve_choix",
        ),
        (
            "deux-choix",
            men,
            construire_bulletin(men, [0, 1, 1], AleaDeterministe(_graine("refus/deux-choix"))),
            "preuve_somme",
        ),
        (
            "aucun-choix",
            men,
            construire_bulletin(men, [0, 0, 0], AleaDeterministe(_graine("refus/aucun-choix"))),
            "preuve_somme",
        ),
        (
            "tous-les-choix-7",
            lyon,
            construire_bulletin(lyon, [1] * 7, AleaDeterministe(_graine("refus/tous"))),
            "preuve_somme",
        ),
        (
            "s-somme-modifie",
            men,
            _alterer(valide, poser(["preuve_somme", "s"], _plus_un)),
            "preuve_somme",
        ),
        (
            "preuve-somme-d-un-autre-bulletin",
            men,
            _alterer(valide, poser(["preuve_somme"], autre_contenu["preuve_somme"])),
            "preuve_somme",
        ),
        (
            "s1-modifie-7",
            lyon,
            _alterer(valide_lyon, poser(["choix", 6, "preuve", "s1"], _plus_un)),
            "preuve_choix",
        ),
    ]
    # Lexical details JSON.parse hides; a strict reader must still refuse them.
    corps = valide[1:-1]
    cas_json: list[tuple[str, Manifeste, str, str]] = [
        ("cle-en-double", men, "{" + corps + ',"version":1}', "format"),
        ("version-flottante", men, valide.replace('"version":1}', '"version":1.0}'), "format"),
        ("version-nan", men, valide.replace('"version":1}', '"version":NaN}'), "format"),
        ("virgule-finale", men, valide[:-1] + ",}", "format"),
    ]

    def vecteur(nom: str, m: Manifeste, texte: str, code: str) -> dict[str, Any]:
        # The generator checks its own claims: a vector that lies is worse than none.
        try:
            verifier_bulletin(texte, m)
        except BulletinInvalide as erreur:
            assert erreur.code == code, (nom, erreur.code, code)
        else:
            raise AssertionError(f"refusal vector {nom} is accepted")
        return {"nom": nom, "manifeste": m.texte, "bulletin": texte, "code": code}

    refus = [vecteur(*c) for c in cas]
    assert {c[3] for c in cas} == set(CODES)
    return refus, [vecteur(*c) for c in cas_json]


def _vecteurs_acceptes() -> list[dict[str, Any]]:
    men = _manifeste("csa-men")
    valide = creer_bulletin(men, 0, AleaDeterministe(_graine("acceptes/csa-men")))
    contenu = json.loads(valide)
    ecritures = [
        json.dumps(contenu, indent=2),
        json.dumps(contenu, separators=(", ", ": ")),
        # Keys in reverse order at the top level, an escaped character in the scrutin.
        "{"
        + ",".join(
            json.dumps(k) + ":" + json.dumps(contenu[k], separators=(",", ":"))
            for k in sorted(contenu, reverse=True)
        ).replace('"csa-men"', '"\\u0063sa-men"')
        + "}\n",
    ]
    vecteurs = []
    for texte in ecritures:
        lu = verifier_bulletin(texte, men)
        assert lu.canonique == valide
        vecteurs.append(
            {"manifeste": men.texte, "bulletin": texte, "canonique": valide, "traceur": lu.traceur}
        )
    return vecteurs


def _vecteurs_somme() -> list[dict[str, Any]]:
    vecteurs = []
    for nom, choix_faits, maximum in (
        ("csa-men", [1, 2, 2, 0, 2], 10),
        ("csa-lyon", [1, 1, 2, 3, 3, 3, 0, 4, 5, 6, 6, 1], 25),
    ):
        m = _manifeste(nom)
        x, _ = _cle(_PARAMETRES[nom]["cle"])
        bulletins = [
            creer_bulletin(m, j, AleaDeterministe(_graine(f"somme/{nom}/{n}")))
            for n, j in enumerate(choix_faits)
        ]
        lus = [verifier_bulletin(b, m) for b in bulletins]
        sommes = [elgamal.somme(lu.chiffres[j] for lu in lus) for j in range(len(m.choix))]
        decompte = [elgamal.dechiffrer(x, s, maximum) for s in sommes]
        assert decompte == [choix_faits.count(j) for j in range(len(m.choix))]
        vecteurs.append(
            {
                "manifeste": m.texte,
                "x": x.hex(),
                "maximum": maximum,
                "bulletins": bulletins,
                "chiffres": [{"alpha": s.alpha.hex(), "beta": s.beta.hex()} for s in sommes],
                "decompte": decompte,
            }
        )
    return vecteurs


def _vecteurs_tableau() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    men = _manifeste("csa-men")
    traceurs = [
        traceur(creer_bulletin(men, n % 3, AleaDeterministe(_graine(f"tableau/{n}"))))
        for n in range(5)
    ]
    etats = [traceurs[:0], traceurs[:3], traceurs]
    tableaux: list[dict[str, Any]] = [
        {
            "scrutin": men.scrutin,
            "traceurs": t,
            "empreinte": tableau.empreinte_tableau(men.scrutin, t),
        }
        for t in etats
    ]
    releves = []
    precedent: str | None = None
    for numero, etat in enumerate(tableaux, start=1):
        valeur = tableau.releve(precedent, numero, etat["empreinte"])
        releves.append(
            {
                "precedent": precedent,
                "numero": numero,
                "empreinte": etat["empreinte"],
                "releve": valeur,
            }
        )
        precedent = valeur
    return tableaux, releves


def generer() -> dict[str, Any]:
    refus, refus_json = _vecteurs_refus()
    tableaux, releves = _vecteurs_tableau()
    return {
        "description": DESCRIPTION,
        "version": 1,
        "hachage": _hachages(),
        "alea": _aleas(),
        "cle": _vecteurs_cle(),
        "manifeste": _vecteurs_manifeste(),
        "chiffrement": _vecteurs_chiffrement(),
        "bulletins": _vecteurs_bulletin(),
        "refus": refus,
        "refus_json": refus_json,
        "acceptes": _vecteurs_acceptes(),
        "somme": _vecteurs_somme(),
        "tableau": tableaux,
        "releves": releves,
    }


_FICHIER = FichierDeVecteurs(generer, CHEMIN_PAR_DEFAUT)
texte = _FICHIER.texte
ecrire = _FICHIER.ecrire
main = _FICHIER.main

if __name__ == "__main__":
    main(sys.argv[1:])
