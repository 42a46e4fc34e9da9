"""What the demo campaign is made of: unions, scrutins, académies, names, and the seeded
generation of its voters."""

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta

from faker import Faker

from isoloir.accounts import numen
from isoloir.accounts.models import Civilite
from isoloir.core.texte import sans_accents

NOMBRE_ELECTEURS = 200


@dataclass(frozen=True)
class Organisation:
    sigle: str
    denomination: str
    union: str = ""


# fmt: off
ORGANISATIONS = {o.sigle: o for o in [
    Organisation("FSU", "Fédération syndicale unitaire"),
    Organisation("UNSA Éducation", "Union nationale des syndicats autonomes – Éducation"),
    Organisation("FNEC FP-FO", "Fédération nationale de l'enseignement, de la culture et de "
                  "la formation professionnelle Force ouvrière"),
    Organisation("SGEN-CFDT", "Fédération des syndicats généraux de l'Éducation nationale et "
                  "de la recherche publique CFDT"),
    Organisation("SNALC", "Syndicat national des lycées, collèges, écoles et du supérieur"),
    Organisation("SUD Éducation", "Fédération des syndicats SUD Éducation"),
    Organisation("CGT Éduc'action", "Union nationale des syndicats de l'Éducation CGT"),
    Organisation("SUD Éducation – CGT Éduc'action",
                  "Liste commune SUD Éducation et CGT Éduc'action",
                  "Union syndicale Solidaires et Confédération générale du travail"),
    Organisation("SNES-FSU", "Syndicat national des enseignements de second degré", "FSU"),
    Organisation("SE-UNSA", "Syndicat des enseignants UNSA", "UNSA Éducation"),
    Organisation("SNFOLC", "Syndicat national Force ouvrière des lycées et collèges",
                  "FNEC FP-FO"),
    Organisation("SNUipp-FSU", "Syndicat national unitaire des instituteurs, professeurs des "
                  "écoles et PEGC", "FSU"),
    Organisation("SNUDI-FO", "Syndicat national unifié des directeurs, instituteurs et "
                  "professeurs des écoles Force ouvrière", "FNEC FP-FO"),
    Organisation("SNPDEN-UNSA", "Syndicat national des personnels de direction de "
                  "l'Éducation nationale", "UNSA Éducation"),
    Organisation("I&D-FO", "Indépendance et Direction Force ouvrière", "FNEC FP-FO"),
    Organisation("SNUPDEN-FSU", "Syndicat national unitaire des personnels de direction de "
                  "l'Éducation nationale", "FSU"),
]}
# fmt: on


@dataclass(frozen=True)
class ModeleScrutin:
    code: str
    intitule: str
    type: str
    perimetre: str
    titulaires: int
    suppleants: int
    sigles: tuple[str, ...]


