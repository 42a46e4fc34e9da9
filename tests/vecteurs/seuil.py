"""The test vectors of the threshold protocol (``docs/protocol-seuil.md`` § 11), shared by
the ``seuil`` package and the key holders' browser tool ``isoloir-seuil.js``:
``tests/vecteurs/seuil-v1.json``.

    python -m tests.vecteurs.seuil [PATH]

Everything is drawn from seeds (:class:`~isoloir.crypto.groupe.AleaDeterministe`), so the
file is the same at every run; ``tests/crypto/test_vecteurs_seuil.py`` regenerates it in
memory and compares, then recomputes every vector. Each vector holds what another
implementation needs to recompute it (seeds in hex, the draws, inputs, expected outputs);
the generator checks its own claims as it writes them.
"""

import dataclasses
import hashlib
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from isoloir.crypto import coffre, elgamal
from isoloir.crypto.bulletin import VOTE_BLANC, creer_bulletin, json_canonique, manifeste
from isoloir.crypto.bulletin import verifier_bulletin as lire_bulletin
from isoloir.crypto.elgamal import Chiffre
from isoloir.crypto.groupe import AleaDeterministe, B, add
from isoloir.crypto.seuil import (
    CleSeuil,
    Contexte,
    DechiffrementRefuse,
    Depouillement,
    Distribution,
    FormatInvalide,
    PartChiffree,
    PartDechiffrement,
    PartIndechiffrable,
    PreuveConnaissance,
    PreuveEgalite,
    SignatureScellement,
    Transcription,
    chiffrer_part,
    cle_de_detenteur,
    coefficient_lagrange,
    combiner,
    combiner_facteurs,
    dechiffrer_part,
    dechiffrer_partiellement,
    defi_scellement,
    distribuer,
    empreinte_du_contenu,
    etablir_cle,
    evaluer_polynome,
    generer_cle_communication,
    plainte_fondee,
    porter_plainte,
    recevoir,
    signer_scellement,
    verifier_distribution,
    verifier_part,
    verifier_part_dechiffrement,
    verifier_signature_scellement,
    verifier_transcription,
)
from tests.vecteurs.communs import REPERTOIRE, AleaFixe, FichierDeVecteurs, bit_255, plus_un

CHEMIN_PAR_DEFAUT = REPERTOIRE / "seuil-v1.json"

DESCRIPTION = (
    "Vecteurs de test du protocole à seuil d'Isoloir, version 1 (docs/protocol-seuil.md "
    "§ 11). Produits par `python -m tests.vecteurs.seuil` ; ne pas modifier à la "
    "main. Octets en hexadécimal minuscule ; graines : octets de l'aléa déterministe "
    "(protocol.md § 2). `ceremonies` : clés de communication, distributions (avec tous "
    "leurs tirages, dans l'ordre du § 4, et les parts en clair), une `alteration` "
    "éventuelle (part remplacée avant chiffrement, même éphémère e_j, ou chiffré dont un "
    "octet est inversé), réceptions (graine des plaintes, parts retenues, plaintes, x_j), "
    "plaintes publiées et leur jugement, qualifiés, clé, Y_j, dépouillement de vrais "
    "bulletins (tous les détenteurs déchiffrent ; combinaisons pour plusieurs ensembles S). "
    "`refus` : entrées altérées et issue attendue (valide=false, ou code de refus de la "
    "combinaison : doublon, trop_peu, part_invalide, hors_maximum, vérifiés dans cet ordre). "
    "`coffres` : format du coffre à phrase de passe (§ 13), sel et nonce fixés pour le "
    "vecteur seulement."
)


def _graine(texte: str) -> bytes:
    return f"isoloir/vecteurs/seuil{texte}".encode()


def _alea(prefixe: str, role: str, j: int) -> tuple[bytes, AleaDeterministe]:
    graine = _graine(f"{prefixe}/{role}/{j}")
    return graine, AleaDeterministe(graine)


