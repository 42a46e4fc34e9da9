"""The réassort: a voter who lost their code de vote gets a new one, with no operator.

Two ways to prove who one is, both for a voter logged in to the portal:
- the question défi: secret answer + NUMEN, then a single-use link sent to a *personal*
  address or mobile, which is used to send and then dropped (the journal keeps a masked
  form); an information mail goes to the professional address;
- FranceConnect, whose identity is matched to the voter (``isoloir.franceconnect``).
Either way the voter ends on the page of the link, where one POST draws a new code, shown
once; the old code dies in the same transaction.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Electeur
from isoloir.audit.services import journaliser
from isoloir.core import horloge, limites
from isoloir.core.dates import date_heure_fr
from isoloir.core.requetes import adresse_du_client
from isoloir.elections import selectors
from isoloir.elections.calendrier import calendrier
from isoloir.elections.models import Campagne
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.notify import services as courriels
from isoloir.notify.composition import Contenu, construire, lien_absolu
from isoloir.notify.masquage import masquer_email, masquer_mobile
from isoloir.notify.sms import ErreurSmsDefinitive, ErreurSmsTransitoire, envoyer_sms
from isoloir.votecode.models import Origine
from isoloir.votecode.services import emettre


class Canal(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    FRANCECONNECT = "franceconnect"


class ReassortRefuse(Exception):
    """Base of the refusals; ``message`` is shown to the voter as is."""

    message = "Votre demande de réassort n'a pas pu aboutir."


class IdentificationRefusee(ReassortRefuse):
    # One message for a wrong answer and a wrong NUMEN: the form must not say which.
    message = "La réponse secrète ou le NUMEN est incorrect."


class ReassortBloque(ReassortRefuse):
    message = (
        "Trop d'essais infructueux : le réassort de votre code de vote est bloqué pour "
        "24 heures. Contactez l'assistance si vous n'êtes pas à l'origine de ces essais."
    )


class ReassortFerme(ReassortRefuse):
    def __init__(self, fenetre: tuple[datetime, datetime]) -> None:
        debut, fin = (date_heure_fr(d, jour_de_semaine=True) for d in fenetre)
        self.message = (
            f"Le réassort du code de vote est ouvert du {debut} au {fin} (heure de Paris)."
        )
        super().__init__(self.message)


class EnvoiImpossible(ReassortRefuse):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class TropDeLiens(ReassortRefuse):
    message = (
        "Vous avez déjà demandé plusieurs liens aujourd'hui. Utilisez le dernier reçu, ou "
        "réessayez demain."
    )


# Tries per address, whatever the voter: one machine cannot go through many accounts.
PAR_IP = limites.Limite("reassort-ip", 30, 3600)
# Links sent per voter and day, successes included: each one costs an SMS or a mail.
LIENS_PAR_ELECTEUR = limites.Limite("reassort-liens", 5, 24 * 3600)


def _budget_sms() -> limites.Limite:
    # SMS of the whole service per hour: a ceiling on what a fraud (SMS pumping through many
    # accounts) can cost; e-mail stays available beyond it.
    return limites.Limite("reassort-sms", settings.ISOLOIR_SMS_MAX_PAR_HEURE, 3600)


class BudgetSmsEpuise(ReassortRefuse):
    message = (
        "L'envoi par SMS est momentanément indisponible. Choisissez l'envoi par e-mail, ou "
        "réessayez dans une heure."
    )


def _limite_par_electeur() -> limites.Limite:
    return limites.Limite(
        "reassort-electeur", settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR, 24 * 3600
    )


# --- Rules --------------------------------------------------------------------------------


def fenetre_reassort(campagne: Campagne) -> tuple[datetime, datetime]:
    """From the delivery of the notices (15 days before the vote, A04) to the close of the
    vote, unless the campaign sets its own dates (B06)."""
    periode = calendrier(campagne).reassort
    return periode.debut, periode.fin


def verifier_fenetre(electeur: Electeur) -> None:
    campagne = selectors.campagne_de(electeur)
    if campagne is None:
        raise ReassortRefuse
    debut, fin = fenetre_reassort(campagne)
    if not debut <= horloge.maintenant() < fin:
        raise ReassortFerme((debut, fin))


def identifiant_public(electeur: Electeur) -> str:
    """The ``electeurId`` of the link: opaque (no row number to enumerate), stable, and
    checked against the link's own account, so it adds a binding, not a secret."""
    cle = settings.SECRET_KEY.encode()
    return hmac.new(cle, f"electeur:{electeur.pk}".encode(), hashlib.sha256).hexdigest()[:24]


