"""The demo campaign: a realistic « Élections professionnelles 2026 » to try every flow.

Everything comes from one seed (faker ``fr_FR`` and :class:`random.Random`), so a re-run
generates the same people, finds them again by the hash of their NUMEN and updates them
instead of adding new ones. Only the showcase voters' secrets are known: they are reset
on every run, so the credentials printed last always work, even after someone changed a
password or activated an account during the previous demo.
"""

import io
import random
import re
import secrets
import unicodedata
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from faker import Faker
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Civilite, Compte, Electeur
from isoloir.elections.models import Campagne, Candidat, Inscription, ListeCandidats, Scrutin
from isoloir.links import services as liens
from isoloir.links.models import Usage

SLUG = "elections-professionnelles-2026"
NOM = "Élections professionnelles 2026"
# Absolute time, not 8 calendar days in Paris: across a change of summer time the latter
# would be 191 or 193 hours, and the décret caps the window at 8 days.
DUREE_DU_VOTE = timedelta(days=8)
NOMBRE_ELECTEURS = 200
DUREE_LIEN_ACTIVATION = timedelta(days=7)
PARIS = ZoneInfo("Europe/Paris")

ADMIN_EMAIL = "admin@isoloir.localhost"
ADMIN_MOT_DE_PASSE = "Urne-Transparente-Scellee-2026"  # demo only, printed on purpose
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
    # The code de vote arrives with its own issue; the key is kept so readers of the
    # JSON file need not change then.
    code_de_vote: str | None = None


@dataclass(frozen=True)
class IdentifiantsDemo:
    campagne: str
    ouverture: datetime
    cloture: datetime
    admin_email: str
    admin_mot_de_passe: str
    electeurs: list[ElecteurDemo] = field(default_factory=list)

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


@dataclass(frozen=True)
class _Organisation:
    sigle: str
    denomination: str
    union: str = ""


# fmt: off
ORGANISATIONS = {o.sigle: o for o in [
    _Organisation("FSU", "Fédération syndicale unitaire"),
    _Organisation("UNSA Éducation", "Union nationale des syndicats autonomes – Éducation"),
    _Organisation("FNEC FP-FO", "Fédération nationale de l'enseignement, de la culture et de "
                  "la formation professionnelle Force ouvrière"),
    _Organisation("SGEN-CFDT", "Fédération des syndicats généraux de l'Éducation nationale et "
                  "de la recherche publique CFDT"),
    _Organisation("SNALC", "Syndicat national des lycées, collèges, écoles et du supérieur"),
    _Organisation("SUD Éducation", "Fédération des syndicats SUD Éducation"),
    _Organisation("CGT Éduc'action", "Union nationale des syndicats de l'Éducation CGT"),
    _Organisation("SUD Éducation – CGT Éduc'action",
                  "Liste commune SUD Éducation et CGT Éduc'action",
                  "Union syndicale Solidaires et Confédération générale du travail"),
    _Organisation("SNES-FSU", "Syndicat national des enseignements de second degré", "FSU"),
    _Organisation("SE-UNSA", "Syndicat des enseignants UNSA", "UNSA Éducation"),
    _Organisation("SNFOLC", "Syndicat national Force ouvrière des lycées et collèges",
                  "FNEC FP-FO"),
    _Organisation("SNUipp-FSU", "Syndicat national unitaire des instituteurs, professeurs des "
                  "écoles et PEGC", "FSU"),
    _Organisation("SNUDI-FO", "Syndicat national unifié des directeurs, instituteurs et "
                  "professeurs des écoles Force ouvrière", "FNEC FP-FO"),
    _Organisation("SNPDEN-UNSA", "Syndicat national des personnels de direction de "
                  "l'Éducation nationale", "UNSA Éducation"),
    _Organisation("I&D-FO", "Indépendance et Direction Force ouvrière", "FNEC FP-FO"),
    _Organisation("SNUPDEN-FSU", "Syndicat national unitaire des personnels de direction de "
                  "l'Éducation nationale", "FSU"),
]}
# fmt: on


@dataclass(frozen=True)
class _ModeleScrutin:
    code: str
    intitule: str
    type: str
    perimetre: str
    titulaires: int
    suppleants: int
    sigles: tuple[str, ...]


