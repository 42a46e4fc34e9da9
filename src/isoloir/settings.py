"""Settings of Isoloir, read from the environment.

Every default is chosen so that ``isoloir demo`` runs on a bare machine (SQLite files
in the data folder, tasks in the database, mail to files); production overrides them
through environment variables and :func:`isoloir.config.check_production` refuses the
unsafe ones.
"""

from pathlib import Path

import environ

from isoloir import config
from isoloir.captcha.reglages import REGLAGES_CAPTCHA

env = environ.Env()

DATA_DIR = config.data_dir()
ISOLOIR_ENV = env.str("ISOLOIR_ENV", default="development")
PRODUCTION = ISOLOIR_ENV == "production"
TESTING = config.running_tests()

BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = env.str("SECRET_KEY", default=config.DEFAULT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Base of every absolute link we send (activation, reset): mails are built in the worker,
# outside any request, so the public address must be configured.
ISOLOIR_BASE_URL = env.str("ISOLOIR_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Keyed hash of the NUMEN: about 31 bits of entropy, so an unkeyed hash would be
# brute-forced in seconds; the key lives outside the database.
ISOLOIR_NUMEN_KEY = env.str("ISOLOIR_NUMEN_KEY", default=SECRET_KEY)
# Key of the TOTP secrets' encryption at rest (accounts/chiffrement_totp.py), outside the
# database; required in production. Empty: derived from SECRET_KEY (demo and tests only).
ISOLOIR_CLE_SECOND_FACTEUR = env.str("ISOLOIR_CLE_SECOND_FACTEUR", default="")
# Previous keys, still read after a rotation until `isoloir rechiffrer_second_facteur`.
ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES = env.list(
    "ISOLOIR_CLES_SECOND_FACTEUR_ANCIENNES", default=[]
)

INSTALLED_APPS = [
    # First, so that its templates/admin/ overrides the admin's own templates.
    "isoloir.gestion",
    # Django's admin under the back-office's guard (isoloir.gestion.site).
    "isoloir.gestion.apps.AdministrationConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "widget_tweaks",
    "dsfr",
    "django_tasks",
    "django_tasks_db",
    "isoloir.core",
    "isoloir.audit",
    "isoloir.links",
    # The CAPTCHA of the code de vote, the claims and the helpdesk, over django-simple-captcha
    # (the app "captcha" below).
    "isoloir.captcha",
    "isoloir.accounts",
    "isoloir.elections",
    "isoloir.notify",
    "isoloir.ballotbox",
    "isoloir.votecode",
    "isoloir.booth",
    "isoloir.counting",
    "isoloir.franceconnect",
    "isoloir.reclamations",
    "isoloir.assistance",
    # The voter portal's pages and main menu, above every application they show.
    "isoloir.portail",
    # Campaign mailings to the voters (activation, reminders), over notify's mails.
    "isoloir.envois",
    # The espace de gestion's home, campaigns and portal presentation (above its shell).
    "isoloir.organisation",
    # The top of the house: the demo and ``isoloir serve`` (docs/architecture.md).
    "isoloir.demo",
    "captcha",
    # Second factor (TOTP) of the bureau de vote's members, with single-use recovery codes
    # (see isoloir.accounts.second_facteur).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(), after the account
    "django.contrib.messages.middleware.MessageMiddleware",
    "isoloir.gestion.journal.JournalDeGestion",  # after the account, around every view
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last: French error pages with DEBUG on too (the demo), inside CommonMiddleware (its
    # APPEND_SLASH redirect still happens) and the security headers (they still apply).
    "isoloir.core.pages_d_erreur.PagesDErreurEnFrancais",
]

ROOT_URLCONF = "isoloir.urls"
WSGI_APPLICATION = "isoloir.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "isoloir.core.context_processors.portail",
                # The main menu by role (voter, bureau, back-office): the top layer knows them.
                "isoloir.portail.menu.menu_du_portail",
            ],
            # One way to write dates for people, in every template (core/dates.py).
            "builtins": ["isoloir.core.templatetags.dates"],
        },
    },
]

DATABASES = {
    "default": config.database(env, "DATABASE_URL", DATA_DIR / "isoloir.sqlite3"),
    # The ballot box lives in its own database (décret 2011-595 art. 4-II): nothing in it
    # may be joined back to a voter.
    "urne": config.database(env, "URNE_DATABASE_URL", DATA_DIR / "urne.sqlite3"),
}
DATABASE_ROUTERS = ["isoloir.ballotbox.routers.UrneRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": config.cache(env)}