def _tirages(graine: bytes, nombre: int) -> list[bytes]:
    alea = AleaDeterministe(graine)
    return [alea.scalaire() for _ in range(nombre)]


def _inverser_octet(octets: bytes, position: int) -> bytes:
    return octets[:position] + bytes([octets[position] ^ 1]) + octets[position + 1 :]


def _remplacer_part(d: Distribution, j: int, part: PartChiffree) -> Distribution:
    parts = list(d.parts)
    parts[j - 1] = part
    return dataclasses.replace(d, parts=tuple(parts))


def _chiffres(chiffres: Sequence[Chiffre]) -> list[dict[str, str]]:
    return [{"alpha": c.alpha.hex(), "beta": c.beta.hex()} for c in chiffres]


# --- Ceremonies ---------------------------------------------------------------------------

# name → (t, n, identifier, seed prefix, alterations, extra complaints, choices, ballots, S)
# Alterations: (dealer, recipient, kind), "valeur" = share + 1 encrypted with the same e_j,
# "chiffre" = one byte of the honest ciphertext flipped. Extra complaints: (plaintiff,
# accused, forged) where forged alters the proof's s.
_CEREMONIES: dict[str, dict[str, Any]] = {
    "2-sur-3": {
        "seuil": 2,
        "nombre": 3,
        "identifiant": "ep2026/bureau-csa-men",
        "prefixe": "",
        "alterations": [],
        "plaintes": [],
        "choix": [VOTE_BLANC, "FSU", "UNSA Éducation"],
        "scrutin": "csa-men",
        "bulletins": [1, 2, 1, 0, 1],
        "ensembles": [[1, 2], [1, 3], [2, 3], [1, 2, 3]],
    },
    "3-sur-5": {
        "seuil": 3,
        "nombre": 5,
        "identifiant": "ep2026/bureau-csa-academique-lyon",
        "prefixe": "/3-sur-5",
        "alterations": [(3, 2, "valeur"), (5, 1, "chiffre")],
        "plaintes": [(4, 1, False), (5, 4, True)],
        "choix": [VOTE_BLANC, "FSU", "SNALC", "Force Ouvrière"],
        "scrutin": "csa-academique-lyon",
        "bulletins": [3, 1, 3, 2, 3, 0, 1, 3],
        "ensembles": [[1, 2, 3], [2, 4, 5], [1, 3, 5], [1, 2, 3, 4, 5]],
    },
}


def _alterer(
    contexte: Contexte, d: Distribution, tirages: list[bytes], j: int, nature: str
) -> tuple[Distribution, dict[str, Any]]:
    t = contexte.seuil
    honnete = d.parts[j - 1]
    if nature == "valeur":
        part = plus_un(evaluer_polynome(tirages[:t], j))
        e = tirages[t + 1 + (j - 1)]
        faussee = chiffrer_part(contexte, d.detenteur, j, part, AleaFixe(e))
        assert faussee.ephemere == honnete.ephemere
        return _remplacer_part(d, j, faussee), {
            "destinataire": j,
            "nature": "valeur",
            "part": part.hex(),
        }
    assert nature == "chiffre"
    position = 5
    abimee = dataclasses.replace(honnete, chiffre=_inverser_octet(honnete.chiffre, position))
    return _remplacer_part(d, j, abimee), {
        "destinataire": j,
        "nature": "chiffre",
        "position": position,
    }