# fmt: off
SCRUTINS = (
    _ModeleScrutin(
        "csa-men", "Comité social d'administration ministériel de l'Éducation nationale",
        "CSA", "Ministère de l'Éducation nationale", 15, 15,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "SNALC", "SUD Éducation"),
    ),
    _ModeleScrutin(
        "csa-ac-lyon", "Comité social d'administration académique de Lyon",
        "CSA", "Académie de Lyon", 10, 10,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "SNALC",
         "SUD Éducation – CGT Éduc'action"),
    ),
    _ModeleScrutin(
        "csa-ac-bordeaux", "Comité social d'administration académique de Bordeaux",
        "CSA", "Académie de Bordeaux", 10, 10,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "CGT Éduc'action"),
    ),
    _ModeleScrutin(
        "capn-certifies", "CAPN des professeurs certifiés",
        "CAP", "Corps des professeurs certifiés (national)", 10, 10,
        ("SNES-FSU", "SE-UNSA", "SNALC", "SGEN-CFDT", "SNFOLC"),
    ),
    _ModeleScrutin(
        "capa-pe-lyon", "CAPA des professeurs des écoles de l'académie de Lyon",
        "CAP", "Académie de Lyon — professeurs des écoles", 8, 8,
        ("SNUipp-FSU", "SE-UNSA", "SNUDI-FO", "SGEN-CFDT", "SUD Éducation"),
    ),
    _ModeleScrutin(
        "capn-perdir", "CAPN des personnels de direction",
        "CAP", "Corps des personnels de direction (national)", 6, 6,
        ("SNPDEN-UNSA", "I&D-FO", "SGEN-CFDT", "SNUPDEN-FSU"),
    ),
)
# fmt: on

ENGAGEMENTS_CSA = (
    "Revaloriser les rémunérations de tous les personnels, sans contrepartie de missions "
    "supplémentaires.",
    "Alléger les effectifs par classe et créer les postes nécessaires dans les écoles et "
    "les établissements.",
    "Faire de la formation continue un droit effectif, sur le temps de service.",
    "Prévenir les risques psychosociaux et faire respecter les obligations de l'employeur "
    "en matière de santé au travail.",
    "Défendre l'égalité professionnelle entre les femmes et les hommes, à commencer par "
    "les écarts de rémunération.",
    "Exiger la transparence sur la répartition des moyens entre les académies et entre "
    "les établissements.",
    "Garantir des remplacements assurés dès le premier jour d'absence.",
    "Améliorer les conditions d'emploi et de rémunération des personnels contractuels.",
    "Renforcer la médecine de prévention et l'accompagnement des personnels en difficulté.",
    "Protéger les personnels face aux atteintes et aux menaces, avec une protection "
    "fonctionnelle accordée sans délai.",
)
ENGAGEMENTS_CAP = (
    "Vous accompagner dans chaque recours contre un refus de temps partiel, de "
    "disponibilité ou de formation.",
    "Exiger des critères de promotion connus de tous et appliqués à tous.",
    "Défendre chaque collègue convoqué devant la formation disciplinaire.",
    "Contester les avis de rendez-vous de carrière injustes et obtenir leur révision.",
    "Obtenir l'accès à la hors-classe pour tous avant la fin de carrière.",
    "Porter la voix des collègues lors des recours sur les refus de titularisation.",
    "Informer chacune et chacun de ses droits, à chaque étape de sa carrière.",
    "Veiller au respect de l'égalité entre femmes et hommes dans les avancements.",
)


# --- The voters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Academie:
    code: str  # also the first two digits of the NUMEN of people appointed there
    nom: str
    domaine: str
    villes: tuple[str, ...]
    communes_naissance: tuple[str, ...]  # INSEE codes of the region


# fmt: off
ACADEMIES = {
    "lyon": _Academie(
        "10", "Lyon", "ac-lyon.fr",
        ("Lyon", "Villeurbanne", "Vénissieux", "Vaulx-en-Velin", "Bron", "Bourg-en-Bresse",
         "Oyonnax", "Saint-Étienne", "Roanne", "Villefranche-sur-Saône"),
        # Lyon, Villeurbanne, Vénissieux, Villefranche, Bourg-en-Bresse, Saint-Étienne,
        # Roanne, Grenoble, Valence.
        ("69123", "69266", "69259", "69264", "01053", "42218", "42187", "38185", "26362"),
    ),
    "bordeaux": _Academie(
        "04", "Bordeaux", "ac-bordeaux.fr",
        ("Bordeaux", "Mérignac", "Pessac", "Talence", "Libourne", "Pau", "Bayonne",
         "Périgueux", "Agen", "Mont-de-Marsan"),
        # Bordeaux, Mérignac, Pessac, Pau, Bayonne, Périgueux, Agen, Mont-de-Marsan, Limoges.
        ("33063", "33281", "33318", "64445", "64102", "24322", "47001", "40192", "87085"),
    ),
}
# Paris, Marseille, Toulouse, Nantes, Lille, Strasbourg, Rennes, Montpellier, Nice, Dijon,
# Clermont-Ferrand, Tours, Rouen, Fort-de-France, Saint-Denis (La Réunion).
AUTRES_COMMUNES = (
    "75056", "13055", "31555", "44109", "59350", "67482", "35238", "34172", "06088", "21231",
    "63113", "37261", "76540", "97209", "97411",
)
# Algérie, Maroc, Tunisie, Portugal, Espagne, Italie, Belgique, Sénégal.
PAYS_ETRANGERS = ("99352", "99350", "99351", "99139", "99134", "99127", "99131", "99341")
FRANCE = "99100"

