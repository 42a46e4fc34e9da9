"""Building domain objects for tests, as fixtures returning factories."""

import itertools
from datetime import date, datetime, timedelta

import pytest

from isoloir.accounts import numen, question_defi
from isoloir.accounts.models import Compte, Electeur
from isoloir.core import horloge
from isoloir.elections.models import Campagne, Inscription, ListeCandidats, Scrutin

_sequence = itertools.count(1)
MOT_DE_PASSE = "Correct-cheval-batterie-agrafe-2026"
REPONSE = "Médor le Chien"


def numen_de(n: int) -> str:
    lettres = "".join(chr(65 + (n // 26**i) % 26) for i in range(3))
    return f"01E95{n:05d}{lettres}"


@pytest.fixture
def creer_campagne():
    def creer(
        *, ouverture: datetime | None = None, duree: timedelta = timedelta(days=8), **champs: object
    ) -> Campagne:
        n = next(_sequence)
        debut = ouverture or horloge.maintenant() + timedelta(days=3)
        return Campagne.objects.create(
            nom=champs.pop("nom", f"Élections professionnelles {n}"),
            slug=champs.pop("slug", f"campagne-{n}"),
            ouverture=debut,
            cloture=debut + duree,
            **champs,
        )

    return creer


@pytest.fixture
def creer_scrutin(creer_campagne):
    def creer(campagne: Campagne | None = None, **champs: object) -> Scrutin:
        n = next(_sequence)
        return Scrutin.objects.create(
            campagne=campagne or creer_campagne(),
            code=champs.pop("code", f"csa-{n}"),
            intitule=champs.pop("intitule", f"CSA n° {n}"),
            type=champs.pop("type", "CSA"),
            perimetre=champs.pop("perimetre", "Ministère"),
            sieges_titulaires=champs.pop("sieges_titulaires", 15),
            sieges_suppleants=champs.pop("sieges_suppleants", 15),
            **champs,
        )

    return creer


@pytest.fixture
def creer_liste():
    def creer(scrutin: Scrutin, **champs: object) -> ListeCandidats:
        n = next(_sequence)
        return ListeCandidats.objects.create(
            scrutin=scrutin,
            ordre=champs.pop("ordre", n),
            sigle=champs.pop("sigle", f"SYN{n}"),
            denomination=champs.pop("denomination", f"Syndicat n° {n}"),
            **champs,
        )

    return creer


@pytest.fixture
def creer_electeur():
    """A voter on the given scrutins; ``active=True`` also sets password and question."""

    def creer(*scrutins: Scrutin, active: bool = False, **champs: object) -> Electeur:
        n = next(_sequence)
        email = str(champs.pop("email", f"agent{n}@ac-exemple.fr"))
        compte = Compte.objects.create_user(email, MOT_DE_PASSE if active else None)
        electeur = Electeur.objects.create(
            compte=compte,
            civilite=champs.pop("civilite", "Mme"),
            nom_naissance=champs.pop("nom_naissance", "Campodifiori"),
            prenoms=champs.pop("prenoms", "Sophie Marie"),
            date_naissance=champs.pop("date_naissance", date(1977, 5, 4)),
            numen_empreinte=numen.empreinte(str(champs.pop("numen", numen_de(n)))),
            **champs,
        )
        if active:
            electeur.question_defi = "animal"
            electeur.reponse_defi_empreinte = question_defi.hacher(REPONSE)
            electeur.active_le = horloge.maintenant()
            electeur.save()
        for scrutin in scrutins:
            Inscription.objects.create(electeur=electeur, scrutin=scrutin)
        return electeur

    return creer