# fmt: off
SCRUTINS = (
    ModeleScrutin(
        "csa-men", "Comité social d'administration ministériel de l'Éducation nationale",
        "CSA", "Ministère de l'Éducation nationale", 15, 15,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "SNALC", "SUD Éducation"),
    ),
    ModeleScrutin(
        "csa-ac-lyon", "Comité social d'administration académique de Lyon",
        "CSA", "Académie de Lyon", 10, 10,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "SNALC",
         "SUD Éducation – CGT Éduc'action"),
    ),
    ModeleScrutin(
        "csa-ac-bordeaux", "Comité social d'administration académique de Bordeaux",
        "CSA", "Académie de Bordeaux", 10, 10,
        ("FSU", "UNSA Éducation", "FNEC FP-FO", "SGEN-CFDT", "CGT Éduc'action"),
    ),
    ModeleScrutin(
        "capn-certifies", "CAPN des professeurs certifiés",
        "CAP", "Corps des professeurs certifiés (national)", 10, 10,
        ("SNES-FSU", "SE-UNSA", "SNALC", "SGEN-CFDT", "SNFOLC"),
    ),
    ModeleScrutin(
        "capa-pe-lyon", "CAPA des professeurs des écoles de l'académie de Lyon",
        "CAP", "Académie de Lyon — professeurs des écoles", 8, 8,
        ("SNUipp-FSU", "SE-UNSA", "SNUDI-FO", "SGEN-CFDT", "SUD Éducation"),
    ),
    ModeleScrutin(
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
class Academie:
    code: str  # also the first two digits of the NUMEN of people appointed there
    nom: str
    domaine: str
    villes: tuple[str, ...]
    communes_naissance: tuple[str, ...]  # INSEE codes of the region


# fmt: off
ACADEMIES = {
    "lyon": Academie(
        "10", "Lyon", "ac-lyon.fr",
        ("Lyon", "Villeurbanne", "Vénissieux", "Vaulx-en-Velin", "Bron", "Bourg-en-Bresse",
         "Oyonnax", "Saint-Étienne", "Roanne", "Villefranche-sur-Saône"),
        # Lyon, Villeurbanne, Vénissieux, Villefranche, Bourg-en-Bresse, Saint-Étienne,
        # Roanne, Grenoble, Valence.
        ("69123", "69266", "69259", "69264", "01053", "42218", "42187", "38185", "26362"),
    ),
    "bordeaux": Academie(
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
class Vitrine:
    """A showcase voter: a fixed profile and, if activated, known secrets."""

    academie: str
    corps: str
    mot_de_passe: str | None = None
    question: str | None = None
    reponse: str | None = None


VITRINE = (
    Vitrine("lyon", "certifie", "Tilleul-Orage-Ardoise-26", "rencontre", "Clermont-Ferrand"),
    Vitrine("bordeaux", "certifie", "Boussole-Cerise-Piano-48", "animal", "Caramel"),
    Vitrine("lyon", "pe", "Comete-Gravier-Sirop-15", "ecole", "École des Marronniers"),
    Vitrine("bordeaux", "perdir", "Lanterne-Fougere-Kayak-93", "livre", "Le Petit Prince"),
    Vitrine("lyon", "pe"),
    Vitrine("bordeaux", "certifie"),
)


@dataclass
class ModeleElecteur:
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
    vitrine: Vitrine | None = None


def generateur_seme(graine: int, domaine: str) -> random.Random:
    """A seeded generator per domain, so that adding a draw in one (say the candidates)
    does not shift the others (the voters, whom a re-run must find again)."""
    return random.Random(f"{graine}:{domaine}")  # noqa: S311 - reproducible data, no secret


def ascii_seul(texte: str) -> str:
    sans_apostrophes = re.sub(r"['’]", "", sans_accents(texte).lower())
    return re.sub(r"[^a-z0-9]+", "-", sans_apostrophes).strip("-")


def _tirer_corps(rng: random.Random, academie: str) -> str:
    # Only Lyon has a CAP for professeurs des écoles in the demo.
    if academie == "lyon":
        return rng.choices(["pe", "certifie", "perdir"], weights=[40, 50, 10])[0]
    return rng.choices(["certifie", "perdir"], weights=[85, 15])[0]


def _tirer_numen(rng: random.Random, academie: Academie, naissance: date, pris: set[str]) -> str:
    entree = min(naissance.year + rng.randint(22, 30), 2025) % 100
    while True:
        lettres = "".join(rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZ", k=3))
        candidat = f"{academie.code}E{entree:02d}{rng.randint(0, 99999):05d}{lettres}"
        if candidat not in pris:
            pris.add(candidat)
            return numen.valider(candidat)


def generer_electeurs(graine: int) -> list[ModeleElecteur]:
    """The 200 voters, computed without the database so every run draws the same."""
    rng = generateur_seme(graine, "electeurs")
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
        local = f"{ascii_seul(prenoms[0])}.{ascii_seul(nom_usage or nom_naissance)}"
        email, suffixe = f"{local}@{academie.domaine}", 1
        while email in emails:
            suffixe += 1
            email = f"{local}{suffixe}@{academie.domaine}"
        emails.add(email)
        electeurs.append(
            ModeleElecteur(
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