def verifier_ouvert(*, electeur: Electeur, ip: str) -> None:
    """The réassort is open for this voter: within the campaign's dates, not locked."""
    verifier_fenetre(electeur)
    if limites.est_bloque(_limite_par_electeur(), str(electeur.pk)):
        journaliser("reassort.bloque", compte_id=electeur.compte_id, ip=ip)
        raise ReassortBloque


def compter_tentative(*, electeur: Electeur, ip: str) -> int:
    """Count a proof of identity about to be checked (question défi or FranceConnect),
    before checking it, so that simultaneous tries cannot all pass; refuse beyond the
    day's limit or the address's. Returns the voter's count, this try included."""
    limite = _limite_par_electeur()
    essais = limites.compter(limite, str(electeur.pk))
    essais_ip = limites.compter(PAR_IP, ip)
    if limites.depasse(limite, essais) or limites.depasse(PAR_IP, essais_ip):
        journaliser("reassort.bloque", compte_id=electeur.compte_id, ip=ip)
        raise ReassortBloque
    return essais


def signaler_echec(*, electeur: Electeur, ip: str, essais: int) -> None:
    """A proof of identity failed; at the day's limit, lock, tell the professional
    address, and raise."""
    journaliser("reassort.echec", compte_id=electeur.compte_id, ip=ip, essai=essais)
    if essais >= _limite_par_electeur().plafond:
        _informer(electeur, "reassort_bloque", {})
        journaliser("reassort.verrouille", compte_id=electeur.compte_id, ip=ip)
        raise ReassortBloque


def reussite(*, electeur: Electeur, ip: str) -> None:
    """A proof of identity succeeded: its try is given back. The links sent today are
    counted apart, so that nobody can have SMS sent without end."""
    limites.effacer(_limite_par_electeur(), str(electeur.pk))
    limites.rendre(PAR_IP, ip)
    liens_du_jour = limites.compter(LIENS_PAR_ELECTEUR, str(electeur.pk))
    if limites.depasse(LIENS_PAR_ELECTEUR, liens_du_jour):
        journaliser("reassort.trop_de_liens", compte_id=electeur.compte_id, ip=ip)
        raise TropDeLiens


# --- Request by question défi ---------------------------------------------------------------


@dataclass(frozen=True)
class LienEnvoye:
    canal: Canal
    destination_masquee: str
    expire_le: datetime


