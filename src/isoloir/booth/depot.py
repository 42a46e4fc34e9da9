"""Casting a ballot across the two databases (docs/vote.md).

No transaction spans ``default`` (émargement) and ``urne`` (ballots), yet a crash must
never leave a voter marked as having voted without a ballot, nor a ballot without its
émargement. The vote is five short steps, each committed on its own:

1. ``default``: lock the inscription, refuse if it has voted or a vote is in flight,
   write an *intent* with a random nonce;
2. ``urne``: write the ballot and a *pending* row keyed on the hash of the nonce;
3. ``default``: write the émargement and mark the intent done — only now is the vote
   acknowledged;
4. ``urne``: delete the pending row;   5. ``default``: delete the intent.

:func:`recuperer` finishes or undoes whatever a crash interrupted. The nonce links a
voter to a ballot only while a vote is in flight (docs/vote.md says what the database
engines keep of deleted rows).
"""

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, transaction

from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.ballotbox import services as urne
from isoloir.booth import cles
from isoloir.booth.mails import TYPE_ACCUSE
from isoloir.booth.models import Emargement, IntentionDeVote, OrigineCle
from isoloir.core import horloge, limites
from isoloir.core.dates import date_heure_fr
from isoloir.crypto.bulletin import (
    BulletinInvalide,
    BulletinVerifie,
    Manifeste,
    verifier_bulletin,
)
from isoloir.elections.models import Inscription, Scrutin
from isoloir.elections.selectors import Phase, fenetre_du_scrutin
from isoloir.elections.verrous import est_scelle
from isoloir.notify.services import programmer

log = logging.getLogger(__name__)

# An intent younger than this may belong to a vote in flight: recovery leaves it alone.
DELAI_AVANT_RECUPERATION = timedelta(minutes=1)
# Checking a ballot's proofs costs the server milliseconds of CPU: a voter may send a few
# (a reload, a refused ballot), not a flood.
ENVOIS_PAR_ELECTEUR = limites.Limite("bulletins-electeur", 30, 3600)


class VoteRefuse(Exception):
    message = "Votre vote n'a pas pu être enregistré."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message:
            self.message = message


class NonInscrit(VoteRefuse):
    message = "Vous n'êtes pas inscrit sur la liste électorale de ce scrutin."


class DejaVote(VoteRefuse):
    def __init__(self, emarge_le: datetime) -> None:
        self.emarge_le = emarge_le
        moment = date_heure_fr(emarge_le, jour_de_semaine=True)
        super().__init__(
            f"Vous avez déjà voté à ce scrutin, le {moment} (heure de Paris). "
            "Un seul vote est possible ; votre premier vote est conservé."
        )


class VoteEnCours(VoteRefuse):
    message = (
        "Un vote est déjà en cours d'enregistrement pour ce scrutin. Patientez une minute, "
        "puis rouvrez votre espace de vote pour voir s'il a été enregistré."
    )


class HorsFenetre(VoteRefuse):
    pass


class UrneIndisponible(VoteRefuse):
    message = (
        "L'urne est momentanément indisponible. Votre vote n'a pas été enregistré : "
        "réessayez dans quelques minutes."
    )


class VoteInterrompu(VoteRefuse):
    message = (
        "L'enregistrement de votre vote a été interrompu. Votre vote n'a pas été "
        "enregistré : rouvrez votre espace de vote et votez de nouveau."
    )


class ScrutinNonPret(VoteRefuse):
    message = (
        "Ce scrutin n'est pas prêt à recevoir des votes : sa clé de chiffrement n'a pas "
        "été publiée. Contactez l'assistance."
    )


class TropDEnvois(VoteRefuse):
    message = (
        "Trop de bulletins envoyés pour votre compte en une heure. Patientez, puis "
        "rouvrez votre espace de vote ; votre vote n'a pas été enregistré."
    )