def _ceremonie(nom: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The vector of one ceremony, and what the refusal vectors reuse."""
    p = _CEREMONIES[nom]
    t, n, prefixe = p["seuil"], p["nombre"], p["prefixe"]
    communication: list[dict[str, Any]] = []
    privees: list[bytes] = []
    for j in range(1, n + 1):
        graine, alea = _alea(prefixe, "communication", j)
        z, cle_z = generer_cle_communication(alea)
        privees.append(z)
        communication.append(
            {"detenteur": j, "graine": graine.hex(), "z": z.hex(), "Z": cle_z.hex()}
        )
    contexte = Contexte(
        identifiant=p["identifiant"],
        seuil=t,
        cles_communication=tuple(bytes.fromhex(c["Z"]) for c in communication),
    )

    distributions: list[Distribution] = []
    vecteurs_distribution = []
    alterations = {i: (j, nature) for i, j, nature in p["alterations"]}
    for i in range(1, n + 1):
        graine, alea = _alea(prefixe, "distribution", i)
        d = distribuer(contexte, i, alea)
        tirages = _tirages(graine, t + 1 + n)
        assert alea.tirages == len(tirages)
        alteration = None
        if i in alterations:
            d, alteration = _alterer(contexte, d, tirages, *alterations[i])
        assert verifier_distribution(contexte, d)
        distributions.append(d)
        vecteurs_distribution.append(
            {
                "detenteur": i,
                "graine": graine.hex(),
                "tirages": [s.hex() for s in tirages],
                "parts_claires": [evaluer_polynome(tirages[:t], j).hex() for j in range(1, n + 1)],
                "alteration": alteration,
                "distribution": d.vers_dict(),
            }
        )

    receptions = []
    vecteurs_reception = []
    for j in range(1, n + 1):
        graine, alea = _alea(prefixe, "reception", j)
        r = recevoir(contexte, j, privees[j - 1], distributions, alea)
        receptions.append(r)
        vecteurs_reception.append(
            {
                "detenteur": j,
                "graine": graine.hex(),
                "parts": {str(i): s.hex() for i, s in sorted(r.parts.items())},
                "plaintes": [q.vers_dict() for q in r.plaintes],
                "rejetees": list(r.rejetees),
            }
        )
    plaintes = [q for r in receptions for q in r.plaintes]
    assert len(plaintes) == len(p["alterations"])

    supplementaires = []
    for plaignant, accuse, forgee in p["plaintes"]:
        graine, alea = _alea(prefixe, f"plainte/{plaignant}", accuse)
        part = distributions[accuse - 1].parts[plaignant - 1]
        q = porter_plainte(contexte, part, privees[plaignant - 1], alea)
        if forgee:
            q = dataclasses.replace(q, preuve=PreuveEgalite(c=q.preuve.c, s=plus_un(q.preuve.s)))
        plaintes.append(q)
        supplementaires.append({"graine": graine.hex(), "forgee": forgee, "plainte": q.vers_dict()})

    jugement = []
    for q in plaintes:
        fondee = plainte_fondee(contexte, distributions[q.accuse - 1], q)
        jugement.append({"plainte": q.vers_dict(), "fondee": fondee})
    assert [v["fondee"] for v in jugement] == [True] * len(p["alterations"]) + [False] * len(
        p["plaintes"]
    )

    cle = etablir_cle(contexte, distributions, plaintes)
    for r, v in zip(receptions, vecteurs_reception, strict=True):
        v["cle_de_detenteur"] = cle_de_detenteur(cle, r).hex()
    x = {r.detenteur: cle_de_detenteur(cle, r) for r in receptions}

    # The tally: real ballots under a manifest whose key is Y.
    m = manifeste(
        campagne="ep2026",
        scrutin=p["scrutin"],
        intitule=f"Essai du bureau {p['identifiant']}",
        choix=p["choix"],
        cle_publique=cle.cle_publique,
        origine_cle="ceremonie",
        ouverture=datetime(2026, 12, 1, 8, tzinfo=UTC),
        cloture=datetime(2026, 12, 8, 16, tzinfo=UTC),
    )
    bulletins = []
    for k, choix in enumerate(p["bulletins"]):
        graine = _graine(f"{prefixe}/bulletin/{k}")
        bulletins.append(
            {
                "choix": choix,
                "graine": graine.hex(),
                "bulletin": creer_bulletin(m, choix, AleaDeterministe(graine)),
            }
        )
    lus = [lire_bulletin(b["bulletin"], m) for b in bulletins]
    chiffres = [elgamal.somme(lu.chiffres[k] for lu in lus) for k in range(len(p["choix"]))]
    maximum = len(bulletins)
    decomptes = [p["bulletins"].count(k) for k in range(len(p["choix"]))]

    parts_dechiffrement = []
    vecteurs_parts = []
    for j in range(1, n + 1):
        graine, alea = _alea(prefixe, "dechiffrement", j)
        part_j = dechiffrer_partiellement(cle, j, x[j], chiffres, alea)
        assert verifier_part_dechiffrement(cle, chiffres, part_j)
        parts_dechiffrement.append(part_j)
        vecteurs_parts.append({"graine": graine.hex(), "part": part_j.vers_dict()})

    combinaisons = []
    for ensemble in p["ensembles"]:
        choisies = [parts_dechiffrement[j - 1] for j in ensemble]
        assert list(combiner(cle, chiffres, choisies, maximum)) == decomptes
        combinaisons.append(
            {
                "detenteurs": ensemble,
                "lagrange": [coefficient_lagrange(ensemble, j).hex() for j in ensemble],
                "points": [
                    combiner_facteurs(c, {q.detenteur: q.facteurs[k] for q in choisies}).hex()
                    for k, c in enumerate(chiffres)
                ],
                "decomptes": decomptes,
            }
        )

    premier = [parts_dechiffrement[j - 1] for j in p["ensembles"][0]]
    transcription = Transcription(
        contexte=contexte,
        distributions=tuple(distributions),
        plaintes=tuple(plaintes),
        qualifies=cle.qualifies,
        cle_publique=cle.cle_publique,
        depouillements=(
            Depouillement(
                chiffres=tuple(chiffres), parts=tuple(premier), decomptes=tuple(decomptes)
            ),
        ),
    )
    verifier_transcription(transcription)
    texte = json_canonique(transcription.vers_dict(), ascii=True)

    vecteur = {
        "nom": nom,
        "identifiant": p["identifiant"],
        "seuil": t,
        "nombre": n,
        "communication": communication,
        "contexte": contexte.vers_dict(),
        "empreinte_contexte": contexte.empreinte.hex(),
        "distributions": vecteurs_distribution,
        "receptions": vecteurs_reception,
        "plaintes_supplementaires": supplementaires,
        "plaintes": jugement,
        "qualifies": list(cle.qualifies),
        "cle": cle.vers_dict(),
        "cle_publique": cle.cle_publique.hex(),
        "empreinte_cle": cle.empreinte.hex(),
        "cles_de_verification": [cle.cle_de_verification(j).hex() for j in range(1, n + 1)],
        "depouillement": {
            "manifeste": m.texte,
            "bulletins": bulletins,
            "chiffres": _chiffres(chiffres),
            "maximum": maximum,
            "decomptes": decomptes,
            "parts": vecteurs_parts,
            "combinaisons": combinaisons,
        },
        "transcription_sha256": hashlib.sha256(texte.encode("ascii")).hexdigest(),
    }
    interne = {
        "contexte": contexte,
        "privees": privees,
        "distributions": distributions,
        "cle": cle,
        "chiffres": chiffres,
        "parts": parts_dechiffrement,
        "maximum": maximum,
        "x": x,
    }
    return vecteur, interne


# --- Refusals -----------------------------------------------------------------------------


def _refus(interne: dict[str, Any]) -> list[dict[str, Any]]:
    contexte: Contexte = interne["contexte"]
    distributions: list[Distribution] = interne["distributions"]
    cle: CleSeuil = interne["cle"]
    chiffres: list[Chiffre] = interne["chiffres"]
    parts: list[PartDechiffrement] = interne["parts"]
    privees: list[bytes] = interne["privees"]
    d1 = distributions[0]
    refus: list[dict[str, Any]] = []

    # Feldman's check on a clear share.
    z2 = privees[1]
    bonne = dechiffrer_part(contexte, d1.parts[1], z2)
    for nom, valeur, attendu in (
        ("part-juste", bonne, True),
        ("part-faussee", plus_un(bonne), False),
        ("part-d-un-autre-destinataire", dechiffrer_part(contexte, d1.parts[2], privees[2]), False),
    ):
        assert verifier_part(d1.engagements, 2, valeur) is attendu
        refus.append(
            {
                "nom": nom,
                "type": "part",
                "engagements": [c.hex() for c in d1.engagements],
                "destinataire": 2,
                "part": valeur.hex(),
                "valide": attendu,
            }
        )

    # Encrypted shares that do not open for their recipient.
    p12 = d1.parts[1]
    for nom, part in (
        ("chiffre-abime", dataclasses.replace(p12, chiffre=_inverser_octet(p12.chiffre, 40))),
        ("emetteur-change", dataclasses.replace(p12, emetteur=2)),
        ("ephemere-change", dataclasses.replace(p12, ephemere=d1.parts[0].ephemere)),
    ):
        try:
            dechiffrer_part(contexte, part, z2)
        except PartIndechiffrable:
            pass
        else:
            raise AssertionError(nom)
        refus.append(
            {
                "nom": nom,
                "type": "part_chiffree",
                "contexte": contexte.vers_dict(),
                "part": part.vers_dict(),
                "z": z2.hex(),
                "valide": False,
            }
        )

    # Distributions that fail the public checks.
    autre = distributions[1]
    preuve = d1.preuve
    engagements = list(d1.engagements)
    voyou = [autre.engagements[0], *engagements[1:]]
    for nom, d in (
        (
            "preuve-connaissance-alteree",
            dataclasses.replace(d1, preuve=PreuveConnaissance(c=preuve.c, s=plus_un(preuve.s))),
        ),
        ("cle-voyou", dataclasses.replace(d1, engagements=tuple(voyou))),
        ("preuve-d-un-autre-distributeur", dataclasses.replace(d1, preuve=autre.preuve)),
        (
            "autre-indice",
            dataclasses.replace(
                d1,
                detenteur=2,
                parts=tuple(dataclasses.replace(q, emetteur=2) for q in d1.parts),
            ),
        ),
        ("engagement-manquant", dataclasses.replace(d1, engagements=d1.engagements[:-1])),
        # A split view: Debian's libsodium would read this commitment as the true one,
        # the browsers' refuses it (protocol § 1); both must refuse it.
        (
            "engagement-bit-255",
            dataclasses.replace(d1, engagements=(bit_255(d1.engagements[0]), *d1.engagements[1:])),
        ),
        (
            "parts-permutees",
            dataclasses.replace(d1, parts=(d1.parts[1], d1.parts[0], *d1.parts[2:])),
        ),
    ):
        assert not verifier_distribution(contexte, d), nom
        refus.append(
            {
                "nom": nom,
                "type": "distribution",
                "contexte": contexte.vers_dict(),
                "distribution": d.vers_dict(),
                "valide": False,
            }
        )

    # Partial decryptions whose proof fails.
    q1 = parts[0]
    f0, p0 = q1.facteurs[0], q1.preuves[0]
    assert p0 is not None
    for nom, q, chiffres_vus in (
        (
            "dleq-alteree",
            dataclasses.replace(
                q1, preuves=(PreuveEgalite(c=p0.c, s=plus_un(p0.s)), *q1.preuves[1:])
            ),
            chiffres,
        ),
        (
            "facteur-altere",
            dataclasses.replace(q1, facteurs=(add(f0, B), *q1.facteurs[1:])),
            chiffres,
        ),
        ("autre-detenteur", dataclasses.replace(q1, detenteur=2), chiffres),
        (
            "facteur-bit-255",
            dataclasses.replace(q1, facteurs=(bit_255(f0), *q1.facteurs[1:])),
            chiffres,
        ),
        ("chiffres-permutes", q1, [chiffres[1], chiffres[0], *chiffres[2:]]),
        (
            "facteur-manquant",
            dataclasses.replace(q1, facteurs=q1.facteurs[:-1], preuves=q1.preuves[:-1]),
            chiffres,
        ),
    ):
        assert not verifier_part_dechiffrement(cle, chiffres_vus, q), nom
        refus.append(
            {
                "nom": nom,
                "type": "dechiffrement",
                "cle": cle.vers_dict(),
                "chiffres": _chiffres(chiffres_vus),
                "part": q.vers_dict(),
                "valide": False,
            }
        )

    # Combinations refused.
    t = contexte.seuil
    mauvaise = dataclasses.replace(
        parts[1], preuves=(PreuveEgalite(c=p0.c, s=p0.s), *parts[1].preuves[1:])
    )
    for nom, choisies, maximum, code, fautif in (
        ("trop-peu-de-parts", parts[: t - 1], interne["maximum"], "trop_peu", None),
        ("doublon", [parts[0], parts[0], parts[1]], interne["maximum"], "doublon", None),
        ("part-invalide", [parts[0], mauvaise], interne["maximum"], "part_invalide", 2),
        ("decompte-hors-maximum", parts[:t], 2, "hors_maximum", None),
    ):
        try:
            combiner(cle, chiffres, choisies, maximum)
        except DechiffrementRefuse as erreur:
            assert code_de_refus(erreur) == code, (nom, str(erreur))
        else:
            raise AssertionError(nom)
        refus.append(
            {
                "nom": nom,
                "type": "combinaison",
                "cle": cle.vers_dict(),
                "chiffres": _chiffres(chiffres),
                "parts": [q.vers_dict() for q in choisies],
                "maximum": maximum,
                "code": code,
                "detenteur": fautif,
            }
        )
    return refus


def code_de_refus(erreur: DechiffrementRefuse) -> str:
    """The vectors' code for a refused combination, from the seuil package's message."""
    message = str(erreur)
    if message.startswith("duplicate"):
        return "doublon"
    if "the threshold is" in message:
        return "trop_peu"
    if message.endswith("is invalid"):
        return "part_invalide"
    if "count not in" in message:
        return "hors_maximum"
    raise ValueError(f"unknown refusal: {message}")


# --- Seals (§ 14) ---------------------------------------------------------------------------

DESCRIPTION_SCELLEMENTS = (
    "Signatures de scellement (docs/protocol-seuil.md § 14) avec les parts x_j de la "
    "cérémonie 2-sur-3 : `contenu` (ce que le bureau scelle, forme de "
    "src/isoloir/counting/scellement.py), son JSON canonique UTF-8 et son SHA-256 "
    "`empreinte` (le message signé) ; pour chaque détenteur : graine, tirage w, Y_j, défi c "
    "et signature. `refus` : signature et message altérés, tous invalides ; `format` : "
    "objets que la lecture stricte refuse."
)

# What a bureau seals, in the shape the server writes (fixed values: only the shape and
# the bytes matter to another implementation).
_CONTENU_SCELLE: dict[str, Any] = {
    "version": 1,
    "campagne": "ep2026",
    "bureau": {"nom": "BV du CSA ministériel", "seuil": 2},
    "logiciel": {"version": "0.1.0", "empreinte": "00" * 32, "fichiers": 252},
    "scrutins": [
        {
            "code": "csa-men",
            "intitule": "CSA ministériel — Éducation nationale",
            "type": "CSA",
            "perimetre": "Ministère",
            "manifeste": "33" * 32,
            "ouverture": "2026-12-01T08:00:00Z",
            "cloture": "2026-12-08T16:00:00Z",
            "sieges_titulaires": 15,
            "sieges_suppleants": 15,
            "origine_cle": "ceremonie",
            "liste_electorale": {"empreinte": "11" * 32, "inscrits": 9},
            "listes": "22" * 32,
        }
    ],
}


def _scellements(interne: dict[str, Any]) -> dict[str, Any]:
    cle: CleSeuil = interne["cle"]
    x: dict[int, bytes] = interne["x"]
    contenu = {
        **_CONTENU_SCELLE,
        "cle": {"empreinte": cle.empreinte.hex(), "cle_publique": cle.cle_publique.hex()},
    }
    contenu["scrutins"] = [
        {**s, "cle_publique": cle.cle_publique.hex()} for s in contenu["scrutins"]
    ]
    canonique = json_canonique(contenu, ascii=False)
    empreinte = empreinte_du_contenu(contenu)
    assert empreinte == hashlib.sha256(canonique.encode("utf-8")).digest()
    signatures = []
    par_detenteur: dict[int, SignatureScellement] = {}
    for j in sorted(x):
        graine, alea = _alea("", "scellement", j)
        signature = signer_scellement(cle, j, x[j], empreinte, alea)
        assert alea.tirages == 1
        assert verifier_signature_scellement(cle, signature, empreinte)
        y_j = cle.cle_de_verification(j)
        par_detenteur[j] = signature
        signatures.append(
            {
                "detenteur": j,
                "x": x[j].hex(),
                "Y": y_j.hex(),
                "graine": graine.hex(),
                "w": _tirages(graine, 1)[0].hex(),
                "defi": defi_scellement(cle, j, y_j, signature.engagement, empreinte).hex(),
                "signature": signature.vers_dict(),
            }
        )

    s1 = par_detenteur[1]
    autre_message = empreinte_du_contenu({**contenu, "campagne": "ep2027"})
    refus = []
    for nom, signature, message in (
        ("autre-message", s1, autre_message),
        ("message-tronque", s1, empreinte[:-1]),
        ("autre-detenteur", dataclasses.replace(s1, detenteur=2), empreinte),
        ("detenteur-hors-cle", dataclasses.replace(s1, detenteur=4), empreinte),
        ("detenteur-zero", dataclasses.replace(s1, detenteur=0), empreinte),
        ("reponse-alteree", dataclasses.replace(s1, reponse=plus_un(s1.reponse)), empreinte),
        ("engagement-altere", dataclasses.replace(s1, engagement=add(s1.engagement, B)), empreinte),
        ("engagement-neutre", dataclasses.replace(s1, engagement=bytes(32)), empreinte),
        (
            "reponse-non-reduite",
            dataclasses.replace(s1, reponse=(2**255 - 1).to_bytes(32, "little")),
            empreinte,
        ),
        (
            "signature-d-un-autre-detenteur",
            dataclasses.replace(par_detenteur[2], detenteur=1),
            empreinte,
        ),
    ):
        assert not verifier_signature_scellement(cle, signature, message), nom
        refus.append(
            {
                "nom": nom,
                "signature": signature.vers_dict(),
                "empreinte": message.hex(),
                "valide": False,
            }
        )

    bonne = s1.vers_dict()
    format_refus = []
    for nom, objet in (
        ("cle-manquante", {"detenteur": 1, "engagement": bonne["engagement"]}),
        ("cle-en-trop", {**bonne, "c": bonne["reponse"]}),
        ("detenteur-texte", {**bonne, "detenteur": "1"}),
        ("detenteur-booleen", {**bonne, "detenteur": True}),
        ("detenteur-negatif", {**bonne, "detenteur": -1}),
        ("engagement-court", {**bonne, "engagement": bonne["engagement"][:-2]}),
        ("reponse-majuscules", {**bonne, "reponse": bonne["reponse"].upper()}),
        ("pas-un-objet", [1, bonne["engagement"], bonne["reponse"]]),
    ):
        try:
            SignatureScellement.depuis_dict(objet)
        except FormatInvalide:
            pass
        else:
            raise AssertionError(nom)
        format_refus.append({"nom": nom, "objet": objet})

    return {
        "description": DESCRIPTION_SCELLEMENTS,
        "cle": cle.vers_dict(),
        "empreinte_cle": cle.empreinte.hex(),
        "contenu": contenu,
        "contenu_canonique": canonique,
        "empreinte": empreinte.hex(),
        "signatures": signatures,
        "refus": refus,
        "format": format_refus,
    }


# --- Passphrase vaults --------------------------------------------------------------------

_PHRASE_NFD = "Le cheval e\u0301cluse « No\u0308el » 2026"


def _coffres(x: bytes, z: bytes) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    vecteurs: list[dict[str, Any]] = []
    # Fixed salt and nonce, for the vectors only (in service both are drawn by libsodium).
    for nom, secret, phrase, operations, memoire, depart in (
        ("part-phrase-nfd", x, _PHRASE_NFD, coffre.OPERATIONS, coffre.MEMOIRE, 0),
        ("communication-ascii", z, "correct horse battery staple", 2, 64 * 1024 * 1024, 100),
    ):
        sel = bytes(range(depart, depart + 16))
        nonce = bytes(range(depart + 16, depart + 40))
        c = coffre.chiffrer_secret(
            secret, phrase, operations=operations, memoire=memoire, sel=sel, nonce=nonce
        )
        assert coffre.dechiffrer_secret(c, phrase) == secret
        vecteurs.append(
            {
                "nom": nom,
                "phrase": phrase,
                "phrase_octets": coffre.phrase_en_octets(phrase).hex(),
                "secret": secret.hex(),
                "cle": coffre.deriver_cle(phrase, sel, operations, memoire).hex(),
                "donnees_associees": coffre.donnees_associees(operations, memoire, sel).hex(),
                "coffre": c,
            }
        )
    base: dict[str, Any] = vecteurs[0]["coffre"]
    refus = []
    cas: list[tuple[str, dict[str, Any], str, str]] = [
        ("phrase-incorrecte", base, "Le cheval écluse « Noel » 2026", "phrase_incorrecte"),
        ("operations-changees", {**base, "operations": 4}, _PHRASE_NFD, "phrase_incorrecte"),
        (
            "chiffre-abime",
            {**base, "chiffre": "00" + base["chiffre"][2:]},
            _PHRASE_NFD,
            "phrase_incorrecte",
        ),
        ("memoire-excessive", {**base, "memoire": 2**31}, _PHRASE_NFD, "format"),
        ("operations-faibles", {**base, "operations": 1}, _PHRASE_NFD, "format"),
        ("version-2", {**base, "version": 2}, _PHRASE_NFD, "format"),
        ("sel-court", {**base, "sel": base["sel"][:30]}, _PHRASE_NFD, "format"),
        ("cle-en-trop", {**base, "etiquette": "x"}, _PHRASE_NFD, "format"),
    ]
    for nom, c, phrase, code in cas:
        try:
            coffre.dechiffrer_secret(c, phrase)
        except coffre.PhraseIncorrecte:
            obtenu = "phrase_incorrecte"
        except coffre.CoffreInvalide:
            obtenu = "format"
        else:
            raise AssertionError(nom)
        assert obtenu == code, nom
        refus.append({"nom": nom, "coffre": c, "phrase": phrase, "code": code})
    return vecteurs, refus


def generer() -> dict[str, Any]:
    petite, interne = _ceremonie("2-sur-3")
    grande, _ = _ceremonie("3-sur-5")
    scellements = _scellements(interne)
    x1 = bytes.fromhex(petite["receptions"][0]["cle_de_detenteur"])
    z1 = bytes.fromhex(petite["communication"][0]["z"])
    coffres, coffres_refus = _coffres(x1, z1)
    return {
        "description": DESCRIPTION,
        "version": 1,
        "ceremonies": [petite, grande],
        "refus": _refus(interne),
        "coffres": coffres,
        "coffres_refus": coffres_refus,
        "scellements": scellements,
    }


_FICHIER = FichierDeVecteurs(generer, CHEMIN_PAR_DEFAUT)
texte = _FICHIER.texte
ecrire = _FICHIER.ecrire
main = _FICHIER.main

if __name__ == "__main__":
    main(sys.argv[1:])
