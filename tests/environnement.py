"""Test environment, loaded as a plugin (``-p tests.environnement`` in pyproject) so that
it is in place before pytest-django reads the settings.

Each run gets its own data folder; the cache is process memory unless the run names a
shared one (the PostgreSQL pass uses Redis), since the default database cache would need
the database in tests that have none.
"""

import math
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta

import hypothesis
import pytest

os.environ.setdefault("ISOLOIR_DATA_DIR", tempfile.mkdtemp(prefix="isoloir-tests-"))
os.environ.setdefault("ISOLOIR_TESTING", "1")
os.environ.setdefault("CACHE_URL", "locmemcache://")
# The CAPTCHA accepts the fixed answer PASSED (django-simple-captcha reads this at import);
# tests of the CAPTCHA itself switch it off.
os.environ.setdefault("ISOLOIR_CAPTCHA_TEST_MODE", "1")


# --- The date the tests run at --------------------------------------------------------------
#
# Nothing may depend on the day the suite runs (issue 19): ``--maintenant NOM`` (or
# ``ISOLOIR_TESTS_MAINTENANT``) starts every test at one of these instants on the product's
# clock, and lets it run from there. Each is an edge of the calendar of Paris.
INSTANTS = {
    # Still 28 February in UTC: a date taken in UTC instead of Paris is a day off.
    "premier-du-mois": "2027-03-01T00:30:00+01:00",
    "29-fevrier": "2028-02-29T12:00:00+01:00",
    # One minute before the new year: every window of the tests crosses it.
    "saint-sylvestre": "2026-12-31T23:59:00+01:00",
    # One minute before 2h00 becomes 3h00 (the day lasts 23 hours)…
    "heure-d-ete": "2027-03-28T01:59:00+01:00",
    # …and in the hour that happens twice (the day lasts 25 hours).
    "heure-d-hiver": "2027-10-31T02:30:00+02:00",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--maintenant",
        default=os.environ.get("ISOLOIR_TESTS_MAINTENANT", ""),
        help="Instant où commence chaque test : " + ", ".join(INSTANTS) + " ou ISO 8601.",
    )


def lire_instant(texte: str) -> datetime | None:
    """A name of ``INSTANTS`` or an ISO 8601 instant with its offset; empty: the real now."""
    texte = texte.strip()
    if not texte:
        return None
    try:
        instant = datetime.fromisoformat(INSTANTS.get(texte, texte))
    except ValueError:
        raise pytest.UsageError(
            f"--maintenant « {texte} » : un nom parmi {', '.join(INSTANTS)} ou un instant "
            "ISO 8601 avec son fuseau (2027-03-28T01:59:00+01:00)."
        ) from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"--maintenant « {texte} » : précisez le fuseau (+01:00).")
    return instant


def pytest_configure(config: pytest.Config) -> None:
    lire_instant(str(config.getoption("--maintenant")))  # a typo stops the run at once
    # Hypothesis gives each example 200 ms by default: a busy machine fails a correct test.
    # CI replays the same examples every run (a red CI must be reproducible); a developer's
    # run keeps exploring new ones.
    hypothesis.settings.register_profile(
        "isoloir", deadline=None, derandomize=bool(os.environ.get("CI")), print_blob=True
    )
    hypothesis.settings.load_profile("isoloir")


def pytest_report_header(config: pytest.Config) -> str | None:
    instant = lire_instant(str(config.getoption("--maintenant")))
    return None if instant is None else f"maintenant : chaque test commence le {instant}"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked ``calendrier`` runs at today's date and at each of ``INSTANTS``, in
    every pass of ``run-tests``: the date-dependent part of the suite never waits for the
    right day of the year to be checked."""
    if metafunc.definition.get_closest_marker("calendrier") is None:
        return
    if metafunc.config.getoption("--maintenant"):
        return  # the whole run is at one instant already
    noms = ["", *INSTANTS]
    metafunc.parametrize(
        "_date_du_jour", noms, ids=[n or "aujourd-hui" for n in noms], indirect=True
    )


@pytest.fixture(autouse=True)
def _date_du_jour(request: pytest.FixtureRequest) -> Iterator[None]:
    """Moves the product's clock so that the test starts at the chosen instant, and lets
    it run from there; the processes the test starts (``isoloir`` commands, workers) get
    the same offset through ``ISOLOIR_HORLOGE_AVANCE``. Autouse, so it comes before the
    fixtures that build campaigns around "now"."""
    texte = getattr(request, "param", None)
    if texte is None:
        texte = str(request.config.getoption("--maintenant"))
    instant = lire_instant(texte)
    if instant is None:
        yield
        return
    from django.utils import timezone

    from isoloir.core import horloge

    # Whole seconds, the same here and in the processes the test starts (the variable
    # counts in seconds): the test starts in the second that follows the instant.
    secondes = math.ceil((instant - timezone.now()).total_seconds())
    with horloge.decalee_de(timedelta(seconds=secondes)), pytest.MonkeyPatch.context() as patch:
        patch.setenv("ISOLOIR_HORLOGE_AVANCE", f"{'-' if secondes < 0 else ''}{abs(secondes)}s")
        yield
