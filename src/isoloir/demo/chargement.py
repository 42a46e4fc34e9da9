"""The demo campaign: a realistic « Élections professionnelles 2026 » to try every flow.

Everything comes from one seed (faker ``fr_FR`` and :class:`random.Random`), so a re-run
generates the same people, finds them again by the hash of their NUMEN and updates them
instead of adding new ones. Only the showcase voters' secrets are known: they are reset
on every run, so the credentials printed last always work, even after someone changed a
password or activated an account during the previous demo.
"""

import base64
import secrets
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from faker import Faker

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Civilite, Compte, Electeur
from isoloir.accounts.second_facteur import appareil_de_demonstration
from isoloir.core.clock import en_jours_calendaires
from isoloir.core.presentation import enregistrer_marque
from isoloir.demo.professions_de_foi import profession_de_foi
from isoloir.demo.referentiel import (
    ORGANISATIONS,
    SCRUTINS,
    ModeleElecteur,
    ModeleScrutin,
    generateur_seme,
    generer_electeurs,
)
from isoloir.elections.models import (
    DELAI_DE_RECLAMATION,
    DELAI_DE_VERIFICATION,
    DUREE_MINIMALE,
    Campagne,
    Candidat,
    Inscription,
    ListeCandidats,
    Scrutin,
)
from isoloir.gestion.roles import RoleDeGestion
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.votecode.models import Origine
from isoloir.votecode.services import emettre as emettre_code

SLUG = "elections-professionnelles-2026"
NOM = "Élections professionnelles 2026"
# The administration that runs the demo's elections: the portal's bloc-marque.
MARQUE = ("Ministère", "de l'Éducation", "nationale")
# Absolute time, not 8 calendar days in Paris: across a change of summer time the latter
# would be 191 or 193 hours, and the décret caps the window at 8 days.
DUREE_DU_VOTE = timedelta(days=8)
DUREE_LIEN_ACTIVATION = timedelta(days=7)
PARIS = ZoneInfo("Europe/Paris")

ADMIN_EMAIL = "admin@isoloir.localhost"
ADMIN_MOT_DE_PASSE = "Urne-Transparente-Scellee-2026"  # demo only, printed on purpose
ASSISTANCE_EMAIL = "assistance@isoloir.localhost"
ASSISTANCE_MOT_DE_PASSE = "Cellule-Assistance-Ecoute-2026"  # demo only, printed on purpose
EDITO = (
    "Madame, Monsieur,\n\n"
    "Pendant huit jours, vous élisez vos représentants au comité social d'administration "
    "ministériel, au comité social d'administration de votre académie et à la commission "
    "administrative paritaire de votre corps.\n\n"
    "Le vote a lieu exclusivement par voie électronique, depuis tout ordinateur, tablette "
    "ou téléphone relié à internet. Munissez-vous de votre code de vote, remis en main "
    "propre avec votre notice de vote.\n\n"
    "Chaque voix compte : votez !"
)


# --- What the demo returns ---------------------------------------------------------------


@dataclass(frozen=True)
class ElecteurDemo:
    """Everything needed to try the flows as one showcase voter."""

    civilite: str
    nom: str
    prenoms: str
    date_naissance: date
    commune_naissance: str
    etablissement: str
    email: str
    numen: str
    active: bool
    mot_de_passe: str | None
    question_defi: str | None
    reponse_defi: str | None
    lien_activation: str | None
    scrutins: list[str]
    code_de_vote: str | None = None


@dataclass(frozen=True)
class IdentifiantsDemo:
    campagne: str
    ouverture: datetime
    cloture: datetime
    admin_email: str
    admin_mot_de_passe: str
    # Base32 secrets of the TOTP applications (second factor) of the back-office's accounts.
    admin_secret_totp: str
    assistance_email: str
    assistance_mot_de_passe: str
    assistance_secret_totp: str
    electeurs: list[ElecteurDemo] = field(default_factory=list)
    # A previous run's campaign was found: its codes de vote and TOTP secrets were renewed.
    rechargee: bool = False

    def en_json(self) -> dict[str, Any]:
        def convertir(valeur: Any) -> Any:
            if isinstance(valeur, datetime):
                return valeur.astimezone(PARIS).isoformat()
            if isinstance(valeur, date):
                return valeur.isoformat()
            if isinstance(valeur, dict):
                return {cle: convertir(v) for cle, v in valeur.items()}
            if isinstance(valeur, list):
                return [convertir(v) for v in valeur]
            return valeur

        donnees: dict[str, Any] = convertir(asdict(self))
        return donnees


# --- The scrutins and their lists --------------------------------------------------------