class BulletinRefuse(VoteRefuse):
    PAS_ENREGISTRE = " Votre vote n'a pas été enregistré : rechargez la page et votez de nouveau."
    MESSAGES = {
        "format": "Le bulletin reçu est illisible.",
        "election": "Les paramètres de ce scrutin ont changé depuis l'affichage de la page.",
        "scrutin": "Ce bulletin a été préparé pour un autre scrutin.",
        "rejeu": "Ce bulletin est déjà dans l'urne : un bulletin recopié n'est pas accepté.",
        "nombre_de_choix": "Le bulletin reçu ne compte pas un chiffré par liste du scrutin.",
        "point": "Le bulletin reçu contient une valeur chiffrée invalide.",
        "scalaire": "Le bulletin reçu contient une preuve mal formée.",
        "preuve_choix": "Le bulletin reçu n'est pas valide : ses preuves de validité sont fausses.",
        "preuve_somme": "Le bulletin reçu n'est pas valide : il ne porte pas exactement un choix.",
    }
    INVALIDE = "Le bulletin reçu n'est pas valide."

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(self.MESSAGES.get(code, self.INVALIDE) + self.PAS_ENREGISTRE)


@dataclass(frozen=True)
class Accuse:
    """The receipt (A16): what the voter keeps. It is shown and mailed, never stored."""

    scrutin: Scrutin
    traceur: str
    emarge_le: datetime
    empreinte_election: str


PAS_ENCORE_SCELLE = (
    "Le bureau de vote n'a pas encore scellé ce scrutin : le vote s'y ouvrira dès qu'il "
    "l'aura fait, pendant la période de vote. Revenez un peu plus tard."
)


def pret_a_voter(scrutin: Scrutin) -> tuple[Manifeste | None, str | None]:
    """The scrutin's manifest, and why it cannot take a ballot now (None: it can). The
    voting space says it before the voter opens the booth; :func:`verifier` refuses on
    the same grounds."""
    manifeste = cles.manifeste_du_scrutin(scrutin)
    if manifeste is None:
        return None, ScrutinNonPret.message
    if settings.PRODUCTION and manifeste.origine_cle == OrigineCle.DEVELOPPEMENT:
        return manifeste, (
            "Ce scrutin refuse tout bulletin : sa clé vient d'une cérémonie de "
            "développement, interdite en production. Contactez l'assistance."
        )
    # A bureau's key opens the vote only once the bureau has sealed the scrutin
    # (docs/scellement.md): what the voter votes on is then fixed and signed.
    if manifeste.origine_cle == OrigineCle.CEREMONIE and not est_scelle(scrutin):
        return manifeste, PAS_ENCORE_SCELLE
    return manifeste, None


def verifier(*, scrutin: Scrutin, texte: str) -> tuple[Manifeste, BulletinVerifie]:
    """Check a submitted ballot against the scrutin's current manifest."""
    manifeste, raison = pret_a_voter(scrutin)
    if manifeste is None or raison is not None:
        raise ScrutinNonPret(raison)
    try:
        return manifeste, verifier_bulletin(texte, manifeste)
    except BulletinInvalide as erreur:
        raise BulletinRefuse(erreur.code) from erreur


