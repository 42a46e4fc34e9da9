"""The one way of writing a date and a time for people (core/dates.py, issue 19), and a
guard that keeps every page, mail and PDF on it."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from isoloir.core import horloge
from isoloir.core.dates import (
    aujourd_hui,
    date_fr,
    date_heure_fr,
    heure_fr,
    il_y_a_ans,
    jour_et_mois_fr,
)
from isoloir.core.horloge import PARIS

SOURCES = Path(__file__).resolve().parents[2] / "src" / "isoloir"


@pytest.mark.parametrize(
    ("instant", "court", "long"),
    [
        # The first of the month is an ordinal, every other day a number.
        (
            datetime(2026, 12, 1, 9, 5, tzinfo=PARIS),
            "1er décembre 2026 à 9h05",
            "mardi 1er décembre 2026 à 9h05",
        ),
        (
            datetime(2026, 12, 7, 18, 12, tzinfo=PARIS),
            "7 décembre 2026 à 18h12",
            "lundi 7 décembre 2026 à 18h12",
        ),
        # An instant in UTC is written on Paris's clock: already the new year there.
        (
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),
            "1er janvier 2027 à 0h30",
            "vendredi 1er janvier 2027 à 0h30",
        ),
        (
            datetime(2028, 2, 29, 23, 59, tzinfo=PARIS),
            "29 février 2028 à 23h59",
            "mardi 29 février 2028 à 23h59",
        ),
        # Summer time: 1h30 UTC is 3h30 in Paris once the clocks went forward…
        (
            datetime(2027, 3, 28, 1, 30, tzinfo=UTC),
            "28 mars 2027 à 3h30",
            "dimanche 28 mars 2027 à 3h30",
        ),
        # …and both 0h30 and 1h30 UTC read 2h30 on the night they go back.
        (
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
            "31 octobre 2027 à 2h30",
            "dimanche 31 octobre 2027 à 2h30",
        ),
        (
            datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
            "31 octobre 2027 à 2h30",
            "dimanche 31 octobre 2027 à 2h30",
        ),
    ],
)
def test_une_date_et_une_heure(instant: datetime, court: str, long: str) -> None:
    assert date_heure_fr(instant) == court
    assert date_heure_fr(instant, jour_de_semaine=True) == long
    gabarit = Template("{{ x|date_heure_fr }}|{{ x|date_heure_longue }}|{{ x|heure_fr }}")
    assert gabarit.render(Context({"x": instant})) == f"{court}|{long}|{heure_fr(instant)}"


def test_une_date_sans_heure() -> None:
    assert date_fr(date(1977, 5, 1)) == "1er mai 1977"  # a birth date has no time zone
    assert date_fr(date(1977, 5, 4), jour_de_semaine=True) == "mercredi 4 mai 1977"
    assert jour_et_mois_fr(datetime(2026, 11, 30, 23, 30, tzinfo=UTC)) == "1er décembre"
    gabarit = Template("{{ x|date_fr }}|{{ x|date_longue }}|{{ vide|date_heure_fr }}")
    rendu = gabarit.render(Context({"x": date(2027, 3, 1), "vide": None}))
    assert rendu == "1er mars 2027|lundi 1er mars 2027|"


def test_un_instant_sans_fuseau_est_refuse() -> None:
    # Read in the server's zone, it could be an hour off: better a clear error.
    with pytest.raises(ValueError, match="sans fuseau horaire"):
        date_heure_fr(datetime(2026, 12, 7, 18, 12))


# Django's own date formatting, for people, anywhere but core/dates.py. ISO 8601 for
# machines (|date:"c", .isoformat(), archives) is not concerned.
FORMES_INTERDITES = [
    re.compile(r"""\|date:(?!["']c["'])"""),  # {{ x|date:"j F Y" }}
    re.compile(r"\|(time|naturaltime|timesince|timeuntil)\b"),
    re.compile(r"\bdate_format\("),
    # strftime() or an f-string's format: for people as soon as it has a space, a slash,
    # an "h" or a name of day or month; "%Y%m%d-%H%M%S" (a file name) and
    # "%Y-%m-%dT%H:%M:%SZ" (ISO 8601) are for machines.
    re.compile(r"""(strftime\(["']|\{[a-z_.()]+:)[^"'}]*(%[aAbB]|%[dmYHM][ /h]|[ /h]%[dmYHM])"""),
]


def test_aucune_page_ni_aucun_courriel_n_ecrit_une_date_a_sa_facon() -> None:
    ecarts = []
    for fichier in sorted(SOURCES.rglob("*")):
        if fichier.suffix not in {".py", ".html", ".txt"} or fichier.name == "dates.py":
            continue
        if "migrations" in fichier.parts:
            continue
        for numero, ligne in enumerate(fichier.read_text(encoding="utf-8").splitlines(), 1):
            if any(forme.search(ligne) for forme in FORMES_INTERDITES):
                ecarts.append(f"{fichier.relative_to(SOURCES)}:{numero}: {ligne.strip()}")
    assert not ecarts, "Dates écrites hors de core/dates.py :\n" + "\n".join(ecarts)


def test_quinze_ans_avant_un_29_fevrier() -> None:
    # The claims form checked birth dates with replace(year=…): a server error on the
    # 29th of February (found by the suite run at that date, issue 19).
    assert il_y_a_ans(date(2028, 2, 29), 15) == date(2013, 2, 28)
    assert il_y_a_ans(date(2028, 2, 29), 4) == date(2024, 2, 29)
    assert il_y_a_ans(date(2026, 12, 7), 15) == date(2011, 12, 7)


def test_aujourd_hui_est_le_jour_de_paris() -> None:
    # 23h30 UTC on the 28th of February is already the 1st of March in Paris.
    with horloge.figee_a(datetime(2027, 2, 28, 23, 30, tzinfo=UTC)):
        assert aujourd_hui() == date(2027, 3, 1)


@pytest.mark.parametrize("jour", [date(2028, 2, 29), date(2027, 3, 1)])
def test_la_date_de_naissance_d_une_reclamation_un_jour_difficile(jour: date) -> None:
    from isoloir.reclamations.forms import ChampDate

    champ = ChampDate()
    with horloge.figee_a(datetime(jour.year, jour.month, jour.day, 0, 30, tzinfo=PARIS)):
        assert champ.clean("1977-05-04") == date(1977, 5, 4)
        with pytest.raises(ValidationError, match="pas plausible"):
            champ.clean("2020-01-01")
