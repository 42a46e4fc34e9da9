"""A campaign whose claim period runs now, three scrutins, a voter on the first one, and
an administrator; files of each accepted type and a fake one."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from isoloir.accounts.models import Compte, Electeur
from isoloir.core import horloge
from isoloir.counting.models import BureauDeVote, RattachementAuBureau, Scellement
from isoloir.elections.models import Campagne, Scrutin
from isoloir.gestion.roles import RoleDeGestion

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
FAUX_PDF = b"<html><script>alert(1)</script></html>"
NUMEN_NOUVEAU = "01E2600042XYZ"


def fichier(nom: str, contenu: bytes, type_declare: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, contenu, content_type=type_declare)


@dataclass
class Situation:
    campagne: Campagne
    a: Scrutin
    b: Scrutin
    c: Scrutin
    electeur: Electeur
    administrateur: Compte


@pytest.fixture
def situation(creer_campagne, creer_scrutin, creer_electeur) -> Situation:
    maintenant = horloge.maintenant()
    campagne = creer_campagne(
        nom="Élections professionnelles 2026",
        slug="elections-2026",
        ouverture=maintenant + timedelta(days=20),
        publication_des_listes=maintenant - timedelta(days=1),
    )
    a = creer_scrutin(campagne, intitule="CSA académique de Lyon", code="csa-lyon", ordre=1)
    b = creer_scrutin(
        campagne, intitule="CAP des professeurs certifiés", code="cap-certifies", ordre=2
    )
    c = creer_scrutin(campagne, intitule="CCP des contractuels", code="ccp", ordre=3)
    electeur = creer_electeur(
        a,
        email="sophie.campodifiori@ac-lyon.fr",
        nom_naissance="Campodifiroi",
        etablissement="Lycée du Parc",
    )
    # No password: tests log it in with force_login (a hash costs a second of argon2).
    administrateur = Compte.objects.create_user(
        "gestion@education.gouv.fr", nom_affiche="Agnès Gestion"
    )
    administrateur.groups.add(Group.objects.get(name=RoleDeGestion.ADMINISTRATION.groupe))
    return Situation(campagne, a, b, c, electeur, administrateur)


@pytest.fixture
def autre_administrateur() -> Compte:
    compte = Compte.objects.create_user("gestion2@education.gouv.fr", nom_affiche="Bruno Gestion")
    compte.groups.add(Group.objects.get(name=RoleDeGestion.ADMINISTRATION.groupe))
    return compte


def sceller(scrutin: Scrutin) -> None:
    """The scrutin's bureau has sealed it (the signature ceremony is counting's business:
    only the seal's existence matters here)."""
    bureau = BureauDeVote.objects.create(campagne=scrutin.campagne, nom="BVE central", seuil=2)
    RattachementAuBureau.objects.create(bureau=bureau, scrutin=scrutin)
    Scellement.objects.create(
        bureau=bureau,
        contenu={},
        empreinte="0" * 64,
        propose_le=horloge.maintenant(),
        scelle_le=horloge.maintenant(),
    )
