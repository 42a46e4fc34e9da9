"""Assistance requests: filing one on the portal, then the helpdesk's work on it.

A request may come from anyone, logged in or not, with any address typed in. So:
- the person's address gets mail (acknowledgment, reply) only when it is an existing
  account's address, and the portal says the same thing either way: nobody learns from
  the form which addresses have an account;
- the form's key (core.soumission) makes a second post of the same form (double click,
  reload, two tabs) return the first request instead of filing another; only its
  fingerprint is stored;
- a message shaped like a code de vote or a NUMEN is refused by the form, so that no
  secret lands in a table the helpdesk reads.
"""

import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from isoloir.accounts.models import Compte
from isoloir.assistance.models import (
    CanalReponse,
    Categorie,
    DemandeAssistance,
    ReponseAssistance,
    Statut,
)
from isoloir.audit.services import journaliser
from isoloir.core import horloge, limites, soumission
from isoloir.notify import services as courriels

# Requests filed per address and hour: a person needs one or two; a script many.
DEMANDES_PAR_IP = limites.Limite("assistance-demande-ip", 10, 3600)
# Requests filed per logged-in account and day.
DEMANDES_PAR_COMPTE = limites.Limite("assistance-demande-compte", 10, 24 * 3600)
# Acknowledgments mailed per address and day, whoever files: typing a colleague's address
# many times must not flood their mailbox. The requests themselves are still recorded.
ACCUSES_PAR_ADRESSE = limites.Limite("assistance-accuse", 3, 24 * 3600)

# Without 0/O, 1/I/L: read aloud over the phone.
_ALPHABET_NUMERO = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class DemandeRefusee(Exception):
    """``message`` is shown as is."""

    message = "Votre demande n'a pas pu être enregistrée."


class TropDeDemandes(DemandeRefusee):
    message = (
        "Vous avez déjà envoyé plusieurs demandes : patientez une heure avant d'en envoyer une "
        "autre, ou appelez l'assistance téléphonique."
    )


class FormulaireExpire(DemandeRefusee):
    """The form's key has filed someone else's request."""

    message = soumission.FORMULAIRE_EXPIRE