ISOLOIR_TASKS_BACKEND = env.str("ISOLOIR_TASKS_BACKEND", default="database")
ISOLOIR_TASKS_REDIS_URL = env.str("ISOLOIR_TASKS_REDIS_URL", default="redis://127.0.0.1:6379/2")
TASKS = config.tasks(ISOLOIR_TASKS_BACKEND)
if ISOLOIR_TASKS_BACKEND == "redis":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": ISOLOIR_TASKS_REDIS_URL}}

AUTH_USER_MODEL = "accounts.Compte"
# The back-office never shows a member's TOTP secret (nor its QR code): whoever read it
# could clone that member's second factor.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:connexion"
LOGIN_REDIRECT_URL = "portail:accueil"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "isoloir.accounts.validators.NePasContenirSonNomValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = (
    "django.contrib.sessions.backends.cache"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = env.int("ISOLOIR_SESSION_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
# A stale form says so in French and comes back with what may be kept, secrets excepted.
CSRF_FAILURE_VIEW = "isoloir.core.formulaire_expire.formulaire_expire"
# Where TLS ends (config.terminaison_tls): production must say it, or behind nginx every
# request looks like plain HTTP and neither HSTS nor the redirect to https happen.
ISOLOIR_TLS = env.str("ISOLOIR_TLS", default="")
SECURE_PROXY_SSL_HEADER = config.terminaison_tls(ISOLOIR_TLS)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=PRODUCTION)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = config.content_security_policy()

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Static files are served by whitenoise straight from the installed packages, so the
# demo needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
DSFR_USE_INTEGRITY_CHECKSUMS = False

DEFAULT_FROM_EMAIL = env.str(
    "ISOLOIR_FROM_EMAIL", default="Élections professionnelles <ne-pas-repondre@isoloir.localhost>"
)
MAILERS = {"default": config.mailer(env.str("ISOLOIR_SMTP_URL", default=""), DATA_DIR)}
ISOLOIR_MAIL_MAX_ATTEMPTS = env.int("ISOLOIR_MAIL_MAX_ATTEMPTS", default=6)
# Mails per second for the whole service, shared by every worker (notify/debit.py): what
# the relay accepts without throttling us or marking us as a spammer.
ISOLOIR_COURRIELS_PAR_SECONDE = env.int("ISOLOIR_COURRIELS_PAR_SECONDE", default=50)
# Domain of the per-mail bounce addresses (rebond+<id>.<hmac>@…); empty: the sender's.
ISOLOIR_DOMAINE_REBONDS = env.str("ISOLOIR_DOMAINE_REBONDS", default="")