def demander_par_question(
    *, electeur: Electeur, reponse: str, numen_saisi: str, canal: Canal, destination: str, ip: str
) -> LienEnvoye:
    """Check the answer and the NUMEN, then send a single-use link to ``destination``.

    ``destination`` (an already validated personal address or E.164 mobile) is used to
    send and then forgotten: only its masked form is journaled and mailed.
    """
    verifier_ouvert(electeur=electeur, ip=ip)
    essais = compter_tentative(electeur=electeur, ip=ip)
    # Both secrets are always checked, so that a wrong NUMEN and a wrong answer cost the
    # same time.
    reponse_juste = question_defi.verifier(reponse, electeur.reponse_defi_empreinte)
    numen_juste = numen.correspond(numen_saisi, electeur.numen_empreinte)
    if not (reponse_juste and numen_juste):
        signaler_echec(electeur=electeur, ip=ip, essais=essais)
        raise IdentificationRefusee
    reussite(electeur=electeur, ip=ip)
    if canal is Canal.SMS and limites.depasse(_budget_sms(), limites.compter(_budget_sms(), "*")):
        journaliser("reassort.budget_sms_epuise", compte_id=electeur.compte_id, ip=ip)
        raise BudgetSmsEpuise
    masque = _masquer(canal, destination)
    lien, url = _emettre_lien(electeur, canal)
    try:
        _envoyer_lien(
            electeur=electeur, canal=canal, destination=destination, url=url, reference=str(lien.pk)
        )
    except EnvoiImpossible:
        liens.revoquer_tout(compte_id=electeur.compte_id, usage=Usage.REASSORT)
        journaliser(
            "reassort.envoi_echoue",
            compte_id=electeur.compte_id,
            ip=ip,
            canal=canal.value,
            destination=masque,
        )
        raise
    _informer(electeur, "reassort_demande", {"canal": canal.value, "destination": masque})
    journaliser(
        "reassort.lien_envoye",
        compte_id=electeur.compte_id,
        ip=ip,
        canal=canal.value,
        destination=masque,
    )
    return LienEnvoye(canal, masque, lien.expire_le)


def ouvrir_par_franceconnect(*, request: HttpRequest, electeur: Electeur) -> HttpResponse:
    """After FranceConnect matched the logged-in voter: straight to the réassort page."""
    ip = adresse_du_client(request)
    # A new proof of identity, a new session key (ASVS 7.2.4).
    request.session.cycle_key()
    verifier_ouvert(electeur=electeur, ip=ip)
    reussite(electeur=electeur, ip=ip)
    _, url = _emettre_lien(electeur, Canal.FRANCECONNECT)
    _informer(
        electeur,
        "reassort_demande",
        {"canal": Canal.FRANCECONNECT.value, "destination": "FranceConnect"},
    )
    journaliser("reassort.franceconnect", compte_id=electeur.compte_id, ip=ip)
    return HttpResponseRedirect(url.removeprefix(settings.ISOLOIR_BASE_URL))


def _masquer(canal: Canal, destination: str) -> str:
    return masquer_mobile(destination) if canal is Canal.SMS else masquer_email(destination)


def _emettre_lien(electeur: Electeur, canal: Canal) -> tuple[liens.LienUsageUnique, str]:
    # One link per request: a new request voids the links of the older ones (emettre
    # revokes them), so a link answers exactly the latest request.
    lien, jeton = liens.emettre(
        usage=Usage.REASSORT,
        compte_id=electeur.compte_id,
        duree=timedelta(seconds=settings.ISOLOIR_REASSORT_LINK_SECONDS),
        contexte={"canal": canal.value},
    )
    chemin = (
        f"{reverse('votecode:reassort_code_vote')}?token={jeton}"
        f"&electeurId={identifiant_public(electeur)}"
    )
    return lien, lien_absolu(chemin)


def _informer(electeur: Electeur, type_courriel: str, contexte: dict[str, object]) -> None:
    with transaction.atomic():
        courriels.programmer(
            type_courriel=type_courriel,
            compte_id=electeur.compte_id,
            destinataire=electeur.compte.email,
            contexte=contexte,
        )


