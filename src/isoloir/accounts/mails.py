"""The account mails. Composed by the worker: the link is issued at sending time, so its
token exists only in the mail."""

from collections.abc import Callable

from django.urls import reverse

from isoloir.accounts.models import Electeur
from isoloir.accounts.services import duree_lien
from isoloir.core.dates import date_heure_fr
from isoloir.links import services as liens
from isoloir.links.models import Usage
from isoloir.notify.composition import Contenu, CourrielSansObjet, composeur, lien_absolu
from isoloir.notify.models import Courriel

NomDeCampagne = Callable[[Electeur], str | None]

# The campaigns live above the accounts: ``elections`` registers how to name a voter's
# campaign (``elections/apps.py``), so that this module imports none of it.
_nom_de_campagne: dict[str, NomDeCampagne] = {}


def enregistrer_nom_de_campagne(fonction: NomDeCampagne) -> None:
    _nom_de_campagne["nom"] = fonction


def _campagne(electeur: Electeur) -> str | None:
    fonction = _nom_de_campagne.get("nom")
    return fonction(electeur) if fonction else None


def _contexte_personne(courriel: Courriel) -> dict[str, object]:
    electeur = Electeur.objects.filter(compte_id=courriel.compte_id).first()
    campagne = _campagne(electeur) if electeur else None
    return {
        "electeur": electeur,
        "salutation": electeur.formule_d_appel if electeur else "",
        "campagne": campagne if campagne is not None else "Élections professionnelles",
    }


def _lien(courriel: Courriel, usage: Usage, route: str) -> tuple[str, str]:
    duree = duree_lien(usage)
    lien, jeton = liens.emettre(usage=usage, compte_id=courriel.compte_id, duree=duree)
    expiration = date_heure_fr(lien.expire_le, jour_de_semaine=True)
    return lien_absolu(f"{reverse(route)}?token={jeton}"), expiration


@composeur("activation")
def activation(courriel: Courriel) -> Contenu:
    if Electeur.objects.filter(compte_id=courriel.compte_id, active_le__isnull=False).exists():
        raise CourrielSansObjet  # activated since the mail was queued
    url, expiration = _lien(courriel, Usage.ACTIVATION, "accounts:activation")
    contexte = _contexte_personne(courriel)
    return Contenu(
        objet=f"Activez votre compte électeur — {contexte['campagne']}",
        gabarit="accounts/mails/activation",
        contexte={
            **contexte,
            "url": url,
            "expiration": expiration,
            # Sent by the administration, not asked for: who to tell if it is a mistake (the
            # assistance form works without an account).
            "url_assistance": lien_absolu(reverse("assistance:demande")),
        },
    )


@composeur("mot_de_passe")
def mot_de_passe(courriel: Courriel) -> Contenu:
    url, expiration = _lien(courriel, Usage.MOT_DE_PASSE, "accounts:reinitialisation")
    contexte = _contexte_personne(courriel)
    return Contenu(
        objet="Réinitialisation de votre mot de passe élections",
        gabarit="accounts/mails/mot_de_passe",
        contexte={**contexte, "url": url, "expiration": expiration},
    )


@composeur("mot_de_passe_modifie")
def mot_de_passe_modifie(courriel: Courriel) -> Contenu:
    contexte = _contexte_personne(courriel)
    return Contenu(
        objet="Votre mot de passe élections a été modifié",
        gabarit="accounts/mails/mot_de_passe_modifie",
        contexte={**contexte, "url": lien_absolu(reverse("accounts:mot_de_passe_oublie"))},
    )


@composeur("question_defi_modifiee")
def question_defi_modifiee(courriel: Courriel) -> Contenu:
    contexte = _contexte_personne(courriel)
    return Contenu(
        objet="Votre question défi a été modifiée",
        gabarit="accounts/mails/question_defi_modifiee",
        contexte={**contexte, "url": lien_absolu(reverse("portail:mes_informations"))},
    )
