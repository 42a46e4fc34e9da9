"""A whole vote across each edge of Paris's calendar (issue 19): the 8-day limit counted
in days of the calendar, the 24-hour minimum in real time, the countdown, "Voté le …" in
the voting space and in the refusal of a second vote, and the times of the PV, each
written by hand here for the instant the vote crosses.

The rest of the suite runs at these instants too: tests marked ``calendrier`` at each of
them in every pass, the whole suite with ``./run-tests --maintenant NOM``
(tests/environnement.py).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from isoloir.booth import depot
from isoloir.core import horloge
from isoloir.core.horloge import PARIS, en_jours_calendaires
from isoloir.elections.models import Campagne
from isoloir.elections.selectors import compte_a_rebours, fenetre_du_scrutin
from tests.counting.detenteurs import ceremonie_complete, sceller
from tests.counting.resultats import compter
from tests.environnement import INSTANTS
from tests.pdf import texte_du_pdf
from tests.scrutin_de_vote import URNE_ET_DEFAUT, bulletin_pour

pytestmark = pytest.mark.django_db(databases=URNE_ET_DEFAUT)


@dataclass(frozen=True)
class Traversee:
    """A vote that opens an hour before ``vote_le`` and lasts 8 days of the calendar."""

    def instant(self, decalage: timedelta = timedelta(0)) -> datetime:
        # In UTC: arithmetic on a Paris datetime would be wall-clock arithmetic, an hour
        # off across a change of time.
        return self.vote_le.astimezone(UTC) + decalage

    nom: str
    vote_le: datetime
    periode: str  # as the PV writes it
    vote_affiche: str  # "Voté le …"
    duree_reelle: timedelta  # what 8 days of the calendar really last
    reste: tuple[int, int, int]  # the countdown at the vote: days, hours, minutes


TRAVERSEES = [
    Traversee(
        "saint-sylvestre",
        datetime(2027, 1, 1, 0, 1, tzinfo=PARIS),
        "du jeudi 31 décembre 2026 à 23h01 au vendredi 8 janvier 2027 à 23h01",
        "1er janvier 2027 à 0h01",
        timedelta(days=8),
        (7, 23, 0),
    ),
    Traversee(
        # 3h01 summer time: the hour from 2h00 to 3h00 never happened.
        "heure-d-ete",
        datetime(2027, 3, 28, 3, 1, tzinfo=PARIS),
        "du dimanche 28 mars 2027 à 1h01 au lundi 5 avril 2027 à 1h01",
        "28 mars 2027 à 3h01",
        timedelta(days=8, hours=-1),
        (7, 22, 0),
    ),
    Traversee(
        # The second 2h30 of the night (fold=1, winter time): the vote opened at the first.
        "heure-d-hiver",
        datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=PARIS),
        "du dimanche 31 octobre 2027 à 2h30 au lundi 8 novembre 2027 à 2h30",
        "31 octobre 2027 à 2h30",
        timedelta(days=8, hours=1),
        (8, 0, 0),
    ),
    Traversee(
        "29-fevrier",
        datetime(2028, 2, 29, 12, 0, tzinfo=PARIS),
        "du mardi 29 février 2028 à 11h00 au mercredi 8 mars 2028 à 11h00",
        "29 février 2028 à 12h00",
        timedelta(days=8),
        (7, 23, 0),
    ),
    Traversee(
        # 0h30 in Paris, still 28 February in UTC.
        "premier-du-mois",
        datetime(2027, 3, 1, 0, 30, tzinfo=PARIS),
        "du dimanche 28 février 2027 à 23h30 au lundi 8 mars 2027 à 23h30",
        "1er mars 2027 à 0h30",
        timedelta(days=8),
        (7, 23, 0),
    ),
]


def test_chaque_instant_de_la_suite_est_traverse_par_un_vote() -> None:
    assert {t.nom for t in TRAVERSEES} == set(INSTANTS)


@pytest.fixture(params=TRAVERSEES, ids=[t.nom for t in TRAVERSEES])
def traversee(request: pytest.FixtureRequest) -> Traversee:
    return request.param


@pytest.fixture
def campagne(traversee: Traversee, creer_campagne) -> Iterator[Campagne]:
    """Overrides tests/scrutin_de_vote.py's: this test's window, and its clock set a few
    minutes before the vote (the bureau seals two hours before the opening)."""
    ouverture = traversee.instant(-timedelta(hours=1))
    cloture = en_jours_calendaires(ouverture, timedelta(days=8))
    with horloge.decalee_de(traversee.instant(-timedelta(minutes=5)) - horloge.maintenant()):
        yield creer_campagne(ouverture=ouverture, duree=cloture - ouverture)


def test_un_vote_qui_traverse_le_calendrier(
    traversee: Traversee, campagne, scrutin, bureau, electeur, dans_l_isoloir, client, tmp_path
) -> None:
    # The 8 days are those of the calendar, whatever they last; one minute more is refused.
    assert campagne.cloture - campagne.ouverture == traversee.duree_reelle
    campagne.full_clean()
    campagne.cloture += timedelta(minutes=1)
    with pytest.raises(ValidationError, match="entre 24 heures et 8 jours"):
        campagne.full_clean()
    campagne.cloture -= timedelta(minutes=1)

    c, appareils = ceremonie_complete(bureau)
    sceller(bureau, c, appareils)
    with horloge.figee_a(traversee.instant()):
        reste = compte_a_rebours(fenetre_du_scrutin(scrutin))
        assert (reste.jours, reste.heures, reste.minutes) == traversee.reste
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 1))
    page = dans_l_isoloir.get(reverse("booth:espace_de_vote")).content.decode()
    assert f"Voté le {traversee.vote_affiche}</span>" in page
    with pytest.raises(depot.DejaVote) as refus:
        depot.voter(electeur=electeur, scrutin=scrutin, texte=bulletin_pour(scrutin, 2))
    assert f" {traversee.vote_affiche} (heure de Paris)" in str(refus.value)

    compter(bureau, scrutin, c, appareils)
    reponse = client.get(
        reverse("counting:proces_verbal", args=[scrutin.campagne.slug, scrutin.code])
    )
    assert reponse.status_code == 200
    texte = " ".join(texte_du_pdf(reponse.content, tmp_path).split())
    assert f"Période de vote : {traversee.periode} (heure de Paris)" in texte


@pytest.mark.parametrize(
    ("ouverture", "attendu"),
    [
        # 24 hours of the calendar across the change to summer time last 23 hours: too short.
        (datetime(2027, 3, 27, 12, 0, tzinfo=PARIS), "refusée"),
        # Across the change to winter time they last 25 hours: long enough.
        (datetime(2027, 10, 30, 12, 0, tzinfo=PARIS), "acceptée"),
    ],
)
def test_vingt_quatre_heures_au_moins_de_temps_reel(
    creer_campagne, ouverture: datetime, attendu: str
) -> None:
    # In Paris's zone, as the back-office's form reads them: subtracting those two gives
    # 24 hours of wall clock, whatever really passes between them.
    campagne = creer_campagne(ouverture=ouverture, duree=timedelta(days=1))
    assert campagne.cloture == en_jours_calendaires(ouverture, timedelta(days=1))
    if attendu == "acceptée":
        campagne.full_clean()
    else:
        with pytest.raises(ValidationError, match="entre 24 heures et 8 jours"):
            campagne.full_clean()