def _envoyer_lien(
    *, electeur: Electeur, canal: Canal, destination: str, url: str, reference: str
) -> None:
    """Send now, from the request: the personal channel may not wait in a queue, where it
    would be stored."""
    minutes = settings.ISOLOIR_REASSORT_LINK_SECONDS // 60
    if canal is Canal.SMS:
        texte = (
            f"Elections pro : lien pour votre nouveau code de vote, valable {minutes} min, "
            f"a usage unique : {url}"
        )
        try:
            envoyer_sms(numero=destination, texte=texte, reference=reference)
        except (ErreurSmsDefinitive, ErreurSmsTransitoire) as erreur:
            raise EnvoiImpossible(erreur.message) from erreur
        return
    contenu = Contenu(
        objet="Procéder au réassort de votre code de vote",
        gabarit="votecode/mails/lien_reassort",
        contexte={"salutation": electeur.formule_d_appel, "url": url, "minutes": minutes},
    )
    try:
        courriels.envoyer_sans_file(construire(contenu, destinataire=destination))
    except courriels.EnvoiEchoue as echec:
        raise EnvoiImpossible(
            "Le message n'a pas pu être envoyé pour le moment ; réessayez dans quelques "
            "minutes ou choisissez l'envoi par SMS."
            if echec.transitoire
            else "Cette adresse électronique a été refusée par sa messagerie. Vérifiez-la, ou "
            "choisissez l'envoi par SMS."
        ) from echec


# --- The link and the new code ----------------------------------------------------------

# Refused links journaled per address: beyond, they are refused without a journal line, so
# that a flood of made-up tokens cannot fill the journal or hold its lock.
LIENS_REFUSES_PAR_IP = limites.Limite("reassort-lien-refuse-ip", 30, 600)


def journaliser_lien_refuse(*, erreur: liens.LienInvalide, ip: str) -> None:
    if not limites.depasse(LIENS_REFUSES_PAR_IP, limites.compter(LIENS_REFUSES_PAR_IP, ip)):
        journaliser("reassort.lien_refuse", ip=ip, raison=type(erreur).__name__)


def _electeur_verifie(compte_id: int, electeur_id: str) -> Electeur:
    """The voter of the link, if ``electeurId`` is theirs."""
    electeur = Electeur.objects.select_related("compte").get(compte_id=compte_id)
    if not hmac.compare_digest(identifiant_public(electeur), electeur_id or ""):
        raise liens.LienInconnu
    return electeur


def electeur_du_lien(*, jeton: str, electeur_id: str) -> Electeur:
    lien = liens.consulter(usage=Usage.REASSORT, jeton=jeton)
    return _electeur_verifie(lien.compte_id, electeur_id)


@transaction.atomic(durable=True)
def regenerer(*, jeton: str, electeur_id: str, ip: str, compte_connecte: int | None = None) -> str:
    """Consume the link and give the voter a new code, returned to be shown once."""
    lien = liens.consommer(usage=Usage.REASSORT, jeton=jeton)
    electeur = _electeur_verifie(lien.compte_id, electeur_id)
    if compte_connecte is not None and compte_connecte != electeur.compte_id:
        # Someone logged in to the portal as another voter holds this link: refused, so
        # that a link forwarded or stolen does not serve from another account's session.
        raise liens.LienInconnu
    verifier_fenetre(electeur)
    nouveau = emettre(electeur=electeur, origine=Origine.REASSORT)
    courriels.programmer(
        type_courriel="reassort_effectue",
        compte_id=electeur.compte_id,
        destinataire=electeur.compte.email,
        contexte={"canal": lien.contexte.get("canal", "")},
    )
    journaliser(
        "reassort.code_regenere",
        compte_id=electeur.compte_id,
        ip=ip,
        canal=lien.contexte.get("canal", ""),
    )
    return nouveau


# --- The helpdesk's view of the lock (isoloir.assistance) ---------------------------------


def est_verrouille(electeur: Electeur) -> bool:
    """Whether the day's failed proofs of identity have locked this voter's réassort."""
    return limites.est_bloque(_limite_par_electeur(), str(electeur.pk))


def lever_le_verrou(electeur: Electeur) -> None:
    """Forget the voter's counted tries, so that the réassort opens again at once.

    Only the helpdesk calls this, after checking the caller's identity; it journals the
    check and the unlock itself, with its member's id."""
    limites.effacer(_limite_par_electeur(), str(electeur.pk))