PATRONYMES = (
    "Jean Moulin", "Victor Hugo", "Jules Ferry", "Marie Curie", "Louise Michel", "Jean Jaurès",
    "Simone Veil", "Albert Camus", "Jacques Prévert", "Condorcet", "Montesquieu", "Ampère",
    "Lumière", "Saint-Exupéry", "Camille Claudel", "Paul Éluard", "Aimé Césaire",
    "Germaine Tillion", "Gisèle Halimi", "Olympe de Gouges", "Édouard Herriot", "Jean Zay",
)
# fmt: on
ETABLISSEMENTS = {
    "pe": ("École élémentaire", "École maternelle", "École primaire"),
    "certifie": ("Collège", "Collège", "Lycée", "Lycée polyvalent"),
    "perdir": ("Collège", "Lycée", "Lycée polyvalent", "Lycée professionnel"),
}
CAP_DU_CORPS = {"pe": "capa-pe-lyon", "certifie": "capn-certifies", "perdir": "capn-perdir"}


@dataclass(frozen=True)
class _Vitrine:
    """A showcase voter: a fixed profile and, if activated, known secrets."""

    academie: str
    corps: str
    mot_de_passe: str | None = None
    question: str | None = None
    reponse: str | None = None


VITRINE = (
    # The year of the bac is worked out from the birth date drawn for this voter.
    _Vitrine("lyon", "certifie", "Tilleul-Orage-Ardoise-26", "bac"),
    _Vitrine("bordeaux", "certifie", "Boussole-Cerise-Piano-48", "animal", "Caramel"),
    _Vitrine("lyon", "pe", "Comete-Gravier-Sirop-15", "ecole", "École des Marronniers"),
    _Vitrine("bordeaux", "perdir", "Lanterne-Fougere-Kayak-93", "livre", "Le Petit Prince"),
    _Vitrine("lyon", "pe"),
    _Vitrine("bordeaux", "certifie"),
)


@dataclass
class _ModeleElecteur:
    civilite: str
    nom_naissance: str
    nom_usage: str
    prenoms: str
    date_naissance: date
    commune_naissance: str
    pays_naissance: str
    etablissement: str
    email: str
    numen: str
    scrutins: list[str]
    active: bool
    active_depuis: timedelta
    vitrine: _Vitrine | None = None


def _tirage(graine: int, domaine: str) -> random.Random:
    """A seeded generator per domain, so that adding a draw in one (say the candidates)
    does not shift the others (the voters, whom a re-run must find again)."""
    return random.Random(f"{graine}:{domaine}")  # noqa: S311 - reproducible data, no secret


def _ascii(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c)).lower()
    sans_apostrophes = re.sub(r"['’]", "", sans_accents)
    return re.sub(r"[^a-z0-9]+", "-", sans_apostrophes).strip("-")


def _tirer_corps(rng: random.Random, academie: str) -> str:
    # Only Lyon has a CAP for professeurs des écoles in the demo.
    if academie == "lyon":
        return rng.choices(["pe", "certifie", "perdir"], weights=[40, 50, 10])[0]
    return rng.choices(["certifie", "perdir"], weights=[85, 15])[0]


def _tirer_numen(rng: random.Random, academie: _Academie, naissance: date, pris: set[str]) -> str:
    entree = min(naissance.year + rng.randint(22, 30), 2025) % 100
    while True:
        lettres = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=3))
        candidat = f"{academie.code}E{entree:02d}{rng.randint(0, 99999):05d}{lettres}"
        if candidat not in pris:
            pris.add(candidat)
            return numen.valider(candidat)


