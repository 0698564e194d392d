"""Settings for SRO Program Manager: one module, read from the environment.

Safe defaults: DEBUG is off unless DJANGO_DEBUG=1. With no DATABASE_URL the app uses an
embedded SQLite file; with no REDIS_URL Celery uses kombu's filesystem transport, so the app
and its reminders run with no server at all.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    # Fail loudly: production without a real secret is a misconfiguration, not a default.
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Our own apps, in dependency order.
LOCAL_APPS = [
    "core",
    "accounts",
    "schools",
    "officers",
    "incidents",
    "training",
    "drills",
    "surveys",
    "reports",
    "students",
    "contacts",
]

INSTALLED_APPS = [
    # The admin site, behind two-factor authentication (accounts.admin_site).
    "accounts.admin_apps.SroAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, for FORM_RENDERER below.
    "django.forms",
    "django_filters",
    "axes",
    "auditlog",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_static",
    "django_otp.plugins.otp_totp",
    "two_factor",
    *LOCAL_APPS,
    # The benchmark: `manage.py seed_large` (bench/management/). Nothing in the apps imports it.
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First, so every later component (auditlog, axes, our logs) sees the real client address.
    "core.middleware.ClientAddressMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AbsoluteSessionLimitMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, so it sees the user and logs what the view refused.
    "core.middleware.ForbiddenLogMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sro_program.urls"
WSGI_APPLICATION = "sro_program.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: a query planned over `jit_above_cost` (a year's report, an export, a
    # few at ten times the large district) was compiled before it ran, and compiling took
    # longer than running (the SSEC report: ~50 ms compiling for ~45 ms; an export's first
    # row 340 of 370 ms). Rows here come from indexes and are counted or sent on, which
    # compiled expressions do not speed up (README, Every page).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # `make run` (a worker, beat and the web server) and the tests that start a real worker
    # write one SQLite file from several connections at once. WAL lets readers carry on while
    # one connection writes; BEGIN IMMEDIATE takes the write lock when a transaction starts
    # (not half-way through it, when SQLite can only fail with "database is locked"); the
    # timeout makes a writer wait its turn for up to 20 s instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # Tests run on a file too: Django's default in-memory test database shares one cache
    # between connections, whose table locks fail at once ("database table is locked")
    # where a file's locks wait for the timeout.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test-db.sqlite3"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Single sign-on (OpenID Connect); signs nobody in unless SSO_ENABLED below.
    "accounts.sso.SsoBackend",
]

# Single sign-on with OpenID Connect (mozilla-django-oidc): Google Workspace, Microsoft
# Entra ID or any provider. On when the issuer, the endpoints and the client are all set
# (see the README); people sign in to the accounts that exist, matched by verified email.
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso_callback"
OIDC_TIMEOUT = 10
SSO_PROVIDER_NAME = env.str("SSO_PROVIDER_NAME", default="your district account")
SSO_ENABLED = all(
    [
        OIDC_OP_ISSUER,
        OIDC_OP_AUTHORIZATION_ENDPOINT,
        OIDC_OP_TOKEN_ENDPOINT,
        OIDC_OP_USER_ENDPOINT,
        OIDC_OP_JWKS_ENDPOINT,
        OIDC_RP_CLIENT_ID,
        OIDC_RP_CLIENT_SECRET,
    ]
)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL_FAILURE = "/accounts/sso/failed/"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor authentication (TOTP app + backup codes): open to everyone; coordinators and
# superusers must use it whenever this is on (default: whenever DEBUG is off; the local
# demo skips it). accounts.middleware.TwoFactorRequiredMiddleware enforces it.
REQUIRE_2FA_FOR_COORDINATORS = env.bool("REQUIRE_2FA_FOR_COORDINATORS", default=not DEBUG)
# django-otp throttling: after each wrong token the device refuses tokens for 1, 2, 4, 8 ...
# seconds (factor x 2^(failures-1)), so guessing six digits is impractical.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = "SRO Program Manager"
# The password step of sign-in is valid for 10 minutes; no "remember this device" cookie.
TWO_FACTOR_LOGIN_TIMEOUT = 600
TWO_FACTOR_REMEMBER_COOKIE_AGE = None

# Sessions: 30 minutes idle (the cookie is renewed on every request), 12 hours at most
# from sign-in (accounts.middleware.AbsoluteSessionLimitMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT_SECONDS = 12 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# django-axes: 5 failed logins lock that username until a coordinator or superuser unlocks it.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = None
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# The program's rule is a lock per username (an attacker rotating addresses must not get
# more tries); axes warns that this lets a single address try many usernames, which the
# login throttle of the front proxy covers.
# Several indexes carry extra columns (`include=`) so PostgreSQL answers from the index alone
# (README, Every page (issue 19)); SQLite, the embedded default, builds the same indexes on their
# key columns and warns on every command that it leaves the rest out. That is expected there.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

# The district (LEA) that existing schools join when the program first learns about districts
# (migration schools/0003), and that a school joins when created without naming one.
DEFAULT_DISTRICT_NAME = env.str("DEFAULT_DISTRICT_NAME", default="Home School District")

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Uploads (certificates, attachments) live outside the web root and are only ever served
# through permission-checked views; MEDIA_URL is deliberately not routed.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "uploads")
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# A Word file (a zip) may unpack to at most this much, in at most this many parts
# (core.uploads refuses zip bombs and archives padded with parts).
UPLOAD_MAX_UNPACKED_BYTES = env.int("UPLOAD_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
UPLOAD_MAX_ARCHIVE_ENTRIES = env.int("UPLOAD_MAX_ARCHIVE_ENTRIES", default=500)
# A district's OneRoster zip (students.views.import_upload): larger than a document.
ROSTER_MAX_UPLOAD_BYTES = env.int("ROSTER_MAX_UPLOAD_BYTES", default=40 * 1024 * 1024)
ROSTER_MAX_UNPACKED_BYTES = env.int("ROSTER_MAX_UNPACKED_BYTES", default=400 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# One way to render forms: Django's field and form templates with one Bootstrap 5 set
# (templates/forms/, templates/django/forms/), Bootstrap's classes added by core.forms.
FORM_RENDERER = "core.forms.FormRenderer"

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Seconds a mail server may take to answer before the send counts as failed (and is retried).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SRO Program <sro-program@localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="sro-demo-2026")

# Production hardening: on whenever DEBUG is off.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Number of reverse proxies in front of the app that append to X-Forwarded-For. 0 (the
# default) ignores the header, which a client could forge; see core.middleware.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The published equity report withholds counts of students below this (README, Equity report).
EQUITY_MINIMUM_CELL = env.int("EQUITY_MINIMUM_CELL", default=10)
# A PDF's layout (core.pdf) is stopped after this long: nobody waits longer for a page.
PDF_TIMEOUT_SECONDS = env.int("PDF_TIMEOUT_SECONDS", default=20)

# Content Security Policy (django-csp 4): same-origin only, no inline script or style,
# no plugins, no <base>, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# The cache keeps costly figures (core.datacache, the dashboard's tiles). Per process by
# default; production should point CACHE_URL at Redis (e.g. redis://cache:6379/1) so that
# every gunicorn worker shares them.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A cache outage must never fail a request or a save (core.cache); give up on Redis fast.
    CACHES["default"]["BACKEND"] = "core.cache.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update({"socket_connect_timeout": 1, "socket_timeout": 1})
DATA_CACHE_SECONDS = env.int("DATA_CACHE_SECONDS", default=3600)
# django-ratelimit counts in the same cache (shared by every worker once CACHE_URL is Redis).
RATELIMIT_USE_CACHE = "default"
# Answers one client address may send through shareable survey links: a school's staff
# behind one address answer comfortably, a script clearing its cookie does not get far.
SURVEY_LINK_RATE = env.str("SURVEY_LINK_RATE", default="30/h")

# Celery: Redis when REDIS_URL is set, otherwise kombu's filesystem transport so that
# `make run` delivers reminders with no server running.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = (
    # A task a killed worker held is redelivered after this; nothing depends on it (the
    # delivery ledger's sweep takes a killed worker's rows again within a minute).
    {"visibility_timeout": 900, "socket_connect_timeout": 2, "socket_timeout": 5}
    if REDIS_URL
    else {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # The broadcast exchanges' tables; kombu's default is ./control/ in the checkout.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = env.str(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule")
)
# Two queues: "alerts" (incident alerts, escalations: their own workers) and "default"
# (reminders, everything else), so a burst of reminders never delays an alert.
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"incidents.tasks.escalate_overdue_alerts": {"queue": "alerts"}}
# No task may hang a worker: a send waits EMAIL_TIMEOUT at most, a task 2 minutes.
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 150

# The delivery ledger (core.deliveries): retries back off from DELIVERY_RETRY_SECONDS,
# doubling up to DELIVERY_RETRY_MAX_SECONDS, and go on for DELIVERY_ALERT_GIVE_UP_HOURS
# (alerts) or DELIVERY_GIVE_UP_HOURS (reminders) before a delivery is marked failed.
DELIVERY_RETRY_SECONDS = env.int("DELIVERY_RETRY_SECONDS", default=10)
DELIVERY_RETRY_MAX_SECONDS = env.int("DELIVERY_RETRY_MAX_SECONDS", default=300)
DELIVERY_ALERT_GIVE_UP_HOURS = env.float("DELIVERY_ALERT_GIVE_UP_HOURS", default=24)
DELIVERY_GIVE_UP_HOURS = env.float("DELIVERY_GIVE_UP_HOURS", default=24)
# A dispatcher task sends for at most this long, then the next kick or sweep carries on.
DELIVERY_DISPATCH_BUDGET_SECONDS = env.int("DELIVERY_DISPATCH_BUDGET_SECONDS", default=90)
DELIVERY_SWEEP_SECONDS = env.float("DELIVERY_SWEEP_SECONDS", default=30)
# How long a claimed email is a worker's: long enough for one send to time out, short enough
# that a killed worker's row soon goes to another.
DELIVERY_LEASE_SECONDS = env.int("DELIVERY_LEASE_SECONDS", default=EMAIL_TIMEOUT * 2 + 30)

# Every periodic job, in one place. Times are in TIME_ZONE.
# Each entry says when it runs and why.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    # Every 30 s, on each queue: send ledger emails whose kick was lost (broker down, worker
    # killed) or whose retry is due. Alerts are swept on their own queue.
    "deliveries-sweep-alerts": {
        "task": "core.tasks.dispatch_deliveries",
        "schedule": DELIVERY_SWEEP_SECONDS,
        "kwargs": {"queue": "alerts"},
        "options": {"queue": "alerts", "expires": DELIVERY_SWEEP_SECONDS},
    },
    "deliveries-sweep-reminders": {
        "task": "core.tasks.dispatch_deliveries",
        "schedule": DELIVERY_SWEEP_SECONDS,
        "kwargs": {"queue": "reminders"},
        "options": {"queue": "reminders", "expires": DELIVERY_SWEEP_SECONDS},
    },
    # Mon-Fri at 07:00: officers who filed no activity note on the previous working day
    # (Friday, on a Monday) get one email and one in-app reminder.
    "officers-missing-notes": {
        "task": "officers.tasks.send_missing_note_reminders",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
    # Daily at 07:30: coordinators are reminded 60 and again 14 days before an MOU's review date.
    "officers-mou-review": {
        "task": "officers.tasks.send_mou_review_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Every day at 06:30: training certificates expiring in 60 or 14 days, or lapsed today.
    "training-reminders": {
        "task": "training.tasks.queue_training_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # drills: every day at 06:30, queue the 7-day, 1-day and overdue drill reminders.
    "drills-reminders": {
        "task": "drills.tasks.queue_drill_reminders",
        "schedule": crontab(hour=6, minute=30),
    },
    # drills: every day at 06:45, warn schools whose drill requirements fell at risk.
    "drills-at-risk": {"task": "drills.tasks.warn_at_risk_schools", "schedule": crontab(hour=6, minute=45)},
    # drills: Mondays at 07:00, the district digest for coordinators.
    "drills-digest": {
        "task": "drills.tasks.send_district_digest",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    },
    # surveys: every day at 07:15, send due invitations, reminders (3 and 7 days) and close summaries.
    "surveys-daily": {"task": "surveys.tasks.run_daily", "schedule": crontab(hour=7, minute=15)},
    # Every minute: incident alerts not acknowledged within their response target escalate
    # (once) to the officer's supervisor and the coordinator.
    "incidents-escalate-overdue-alerts": {
        "task": "incidents.tasks.escalate_overdue_alerts",
        "schedule": crontab(),
    },
    # Every 15 minutes: arrests and uses of force of the last 30 days with no recorded parent
    # notification; the officer and the school's administrators are told once per contact.
    "contacts-parent-notice": {
        "task": "contacts.tasks.remind_parent_notifications",
        "schedule": crontab(minute="*/15"),
    },
    # Daily at 07:00: overdue threat-assessment steps and safety-plan reviews are reminded.
    "incidents-remind-overdue-threat-steps": {
        "task": "incidents.tasks.remind_overdue_threat_steps",
        "schedule": crontab(hour=7, minute=0),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "sro": {"handlers": ["console"], "level": "INFO"},
        "django.security": {"handlers": ["console"], "level": "WARNING"},
    },
}
