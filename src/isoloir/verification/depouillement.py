"""Each scrutin's count: the encrypted sums, the decryption shares, the result, the seats.

The sums are recomputed from the ballots that verify, the seed of the drawing of lots
from the key and the sums, the counts by combining the shares whose proofs hold, and the
seats by the same rule with the same seed: nothing of the published result is trusted.
"""

from typing import Any

from isoloir import sieges
from isoloir.crypto import seuil
from isoloir.crypto.elgamal import Chiffre, somme_des_choix
from isoloir.verification import format as f
from isoloir.verification.etat import _Bureau, _Etat, _Scrutin
from isoloir.verification.lecture import _champ, _court, _entier, _liste, _Malforme, _objet, _texte


def verifier_depouillement(etat: _Etat, s: _Scrutin) -> None:
    fichier = f.chemin_depouillement(s.code)
    controle = f"Dépouillement du scrutin {s.code}"
    if fichier not in etat.documents or s.manifeste is None:
        return
    etat.garde(controle, fichier, lambda: _depouillement(etat, s, fichier, controle))


def _depouillement(etat: _Etat, s: _Scrutin, fichier: str, controle: str) -> None:
    assert s.manifeste is not None
    doc = _objet(etat.documents[fichier], fichier)
    bureau = next(b for b in etat.bureaux if b.cle == s.bureau)
    bulletins = _entier(_champ(doc, "bulletins", fichier), "bulletins")
    emargements = _entier(_champ(doc, "emargements", fichier), "emargements")
    tableau_de_cloture = etat.documents.get(f.chemin_tableau(s.code))
    cloture = tableau_de_cloture.get("cloture", {}) if tableau_de_cloture else {}
    if tableau_de_cloture is not None and (bulletins, emargements) != (
        cloture.get("bulletins"),
        cloture.get("emargements"),
    ):
        etat.echec(
            controle,
            f"{fichier} : {bulletins} bulletins et {emargements} émargements au "
            "dépouillement, ce ne sont pas ceux de la clôture.",
        )

    # The sums, recomputed choice by choice from the ballots that verify.
    sommes = _liste(_champ(doc, "sommes", fichier), "sommes")
    chiffres = [
        Chiffre(
            alpha=bytes.fromhex(_texte(_champ(_objet(c, "somme"), "alpha", "somme"), "alpha")),
            beta=bytes.fromhex(_texte(_champ(_objet(c, "somme"), "beta", "somme"), "beta")),
        )
        for c in sommes
    ]
    recalculees = [
        {"alpha": t.alpha.hex(), "beta": t.beta.hex()}
        for t in (
            somme_des_choix(b.chiffres[k] for b in s.valides) for k in range(len(s.manifeste.choix))
        )
    ]
    if s.traceurs is not None:
        if len(sommes) != len(recalculees):
            etat.echec(
                controle,
                f"{fichier} : {len(sommes)} sommes chiffrées publiées, "
                f"{len(recalculees)} attendues.",
            )
        else:
            fausses = [k for k in range(len(sommes)) if sommes[k] != recalculees[k]]
            for k in fausses:
                etat.echec(
                    controle,
                    f"{fichier} : la somme chiffrée du choix {k} ({s.manifeste.choix[k]}) "
                    "n'est pas celle des bulletins de l'urne.",
                )
            if not fausses:
                etat.ok(
                    controle,
                    f"{fichier} : sommes chiffrées recalculées sur les {len(s.valides)} "
                    "bulletins valides, égales aux sommes publiées.",
                )

    # The seed: fixed from the key and the sums before any decryption.
    graine = _texte(_champ(doc, "graine", fichier), "graine")
    if bureau.cle_seuil is not None:
        attendue = f.graine(bureau.cle_seuil.empreinte.hex(), sommes)
        if graine != attendue:
            etat.echec(
                controle,
                f"{fichier} : la graine du tirage au sort publiée ({_court(graine)}) n'est "
                f"pas celle que donnent l'empreinte de la clé et les sommes "
                f"({_court(attendue)}).",
            )
        else:
            etat.ok(
                controle,
                f"{fichier} : graine du tirage au sort recalculée ({_court(graine)}).",
            )

    decomptes = _parts(etat, s, bureau, doc, chiffres, bulletins, fichier, controle)
    _resultat(etat, s, doc, decomptes, emargements, graine, fichier, controle)


def _parts(
    etat: _Etat,
    s: _Scrutin,
    bureau: _Bureau,
    doc: dict[str, Any],
    chiffres: list[Chiffre],
    bulletins: int,
    fichier: str,
    controle: str,
) -> tuple[int, ...] | None:
    """Each decryption share's proof, then the counts they give (None if they give
    none)."""
    cle = bureau.cle_seuil
    publiees = _liste(_champ(doc, "parts", fichier), "parts")
    if cle is None:
        etat.echec(controle, f"{fichier} : parts non vérifiables sans la clé du bureau.")
        return None
    if not chiffres:
        etat.echec(controle, f"{fichier} : aucune somme chiffrée à déchiffrer.")
        return None
    valides: dict[int, seuil.PartDechiffrement] = {}
    for k, brute in enumerate(publiees):
        part = seuil.PartDechiffrement.depuis_dict(brute, f"parts[{k}]")
        j = part.detenteur
        if j in valides:
            etat.echec(controle, f"{fichier} : deux parts du détenteur {j}.")
        elif seuil.verifier_part_dechiffrement(cle, chiffres, part):
            valides[j] = part
            etat.ok(controle, f"{fichier} : part de déchiffrement du détenteur {j} vérifiée.")
        else:
            etat.echec(
                controle,
                f"{fichier} : la part de déchiffrement du détenteur {j} ne se vérifie pas "
                "(preuve de déchiffrement fausse).",
            )
    t = cle.contexte.seuil
    roles = [bureau.roles.get(j) for j in valides]
    if len(valides) < t:
        etat.echec(
            controle,
            f"{fichier} : {len(valides)} parts de déchiffrement valides, il en faut {t} "
            "(le seuil du bureau) : le résultat ne peut pas être recalculé.",
        )
        return None
    if "president" not in roles or roles.count("delegue") < 2:
        etat.echec(
            controle,
            f"{fichier} : les parts valides ne sont pas celles du président et de deux "
            "délégués de liste au moins.",
        )
    try:
        return seuil.combiner(cle, chiffres, list(valides.values()), bulletins)
    except seuil.DechiffrementRefuse as erreur:
        etat.echec(controle, f"{fichier} : les parts ne donnent pas de décompte ({erreur}).")
        return None


