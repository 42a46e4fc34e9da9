"""The campaign's legal calendar: what the model refuses, what the portal and the
back-office read from it (regulation.md A01, A04, B06)."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from isoloir.elections import calendrier
from isoloir.elections.calendrier import EtatEcheance
from isoloir.elections.models import Campagne

# Dates matter here: run at today's date and at each edge of the calendar.
pytestmark = pytest.mark.calendrier

OUVERTURE = datetime.fromisoformat("2026-12-01T08:00:00+01:00")


def campagne(**champs: object) -> Campagne:
    return Campagne(
        nom="Élections professionnelles 2026",
        slug="ep-2026",
        ouverture=OUVERTURE,
        cloture=OUVERTURE + timedelta(days=8),
        **champs,
    )


def test_un_calendrier_vide_prend_les_delais_des_textes() -> None:
    cal = calendrier.calendrier(campagne())
    assert cal.remise_des_notices == OUVERTURE - timedelta(days=15)
    assert (cal.reassort.debut, cal.reassort.fin) == (OUVERTURE - timedelta(days=15), cal.cloture)
    assert cal.consultation is None and cal.reclamations is None


def test_la_publication_ouvre_consultation_demandes_et_reclamations() -> None:
    publication = OUVERTURE - timedelta(days=30)
    cal = calendrier.calendrier(campagne(publication_des_listes=publication))
    assert cal.consultation == calendrier.Periode(publication, OUVERTURE + timedelta(days=8))
    assert cal.demandes_d_inscription == calendrier.Periode(
        publication, publication + timedelta(days=8)
    )
    assert cal.reclamations == calendrier.Periode(publication, publication + timedelta(days=11))
    c = campagne(publication_des_listes=publication)
    assert calendrier.reclamations_ouvertes(c, publication + timedelta(days=10, hours=23))
    assert not calendrier.reclamations_ouvertes(c, publication + timedelta(days=11))
    assert not calendrier.consultation_ouverte(c, publication - timedelta(seconds=1))


@pytest.mark.parametrize(
    ("champs", "champ_en_erreur", "message"),
    [
        (
            {"remise_des_notices": OUVERTURE - timedelta(days=14, hours=23)},
            "remise_des_notices",
            "au moins 15 jours avant l'ouverture",
        ),
        (
            {"publication_des_listes": OUVERTURE},
            "publication_des_listes",
            "publiées avant l'ouverture",
        ),
        (
            {"reclamations_cloture": OUVERTURE - timedelta(days=2)},
            "reclamations_cloture",
            "date de publication",
        ),
        (
            {
                "publication_des_listes": OUVERTURE - timedelta(days=20),
                "reclamations_cloture": OUVERTURE + timedelta(hours=1),
            },
            "reclamations_cloture",
            "closes avant l'ouverture",
        ),
        (
            {
                "publication_des_listes": OUVERTURE - timedelta(days=20),
                "consultation_cloture": OUVERTURE - timedelta(days=21),
            },
            "consultation_cloture",
            "doit suivre la publication",
        ),
    ],
)
def test_le_modele_refuse_un_calendrier_contraire_aux_textes(
    champs: dict[str, object], champ_en_erreur: str, message: str
) -> None:
    with pytest.raises(ValidationError) as erreur:
        campagne(**champs).clean()
    assert message in " ".join(erreur.value.message_dict[champ_en_erreur])


def test_un_calendrier_conforme_est_accepte() -> None:
    campagne(
        remise_des_notices=OUVERTURE - timedelta(days=15),
        publication_des_listes=OUVERTURE - timedelta(days=30),
        reclamations_cloture=OUVERTURE - timedelta(days=19),
    ).clean()


def test_l_echeancier_dit_ce_qui_vient_ensuite() -> None:
    c = campagne(publication_des_listes=OUVERTURE - timedelta(days=30))
    maintenant = OUVERTURE - timedelta(days=25)
    echeances = calendrier.echeancier(c, maintenant)
    etats = {e.libelle: e.etat for e in echeances}
    assert etats["Publication des listes électorales"] is EtatEcheance.PASSEE
    assert etats["Demandes d'inscription"] is EtatEcheance.EN_COURS
    assert etats["Réclamations sur les listes"] is EtatEcheance.EN_COURS
    assert etats["Fin de la remise des notices"] is EtatEcheance.A_VENIR
    assert etats["Ouverture du vote"] is EtatEcheance.A_VENIR
    dates = [e.date for e in echeances if e.date]
    assert dates == sorted(dates)
    prochaine = calendrier.prochaine(echeances)
    assert prochaine is not None and prochaine.libelle == "Demandes d'inscription"
    apres = calendrier.echeancier(c, OUVERTURE + timedelta(days=9))
    assert calendrier.prochaine(apres) is None


def test_des_listes_non_publiees_sont_a_fixer() -> None:
    echeances = calendrier.echeancier(campagne(), OUVERTURE - timedelta(days=40))
    a_fixer = [e.libelle for e in echeances if e.etat is EtatEcheance.NON_FIXEE]
    assert a_fixer == [
        "Publication des listes électorales",
        "Demandes d'inscription",
        "Réclamations sur les listes",
    ]
    # The ones without a date come last.
    assert [e.etat for e in echeances[-3:]] == [EtatEcheance.NON_FIXEE] * 3


def test_les_delais_se_comptent_en_jours_a_l_heure_de_paris() -> None:
    """Across the change to winter time (25 October 2026), a day lasts 25 hours: the
    texts' days end at the same time on Paris's clock."""
    paris = calendrier.horloge.PARIS
    publication = datetime(2026, 10, 20, 0, 0, tzinfo=paris)
    c = campagne(publication_des_listes=publication)
    cal = calendrier.calendrier(c)
    assert cal.reclamations is not None
    assert cal.reclamations.fin.astimezone(paris) == datetime(2026, 10, 31, 0, 0, tzinfo=paris)
    ouverture = datetime(2026, 11, 5, 8, 0, tzinfo=paris)
    automne = Campagne(ouverture=ouverture, cloture=ouverture + timedelta(days=2))
    remise = calendrier.calendrier(automne).remise_des_notices
    assert remise.astimezone(paris) == datetime(2026, 10, 21, 8, 0, tzinfo=paris)
    automne.remise_des_notices = remise
    automne.clean()  # exactly 15 days: accepted
    automne.remise_des_notices = remise + timedelta(minutes=1)
    with pytest.raises(ValidationError):
        automne.clean()


def test_des_listes_publiees_tard_ferment_les_reclamations_a_l_ouverture() -> None:
    c = campagne(publication_des_listes=OUVERTURE - timedelta(days=2))
    c.clean()
    cal = calendrier.calendrier(c)
    assert cal.reclamations is not None and cal.reclamations.fin == OUVERTURE
    assert cal.demandes_d_inscription is not None
    assert cal.demandes_d_inscription.fin == OUVERTURE
    assert not calendrier.reclamations_ouvertes(c, OUVERTURE + timedelta(days=1))
