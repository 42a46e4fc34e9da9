"""The demo campaign itself: its dates, its edito, its scrutins and their lists of
candidates with their professions de foi, found again and updated on a re-run."""

from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from faker import Faker

from isoloir.accounts.models import Civilite
from isoloir.core.horloge import en_jours_calendaires
from isoloir.demo.professions_de_foi import profession_de_foi
from isoloir.demo.referentiel import ORGANISATIONS, SCRUTINS, ModeleScrutin, generateur_seme
from isoloir.elections.models import (
    DELAI_DE_RECLAMATION,
    DELAI_DE_VERIFICATION,
    DUREE_MINIMALE,
    Campagne,
    Candidat,
    ListeCandidats,
    Scrutin,
)

SLUG = "elections-professionnelles-2026"
NOM = "Élections professionnelles 2026"
# Absolute time, not 8 calendar days in Paris: across a change of summer time the latter
# would be 191 or 193 hours, and the décret caps the window at 8 days.
DUREE_DU_VOTE = timedelta(days=8)
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


def enregistrer(objet: models.Model, **exclusions: Any) -> None:
    objet.full_clean(**exclusions)
    objet.save()


def charger_campagne(
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
    enregistrer(campagne)
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
        enregistrer(liste)
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
        enregistrer(liste)


def charger_scrutins(*, campagne: Campagne, graine: int) -> dict[str, Scrutin]:
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
        enregistrer(scrutin)
        _charger_listes(scrutin=scrutin, modele=modele, graine=graine)
        scrutins[modele.code] = scrutin
    return scrutins
