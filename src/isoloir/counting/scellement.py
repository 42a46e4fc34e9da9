"""The seal (scellement) of a bureau de vote (issue 5 § 3, docs/scellement.md).

Before the vote opens, the bureau fixes what the vote will run on: the program (its version
and a fingerprint of its source files), and for each scrutin its window, seats, candidate
lists, roll and key. The content is written as canonical JSON, fingerprinted with SHA-256,
and the président and at least one délégué sign that fingerprint with the key share the
ceremony gave them (a Schnorr signature anyone checks against ``Y_j``,
docs/protocol-seuil.md § 14). From then on every change to what is sealed is refused
(``counting/signals.py``); a change that slips past (a raw SQL write, a queryset update)
is found by :func:`verifier`, which recomputes everything, and stops the count.
"""

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from isoloir.audit.services import journaliser
from isoloir.ballotbox.models import Bulletin
from isoloir.booth.models import CleDeScrutin, OrigineCle
from isoloir.core import horloge
from isoloir.counting.ceremonie import CeremonieRefusee, cle_du_bureau, indice
from isoloir.counting.contenu_scelle import (
    contenu_du_scellement,
    empreinte_du_contenu,
    scrutins_du_bureau,
)
from isoloir.counting.models import (
    BureauDeVote,
    CeremonieDesCles,
    EtatCeremonie,
    MembreDuBureau,
    RattachementAuBureau,
    Role,
    Scellement,
)
from isoloir.crypto import seuil
from isoloir.elections.models import Scrutin
from isoloir.elections.selectors import Phase, fenetre_du_scrutin
from isoloir.elections.verrous import EtatPublic, Signataire


class ScellementRefuse(CeremonieRefusee):
    pass


# --- Proposal and signatures --------------------------------------------------------------


def _ceremonie_close(bureau: BureauDeVote) -> CeremonieDesCles:
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first()
    if ceremonie is None or ceremonie.etat != EtatCeremonie.CLOSE:
        raise ScellementRefuse(
            "La cérémonie des clés de ce bureau n'est pas close : il n'y a pas encore de clé "
            "à sceller."
        )
    return ceremonie


def _aucun_bulletin(scrutins: list[Scrutin]) -> None:
    if Bulletin.objects.filter(scrutin_id__in=[s.pk for s in scrutins]).exists():
        raise ScellementRefuse(
            "Des bulletins sont déjà dans l'urne : il est trop tard pour sceller ce bureau."
        )


@transaction.atomic
def proposer(bureau: BureauDeVote) -> Scellement:
    """Compute what is to be sealed and keep it for the holders to sign: after the key
    ceremony, before the vote opens and before any ballot. A proposal not yet sealed is
    replaced (its signatures dropped: they were over other content)."""
    bureau = BureauDeVote.objects.select_for_update().get(pk=bureau.pk)
    ceremonie = _ceremonie_close(bureau)
    existant = Scellement.objects.filter(bureau=bureau).first()
    if existant is not None and existant.scelle_le is not None:
        raise ScellementRefuse("Ce bureau est déjà scellé : le scellement ne se refait pas.")
    scrutins = scrutins_du_bureau(bureau)
    if not scrutins:
        raise ScellementRefuse("Aucun scrutin n'est rattaché à ce bureau : rien à sceller.")
    cle = cle_du_bureau(ceremonie)
    for scrutin in scrutins:
        if fenetre_du_scrutin(scrutin).phase() is not Phase.A_VENIR:
            raise ScellementRefuse(
                f"Le vote du scrutin « {scrutin.intitule} » est déjà ouvert : le bureau se "
                "scelle avant l'ouverture du vote."
            )
        cle_du_scrutin = CleDeScrutin.objects.filter(scrutin=scrutin).first()
        if (
            cle_du_scrutin is None
            or cle_du_scrutin.origine != OrigineCle.CEREMONIE
            or cle_du_scrutin.cle_publique != cle.cle_publique.hex()
        ):
            raise ScellementRefuse(
                f"La clé du scrutin « {scrutin.intitule} » n'est pas celle de la cérémonie "
                "du bureau."
            )
    _aucun_bulletin(scrutins)
    contenu = contenu_du_scellement(bureau)
    scellement, _ = Scellement.objects.update_or_create(
        bureau=bureau,
        defaults={
            "contenu": contenu,
            "empreinte": empreinte_du_contenu(contenu),
            "signatures": [],
            "propose_le": horloge.maintenant(),
            "scelle_le": None,
        },
    )
    journaliser("bureau.scellement_propose", bureau=bureau.pk, empreinte=scellement.empreinte)
    return scellement


