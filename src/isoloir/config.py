"""Turning environment variables into Django settings, and refusing unsafe ones.

Kept apart from ``settings.py`` so that each rule can be tested on its own.
"""

import logging
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

DEFAULT_SECRET_KEY = "isoloir-dev-insecure-key-never-use-in-production"  # noqa: S105

TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    # Runs each task inline; only for unit tests, refused in production.
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}


def data_dir() -> Path:
    path = Path(os.environ.get("ISOLOIR_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def running_tests() -> bool:
    return "pytest" in sys.modules or os.environ.get("ISOLOIR_TESTING") == "1"


def database(env: environ.Env, variable: str, sqlite_path: Path) -> dict[str, Any]:
    if os.environ.get(variable):
        config: dict[str, Any] = env.db_url(variable)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(sqlite_path)}
    if config["ENGINE"].endswith("sqlite3"):
        # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
        # up instead of one failing with "database is locked" halfway through; WAL lets
        # the web server read while the worker writes. secure_delete overwrites deleted
        # rows, so that a vote's intent and pending row (which link a voter to a ballot
        # for the milliseconds of a vote) do not linger in the file's free pages.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
        }
    config.setdefault("ATOMIC_REQUESTS", False)
    config.setdefault("CONN_MAX_AGE", 0)
    config["TEST"] = {"NAME": _test_name(config, sqlite_path)}
    return config


def _test_name(config: dict[str, Any], sqlite_path: Path) -> str:
    if config["ENGINE"].endswith("sqlite3"):
        # A file rather than memory, so that tests of concurrency get one real connection
        # per thread, as two web processes would.
        return str(sqlite_path.with_name(f"test-{sqlite_path.name}"))
    return f"test_{config['NAME']}"


def cache(env: environ.Env) -> dict[str, Any]:
    if os.environ.get("CACHE_URL"):
        config: dict[str, Any] = env.cache_url("CACHE_URL")
    else:
        # A database table, not process memory: the web processes and the worker must
        # see the same throttling counters.
        config = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "isoloir_cache",
        }
    config.setdefault("KEY_PREFIX", "isoloir")
    return config


def tasks(backend: str) -> dict[str, Any]:
    if backend not in TASK_BACKENDS:
        raise ImproperlyConfigured(
            f"ISOLOIR_TASKS_BACKEND={backend!r} inconnu ; valeurs : {', '.join(TASK_BACKENDS)}."
        )
    return {"default": {"BACKEND": TASK_BACKENDS[backend], "QUEUES": ["default"]}}


def mailer(smtp_url: str, data: Path) -> dict[str, Any]:
    """``smtp://user:password@host:port`` (``?starttls=1``), ``smtps://…`` for implicit TLS.

    Without a URL, mails are written as .eml files in the data folder and summarised on
    the console, so the demo works with no mail server.
    """
    if not smtp_url:
        return {
            "BACKEND": "isoloir.notify.backends.FileAndConsoleBackend",
            "OPTIONS": {"file_path": str(data / "mails")},
        }
    url = urlsplit(smtp_url)
    if url.scheme not in ("smtp", "smtps"):
        raise ImproperlyConfigured("ISOLOIR_SMTP_URL doit commencer par smtp:// ou smtps://.")
    query = parse_qs(url.query)
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": url.hostname or "127.0.0.1",
            "port": url.port or (465 if url.scheme == "smtps" else 25),
            "username": unquote(url.username or ""),
            "password": unquote(url.password or ""),
            "use_ssl": url.scheme == "smtps",
            "use_tls": query.get("starttls", ["0"])[0] in ("1", "true", "yes"),
            "timeout": 20,
        },
    }


def content_security_policy() -> dict[str, Any]:
    from django.utils.csp import CSP

    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF],
        "base-uri": [CSP.SELF],
        "object-src": [CSP.NONE],
    }