def _generer_electeurs(graine: int) -> list[_ModeleElecteur]:
    """The 200 voters, computed without the database so every run draws the same."""
    rng = _tirage(graine, "electeurs")
    fake = Faker("fr_FR")
    fake.seed_instance(graine)
    # About half the roll has activated its account, the showcase's four included.
    autres_actives = NOMBRE_ELECTEURS // 2 - sum(1 for v in VITRINE if v.mot_de_passe)
    actives = set(rng.sample(range(len(VITRINE), NOMBRE_ELECTEURS), autres_actives))
    emails: set[str] = set()
    numens: set[str] = set()
    electeurs = []
    for rang in range(NOMBRE_ELECTEURS):
        vitrine = VITRINE[rang] if rang < len(VITRINE) else None
        cle_academie = vitrine.academie if vitrine else rng.choice(list(ACADEMIES))
        academie = ACADEMIES[cle_academie]
        corps = vitrine.corps if vitrine else _tirer_corps(rng, cle_academie)
        femme = rng.random() < 0.7  # seven in ten teachers are women
        prenom = fake.first_name_female if femme else fake.first_name_male
        prenoms = [prenom() for _ in range(rng.choice([1, 1, 2, 2, 3]))]
        nom_naissance = fake.last_name()
        nom_usage = fake.last_name() if rng.random() < (0.35 if femme else 0.03) else ""
        # Personnels de direction come to the post after years of teaching.
        fin = date(1985, 12, 31) if corps == "perdir" else date(2000, 12, 31)
        naissance = fake.date_between_dates(date(1960, 1, 1), fin)
        if vitrine and vitrine.question == "bac":
            vitrine = replace(vitrine, reponse=str(naissance.year + 18))
        tirage = rng.random()
        if tirage < 0.05:
            commune, pays = "", rng.choice(PAYS_ETRANGERS)
        elif tirage < 0.25:
            commune, pays = rng.choice(AUTRES_COMMUNES), FRANCE
        else:
            commune, pays = rng.choice(academie.communes_naissance), FRANCE
        etablissement = (
            f"{rng.choice(ETABLISSEMENTS[corps])} {rng.choice(PATRONYMES)}, "
            f"{rng.choice(academie.villes)}"
        )
        local = f"{_ascii(prenoms[0])}.{_ascii(nom_usage or nom_naissance)}"
        email, suffixe = f"{local}@{academie.domaine}", 1
        while email in emails:
            suffixe += 1
            email = f"{local}{suffixe}@{academie.domaine}"
        emails.add(email)
        electeurs.append(
            _ModeleElecteur(
                civilite=Civilite.MADAME if femme else Civilite.MONSIEUR,
                nom_naissance=nom_naissance,
                nom_usage=nom_usage,
                prenoms=" ".join(dict.fromkeys(prenoms)),
                date_naissance=naissance,
                commune_naissance=commune,
                pays_naissance=pays,
                etablissement=etablissement,
                email=email,
                numen=_tirer_numen(rng, academie, naissance, numens),
                scrutins=["csa-men", f"csa-ac-{cle_academie}", CAP_DU_CORPS[corps]],
                active=bool(vitrine and vitrine.mot_de_passe) or rang in actives,
                active_depuis=timedelta(days=rng.randint(1, 40), minutes=rng.randint(0, 1439)),
                vitrine=vitrine,
            )
        )
    return electeurs


# --- Professions de foi --------------------------------------------------------------------

# fmt: off
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)
# fmt: on


def date_en_francais(moment: datetime) -> str:
    """« lundi 7 décembre 2026 à 10h00 », in Paris time whatever the server's zone."""
    local = moment.astimezone(PARIS)
    return (
        f"{JOURS[local.weekday()]} {local.day} {MOIS[local.month - 1]} {local.year} "
        f"à {local.hour}h{local.minute:02d}"
    )