def _roles(ceremonie: CeremonieDesCles) -> dict[int, MembreDuBureau]:
    """Holder index → member, from the ceremony's fixed order."""
    membres = MembreDuBureau.objects.in_bulk(list(ceremonie.detenteurs))
    return {j: membres[pk] for j, pk in enumerate(ceremonie.detenteurs, start=1) if pk in membres}


def _signe_par_president_et_delegue(
    signatures: list[dict[str, Any]], membres: dict[int, MembreDuBureau]
) -> bool:
    roles = {membres[s["detenteur"]].role for s in signatures if s["detenteur"] in membres}
    return Role.PRESIDENT in roles and Role.DELEGUE in roles


@transaction.atomic
def signer(bureau: BureauDeVote, membre: MembreDuBureau, donnees: dict[str, Any]) -> Scellement:
    """A key holder's signature of the proposed seal, checked against the bureau's key
    and the stored fingerprint. The seal holds once the président and at least one
    délégué have signed (the screens ask no more of them; a later signature of the same
    content by another holder is still taken, until the first ballot)."""
    scellement = Scellement.objects.select_for_update().filter(bureau=bureau).first()
    if scellement is None:
        raise ScellementRefuse("Aucun scellement n'est proposé pour ce bureau.")
    ceremonie = _ceremonie_close(bureau)
    try:
        j = indice(ceremonie, membre)
    except CeremonieRefusee as erreur:
        raise ScellementRefuse(erreur.message) from None
    try:
        signature = seuil.SignatureScellement.depuis_dict(donnees)
    except seuil.ErreurSeuil as erreur:
        raise ScellementRefuse("Signature illisible.") from erreur
    if signature.detenteur != j:
        raise ScellementRefuse("Cette signature est celle d'un autre détenteur.")
    if any(s["detenteur"] == j for s in scellement.signatures):
        raise ScellementRefuse("Vous avez déjà signé ce scellement.")
    if not seuil.verifier_signature_scellement(
        cle_du_bureau(ceremonie), signature, bytes.fromhex(scellement.empreinte)
    ):
        raise ScellementRefuse(
            "Signature refusée : elle ne se vérifie pas avec votre clé pour l'empreinte de "
            "ce scellement."
        )
    _aucun_bulletin(scrutins_du_bureau(bureau))
    ecarts = _ecarts_du_contenu(scellement.contenu, contenu_du_scellement(bureau))
    if ecarts:
        raise ScellementRefuse(
            " ".join(ecarts) + " Proposez de nouveau le scellement, puis signez-le."
        )
    scellement.signatures = [*scellement.signatures, signature.vers_dict()]
    champs = ["signatures"]
    membres = _roles(ceremonie)
    if scellement.scelle_le is None and _signe_par_president_et_delegue(
        scellement.signatures, membres
    ):
        scellement.scelle_le = horloge.maintenant()
        champs.append("scelle_le")
    scellement.save(update_fields=champs)
    journaliser("bureau.scellement_signe", compte_id=membre.compte_id, bureau=bureau.pk)
    if "scelle_le" in champs:
        journaliser("bureau.scelle", bureau=bureau.pk, empreinte=scellement.empreinte)
    return scellement


# --- Checks -------------------------------------------------------------------------------