def voter(*, electeur: Electeur, scrutin: Scrutin, texte: str, ip: str = "") -> Accuse:
    """Put the voter's encrypted ballot in the urne and sign the émargement, both or
    neither. The ballot's proofs are checked before anything is written."""
    inscription = Inscription.objects.filter(electeur=electeur, scrutin=scrutin).first()
    if inscription is None:
        raise NonInscrit
    if limites.depasse(ENVOIS_PAR_ELECTEUR, limites.compter(ENVOIS_PAR_ELECTEUR, str(electeur.pk))):
        raise TropDEnvois
    manifeste, bulletin = verifier(scrutin=scrutin, texte=texte)
    nonce = _reserver(inscription)
    empreinte_nonce = _empreinte(nonce)
    try:
        urne.deposer(scrutin_id=scrutin.pk, bulletin=bulletin, empreinte_nonce=empreinte_nonce)
    except urne.BulletinDejaDansLUrne:
        IntentionDeVote.objects.filter(inscription=inscription, nonce=nonce).delete()
        journaliser("vote.rejeu_refuse", compte_id=electeur.compte_id, ip=ip, scrutin=scrutin.pk)
        raise BulletinRefuse("rejeu") from None
    except DatabaseError as erreur:
        # Step 2 failed, so nothing was acknowledged: the voter may try again at once. Had
        # its commit landed all the same, the pending row, left without an intent, is an
        # orphan that the recovery takes out of the urne.
        IntentionDeVote.objects.filter(inscription=inscription, nonce=nonce).delete()
        log.error("urne indisponible à l'étape 2 d'un vote : %s", type(erreur).__name__)
        raise UrneIndisponible from erreur
    emargement = _emarger(inscription, nonce, traceur=bulletin.traceur, ip=ip)
    try:
        _terminer(inscription, empreinte_nonce)
    except DatabaseError as erreur:
        # The vote counts from step 3 on: the voter gets the receipt whatever happens
        # now, and the recovery removes what steps 4 and 5 left.
        log.error("vote émargé, étapes 4-5 laissées à la récupération : %s", type(erreur).__name__)
    return Accuse(
        scrutin=scrutin,
        traceur=bulletin.traceur,
        emarge_le=emargement.emarge_le,
        empreinte_election=manifeste.empreinte.hex(),
    )