def _enregistrer(objet: models.Model, **exclusions: Any) -> None:
    objet.full_clean(**exclusions)
    objet.save()


def _charger_campagne(
    *, maintenant: datetime, ouverture_dans: timedelta, duree_du_vote: timedelta
) -> Campagne:
    # Whole minutes read better on the portal ("à 14h05"); rounding down keeps a
    # window opening "now" already open.
    ouverture = (maintenant + ouverture_dans).astimezone(UTC).replace(second=0, microsecond=0)
    campagne = Campagne.objects.filter(slug=SLUG).first() or Campagne(slug=SLUG)
    campagne.nom = NOM
    campagne.edito = EDITO
    campagne.ouverture = ouverture
    # Days of Paris's calendar (8 days may last 191 or 193 hours across a change of time,
    # and the rule counts days), never under the 24 hours of real time the texts require.
    campagne.cloture = max(
        en_jours_calendaires(ouverture, duree_du_vote), ouverture + DUREE_MINIMALE
    )
    # The rolls are on show since yesterday, claims open until their legal end or the vote.
    campagne.publication_des_listes = maintenant - timedelta(days=1)
    campagne.reclamations_cloture = min(
        en_jours_calendaires(
            campagne.publication_des_listes, DELAI_DE_VERIFICATION + DELAI_DE_RECLAMATION
        ),
        ouverture,
    )
    _enregistrer(campagne)
    return campagne


def _charger_listes(*, scrutin: Scrutin, modele: ModeleScrutin, graine: int) -> None:
    rng = generateur_seme(graine, modele.code)
    fake = Faker("fr_FR")
    ordres = list(range(1, len(modele.sigles) + 1))
    rng.shuffle(ordres)  # the tirage au sort of the order on the ballot
    ListeCandidats.objects.filter(scrutin=scrutin).exclude(sigle__in=modele.sigles).delete()
    # Moves the previous draw out of the way, so that writing the new one list by list
    # cannot trip the unique (scrutin, ordre) constraint.
    ListeCandidats.objects.filter(scrutin=scrutin).update(ordre=models.F("ordre") + 1000)
    for ordre, sigle in zip(ordres, modele.sigles, strict=True):
        organisation = ORGANISATIONS[sigle]
        liste = ListeCandidats.objects.filter(scrutin=scrutin, sigle=sigle).first()
        liste = liste or ListeCandidats(scrutin=scrutin, sigle=sigle)
        liste.ordre = ordre
        liste.denomination = organisation.denomination
        liste.union = organisation.union
        _enregistrer(liste)
        # A full list: as many names as seats of titulaires and suppléants together.
        fake.seed_instance(f"{graine}:{modele.code}:{sigle}")
        candidats = []
        for rang in range(1, modele.titulaires + modele.suppleants + 1):
            femme = fake.random.random() < 0.6
            candidats.append(
                Candidat(
                    liste=liste,
                    rang=rang,
                    civilite=Civilite.MADAME if femme else Civilite.MONSIEUR,
                    nom=fake.last_name(),
                    prenoms=fake.first_name_female() if femme else fake.first_name_male(),
                )
            )
        liste.candidats.all().delete()
        Candidat.objects.bulk_create(candidats)
        pdf = profession_de_foi(
            campagne=scrutin.campagne,
            modele=modele,
            organisation=organisation,
            candidats=candidats,
            rng=rng,
        )
        # Overwrites the file of the same name rather than letting the storage pick a new
        # one, so re-runs (even on a fresh database over old media) leave one PDF per list.
        nom = liste.profession_de_foi.field.generate_filename(liste, "profession-de-foi.pdf")
        if liste.profession_de_foi.storage.exists(nom):
            liste.profession_de_foi.storage.delete(nom)
        liste.profession_de_foi.save(nom, ContentFile(pdf), save=False)
        _enregistrer(liste)


def _charger_scrutins(*, campagne: Campagne, graine: int) -> dict[str, Scrutin]:
    scrutins = {}
    for ordre, modele in enumerate(SCRUTINS, start=1):
        scrutin = Scrutin.objects.filter(campagne=campagne, code=modele.code).first()
        scrutin = scrutin or Scrutin(campagne=campagne, code=modele.code)
        scrutin.intitule = modele.intitule
        scrutin.type = modele.type
        scrutin.perimetre = modele.perimetre
        scrutin.sieges_titulaires = modele.titulaires
        scrutin.sieges_suppleants = modele.suppleants
        scrutin.ouverture = scrutin.cloture = None  # the campaign's window
        scrutin.ordre = ordre
        _enregistrer(scrutin)
        _charger_listes(scrutin=scrutin, modele=modele, graine=graine)
        scrutins[modele.code] = scrutin
    return scrutins