_MESSAGES_DU_SCRUTIN = (
    (("liste_electorale",), "La liste électorale du scrutin « {} » a changé depuis le scellement."),
    (("listes",), "Les listes de candidats du scrutin « {} » ont changé depuis le scellement."),
    (
        ("ouverture", "cloture"),
        "La période de vote du scrutin « {} » a changé depuis le scellement.",
    ),
    (
        ("sieges_titulaires", "sieges_suppleants"),
        "Le nombre de sièges du scrutin « {} » a changé depuis le scellement.",
    ),
    (
        ("cle_publique", "origine_cle"),
        "La clé de chiffrement du scrutin « {} » a changé depuis le scellement.",
    ),
    (
        ("code", "intitule", "type", "perimetre"),
        "L'intitulé du scrutin « {} » (code, intitulé, type ou périmètre) a changé depuis le "
        "scellement.",
    ),
)


def _ecarts_du_scrutin(scelle: dict[str, Any], actuel: dict[str, Any]) -> list[str]:
    nom = scelle.get("intitule", scelle.get("code"))
    ecarts = [
        message.format(nom)
        for champs, message in _MESSAGES_DU_SCRUTIN
        if any(scelle.get(c) != actuel.get(c) for c in champs)
    ]
    connus = {c for champs, _ in _MESSAGES_DU_SCRUTIN for c in champs} | {"manifeste"}
    if not ecarts and (scelle.get("manifeste") != actuel.get("manifeste") or set(scelle) - connus):
        ecarts.append(f"Le manifeste du scrutin « {nom} » a changé depuis le scellement.")
    return ecarts


def _ecarts_du_contenu(scelle: dict[str, Any], actuel: dict[str, Any]) -> list[str]:
    """Field by field, in French: what differs between the sealed content and now."""
    ecarts = []
    if scelle.get("logiciel") != actuel["logiciel"]:
        avant = scelle.get("logiciel") or {}
        ecarts.append(
            "Le logiciel a changé depuis le scellement (version scellée "
            f"{avant.get('version')}, empreinte {str(avant.get('empreinte'))[:16]}… ; "
            f"version en service {actuel['logiciel']['version']}, empreinte "
            f"{actuel['logiciel']['empreinte'][:16]}…)."
        )
    if scelle.get("cle") != actuel["cle"]:
        ecarts.append("La clé du bureau a changé depuis le scellement.")
    if scelle.get("campagne") != actuel["campagne"] or scelle.get("bureau") != actuel["bureau"]:
        ecarts.append("Le bureau ou sa campagne a changé depuis le scellement.")
    if scelle.get("version") != actuel["version"]:
        ecarts.append("Le format du scellement n'est pas celui de ce logiciel.")
    avant = {s["code"]: s for s in scelle.get("scrutins", [])}
    maintenant = {s["code"]: s for s in actuel["scrutins"]}
    for code, s in avant.items():
        if code not in maintenant:
            ecarts.append(
                f"Le scrutin « {s.get('intitule', code)} » n'est plus rattaché au bureau, ou "
                "son code a changé, depuis le scellement."
            )
        else:
            ecarts += _ecarts_du_scrutin(s, maintenant[code])
    for code, s in maintenant.items():
        if code not in avant:
            ecarts.append(
                f"Le scrutin « {s['intitule']} » a été rattaché au bureau après le scellement."
            )
    return ecarts


def _bureau_de(objet: BureauDeVote | Scrutin) -> BureauDeVote | None:
    if isinstance(objet, BureauDeVote):
        return objet
    return BureauDeVote.objects.filter(rattachements__scrutin=objet).first()


