"""Shared fixtures: a real SMTP server on loopback, the task worker, domain factories."""

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.smtp import ServeurSMTP, lancer_serveur_smtp

pytest_plugins = ["tests.factories", "tests.scrutin_de_vote"]


@pytest.fixture(autouse=True)
def _cache_vide() -> Iterator[None]:
    # Throttling counters live in the cache, which outlives a test's transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def serveur_smtp() -> Iterator[ServeurSMTP]:
    serveur = lancer_serveur_smtp()
    yield serveur
    serveur.arreter()


@pytest.fixture
def boite(serveur_smtp: ServeurSMTP, settings) -> ServeurSMTP:
    """Mail of this test goes through the loopback SMTP server and lands here."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": serveur_smtp.port, "timeout": 10},
        }
    }
    serveur_smtp.vider()
    return serveur_smtp


@pytest.fixture
def executer_taches():
    """Runs the task worker until the queue holds nothing due, as ``db_worker`` would."""

    def executer() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return executer


@pytest.fixture
def sms(settings):
    """SMS of this test are kept in memory (``memoire://``), number included."""
    from isoloir.notify.sms import boite_envoi

    settings.ISOLOIR_SMS_URL = "memoire://"
    boite_envoi.clear()
    yield boite_envoi
    boite_envoi.clear()


@pytest.fixture
def compteurs_en_base(settings) -> None:
    """The database cache, the default outside tests: core/limites.py then counts in SQL."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "isoloir_cache",
        }
    }
    call_command("createcachetable", verbosity=0)


@pytest.fixture(params=["cache", "base"])
def compteurs(request) -> str:
    """Attempt counters (core/limites.py) on the run's cache (process memory, or Redis in
    the PostgreSQL pass), then on the database cache: a limit must hold exactly on each."""
    if request.param == "base":
        request.getfixturevalue("compteurs_en_base")
    return str(request.param)
