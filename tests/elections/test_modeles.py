"""Invariants of the data model: windows, NUMEN, PDFs, uniqueness."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError

from isoloir.accounts import numen
from isoloir.elections.models import Campagne, Inscription

# Dates matter here: run at today's date and at each edge of the calendar.
pytestmark = pytest.mark.calendrier

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("duree", "valide"),
    [
        (timedelta(hours=23, minutes=59), False),
        (timedelta(hours=24), True),
        (timedelta(days=8), True),
        (timedelta(days=8, minutes=1), False),
        (timedelta(0), False),
    ],
)
def test_la_periode_de_vote_dure_de_24_heures_a_8_jours(duree: timedelta, valide: bool) -> None:
    ouverture = datetime(2026, 12, 6, 16, tzinfo=PARIS)
    campagne = Campagne(nom="E", slug="e", ouverture=ouverture, cloture=ouverture + duree)
    if valide:
        campagne.clean()
    else:
        with pytest.raises(ValidationError):
            campagne.clean()


@pytest.mark.django_db
def test_les_heures_sont_stockees_en_utc(creer_campagne) -> None:
    campagne = creer_campagne(ouverture=datetime(2026, 12, 6, 16, tzinfo=PARIS))
    campagne.refresh_from_db()
    assert campagne.ouverture.utcoffset() == timedelta(0)
    assert campagne.ouverture.hour == 15


@pytest.mark.django_db
def test_fenetre_propre_d_un_scrutin(creer_scrutin) -> None:
    scrutin = creer_scrutin()
    assert scrutin.fenetre == (scrutin.campagne.ouverture, scrutin.campagne.cloture)
    scrutin.ouverture = scrutin.campagne.ouverture
    with pytest.raises(ValidationError, match="aucune des deux"):
        scrutin.full_clean()
    with pytest.raises(IntegrityError):
        scrutin.save()


@pytest.mark.parametrize("saisie", ["01E9501234ABC", "01 e 95 01234 abc", "01-E-9501234-ABC"])
def test_numen_valide(saisie: str) -> None:
    assert numen.valider(saisie) == "01E9501234ABC"


@pytest.mark.parametrize(
    "saisie", ["", "01E9501234AB", "01E95O1234ABC", "1E9501234ABCD", "01E95012345BC"]
)
def test_numen_invalide(saisie: str) -> None:
    with pytest.raises(ValidationError, match="13 caractères"):
        numen.valider(saisie)


def test_le_numen_n_est_garde_qu_en_empreinte_a_cle(settings) -> None:
    empreinte = numen.empreinte("01E9501234ABC")
    assert "01E9501234ABC" not in empreinte
    assert numen.correspond("01 e 9501234abc", empreinte)
    settings.ISOLOIR_NUMEN_KEY = "une autre clé"
    assert not numen.correspond("01E9501234ABC", empreinte)


@pytest.mark.django_db
def test_la_profession_de_foi_doit_etre_un_pdf(creer_scrutin, creer_liste) -> None:
    liste = creer_liste(creer_scrutin())
    liste.profession_de_foi.save("x.pdf", ContentFile(b"<html>pas un pdf</html>"), save=False)
    with pytest.raises(ValidationError, match="PDF"):
        liste.full_clean()


@pytest.mark.django_db
def test_une_seule_inscription_par_electeur_et_scrutin(creer_scrutin, creer_electeur) -> None:
    scrutin = creer_scrutin()
    electeur = creer_electeur(scrutin)
    with pytest.raises(IntegrityError):
        Inscription.objects.create(electeur=electeur, scrutin=scrutin)