def _profession_de_foi(
    *,
    campagne: Campagne,
    modele: _ModeleScrutin,
    organisation: _Organisation,
    candidats: list[Candidat],
    rng: random.Random,
) -> bytes:
    styles = getSampleStyleSheet()
    pool = ENGAGEMENTS_CSA if modele.type == "CSA" else ENGAGEMENTS_CAP
    engagements = rng.sample(pool, 5)
    # Paragraph reads a markup where "&" and "<" are special (I&D-FO).
    sigle, tete = escape(organisation.sigle), escape(f"{candidats[0].prenoms} {candidats[0].nom}")
    contenu = [
        Paragraph(escape(f"{campagne.nom} — {modele.intitule}"), styles["Heading3"]),
        Paragraph(f"Profession de foi de la liste {sigle}", styles["Title"]),
        Paragraph(escape(organisation.denomination), styles["Heading2"]),
    ]
    if organisation.union:
        union = escape(organisation.union)
        contenu.append(Paragraph(f"Liste présentée avec : {union}", styles["Italic"]))
    contenu += [
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"Chères collègues, chers collègues, les {len(candidats)} candidates et candidats "
            f"de la liste {sigle}, conduite par {tete}, sont des personnels en activité "
            f"comme vous. Ils s'engagent à porter vos attentes dans cette instance "
            f"({escape(modele.perimetre)}) et à rendre compte de leur mandat.",
            styles["BodyText"],
        ),
        Paragraph("Nos engagements", styles["Heading2"]),
        ListFlowable(
            [ListItem(Paragraph(escape(e), styles["BodyText"])) for e in engagements],
            bulletType="bullet",
        ),
        Paragraph("Nos candidates et candidats", styles["Heading2"]),
        Paragraph(
            escape(" — ".join(f"{c.rang}. {c.civilite} {c.prenoms} {c.nom}" for c in candidats)),
            styles["BodyText"],
        ),
        Spacer(1, 0.5 * cm),
        Paragraph(
            f"Le vote se déroule du {date_en_francais(campagne.ouverture)} au "
            f"{date_en_francais(campagne.cloture)} (heure de Paris). "
            f"Chaque voix compte : votez et faites voter {sigle} !",
            styles["BodyText"],
        ),
    ]
    tampon = io.BytesIO()
    document = SimpleDocTemplate(
        tampon,
        pagesize=A4,
        title=f"Profession de foi {organisation.sigle} — {modele.intitule}",
        author=organisation.denomination,
        lang="fr-FR",
        invariant=1,  # no timestamp or random id: the same data gives the same bytes
    )
    document.build(contenu)
    return tampon.getvalue()


# --- Loading -------------------------------------------------------------------------------


def _enregistrer(objet: models.Model, **exclusions: Any) -> None:
    objet.full_clean(**exclusions)
    objet.save()


def _charger_campagne(*, maintenant: datetime, ouverture_dans: timedelta) -> Campagne:
    # Whole minutes read better on the portal ("à 14h05"); rounding down keeps a
    # window opening "now" already open.
    ouverture = (maintenant + ouverture_dans).astimezone(UTC).replace(second=0, microsecond=0)
    campagne = Campagne.objects.filter(slug=SLUG).first() or Campagne(slug=SLUG)
    campagne.nom = NOM
    campagne.edito = EDITO
    campagne.ouverture = ouverture
    campagne.cloture = ouverture + DUREE_DU_VOTE
    _enregistrer(campagne)
    return campagne


def _charger_listes(*, scrutin: Scrutin, modele: _ModeleScrutin, graine: int) -> None:
    rng = _tirage(graine, modele.code)
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
        pdf = _profession_de_foi(
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
    modele: _ModeleElecteur,
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
    electeur: Electeur, modele: _ModeleElecteur, *, maintenant: datetime, url_base: str
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


def _charger_admin() -> None:
    compte = Compte.objects.filter(email=ADMIN_EMAIL).first()
    if compte is None:
        compte = Compte.objects.create_superuser(
            ADMIN_EMAIL, nom_affiche="Administration de la démo"
        )
    compte.is_staff = compte.is_superuser = compte.is_active = True
    compte.set_password(ADMIN_MOT_DE_PASSE)
    compte.save()


def charger_campagne_demo(
    *,
    maintenant: datetime,
    ouverture_dans: timedelta,
    graine: int = 2026,
    url_base: str | None = None,
) -> IdentifiantsDemo:
    """Load (or reload) the demo campaign and return the showcase credentials.

    The vote opens at ``maintenant + ouverture_dans`` and lasts 8 days. ``url_base``
    prefixes the activation links (default ``ISOLOIR_BASE_URL``).
    """
    url_base = (url_base or settings.ISOLOIR_BASE_URL).rstrip("/")
    modeles = _generer_electeurs(graine)
    anonymes = _EmpreintesAnonymes()
    rng = _tirage(graine, "questions")
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
        campagne = _charger_campagne(maintenant=maintenant, ouverture_dans=ouverture_dans)
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
                )
            )
        Inscription.objects.bulk_create(inscriptions, ignore_conflicts=True)
        _charger_admin()
    return IdentifiantsDemo(
        campagne=campagne.nom,
        ouverture=campagne.ouverture,
        cloture=campagne.cloture,
        admin_email=ADMIN_EMAIL,
        admin_mot_de_passe=ADMIN_MOT_DE_PASSE,
        electeurs=vitrine,
    )
