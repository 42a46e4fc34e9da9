"""Voter accounts: activation, login, password reset.

Each write runs in one durable transaction that consumes its single-use link, so a link
used twice at once gives one success, and a refused input leaves the link usable.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from isoloir.accounts import question_defi
from isoloir.accounts.models import Compte, Electeur
from isoloir.accounts.tasks import mettre_en_file_demande_de_lien
from isoloir.audit.services import journaliser
from isoloir.core import horloge, limites
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.links.services import LienInvalide
from isoloir.notify import services as courriels


class ConnexionRefusee(Exception):
    message = "Adresse électronique ou mot de passe incorrect."


class ConnexionBloquee(ConnexionRefusee):
    def __init__(self) -> None:
        minutes = max(1, settings.ISOLOIR_LOGIN_LOCKOUT_SECONDS // 60)
        self.message = (
            "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
            f"suspendue pendant {minutes} minutes. Vous pouvez aussi utiliser « Mot de passe "
            "oublié »."
        )
        super().__init__(self.message)


def _limite_par_compte() -> limites.Limite:
    return limites.Limite(
        "connexion-compte",
        settings.ISOLOIR_LOGIN_MAX_FAILURES_PER_ACCOUNT,
        settings.ISOLOIR_LOGIN_LOCKOUT_SECONDS,
    )


def _limite_par_ip() -> limites.Limite:
    return limites.Limite(
        "connexion-ip",
        settings.ISOLOIR_LOGIN_MAX_FAILURES_PER_IP,
        settings.ISOLOIR_LOGIN_LOCKOUT_SECONDS,
    )


def _limite_demandes_lien() -> limites.Limite:
    # Caps the mails one address can be sent, so the form cannot be used to flood a mailbox.
    return limites.Limite("lien-par-compte", 5, 3600)


class CompteDejaActive(LienInvalide):
    message = (
        "Ce compte est déjà activé. Connectez-vous, ou utilisez « Mot de passe oublié » "
        "si vous ne connaissez plus votre mot de passe."
    )


# --- Activation --------------------------------------------------------------------------


def envoyer_activation(*, electeur: Electeur) -> bool:
    """Queue the activation mail of a voter whose account is not yet active.

    Returns False, sending nothing, when the account is already active.
    """
    if electeur.est_active:
        return False
    with transaction.atomic():
        courriels.programmer(
            type_courriel="activation",
            compte_id=electeur.compte_id,
            destinataire=electeur.compte.email,
        )
        journaliser("activation.envoi_programme", compte_id=electeur.compte_id)
    return True


def envoyer_activations(*, electeurs: QuerySet[Electeur]) -> tuple[int, int]:
    """Queue the activation mail of each voter not yet activated among ``electeurs``.

    Returns (mails queued, voters skipped because already active).
    """
    programmes = ignores = 0
    for electeur in electeurs.select_related("compte").order_by("pk").iterator(chunk_size=500):
        if envoyer_activation(electeur=electeur):
            programmes += 1
        else:
            ignores += 1
    return programmes, ignores


def electeur_du_lien_activation(*, jeton: str) -> Electeur:
    lien = liens.consulter(usage=Usage.ACTIVATION, jeton=jeton)
    electeur = Electeur.objects.select_related("compte").get(compte_id=lien.compte_id)
    if electeur.est_active:
        raise CompteDejaActive
    return electeur


@transaction.atomic(durable=True)
def activer_compte(
    *, jeton: str, mot_de_passe: str, question: str, reponse: str, ip: str = ""
) -> Compte:
    lien = liens.consommer(usage=Usage.ACTIVATION, jeton=jeton)
    electeur = (
        Electeur.objects.select_for_update().select_related("compte").get(compte_id=lien.compte_id)
    )
    if electeur.est_active:
        # A link mailed before the activation must not reset the password and the
        # question défi (a factor of the réassort) of an active account.
        raise CompteDejaActive
    compte = electeur.compte
    if question not in question_defi.LIBELLES:
        raise ValidationError({"question_defi": "Choisissez une question dans la liste."})
    try:
        question_defi.verifier_recevable(reponse)
    except ValidationError as erreur:
        raise ValidationError({"reponse_defi": erreur.messages}) from erreur
    password_validation.validate_password(mot_de_passe, compte)
    compte.set_password(mot_de_passe)
    compte.save(update_fields=["password"])
    electeur.question_defi = question
    electeur.reponse_defi_empreinte = question_defi.hacher(reponse)
    electeur.active_le = horloge.maintenant()
    electeur.save(update_fields=["question_defi", "reponse_defi_empreinte", "active_le"])
    journaliser("compte.active", compte_id=compte.pk, ip=ip)
    return compte


# --- Login -------------------------------------------------------------------------------


def authentifier(*, email: str, mot_de_passe: str, ip: str) -> Compte:
    """Check e-mail and password, counting attempts per account and per IP.

    An unknown address and a wrong password get the same answer and the same work
    (Django's backend hashes a dummy password), so the form does not reveal who is on
    the roll. A blocked account is refused even with the right password. Used by the
    portal and the back-office alike.
    """
    email = email.strip().lower()
    par_compte, par_ip = _limite_par_compte(), _limite_par_ip()
    # Counted before the password is checked (see isoloir.core.limites).
    tentatives = limites.compter(par_compte, email)
    tentatives_ip = limites.compter(par_ip, ip)
    if limites.depasse(par_compte, tentatives) or limites.depasse(par_ip, tentatives_ip):
        journaliser("connexion.bloquee", ip=ip)
        raise ConnexionBloquee
    compte = authenticate(None, username=email, password=mot_de_passe)
    if not isinstance(compte, Compte):
        journaliser("connexion.echec", ip=ip)
        if tentatives >= par_compte.plafond or tentatives_ip >= par_ip.plafond:
            raise ConnexionBloquee
        raise ConnexionRefusee
    limites.effacer(par_compte, email)
    limites.rendre(par_ip, ip)
    journaliser("connexion.reussie", compte_id=compte.pk, ip=ip)
    return compte


# --- Forgotten password ------------------------------------------------------------------


def demander_reinitialisation(*, email: str, ip: str = "") -> None:
    """Send a reset link to the address if it belongs to an account; say nothing either way.

    Known and unknown addresses do the same work here: one account lookup, one count of
    requests, one journal entry, one task (issue 12, item 24: the known ones answered
    measurably slower when only they wrote a mail). The task decides and writes the mail
    (accounts/tasks.py); a voter who never activated the account gets the activation link,
    which is what they need.
    """
    email = email.strip().lower()
    compte = Compte.objects.filter(email=email, is_active=True).only("pk").first()
    limite = _limite_demandes_lien()
    depasse = limites.depasse(limite, limites.compter(limite, email))
    compte_id = compte.pk if compte is not None and not depasse else None
    with transaction.atomic():
        if compte_id is None:
            journaliser("mot_de_passe.demande_ignoree", ip=ip)
        else:
            journaliser("mot_de_passe.demande", compte_id=compte_id, ip=ip)
        transaction.on_commit(lambda: mettre_en_file_demande_de_lien(compte_id))


def compte_du_lien_reinitialisation(*, jeton: str) -> Compte:
    return liens.consulter(usage=Usage.MOT_DE_PASSE, jeton=jeton).compte


@transaction.atomic(durable=True)
def reinitialiser_mot_de_passe(*, jeton: str, mot_de_passe: str, ip: str = "") -> Compte:
    lien = liens.consommer(usage=Usage.MOT_DE_PASSE, jeton=jeton)
    compte = Compte.objects.select_for_update().get(pk=lien.compte_id)
    password_validation.validate_password(mot_de_passe, compte)
    compte.set_password(mot_de_passe)
    compte.save(update_fields=["password"])
    # Other sessions end by themselves: Django checks a hash of the password on each request.
    limites.effacer(_limite_par_compte(), compte.email)
    courriels.programmer(
        type_courriel="mot_de_passe_modifie", compte_id=compte.pk, destinataire=compte.email
    )
    journaliser("mot_de_passe.reinitialise", compte_id=compte.pk, ip=ip)
    return compte


def duree_lien(usage: Usage) -> timedelta:
    secondes = {
        Usage.ACTIVATION: settings.ISOLOIR_ACTIVATION_LINK_SECONDS,
        Usage.MOT_DE_PASSE: settings.ISOLOIR_PASSWORD_RESET_LINK_SECONDS,
    }[usage]
    return timedelta(seconds=secondes)


# --- Changes from « Mes informations personnelles » -------------------------------------


class ChangementRefuse(Exception):
    """The current secret given is wrong; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ChangementBloque(ChangementRefuse):
    pass


def _limite_reponse_defi() -> limites.Limite:
    # The very counter of the réassort's answer check (votecode.reassort, same scope): the
    # answer is one secret, so this form gives no guesses beyond the réassort's daily ones.
    return limites.Limite(
        "reassort-electeur", settings.ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR, 24 * 3600
    )


def changer_mot_de_passe(*, compte_id: int, actuel: str, nouveau: str, ip: str = "") -> Compte:
    """Replace the password of a logged-in account, behind the current one.

    The current password is counted against the login's own per-account limit before it is
    checked (one secret, one budget). The caller keeps its session alive with
    ``update_session_auth_hash``; every other session of the account ends at its next
    request, since Django checks a hash of the password on each one. Raises
    :class:`ChangementRefuse`, :class:`ChangementBloque`, or ``ValidationError`` for a new
    password the rules refuse; in each case nothing is written but the journal line.
    """
    compte = Compte.objects.get(pk=compte_id)
    limite = _limite_par_compte()
    essais = limites.compter(limite, compte.email)
    if limites.depasse(limite, essais):
        journaliser("mot_de_passe.changement_bloque", compte_id=compte_id, ip=ip)
        raise ChangementBloque(ConnexionBloquee().message)
    with transaction.atomic():
        compte = Compte.objects.select_for_update().get(pk=compte_id)
        juste = compte.check_password(actuel)
        if juste:
            limites.effacer(limite, compte.email)
            if nouveau == actuel:
                raise ValidationError(
                    {"mot_de_passe": "Le nouveau mot de passe doit être différent de l'actuel."}
                )
            password_validation.validate_password(nouveau, compte)
            compte.set_password(nouveau)
            compte.save(update_fields=["password"])
            courriels.programmer(
                type_courriel="mot_de_passe_modifie",
                compte_id=compte.pk,
                destinataire=compte.email,
            )
            journaliser("mot_de_passe.modifie", compte_id=compte.pk, ip=ip)
            return compte
    journaliser("mot_de_passe.changement_refuse", compte_id=compte_id, ip=ip, essai=essais)
    if essais >= limite.plafond:
        raise ChangementBloque(ConnexionBloquee().message)
    raise ChangementRefuse("Le mot de passe actuel est incorrect.")


def changer_question_defi(
    *, electeur_id: int, reponse_actuelle: str, question: str, reponse: str, ip: str = ""
) -> Electeur:
    """Replace the question défi and its answer, behind the current answer.

    Same shape as :func:`changer_mot_de_passe`; the answers are never journaled, only the
    question's key. An information mail goes to the professional address, since the answer
    is a factor of the réassort.
    """
    electeur = Electeur.objects.get(pk=electeur_id)
    limite = _limite_reponse_defi()
    essais = limites.compter(limite, str(electeur.pk))
    if limites.depasse(limite, essais):
        journaliser("question_defi.changement_bloque", compte_id=electeur.compte_id, ip=ip)
        raise ChangementBloque(MESSAGE_QUESTION_BLOQUEE)
    with transaction.atomic():
        electeur = Electeur.objects.select_for_update().get(pk=electeur_id)
        juste = question_defi.verifier(reponse_actuelle, electeur.reponse_defi_empreinte)
        if juste:
            limites.effacer(limite, str(electeur.pk))
            if question not in question_defi.LIBELLES:
                raise ValidationError({"question_defi": "Choisissez une question dans la liste."})
            try:
                question_defi.verifier_recevable(reponse)
            except ValidationError as erreur:
                raise ValidationError({"reponse_defi": erreur.messages}) from erreur
            electeur.question_defi = question
            electeur.reponse_defi_empreinte = question_defi.hacher(reponse)
            electeur.save(update_fields=["question_defi", "reponse_defi_empreinte"])
            courriels.programmer(
                type_courriel="question_defi_modifiee",
                compte_id=electeur.compte_id,
                destinataire=electeur.compte.email,
            )
            journaliser(
                "question_defi.modifiee", compte_id=electeur.compte_id, ip=ip, question=question
            )
            return electeur
    journaliser(
        "question_defi.changement_refuse", compte_id=electeur.compte_id, ip=ip, essai=essais
    )
    if essais >= limite.plafond:
        raise ChangementBloque(MESSAGE_QUESTION_BLOQUEE)
    raise ChangementRefuse("La réponse actuelle à votre question défi est incorrecte.")


MESSAGE_QUESTION_BLOQUEE = (
    "Trop de réponses incorrectes à votre question défi aujourd'hui. Par sécurité, elle ne "
    "peut plus être vérifiée avant demain, ni ici ni pour obtenir un nouveau code de vote."
)