class _EmpreintesAnonymes:
    """One hash of a random, forgotten password and one of a random answer, shared by the
    activated voters outside the showcase: nobody knows them, and hashing 200 secrets
    with Argon2 would make the demo take half a minute to load."""

    def __init__(self) -> None:
        self._mot_de_passe = ""
        self._reponse = ""

    @property
    def mot_de_passe(self) -> str:
        self._mot_de_passe = self._mot_de_passe or make_password(secrets.token_urlsafe(24))
        return self._mot_de_passe

    @property
    def reponse(self) -> str:
        self._reponse = self._reponse or question_defi.hacher(secrets.token_urlsafe(12))
        return self._reponse


def _retrouver_ou_creer(
    modele: ModeleElecteur,
    empreinte: str,
    *,
    par_empreinte: dict[str, Electeur],
    par_email: dict[str, Electeur],
) -> tuple[Electeur, bool]:
    electeur = par_empreinte.get(empreinte)
    if electeur is not None:
        return electeur, False
    # Known by e-mail only: the NUMEN key has changed since the last run; keep the voter.
    electeur = par_email.get(modele.email)
    if electeur is not None:
        electeur.numen_empreinte = empreinte
        electeur.save(update_fields=["numen_empreinte"])
        return electeur, False
    compte = Compte.objects.create_user(
        modele.email,
        nom_affiche=f"{modele.prenoms.split()[0]} {modele.nom_usage or modele.nom_naissance}",
    )
    electeur = Electeur(
        compte=compte,
        civilite=modele.civilite,
        nom_naissance=modele.nom_naissance,
        nom_usage=modele.nom_usage,
        prenoms=modele.prenoms,
        date_naissance=modele.date_naissance,
        commune_naissance=modele.commune_naissance,
        pays_naissance=modele.pays_naissance,
        numen_empreinte=empreinte,
        etablissement=modele.etablissement,
    )
    _enregistrer(electeur)
    return electeur, True


def _activer(
    electeur: Electeur, *, mot_de_passe: str, question: str, reponse: str, quand: datetime
) -> None:
    """Set the state an activation leaves, given hashes or (for the showcase) clear secrets."""
    compte = electeur.compte
    compte.password = mot_de_passe
    compte.save(update_fields=["password"])
    electeur.question_defi = question
    electeur.reponse_defi_empreinte = reponse
    electeur.active_le = quand
    electeur.save(update_fields=["question_defi", "reponse_defi_empreinte", "active_le"])


def _desactiver(electeur: Electeur) -> None:
    electeur.compte.set_unusable_password()
    electeur.compte.save(update_fields=["password"])
    electeur.question_defi = electeur.reponse_defi_empreinte = ""
    electeur.active_le = None
    electeur.save(update_fields=["question_defi", "reponse_defi_empreinte", "active_le"])


def _charger_vitrine(
    electeur: Electeur, modele: ModeleElecteur, *, maintenant: datetime, url_base: str
) -> str | None:
    """Reset a showcase voter to its known state; return its activation link, if any."""
    vitrine = modele.vitrine
    assert vitrine is not None
    if vitrine.mot_de_passe and vitrine.question and vitrine.reponse:
        # Holds the demo to the rules a real voter meets when choosing a password.
        password_validation.validate_password(vitrine.mot_de_passe, electeur.compte)
        _activer(
            electeur,
            mot_de_passe=make_password(vitrine.mot_de_passe),
            question=vitrine.question,
            reponse=question_defi.hacher(vitrine.reponse),
            quand=maintenant - modele.active_depuis,
        )
        return None
    _desactiver(electeur)
    _, jeton = liens.emettre(
        usage=Usage.ACTIVATION, compte_id=electeur.compte_id, duree=DUREE_LIEN_ACTIVATION
    )
    return f"{url_base}{reverse('accounts:activation')}?token={jeton}"


def _charger_compte_de_gestion(
    email: str, mot_de_passe: str, *, nom: str, role: RoleDeGestion
) -> str:
    """An account of the back-office with its role and a fresh second factor; returns the
    TOTP secret to print."""
    compte = Compte.objects.filter(email=email).first() or Compte(email=email)
    compte.nom_affiche = nom
    compte.is_staff = compte.is_active = True
    compte.is_superuser = role is RoleDeGestion.ADMINISTRATION
    compte.set_password(mot_de_passe)
    compte.save()
    compte.groups.add(Group.objects.get_or_create(name=role.groupe)[0])
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    appareil_de_demonstration(compte, secret)
    return secret