def verifier(objet: BureauDeVote | Scrutin) -> list[str]:
    """What breaks the seal of this bureau (or of the scrutin's bureau), in French; empty
    if the seal is intact: sealed, its fingerprint that of its content, every signature
    valid, the président and a délégué among the signers, and the content recomputed now
    equal, field by field, to the content sealed."""
    bureau = _bureau_de(objet)
    if bureau is None:
        return ["Ce scrutin n'est rattaché à aucun bureau de vote : il n'a pas de scellement."]
    scellement = Scellement.objects.filter(bureau=bureau).first()
    if scellement is None or scellement.scelle_le is None:
        return [f"Le bureau « {bureau.nom} » n'a pas été scellé."]
    ecarts = []
    if empreinte_du_contenu(scellement.contenu) != scellement.empreinte:
        ecarts.append(
            "Le contenu scellé a été altéré : son empreinte n'est plus celle qui a été signée."
        )
    ceremonie = CeremonieDesCles.objects.filter(bureau=bureau).first()
    try:
        cle = cle_du_bureau(ceremonie) if ceremonie is not None else None
    except (CeremonieRefusee, seuil.ErreurSeuil):
        cle = None
    if cle is None or ceremonie is None:
        ecarts.append("La clé du bureau n'est plus établie : les signatures ne se vérifient pas.")
    else:
        message = bytes.fromhex(scellement.empreinte)
        for k, donnees in enumerate(scellement.signatures, start=1):
            try:
                signature = seuil.SignatureScellement.depuis_dict(donnees)
                valide = seuil.verifier_signature_scellement(cle, signature, message)
            except seuil.ErreurSeuil:
                valide = False
            if not valide:
                detenteur = donnees.get("detenteur") if isinstance(donnees, dict) else None
                ecarts.append(
                    f"La signature n° {k} (détenteur {detenteur}) du scellement ne se vérifie pas."
                )
        if not _signe_par_president_et_delegue(
            [s for s in scellement.signatures if isinstance(s, dict)], _roles(ceremonie)
        ):
            ecarts.append("Le scellement n'est pas signé par le président et un délégué de liste.")
    ecarts += _ecarts_du_contenu(scellement.contenu, contenu_du_scellement(bureau))
    return ecarts


def est_scelle(scrutin: Scrutin | int) -> bool:
    """Whether the scrutin's bureau has sealed it (the seal's integrity is
    :func:`verifier`'s business)."""
    scrutin_id = scrutin if isinstance(scrutin, int) else scrutin.pk
    return Scellement.objects.filter(
        bureau__rattachements__scrutin_id=scrutin_id, scelle_le__isnull=False
    ).exists()


def scrutins_scelles(scrutin_ids: Iterable[int]) -> set[int]:
    """Those of ``scrutin_ids`` whose bureau has sealed them, in one query (a campaign has
    600 scrutins: one query each would cost more than a batch of rows)."""
    return set(
        RattachementAuBureau.objects.filter(
            scrutin_id__in=list(scrutin_ids), bureau__scellement__scelle_le__isnull=False
        ).values_list("scrutin_id", flat=True)
    )


# --- Public board -------------------------------------------------------------------------

# The check recomputes the rolls: a public page shows its result of the last minutes.
DUREE_DU_CONSTAT = 120


def etat_public(scrutin: Scrutin) -> EtatPublic | None:
    """What the public board shows of the seal of the scrutin's bureau; None if there is
    no seal yet."""
    scellement = (
        Scellement.objects.filter(bureau__rattachements__scrutin=scrutin, scelle_le__isnull=False)
        .select_related("bureau")
        .first()
    )
    if scellement is None or scellement.scelle_le is None:
        return None
    ceremonie = CeremonieDesCles.objects.filter(bureau=scellement.bureau).first()
    membres = _roles(ceremonie) if ceremonie is not None else {}
    signataires = [
        Signataire(
            role=membres[s["detenteur"]].get_role_display()
            if s.get("detenteur") in membres
            else "détenteur inconnu",
            detenteur=s.get("detenteur"),
        )
        for s in scellement.signatures
    ]
    cle_du_cache = f"scellement:{scellement.pk}:{scellement.empreinte}:ecarts"
    ecarts = cache.get(cle_du_cache)
    if ecarts is None:
        ecarts = verifier(scellement.bureau)
        cache.set(cle_du_cache, ecarts, DUREE_DU_CONSTAT)
    return EtatPublic(
        bureau=scellement.bureau.nom,
        empreinte=scellement.empreinte,
        scelle_le=scellement.scelle_le,
        signataires=signataires,
        ecarts=ecarts,
    )
