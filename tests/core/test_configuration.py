"""Configuration from the environment, and production refusing unsafe settings."""

from pathlib import Path

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from isoloir import config
from isoloir.ballotbox.routers import UrneRouter
from isoloir.elections.models import Campagne

SURS = {
    "production": True,
    "debug": False,
    "secret_key": "k" * 60,
    "numen_key": "n" * 60,
    "databases": {"default": {"ENGINE": "django.db.backends.postgresql"}},
    "cache": {"BACKEND": "django.core.cache.backends.redis.RedisCache"},
    "base_url": "https://elections.education.gouv.fr",
    "allowed_hosts": ["elections.education.gouv.fr"],
    "tasks_backend": "redis",
    "captcha_test_mode": False,
    "sms_url": "brevo://cle@?sender=Elections",
    "fc_issuer": "https://oidc.franceconnect.gouv.fr/api/v2",
    "fc_secret": "s" * 64,
    "code_memory_kib": 8192,
    "mailer": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend"},
    "testing": False,
}


def test_une_production_bien_reglee_demarre() -> None:
    config.check_production(**SURS)


@pytest.mark.parametrize(
    ("reglage", "valeur", "motif"),
    [
        ("debug", True, "DEBUG"),
        ("secret_key", config.DEFAULT_SECRET_KEY, "SECRET_KEY"),
        ("numen_key", "k" * 60, "ISOLOIR_NUMEN_KEY"),
        ("databases", {"default": {"ENGINE": "django.db.backends.sqlite3"}}, "SQLite"),
        ("cache", {"BACKEND": "django.core.cache.backends.db.DatabaseCache"}, "Redis"),
        ("base_url", "http://127.0.0.1:8000", "https://"),
        ("allowed_hosts", ["elections.education.gouv.fr", "testserver"], "ALLOWED_HOSTS"),
        ("tasks_backend", "immediate", "immediate"),
        ("captcha_test_mode", True, "CAPTCHA"),
        ("sms_url", "console://", "ISOLOIR_SMS_URL"),
        ("sms_url", "brevo://cle@?sender=E&endpoint=http://sms.example", "https"),
        ("fc_issuer", "http://oidc.example/api/v2", "FranceConnect"),
        ("fc_secret", "", "FranceConnect"),
        ("code_memory_kib", 1024, "ARGON2"),
        ("mailer", {"BACKEND": "isoloir.notify.backends.FileAndConsoleBackend"}, "SMTP"),
        ("testing", True, "mode test"),
        ("horloge_avance", "2d", "ISOLOIR_HORLOGE_AVANCE"),
    ],
)
def test_la_production_refuse(reglage: str, valeur: object, motif: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=motif):
        config.check_production(**{**SURS, reglage: valeur})


def test_hors_production_rien_n_est_refuse() -> None:
    config.check_production(**{**SURS, "production": False, "debug": True, "testing": True})


def test_lancer_en_production_avec_les_defauts_echoue(tmp_path: Path) -> None:
    import subprocess
    import sys

    resultat = subprocess.run(
        [sys.executable, "-m", "isoloir.cli", "check"],
        env={"ISOLOIR_ENV": "production", "ISOLOIR_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert resultat.returncode != 0
    assert "ISOLOIR_ENV=production refuse de démarrer" in resultat.stderr
    assert "DEBUG" not in resultat.stderr  # DEBUG defaults to off in production


def test_url_smtp() -> None:
    reglage = config.mailer("smtp://alice:s%40cret@mail.example:2525?starttls=1", Path("var"))
    assert reglage["OPTIONS"] == {
        "host": "mail.example",
        "port": 2525,
        "username": "alice",
        "password": "s@cret",
        "use_ssl": False,
        "use_tls": True,
        "timeout": 20,
    }
    assert config.mailer("smtps://mail.example", Path("var"))["OPTIONS"]["port"] == 465
    with pytest.raises(ImproperlyConfigured):
        config.mailer("http://mail.example", Path("var"))


def test_sans_url_smtp_les_courriels_vont_dans_des_fichiers(tmp_path: Path) -> None:
    reglage = config.mailer("", tmp_path)
    assert reglage["BACKEND"].endswith("FileAndConsoleBackend")
    assert reglage["OPTIONS"]["file_path"] == str(tmp_path / "mails")


def test_urls_de_base(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5432/isoloir")
    bd = config.database(environ.Env(), "DATABASE_URL", tmp_path / "x.sqlite3")
    assert bd["ENGINE"] == "django.db.backends.postgresql"
    assert bd["NAME"] == "isoloir"
    monkeypatch.delenv("DATABASE_URL")
    bd = config.database(environ.Env(), "DATABASE_URL", tmp_path / "x.sqlite3")
    assert bd["NAME"] == str(tmp_path / "x.sqlite3")
    assert bd["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_cache_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CACHE_URL", "redis://127.0.0.1:6379/1")
    assert config.cache(environ.Env())["BACKEND"].endswith("RedisCache")


def test_tache_inconnue() -> None:
    with pytest.raises(ImproperlyConfigured, match="ISOLOIR_TASKS_BACKEND"):
        config.tasks("celery")


def test_l_urne_a_sa_propre_base_et_rien_ne_la_relie_aux_electeurs() -> None:
    routeur = UrneRouter()
    assert set(connections) >= {"default", "urne"}
    assert routeur.db_for_write(Campagne) == "default"
    assert routeur.allow_migrate("urne", "ballotbox") is True
    assert routeur.allow_migrate("default", "ballotbox") is False
    assert routeur.allow_migrate("urne", "accounts") is False
    assert routeur.allow_migrate("default", "accounts") is True


def test_l_horloge_avancee_de_la_demonstration() -> None:
    """ISOLOIR_HORLOGE_AVANCE: the process lives that far ahead (the demo's count)."""
    from datetime import timedelta

    from django.utils import timezone

    from isoloir.core import clock

    try:
        clock.avancer_au_demarrage("2d")
        ecart = clock.now() - timezone.now()
        assert timedelta(days=2) - timedelta(seconds=5) < ecart <= timedelta(days=2)
        # Back in time too: the tests start the processes they run on their own date.
        clock.avancer_au_demarrage("-3d")
        ecart = clock.now() - timezone.now()
        assert -timedelta(days=3) - timedelta(seconds=5) < ecart <= -timedelta(days=3)
        with pytest.raises(clock.DureeIllisible, match="illisible"):
            clock.avancer_au_demarrage("deux jours")
    finally:
        clock.avancer_au_demarrage("0")
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=5)
