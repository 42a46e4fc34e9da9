"""The demo's voters: a few hundred generated people, found again by the hash of their
NUMEN on a re-run, and the showcase voters, reset to their known secrets (or to a fresh
activation link) on every run, with a new code de vote each."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.db import models
from django.urls import reverse

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Compte, Electeur
from isoloir.demo.campagne import enregistrer
from isoloir.demo.referentiel import ModeleElecteur, generateur_seme
from isoloir.elections.models import Inscription, Scrutin
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.votecode.models import Origine
from isoloir.votecode.services import emettre as emettre_code

DUREE_LIEN_ACTIVATION = timedelta(days=7)


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
    enregistrer(electeur)
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


def charger_electeurs(
    modeles: list[ModeleElecteur],
    *,
    scrutins: dict[str, Scrutin],
    graine: int,
    maintenant: datetime,
    url_base: str,
) -> list[ElecteurDemo]:
    """Create or update the voters and their inscriptions; return the showcase voters,
    with what they need to try the flows."""
    anonymes = _EmpreintesAnonymes()
    rng = generateur_seme(graine, "questions")
    vitrine: list[ElecteurDemo] = []
    empreintes = {modele.numen: numen.empreinte(modele.numen) for modele in modeles}
    # One query for the voters of a previous run, rather than two per voter.
    connus = list(
        Electeur.objects.select_related("compte").filter(
            models.Q(numen_empreinte__in=empreintes.values())
            | models.Q(compte__email__in=[modele.email for modele in modeles])
        )
    )
    par_empreinte = {electeur.numen_empreinte: electeur for electeur in connus}
    par_email = {electeur.compte.email: electeur for electeur in connus}
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
    return vitrine