class FormatDeConsole(logging.Formatter):
    """One line per record; the traceback only for what is a failure of the service.

    Django logs a refusal it answers with 4xx (``PermissionDenied``: 403, ``BadRequest``:
    400) with the exception attached, so a plain formatter prints a whole Python traceback
    for a voter who opened a page that is not theirs. The line ("Forbidden (Permission
    denied): /gestion/…") says all there is to say; a 5xx keeps its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        statut = getattr(record, "status_code", None)
        if record.exc_info and isinstance(statut, int) and 400 <= statut < 500:
            # A copy: other handlers of the same record (a log shipper) still get it whole.
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        return super().format(record)


def logging_config() -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "simple": {
                "()": FormatDeConsole,
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "simple"}},
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # Django's records go to the console above, once. Django's own console handler
            # (DEBUG only, so the demo) printed them a second time, tracebacks of 4xx
            # included; its mail handler has no ADMINS to write to.
            "django": {"level": "INFO", "handlers": []},
        },
    }


# ISOLOIR_TLS=proxy: TLS ends at a reverse proxy (nginx) that forwards plain HTTP and says
# in this header which scheme the client used.
EN_TETE_DU_PROXY_TLS = ("HTTP_X_FORWARDED_PROTO", "https")


def terminaison_tls(valeur: str) -> tuple[str, str] | None:
    """Where TLS ends, from ``ISOLOIR_TLS``: ``proxy`` trusts the proxy's
    ``X-Forwarded-Proto`` (Django's ``SECURE_PROXY_SSL_HEADER``); ``direct``, the process
    itself receives HTTPS. Behind a proxy without it, Django takes every request for plain
    HTTP: no HSTS, no redirect to https, whatever the settings say."""
    if valeur == "proxy":
        return EN_TETE_DU_PROXY_TLS
    if valeur in ("", "direct"):
        return None
    raise ImproperlyConfigured(
        f"ISOLOIR_TLS={valeur!r} : « proxy » (derrière un proxy TLS qui pose "
        "X-Forwarded-Proto) ou « direct » (le processus reçoit lui-même le HTTPS)."
    )


def check_production(
    *,
    production: bool,
    debug: bool,
    secret_key: str,
    numen_key: str,
    cle_second_facteur: str,
    databases: dict[str, dict[str, Any]],
    tasks_backend: str,
    captcha_test_mode: bool,
    sms_url: str,
    fc_issuer: str,
    fc_secret: str,
    code_memory_kib: int,
    mailer: dict[str, Any],
    cache: dict[str, Any],
    base_url: str,
    allowed_hosts: list[str],
    testing: bool,
    tls: str,
    horloge_avance: str = "",
) -> None:
    """Refuse to start a production instance on a setting that is only safe for a demo."""
    if not production:
        return
    problems = []
    if debug:
        problems.append("DEBUG est activé")
    if secret_key == DEFAULT_SECRET_KEY or len(secret_key) < 50:
        problems.append("SECRET_KEY est la clé par défaut ou fait moins de 50 caractères")
    if numen_key == secret_key:
        problems.append("ISOLOIR_NUMEN_KEY doit être définie et distincte de SECRET_KEY")
    if len(cle_second_facteur) < 32 or cle_second_facteur in (secret_key, numen_key):
        # It encrypts the TOTP secrets at rest: a key derived from SECRET_KEY would make
        # one leaked value open both the sessions and every member's second factor.
        problems.append(
            "ISOLOIR_CLE_SECOND_FACTEUR doit être définie (32 caractères au moins) et "
            "distincte de SECRET_KEY et de ISOLOIR_NUMEN_KEY"
        )
    for alias, db in databases.items():
        if db["ENGINE"].endswith("sqlite3"):
            problems.append(f"la base « {alias} » est SQLite (PostgreSQL requis)")
    if captcha_test_mode:
        problems.append("ISOLOIR_CAPTCHA_TEST_MODE est activé")
    if sms_url.split("://", 1)[0] not in ("ovh", "brevo"):
        problems.append("ISOLOIR_SMS_URL doit désigner une passerelle SMS réelle (ovh, brevo)")
    if "endpoint=http:" in sms_url.replace("%3A", ":"):
        problems.append("la passerelle SMS doit être jointe en https")
    if fc_issuer and (not fc_issuer.startswith("https://") or not fc_secret):
        problems.append("FranceConnect exige un émetteur en https et un secret client")
    if code_memory_kib < 8192:
        problems.append("ISOLOIR_CODE_ARGON2_MEMORY_KIB doit valoir au moins 8192")
    if tasks_backend == "immediate":
        problems.append("ISOLOIR_TASKS_BACKEND=immediate est réservé aux tests")
    if not mailer["BACKEND"].endswith("smtp.EmailBackend"):
        problems.append("ISOLOIR_SMTP_URL n'est pas défini")
    if not cache["BACKEND"].endswith("RedisCache"):
        # Login counters must be shared by every web process and counted atomically.
        problems.append("CACHE_URL doit désigner Redis")
    if not base_url.startswith("https://"):
        problems.append("ISOLOIR_BASE_URL doit être l'adresse publique en https://")
    if "testserver" in allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS doit ne nommer que les noms publics du portail")
    if testing:
        problems.append("le mode test est actif (ISOLOIR_TESTING)")
    if tls not in ("proxy", "direct"):
        problems.append(
            "ISOLOIR_TLS doit dire où se termine TLS : « proxy » (derrière un proxy qui pose "
            "X-Forwarded-Proto) ou « direct »"
        )
    if horloge_avance:
        problems.append("ISOLOIR_HORLOGE_AVANCE décale l'horloge : réservé à la démonstration")
    if problems:
        raise ImproperlyConfigured(
            "ISOLOIR_ENV=production refuse de démarrer : " + " ; ".join(problems) + "."
        )
