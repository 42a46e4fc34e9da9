"""Configuration from the environment, and production refusing unsafe settings."""

from pathlib import Path
from subprocess import CompletedProcess

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
    "cle_second_facteur": "t" * 60,
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
    "tls": "proxy",
}


def test_une_production_bien_reglee_demarre() -> None:
    config.check_production(**SURS)


@pytest.mark.parametrize(
    ("reglage", "valeur", "motif"),
    [
        ("debug", True, "DEBUG"),
        ("secret_key", config.DEFAULT_SECRET_KEY, "SECRET_KEY"),
        ("numen_key", "k" * 60, "ISOLOIR_NUMEN_KEY"),
        ("cle_second_facteur", "", "ISOLOIR_CLE_SECOND_FACTEUR"),
        ("cle_second_facteur", "t" * 31, "ISOLOIR_CLE_SECOND_FACTEUR"),
        ("cle_second_facteur", "k" * 60, "ISOLOIR_CLE_SECOND_FACTEUR"),
        ("cle_second_facteur", "n" * 60, "ISOLOIR_CLE_SECOND_FACTEUR"),
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
        ("tls", "", "ISOLOIR_TLS"),
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

    from isoloir.core import horloge

    try:
        horloge.avancer_au_demarrage("2d")
        ecart = horloge.maintenant() - timezone.now()
        assert timedelta(days=2) - timedelta(seconds=5) < ecart <= timedelta(days=2)
        # Back in time too: the tests start the processes they run on their own date.
        horloge.avancer_au_demarrage("-3d")
        ecart = horloge.maintenant() - timezone.now()
        assert -timedelta(days=3) - timedelta(seconds=5) < ecart <= -timedelta(days=3)
        with pytest.raises(horloge.DureeIllisible, match="illisible"):
            horloge.avancer_au_demarrage("deux jours")
    finally:
        horloge.avancer_au_demarrage("0")
    assert abs(horloge.maintenant() - timezone.now()) < timedelta(seconds=5)


# --- TLS behind a reverse proxy (issue 12, item 21) ------------------------------------------

PRODUCTION_DERRIERE_NGINX = {
    "ISOLOIR_ENV": "production",
    "ISOLOIR_TLS": "proxy",
    "SECRET_KEY": "k" * 60,
    "ISOLOIR_NUMEN_KEY": "n" * 60,
    "ISOLOIR_CLE_SECOND_FACTEUR": "t" * 60,
    "DATABASE_URL": "postgres://isoloir@127.0.0.1:5432/isoloir",
    "URNE_DATABASE_URL": "postgres://isoloir@127.0.0.1:5432/urne",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "ISOLOIR_BASE_URL": "https://elections.education.gouv.fr",
    "ALLOWED_HOSTS": "elections.education.gouv.fr",
    "ISOLOIR_TASKS_BACKEND": "redis",
    "ISOLOIR_SMS_URL": "brevo://cle@?sender=Elections",
    "ISOLOIR_SMTP_URL": "smtp://127.0.0.1:25",
}


def _en_production(tmp_path: Path, *arguments: str, **variables: str) -> CompletedProcess[str]:
    """``python ARGUMENTS`` in a production environment behind nginx, ``variables`` aside."""
    import subprocess
    import sys

    return subprocess.run(
        [sys.executable, *arguments],
        env={
            **PRODUCTION_DERRIERE_NGINX,
            "DJANGO_SETTINGS_MODULE": "isoloir.settings",
            "ISOLOIR_DATA_DIR": str(tmp_path),
            "PATH": "/usr/bin",
            **variables,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_en_production_derriere_un_proxy_tls(tmp_path: Path) -> None:
    import json

    # Reading the settings is enough: no connection is made.
    programme = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({n: getattr(s, n) for n in ('SECURE_PROXY_SSL_HEADER', "
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE')}))"
    )
    resultat = _en_production(tmp_path, "-c", programme)
    assert resultat.returncode == 0, resultat.stderr
    assert json.loads(resultat.stdout) == {
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SESSION_COOKIE_SECURE": True,
    }


def test_la_production_sans_choix_de_tls_refuse_de_demarrer(tmp_path: Path) -> None:
    resultat = _en_production(tmp_path, "-m", "isoloir.cli", "check", ISOLOIR_TLS="")
    assert resultat.returncode != 0
    assert "ISOLOIR_TLS doit dire où se termine TLS" in resultat.stderr


def test_la_production_sans_cle_du_second_facteur_refuse_de_demarrer(tmp_path: Path) -> None:
    """The TOTP secrets are encrypted under a key of the environment (issue 12, point 26):
    production does not fall back on one derived from SECRET_KEY."""
    resultat = _en_production(tmp_path, "-m", "isoloir.cli", "check", ISOLOIR_CLE_SECOND_FACTEUR="")
    assert resultat.returncode != 0
    assert "ISOLOIR_CLE_SECOND_FACTEUR doit être définie" in resultat.stderr


@pytest.mark.django_db
def test_les_en_tetes_recus_derriere_le_proxy(client, settings) -> None:
    """Through the whole middleware stack, with production's derived values: HSTS when the
    proxy says https, a redirect to https when it says http, nothing trusted otherwise."""
    settings.SECURE_PROXY_SSL_HEADER = config.terminaison_tls("proxy")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.ALLOWED_HOSTS = ["elections.education.gouv.fr"]
    hote = {"HTTP_HOST": "elections.education.gouv.fr"}

    reponse = client.get("/portail/connexion/", HTTP_X_FORWARDED_PROTO="https", **hote)
    assert reponse.status_code == 200
    assert reponse["Strict-Transport-Security"] == "max-age=31536000"

    reponse = client.get("/portail/connexion/", HTTP_X_FORWARDED_PROTO="http", **hote)
    assert reponse.status_code == 301
    assert reponse["Location"] == "https://elections.education.gouv.fr/portail/connexion/"

    # Without the proxy's word, the request is plain HTTP: redirected, never HSTS.
    reponse = client.get("/portail/connexion/", **hote)
    assert reponse.status_code == 301 and "Strict-Transport-Security" not in reponse


def test_une_valeur_de_tls_inconnue_est_refusee() -> None:
    with pytest.raises(ImproperlyConfigured, match="ISOLOIR_TLS='nginx'"):
        config.terminaison_tls("nginx")