# Lifetimes of single-use links, in seconds.
ISOLOIR_ACTIVATION_LINK_SECONDS = env.int("ISOLOIR_ACTIVATION_LINK_SECONDS", default=7 * 24 * 3600)
ISOLOIR_PASSWORD_RESET_LINK_SECONDS = env.int(
    "ISOLOIR_PASSWORD_RESET_LINK_SECONDS", default=30 * 60
)
# Login throttling: failures counted per account (whatever the source address, so that
# a botnet cannot spread its guesses) and per IP address, over a sliding quarter hour.
ISOLOIR_LOGIN_MAX_FAILURES_PER_ACCOUNT = env.int("ISOLOIR_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
# Generous: a school's staff often share one address behind its gateway.
ISOLOIR_LOGIN_MAX_FAILURES_PER_IP = env.int("ISOLOIR_LOGIN_MAX_FAILURES_PER_IP", 100)
ISOLOIR_LOGIN_LOCKOUT_SECONDS = env.int("ISOLOIR_LOGIN_LOCKOUT_SECONDS", 15 * 60)
# Behind reverse proxies: the header they append the client address to (e.g.
# HTTP_X_FORWARDED_FOR) and how many of them there are. Empty means REMOTE_ADDR.
ISOLOIR_CLIENT_IP_HEADER = env.str("ISOLOIR_CLIENT_IP_HEADER", default="")
ISOLOIR_TRUSTED_PROXIES = env.int("ISOLOIR_TRUSTED_PROXIES", default=1)

# What the portal shows of the administration that runs it: one deployment, one
# administration. The brand block of the DSFR header, lines separated by "|".
ISOLOIR_MARQUE = env.str("ISOLOIR_MARQUE", default="République|française")
ISOLOIR_PHONE_ASSISTANCE = env.str("ISOLOIR_PHONE_ASSISTANCE", default="")
ISOLOIR_HORAIRES_ASSISTANCE = env.str(
    "ISOLOIR_HORAIRES_ASSISTANCE", default="du lundi au vendredi, de 8h00 à 20h00 (heure de Paris)"
)

# Code de vote: Argon2id cost, calibrated by bench/code_de_vote.py (see votecode/code.py).
ISOLOIR_CODE_ARGON2_TIME_COST = env.int("ISOLOIR_CODE_ARGON2_TIME_COST", default=1)
ISOLOIR_CODE_ARGON2_MEMORY_KIB = env.int("ISOLOIR_CODE_ARGON2_MEMORY_KIB", default=8192)
# How long the voting space stays open after the code de vote was entered.
ISOLOIR_ESPACE_DE_VOTE_SECONDS = env.int("ISOLOIR_ESPACE_DE_VOTE_SECONDS", default=20 * 60)
# Réassort: lifetime of the link sent to the personal channel, tries per voter and day.
ISOLOIR_REASSORT_LINK_SECONDS = env.int("ISOLOIR_REASSORT_LINK_SECONDS", default=10 * 60)
ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR = env.int("ISOLOIR_REASSORT_MAX_ESSAIS_PAR_JOUR", default=5)
ISOLOIR_CODE_AFFICHE_SECONDS = 120  # the reference screens' figure
# Domains a "personal" address may not belong to, comma-separated (subdomains included):
# the académies', the regional académies', the universities', every ministry's (*.gouv.fr).
# A work address is read by the employer's IT staff: a réassort link must not go there.
ISOLOIR_DOMAINES_ACADEMIQUES = env.list(
    "ISOLOIR_DOMAINES_ACADEMIQUES",
    default=[
        "*.gouv.fr",
        "education.fr",
        "ac-*.fr",
        "academie-*.fr",
        "region-academique-*.fr",
        "univ-*.fr",
    ],
)
# SMS gateway, as a URL: console://, file://, ovh://…, brevo://… (see docs/sms.md).
ISOLOIR_SMS_URL = env.str("ISOLOIR_SMS_URL", default="")
ISOLOIR_SMS_MAX_PAR_HEURE = env.int("ISOLOIR_SMS_MAX_PAR_HEURE", default=2000)

# The CAPTCHA (isoloir.captcha: django-simple-captcha, French audio through espeak-ng).
ISOLOIR_CAPTCHA_TEST_MODE = env.bool("ISOLOIR_CAPTCHA_TEST_MODE", default=False)
CAPTCHA_TEST_MODE = ISOLOIR_CAPTCHA_TEST_MODE  # then the fixed answer PASSED is accepted
globals().update(REGLAGES_CAPTCHA)

# FranceConnect v2 (see docs/franceconnect.md); empty issuer: the path is not offered.
ISOLOIR_FC_ISSUER = env.str("ISOLOIR_FC_ISSUER", default="")
ISOLOIR_FC_CLIENT_ID = env.str("ISOLOIR_FC_CLIENT_ID", default="")
ISOLOIR_FC_CLIENT_SECRET = env.str("ISOLOIR_FC_CLIENT_SECRET", default="")

LOGGING = config.logging_config()

# Development only: the processes live this much ahead (isoloir demo, to reach the end of
# the vote and the count without waiting). Refused in production.
ISOLOIR_HORLOGE_AVANCE = env.str("ISOLOIR_HORLOGE_AVANCE", default="")

config.check_production(
    production=PRODUCTION,
    debug=DEBUG,
    secret_key=SECRET_KEY,
    numen_key=ISOLOIR_NUMEN_KEY,
    cle_second_facteur=ISOLOIR_CLE_SECOND_FACTEUR,
    databases=DATABASES,
    tasks_backend=ISOLOIR_TASKS_BACKEND,
    captcha_test_mode=ISOLOIR_CAPTCHA_TEST_MODE,
    sms_url=ISOLOIR_SMS_URL,
    fc_issuer=ISOLOIR_FC_ISSUER,
    fc_secret=ISOLOIR_FC_CLIENT_SECRET,
    code_memory_kib=ISOLOIR_CODE_ARGON2_MEMORY_KIB,
    mailer=MAILERS["default"],
    cache=CACHES["default"],
    base_url=ISOLOIR_BASE_URL,
    allowed_hosts=ALLOWED_HOSTS,
    testing=TESTING,
    tls=ISOLOIR_TLS,
    horloge_avance=ISOLOIR_HORLOGE_AVANCE,
)