def _empreinte(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _reserver(inscription: Inscription) -> str:
    """Step 1."""
    with transaction.atomic():
        Inscription.objects.select_for_update().get(pk=inscription.pk)
        deja = Emargement.objects.filter(inscription=inscription).first()
        if deja is not None:
            raise DejaVote(deja.emarge_le)
        fenetre = fenetre_du_scrutin(inscription.scrutin)
        if fenetre.phase() is not Phase.OUVERT:
            raise HorsFenetre(_message_hors_fenetre(fenetre.ouverture, fenetre.cloture))
        intention = (
            IntentionDeVote.objects.select_for_update().filter(inscription=inscription).first()
        )
        if intention is None:
            nonce = secrets.token_hex(32)
            IntentionDeVote.objects.create(
                inscription=inscription, nonce=nonce, creee_le=horloge.maintenant()
            )
            return nonce
        if horloge.maintenant() - intention.creee_le < DELAI_AVANT_RECUPERATION:
            raise VoteEnCours
        # A vote interrupted by a crash: settle it now rather than at the next sweep.
        issue = _regler_intention(intention)
    _finir_le_reglement(intention, issue)
    # Settled and committed: the interrupted vote counted (→ DejaVote) or not (→ reserve).
    return _reserver(inscription)


def _message_hors_fenetre(ouverture: datetime, cloture: datetime) -> str:
    debut = date_heure_fr(ouverture, jour_de_semaine=True)
    fin = date_heure_fr(cloture, jour_de_semaine=True)
    if horloge.maintenant() >= cloture:
        quand = f"le vote est clos : il était ouvert du {debut} au {fin}"
    else:
        quand = f"le vote n'est pas encore ouvert : il le sera du {debut} au {fin}"
    return f"Pour ce scrutin, {quand} (heure de Paris). Votre vote n'a pas été enregistré."


def _emarger(inscription: Inscription, nonce: str, *, traceur: str, ip: str) -> Emargement:
    """Step 3: from here on the vote counts."""
    with transaction.atomic():
        # Locks in the order of step 1, inscription then intent: the émargement's foreign
        # key needs a share lock on the inscription, which a concurrent step 1 may hold.
        Inscription.objects.select_for_update().get(pk=inscription.pk)
        intention = (
            IntentionDeVote.objects.select_for_update()
            .filter(inscription=inscription, nonce=nonce)
            .first()
        )
        if intention is None:
            # The recovery judged this vote abandoned (its steps took over a minute): the
            # ballot, never acknowledged, will leave the urne as an orphan.
            raise VoteInterrompu
        intention.faite = True
        intention.save(update_fields=["faite"])
        return _signer_l_emargement(inscription, traceur=traceur, ip=ip)


def _signer_l_emargement(inscription: Inscription, *, traceur: str, ip: str) -> Emargement:
    """The émargement, its journal line and the receipt's mail, in the caller's transaction."""
    emargement = Emargement.objects.create(inscription=inscription, emarge_le=horloge.maintenant())
    compte = inscription.electeur.compte
    journaliser("vote.emargement", compte_id=compte.pk, ip=ip, scrutin=inscription.scrutin_id)
    programmer(
        type_courriel=TYPE_ACCUSE,
        compte_id=compte.pk,
        destinataire=compte.email,
        contexte={
            "scrutin": inscription.scrutin_id,
            "traceur": traceur,
            "emarge_le": emargement.emarge_le.isoformat(),
        },
    )
    return emargement


def _terminer(inscription: Inscription, empreinte_nonce: str) -> None:
    """Steps 4 and 5: forget the link between the vote and its ballot."""
    urne.confirmer(empreinte_nonce)
    IntentionDeVote.objects.filter(inscription=inscription).delete()


# ---- recovery --------------------------------------------------------------------------


@dataclass
class Bilan:
    terminees: int = 0  # émargement written, leftovers cleaned
    emargees: int = 0  # ballot in the urne, émargement written by recovery
    abandonnees: int = 0  # nothing reached the urne: the voter may vote again
    orphelins: int = 0  # ballots never acknowledged, taken out of the urne


def recuperer(*, delai: timedelta = DELAI_AVANT_RECUPERATION) -> Bilan:
    """Finish or undo every vote interrupted by a crash (run at start and periodically)."""
    bilan = Bilan()
    limite = horloge.maintenant() - delai
    # Pending rows are listed before the intents: a row listed here was written after its
    # intent was committed, so an intent missing below is truly gone, not still to come.
    en_attente = urne.empreintes_en_attente()
    for intention in IntentionDeVote.objects.filter(creee_le__lt=limite).select_related(
        "inscription"
    ):
        with transaction.atomic():
            Inscription.objects.select_for_update().get(pk=intention.inscription_id)
            verrouillee = (
                IntentionDeVote.objects.select_for_update().filter(pk=intention.pk).first()
            )
            if verrouillee is None:
                continue
            issue = _regler_intention(verrouillee)
        _finir_le_reglement(verrouillee, issue)
        setattr(bilan, issue, getattr(bilan, issue) + 1)
    # Pending rows with no intent left: their step 2 landed after recovery dropped the
    # intent (or the intent was never committed). The vote was never acknowledged.
    connues = {_empreinte(n) for n in IntentionDeVote.objects.values_list("nonce", flat=True)}
    for empreinte_nonce in en_attente:
        if empreinte_nonce not in connues and urne.annuler(empreinte_nonce):
            bilan.orphelins += 1
    if bilan != Bilan():
        log.warning("votes interrompus récupérés : %s", bilan)
        journaliser("vote.recuperation", **bilan.__dict__)
    return bilan


def _regler_intention(intention: IntentionDeVote) -> str:
    """Decide one interrupted vote, in the caller's ``default`` transaction (which holds
    the inscription's and the intent's locks): sign the émargement if its ballot reached
    the urne, drop the intent if not. The urne is not touched here: its pending row goes
    only once this is committed (:func:`_finir_le_reglement`), as in the vote itself, so
    that a crash in between leaves a done intent, not a ballot without émargement."""
    if intention.faite:
        return "terminees"
    traceur = urne.traceur_en_attente(_empreinte(intention.nonce))
    if traceur is None:
        intention.delete()
        return "abandonnees"
    intention.faite = True
    intention.save(update_fields=["faite"])
    _signer_l_emargement(intention.inscription, traceur=traceur, ip="")
    return "emargees"


def _finir_le_reglement(intention: IntentionDeVote, issue: str) -> None:
    """Steps 4 and 5 of a vote settled by :func:`_regler_intention`, once committed."""
    if issue != "abandonnees":
        _terminer(intention.inscription, _empreinte(intention.nonce))