def charger_campagne_demo(
    *,
    maintenant: datetime,
    ouverture_dans: timedelta,
    duree_du_vote: timedelta = DUREE_DU_VOTE,
    graine: int = 2026,
    url_base: str | None = None,
) -> IdentifiantsDemo:
    """Load (or reload) the demo campaign and return the showcase credentials.

    The vote opens at ``maintenant + ouverture_dans`` and lasts ``duree_du_vote`` (8 days
    unless the demo is asked for a whole election in one sitting). ``url_base``
    prefixes the activation links (default ``ISOLOIR_BASE_URL``).
    """
    url_base = (url_base or settings.ISOLOIR_BASE_URL).rstrip("/")
    modeles = generer_electeurs(graine)
    anonymes = _EmpreintesAnonymes()
    rng = generateur_seme(graine, "questions")
    vitrine: list[ElecteurDemo] = []
    empreintes = {modele.numen: numen.empreinte(modele.numen) for modele in modeles}
    with transaction.atomic():
        # One query for the voters of a previous run, rather than two per voter.
        connus = list(
            Electeur.objects.select_related("compte").filter(
                models.Q(numen_empreinte__in=empreintes.values())
                | models.Q(compte__email__in=[modele.email for modele in modeles])
            )
        )
        par_empreinte = {electeur.numen_empreinte: electeur for electeur in connus}
        par_email = {electeur.compte.email: electeur for electeur in connus}
        rechargee = Campagne.objects.filter(slug=SLUG).exists()
        campagne = _charger_campagne(
            maintenant=maintenant, ouverture_dans=ouverture_dans, duree_du_vote=duree_du_vote
        )
        # Stored with the campaign, not set in one process's environment: the next
        # ``isoloir serve`` shows it too.
        enregistrer_marque(MARQUE)
        scrutins = _charger_scrutins(campagne=campagne, graine=graine)
        inscriptions = []
        for modele in modeles:
            question = rng.choice(question_defi.QUESTIONS)[0]
            electeur, cree = _retrouver_ou_creer(
                modele, empreintes[modele.numen], par_empreinte=par_empreinte, par_email=par_email
            )
            inscriptions += [
                Inscription(electeur=electeur, scrutin=scrutins[code]) for code in modele.scrutins
            ]
            if modele.vitrine is None:
                if cree and modele.active:
                    _activer(
                        electeur,
                        mot_de_passe=anonymes.mot_de_passe,
                        question=question,
                        reponse=anonymes.reponse,
                        quand=maintenant - modele.active_depuis,
                    )
                continue
            lien = _charger_vitrine(electeur, modele, maintenant=maintenant, url_base=url_base)
            vitrine.append(
                ElecteurDemo(
                    civilite=modele.civilite,
                    nom=modele.nom_usage or modele.nom_naissance,
                    prenoms=modele.prenoms,
                    date_naissance=modele.date_naissance,
                    commune_naissance=modele.commune_naissance,
                    etablissement=modele.etablissement,
                    email=electeur.compte.email,
                    numen=modele.numen,
                    active=lien is None,
                    mot_de_passe=modele.vitrine.mot_de_passe,
                    question_defi=question_defi.LIBELLES.get(modele.vitrine.question or ""),
                    reponse_defi=modele.vitrine.reponse,
                    lien_activation=lien,
                    scrutins=[scrutins[code].intitule for code in modele.scrutins],
                    # A new code on every run: the previous one cannot be read back.
                    code_de_vote=emettre_code(electeur=electeur, origine=Origine.INITIAL),
                )
            )
        Inscription.objects.bulk_create(inscriptions, ignore_conflicts=True)
        secret_admin = _charger_compte_de_gestion(
            ADMIN_EMAIL,
            ADMIN_MOT_DE_PASSE,
            nom="Administration de la démo",
            role=RoleDeGestion.ADMINISTRATION,
        )
        secret_assistance = _charger_compte_de_gestion(
            ASSISTANCE_EMAIL,
            ASSISTANCE_MOT_DE_PASSE,
            nom="Cellule d'assistance de la démo",
            role=RoleDeGestion.ASSISTANCE,
        )
    return IdentifiantsDemo(
        campagne=campagne.nom,
        ouverture=campagne.ouverture,
        cloture=campagne.cloture,
        admin_email=ADMIN_EMAIL,
        admin_mot_de_passe=ADMIN_MOT_DE_PASSE,
        admin_secret_totp=secret_admin,
        assistance_email=ASSISTANCE_EMAIL,
        assistance_mot_de_passe=ASSISTANCE_MOT_DE_PASSE,
        assistance_secret_totp=secret_assistance,
        electeurs=vitrine,
        rechargee=rechargee,
    )