class ActionImpossible(Exception):
    """A helpdesk action refused; ``message`` is shown to the helpdesk member."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _empreinte(cle: uuid.UUID) -> str:
    return hashlib.sha256(f"assistance:{cle}".encode()).hexdigest()


def demande_deja_envoyee(
    *, cle: uuid.UUID | None, compte: Compte | None
) -> DemandeAssistance | None:
    """The request this person has already filed with this form's key, if any: the view
    looks before checking the form, whose CAPTCHA the first post has spent."""
    if cle is None:
        return None
    return DemandeAssistance.objects.filter(empreinte_envoi=_empreinte(cle), compte=compte).first()


def _demande_de_la_cle(cle: uuid.UUID, compte: Compte | None) -> DemandeAssistance | None:
    deja = DemandeAssistance.objects.filter(empreinte_envoi=_empreinte(cle)).first()
    if deja is not None and deja.compte_id != (compte.pk if compte is not None else None):
        raise FormulaireExpire
    return deja


def _numero() -> str:
    tirage = "".join(secrets.choice(_ALPHABET_NUMERO) for _ in range(8))
    return f"{tirage[:4]}-{tirage[4:]}"


def compte_de_l_adresse(email: str) -> Compte | None:
    """The account whose login is ``email``: the only address the service ever mails."""
    return Compte.objects.filter(email=email.strip().lower(), is_active=True).first()


def compte_de_la_demande(demande: DemandeAssistance) -> Compte | None:
    """The account a request is from and is answered to: the one it was filed from when
    logged in; for an anonymous request, the account of the typed address, if any (an
    address the person typed, which proves nothing)."""
    if demande.compte_id is not None:
        compte = demande.compte
        return compte if compte is not None and compte.is_active else None
    return compte_de_l_adresse(demande.email)


@dataclass(frozen=True)
class Depot:
    demande: DemandeAssistance
    deja_envoyee: bool  # a second post of the same form


def deposer(
    *,
    cle: uuid.UUID,
    nom: str,
    email: str,
    telephone: str,
    categorie: Categorie,
    message: str,
    compte: Compte | None,
    ip: str,
) -> Depot:
    """File a request (its content already checked by the form). The same form's key
    files one request however many times it is posted: the later posts get it back."""

    def agir() -> DemandeAssistance:
        limite, sujet = (
            (DEMANDES_PAR_COMPTE, str(compte.pk)) if compte is not None else (DEMANDES_PAR_IP, ip)
        )
        if limites.depasse(limite, limites.compter(limite, sujet)):
            journaliser(
                "assistance.demande_refusee", compte_id=compte.pk if compte else None, ip=ip
            )
            raise TropDeDemandes
        # A logged-in voter's request is theirs: its address is the account's, whatever was
        # typed, so that nobody files a request (and gets replies) under a colleague's
        # address.
        adresse = compte.email if compte is not None else email.strip().lower()
        with transaction.atomic():
            demande = DemandeAssistance.objects.create(
                numero=_numero(),
                categorie=categorie,
                nom=nom.strip(),
                email=adresse,
                telephone=telephone.strip(),
                message=message.strip(),
                compte=compte,
                cree_le=horloge.maintenant(),
                empreinte_envoi=_empreinte(cle),
            )
            _accuser_reception(demande)
            journaliser(
                "assistance.demande",
                compte_id=compte.pk if compte else None,
                ip=ip,
                demande=demande.numero,
                categorie=demande.categorie,
            )
        return demande

    try:
        depot = soumission.une_seule_fois(
            retrouver=lambda: _demande_de_la_cle(cle, compte), agir=agir
        )
    except IntegrityError:
        # Not the same form posted twice (une_seule_fois returns that one's request): a
        # clash of two random numbers, one chance in 10^11 per pair, refused.
        raise DemandeRefusee from None
    return Depot(depot.resultat, deja_envoyee=not depot.premiere)


def _accuser_reception(demande: DemandeAssistance) -> None:
    destinataire = compte_de_la_demande(demande)
    if destinataire is None:
        return
    if limites.depasse(
        ACCUSES_PAR_ADRESSE, limites.compter(ACCUSES_PAR_ADRESSE, destinataire.email)
    ):
        return
    courriels.programmer(
        type_courriel="assistance_accuse",
        compte_id=destinataire.pk,
        destinataire=destinataire.email,
        contexte={"demande": demande.pk},
    )


# --- The helpdesk's work ------------------------------------------------------------------


def prendre(*, demande_id: int, agent: Compte, ip: str) -> DemandeAssistance:
    """Take a new request. Two members taking it at once: one update matches, the other
    is told who has it."""
    maintenant = horloge.maintenant()
    with transaction.atomic():
        pris = DemandeAssistance.objects.filter(pk=demande_id, statut=Statut.NOUVELLE).update(
            statut=Statut.EN_COURS, prise_par=agent, prise_le=maintenant
        )
        demande = DemandeAssistance.objects.select_related("prise_par").get(pk=demande_id)
        if not pris:
            qui = (
                demande.prise_par.nom_affiche or demande.prise_par.email
                if demande.prise_par
                else ""
            )
            raise ActionImpossible(
                f"Cette demande a déjà été prise en charge par {qui}."
                if qui and demande.statut == Statut.EN_COURS
                else "Cette demande n'est plus nouvelle : elle ne peut pas être prise en charge."
            )
        journaliser("assistance.prise", compte_id=agent.pk, ip=ip, demande=demande.numero)
    return demande


def _verrouiller_pour(demande_id: int, agent: Compte) -> DemandeAssistance:
    demande = DemandeAssistance.objects.select_for_update().get(pk=demande_id)
    if demande.statut != Statut.EN_COURS:
        raise ActionImpossible(
            "Prenez d'abord la demande en charge."
            if demande.statut == Statut.NOUVELLE
            else "Cette demande est résolue."
        )
    if demande.prise_par_id != agent.pk:
        raise ActionImpossible("Cette demande est prise en charge par un autre membre.")
    return demande


def repondre(
    *, demande_id: int, agent: Compte, texte: str, cle: uuid.UUID, ip: str
) -> ReponseAssistance:
    """Record a reply. Mailed when the request's address is an account's; otherwise the
    member has answered by phone, and the reply is marked so. The same form's key records
    one reply however many times it is posted."""
    empreinte = _empreinte(cle)

    def retrouver() -> ReponseAssistance | None:
        deja = ReponseAssistance.objects.filter(empreinte_envoi=empreinte).first()
        if deja is not None and deja.demande_id != demande_id:
            raise ActionImpossible(soumission.FORMULAIRE_EXPIRE)
        return deja

    def agir() -> ReponseAssistance:
        with transaction.atomic():
            demande = _verrouiller_pour(demande_id, agent)
            destinataire = compte_de_la_demande(demande)
            reponse = ReponseAssistance.objects.create(
                demande=demande,
                auteur=agent,
                texte=texte.strip(),
                canal=CanalReponse.COURRIEL if destinataire else CanalReponse.TELEPHONE,
                creee_le=horloge.maintenant(),
                empreinte_envoi=empreinte,
            )
            if destinataire is not None:
                courriels.programmer(
                    type_courriel="assistance_reponse",
                    compte_id=destinataire.pk,
                    destinataire=destinataire.email,
                    contexte={"reponse": reponse.pk},
                )
            journaliser(
                "assistance.reponse",
                compte_id=agent.pk,
                ip=ip,
                demande=demande.numero,
                canal=reponse.canal,
            )
        return reponse

    return soumission.une_seule_fois(retrouver=retrouver, agir=agir).resultat


def clore(*, demande_id: int, agent: Compte, ip: str) -> DemandeAssistance:
    with transaction.atomic():
        demande = _verrouiller_pour(demande_id, agent)
        demande.statut = Statut.RESOLUE
        demande.resolue_le = horloge.maintenant()
        demande.save(update_fields=["statut", "resolue_le"])
        journaliser("assistance.cloture", compte_id=agent.pk, ip=ip, demande=demande.numero)
    return demande