def _resultat(
    etat: _Etat,
    s: _Scrutin,
    doc: dict[str, Any],
    decomptes: tuple[int, ...] | None,
    emargements: int,
    graine: str,
    fichier: str,
    controle: str,
) -> None:
    resultat = _objet(_champ(doc, "resultat", fichier), "resultat")
    publiees = [_objet(x, "resultat.listes") for x in _liste(resultat.get("listes"), "listes")]
    if [(x.get("id"), x.get("sigle")) for x in publiees] != [
        (li.identifiant, li.sigle) for li in s.listes
    ]:
        raise _Malforme("les listes du résultat ne sont pas celles du scrutin")
    blancs = _entier(_champ(resultat, "blancs", "resultat"), "resultat.blancs")
    voix = [_entier(_champ(x, "voix", "resultat.listes"), "voix") for x in publiees]
    exprimes = _entier(_champ(resultat, "exprimes", "resultat"), "resultat.exprimes")
    votants = _entier(_champ(resultat, "votants", "resultat"), "resultat.votants")
    inscrits = _entier(_champ(resultat, "inscrits", "resultat"), "resultat.inscrits")
    defauts = []
    if decomptes is not None:
        noms = ["votes blancs", *(f"liste {li.sigle}" for li in s.listes)]
        for nom, publie, recalcule in zip(noms, [blancs, *voix], decomptes, strict=True):
            if publie != recalcule:
                defauts.append(
                    f"{nom} : {publie} voix publiées, le déchiffrement en donne {recalcule}"
                )
        if not defauts:
            etat.ok(
                controle,
                f"{fichier} : décompte recalculé en combinant les parts ("
                + ", ".join(f"{n} {v}" for n, v in zip(noms, decomptes, strict=True))
                + ") : égal au résultat publié.",
            )
    if exprimes != sum(voix):
        defauts.append(f"{exprimes} suffrages exprimés publiés pour {sum(voix)} voix")
    if blancs + exprimes != votants:
        defauts.append(f"blancs ({blancs}) + exprimés ({exprimes}) ≠ votants ({votants})")
    if votants != emargements:
        defauts.append(f"{votants} votants publiés pour {emargements} émargements")
    if s.inscrits_scelles is not None and inscrits != s.inscrits_scelles:
        defauts.append(f"{inscrits} inscrits publiés, {s.inscrits_scelles} au scellement")
    if votants > inscrits:
        defauts.append(f"plus de votants ({votants}) que d'inscrits ({inscrits})")
    parts = sorted(
        _entier(_objet(p, "part").get("detenteur"), "part.detenteur")
        for p in _liste(doc.get("parts"), "parts")
    )
    if resultat.get("detenteurs") != parts:
        defauts.append(
            f"le résultat cite les détenteurs {resultat.get('detenteurs')}, les parts "
            f"publiées sont celles de {parts}"
        )

    # Seats: the same rule, with the recorded seed, on the recomputed votes.
    departage = ""
    comptes = list(decomptes[1:]) if decomptes is not None else voix
    try:
        repartition = sieges.repartir(
            [
                sieges.Liste(identifiant=str(li.identifiant), voix=v, candidats=li.candidats)
                for li, v in zip(s.listes, comptes, strict=True)
            ],
            s.sieges_titulaires,
            graine=bytes.fromhex(graine),
        )
    except ValueError as erreur:
        defauts.append(f"les sièges ne peuvent pas être recalculés ({erreur})")
    else:
        # The tie in the words of the results page and the PV (one function for all three).
        sigles = {str(li.identifiant): li.sigle for li in s.listes}
        departage = "".join(
            f" {phrase}" for phrase in sieges.decrire_egalite(repartition.egalite, sigles)
        )
        for li, x in zip(s.listes, publiees, strict=True):
            attendu = repartition.sieges[str(li.identifiant)]
            if x.get("sieges") != attendu:
                defauts.append(
                    f"liste {li.sigle} : {x.get('sieges')} siège(s) publié(s), {attendu} "
                    "recalculé(s)"
                )
        if resultat.get("vacants") != repartition.vacants:
            defauts.append(
                f"{resultat.get('vacants')} siège(s) vacant(s) publié(s), "
                f"{repartition.vacants} recalculé(s)"
            )
        tirage = repartition.egalite is not None and repartition.egalite.departage == "tirage"
        if resultat.get("tirage_au_sort") != tirage:
            defauts.append("le tirage au sort publié ne correspond pas à la répartition")
    for defaut in defauts:
        etat.echec(controle, f"{fichier} : résultat non conforme, {defaut}.")
    if not defauts:
        etat.ok(
            controle,
            f"{fichier} : blancs + exprimés = votants = émargements ({votants}) ; sièges "
            f"recalculés avec la graine publiée : "
            + ", ".join(f"{x['sigle']} {x['sieges']}" for x in publiees)
            + f", vacants {resultat.get('vacants')}.{departage}",
        )
