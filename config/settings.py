"""Settings for Surgery Day, read from the environment.

With no environment at all the project runs embedded: SQLite under var/,
mail written to files under var/mail, Celery tasks run in-process. Setting
DATABASE_URL, REDIS_URL and EMAIL_HOST switches to the production parts.
Every variable is listed in the README's configuration table.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

from config.env import env_bool, env_choice, env_int, env_list, env_str
from config.sentry import sentry_init

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute address of the site, used for links in emails sent by background tasks.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "axes",
    "people",
    # Right after people, as when it was part of people: its export section and
    # erasure handler, registered in ready(), keep their place before the others.
    "directory",
    "surgeries",
    "workshops",
    "matchmaking",
    "afterday",
    "programme",
    # After the apps that cancel an erased person's bookings and places (which schedules
    # messages): its erasure handler, registered in ready(), runs after theirs and drops
    # whatever is still to be sent to the person.
    "outbox",
    "demo",
]

MIDDLEWARE = [
    "config.logs.RequestIdMiddleware",
    "config.metrics.MetricsMiddleware",
    # Health probes and metrics are answered here, before host checks and sessions.
    "config.health.ProbeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.middleware.RefuseNulCharactersMiddleware",
    # Visitors' copies of the public day page and the programme are answered here,
    # before sessions: surgeries/page_cache.py.
    "surgeries.page_cache.VisitorPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "surgeries.middleware.VenueTimeZoneMiddleware",
    # Axes must come last so it sees the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

# The web benchmark (`manage.py web_bench`) serves the site with one extra constant
# page to compare against; production never sets this.
ROOT_URLCONF = env_choice("ROOT_URLCONF", "config.urls", ["config.urls", "config.bench_urls"])
WSGI_APPLICATION = "config.wsgi.application"

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
                "people.navigation.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
    # A database that does not answer should fail a request (and /healthz) in seconds, not minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "surgeryday.sqlite3",
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION",
    "optional" if DEBUG else "mandatory",
    ["mandatory", "optional", "none"],
)
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.SignupDetailsForm"
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Surgery Day] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed log-ins are counted and locked out by django-axes alone (see below).
ACCOUNT_RATE_LIMITS = {"login_failed": None}

# Bumped whenever the code of conduct text changes, so we know who agreed to which.
CODE_OF_CONDUCT_VERSION = "2026-11"

# Who is paired with whom or at the same event, for the visibility policy
# (people/visibility.py). A dotted path because surgeries, which knows, sits above
# people. Empty: nobody is paired or at an event, so those fields stay hidden.
VISIBILITY_RELATIONSHIPS = "surgeries.selectors.relationships.relationships_for"

# --- Brute-force lockout (django-axes) -------------------------------------

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30, minimum=1))
# Lock the pair, not the address alone: one shared library computer must not
# lock out everyone else at a surgery.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "people.adapters.axes_username"
# Behind our proxy every request comes from the proxy's address; see client_ip_address.
AXES_CLIENT_IP_CALLABLE = "people.adapters.client_ip_address"
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_RESET_ON_SUCCESS = True
# A locked-out person who keeps trying is not locked out for longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_VERBOSE = False

# --- Forms and front end ---------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# No inline scripts or styles anywhere, and nothing from another origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Security ------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Load balancers probe these over plain HTTP (docs/operations.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# How many proxies of ours each append to X-Forwarded-For; the address the outermost
# one saw is that many entries from the right. Anything further left the client wrote.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=1)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Email -------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Surgery Day <noreply@surgeryday.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
else:
    EMAIL_BACKEND = env_choice(
        "EMAIL_BACKEND",
        "django.core.mail.backends.filebased.EmailBackend",
        [
            "django.core.mail.backends.filebased.EmailBackend",
            "django.core.mail.backends.console.EmailBackend",
        ],
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# --- Cache and Celery ----------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A cache that does not answer must not hold a request (or /healthz) for long.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # The broker can be another Redis, or RabbitMQ (amqp://...), apart from the cache.
    CELERY_BROKER_URL = env_str("BROKER_URL", REDIS_URL)
    CELERY_TASK_ALWAYS_EAGER = False
    # Beat keeps its schedule and a lock in Redis, so a second beat can stand by (config/beat.py).
    CELERY_BEAT_SCHEDULER = "config.beat.StandbyRedBeatScheduler"
    CELERY_REDBEAT_REDIS_URL = REDIS_URL
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without a broker, tasks run in the web process as soon as they are queued.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Beat wakes at least this often, renewing its lock each time; a standby beat tries
# to take the lock as often.
CELERY_BEAT_MAX_LOOP_INTERVAL = 5
# A standby beat takes over this long after the active one last renewed the lock.
CELERY_REDBEAT_LOCK_TIMEOUT = env_int("BEAT_LOCK_TIMEOUT_SECONDS", 20, minimum=2 * CELERY_BEAT_MAX_LOOP_INTERVAL)
# The lock and the schedule's keys, apart from the cache's and the broker's in the same Redis database.
CELERY_REDBEAT_KEY_PREFIX = "surgeryday:beat:"
# Notification queues (docs/reminders.md, "Queues"): the sweep, essential first
# attempts, other first attempts and retries each have their own, so a backlog or a
# slow mail server cannot hold up the sweep or a new confirmation. A worker started
# without -Q serves every queue; production runs one worker per group (deploy/worker.sh).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name}
    for name in ("celery", "notifications-sweep", "notifications-urgent", "notifications", "notifications-retry")
}
CELERY_TASK_ROUTES = {
    "people.notifications.sweep": {"queue": "notifications-sweep"},
    "people.notifications.send": {"queue": "notifications"},
}
# Workers log through LOGGING below (JSON in production, with the task id) instead
# of Celery's own handler.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Notifications (the outbox; see docs/reminders.md) ---------------------

# How often the sweep looks for due notifications (Celery beat, or run_scheduler).
NOTIFICATION_SWEEP_SECONDS = env_int("NOTIFICATION_SWEEP_SECONDS", 60, minimum=1)
# How long a claimed notification belongs to one sender before the sweep may hand
# it to another. Must comfortably exceed EMAIL_TIMEOUT.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 300, minimum=1)
# First retry delay after a transient mail error; doubles each time, capped at five minutes.
NOTIFICATION_RETRY_SECONDS = env_int("NOTIFICATION_RETRY_SECONDS", 30, minimum=1)
# After this long past its due time, a notification that still cannot be sent is marked failed.
NOTIFICATION_GIVE_UP_SECONDS = env_int("NOTIFICATION_GIVE_UP_SECONDS", 12 * 3600, minimum=1)
# Connect and per-command timeout for notification mail: a stalled mail server holds
# a worker slot this long at most (EMAIL_TIMEOUT stays for other mail).
NOTIFICATION_SMTP_TIMEOUT = env_int("NOTIFICATION_SMTP_TIMEOUT", 10, minimum=1)
# After a timeout sending to a recipient domain, later messages to that domain wait
# this long instead of each holding a worker slot for the whole timeout.
NOTIFICATION_DOMAIN_BACKOFF_SECONDS = env_int("NOTIFICATION_DOMAIN_BACKOFF_SECONDS", 300, minimum=1)

# --- Health and metrics (docs/operations.md) ------------------------------

# /healthz reports an error when the oldest due notification has waited longer than this.
HEALTH_OUTBOX_LATE_SECONDS = env_int("HEALTH_OUTBOX_LATE_SECONDS", 300, minimum=1)
# ... or when the last outbox sweep finished longer ago than this.
HEALTH_SWEEP_LATE_SECONDS = env_int("HEALTH_SWEEP_LATE_SECONDS", 3 * NOTIFICATION_SWEEP_SECONDS, minimum=1)
# /metrics answers a request bearing this token, or a direct one from these addresses.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS", ["127.0.0.1", "::1"])

# Days after a surgery day ends before its no-show marks and notes are deleted (docs/after-the-day.md).
RETENTION_DAYS = env_int("RETENTION_DAYS", 30, minimum=1)
# Days an audit entry (who viewed or changed someone's private details) is kept.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 365, minimum=1)

# A matchmaking confirmation that has booked no pair for this long is queued again
# (its job was lost with a worker or a broker); beat checks every half of it.
MATCHMAKING_CONFIRM_STALLED_SECONDS = env_int("MATCHMAKING_CONFIRM_STALLED_SECONDS", 120, minimum=2)

# --- Time and language ---------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Logging -------------------------------------------------------------

# One JSON object per line in production (for a log collector), plain lines in development.
LOG_FORMAT = env_choice("LOG_FORMAT", "plain" if DEBUG else "json", ["json", "plain"])
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "{levelname}{name}{message}{request_id}{task_id}",
            "style": "{",
            # ISO 8601 in UTC, under "time".
            "timestamp": "time",
            "rename_fields": {"levelname": "level", "name": "logger"},
            # Django attaches the request to its log records; written out, it would
            # show the full path with its query string (search terms, addresses).
            "reserved_attrs": [*RESERVED_ATTRS, "request"],
        },
        "plain": {"format": "{asctime} {levelname} {name} [{request_id}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Email bodies can carry personal data; keep mail libraries quiet.
        "django.core.mail": {"level": "WARNING"},
    },
}
if not REDIS_URL:
    # Tasks run inside the web process here: one line per task would drown the server log.
    LOGGING["loggers"]["celery.app.trace"] = {"level": "WARNING"}
    LOGGING["loggers"]["outbox"] = {"level": "WARNING"}

# --- Error reports (optional) ----------------------------------------------

# Errors go to Sentry only when this is set; personal data is scrubbed first (config/sentry.py).
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    sentry_init(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "development" if DEBUG else "production"))
