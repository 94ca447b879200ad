"""Settings shared by every environment; local, test and production override a few of them."""

from datetime import timedelta
from pathlib import Path

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import (
    DEFAULT_DATABASE_URL,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_cache_url,
    parse_database_url,
    read_dotenv,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
read_dotenv(BASE_DIR / ".env")

SECRET_KEY = env_str("SECRET_KEY", "insecure-local-development-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.admin.apps.GolmokAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_tasks_db",
    # Before axes: core's sign-in receivers are connected first, so a failure's row in the
    # access log comes before the row of the lock it causes.
    "core",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "registry",
    "cashback",
    "hotline",
    "programmes",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RefuseNullCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: an expired session is signed out, and says why.
    "core.sessions.SessionTimeoutMiddleware",
    "registry.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a sign-in refused by the lockout into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **parse_database_url(env_str("DATABASE_URL", DEFAULT_DATABASE_URL)),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "registry.User"
# The personal-data access log (SPEC 5) that core.audit writes; it sits beside users and offices.
ACCESS_LOG_MODEL = "registry.AccessLog"
# Who may read names, phones and accounts unmasked (SPEC 5).
CONTACT_PERMISSION = "registry.view_contact"
# The fields holding personal data, by model and with the kind of mask each takes (core.personal).
# Every face (admin and history pages, certificates, exports, the API, searches) masks, logs and
# searches these fields by this one table.
PERSONAL_DATA = {
    "registry.District": {"representative": "name", "association_phone": "phone"},
    "registry.Store": {"representative": "name", "phone": "phone"},
    "registry.AffiliateRegistration": {
        "settlement_holder": "name",
        "settlement_account": "account",
    },
    "registry.MerchantApplication": {"representative": "name", "phone": "phone", "email": "email"},
    "hotline.Case": {"caller_name": "name", "caller_phone": "phone"},
    "programmes.Application": {"applicant": "name", "phone": "phone"},
    "programmes.Grant": {"account_holder": "name", "account_number": "account"},
}
# The admin lists' downloads (core.exports): lists up to this many rows are downloaded at once,
# longer ones are made by the background worker; the jobs' table sits beside users and offices.
EXPORT_ROWS_AT_ONCE = env_int("EXPORT_ROWS_AT_ONCE", 5000)
EXPORT_JOB_MODEL = "registry.ExportJob"

# --- Accounts and sessions (SPEC 8) -------------------------------------------------------------
# django-axes stands first and refuses any sign-in while the account or the address is locked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "registry.backends.RoleBackend"]

# Passwords: 10 characters of two kinds (letters, digits, symbols) or 8 of all three, not like
# the username, not a common password, not the site's or the account's name with digits added.
# The kinds rule makes Django's length and all-numeric validators redundant.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "core.passwords.CharacterKindsValidator"},
    {"NAME": "core.passwords.SiteWordsValidator"},
]
# The first words anyone guesses a password from here, besides the username (lower case).
GOLMOK_PASSWORD_SITE_WORDS = env_list(
    "GOLMOK_PASSWORD_SITE_WORDS",
    ["golmok", "골목", "alleypay", "onnuri", "온누리", "seogu", "서구", "gwangju", "광주"],
)

# How many reverse proxies of our own stand in front of the server. X-Forwarded-For is believed
# only through them (core.network.client_address); 0 means REMOTE_ADDR, and a client cannot
# change its address by sending the header. The lockout and the public pages' limits count by it.
GOLMOK_TRUSTED_PROXIES = env_int("GOLMOK_TRUSTED_PROXIES", 0)

# The lockout: 5 failed sign-ins lock the account and the address for 30 minutes, counted in
# the database (shared by every server process). A failure under the lock does not extend it, so
# the time the page gives is the time it lifts. Successful sign-ins do not wipe earlier failures
# of the address, or a user with an account could keep guessing others' passwords.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("GOLMOK_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = "core.signin.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "core.network.client_address"
AXES_LOCKOUT_CALLABLE = "registry.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = False
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HTTP_RESPONSE_CODE = 429
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Sign-ins, sign-outs, failures and locks are kept in the access log (SPEC 5), not axes' tables;
# locks are lifted by waiting or with `manage.py axes_reset_username USERNAME`.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Whom the lockout page tells staff to call (e.g. "정보통신과 시스템 담당 (062-360-0000)").
GOLMOK_ACCOUNT_CONTACT = env_str("GOLMOK_ACCOUNT_CONTACT", "")

# Sessions: a staff session ends after 30 minutes without activity (core.sessions) and after a
# working day at most; the page it leads to says why.
GOLMOK_SESSION_IDLE_TIMEOUT = env_int("GOLMOK_SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 9 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True

# The second factor (django-otp, TOTP): offices that require it ask it of their staff who can see
# personal data (registry.roles.second_factor_required). The app shows the office and the user.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Golmok")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy (Django's own middleware): scripts and styles come from this site, or
# inline only with the request's nonce; no frames, no plugins, forms post only here. Redoc's
# search runs in a worker it builds from a blob.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Exported lists hold personal data: they are kept apart from the uploads, in a folder no web
# server serves, and handed out only by the application to the user who made them.
EXPORT_ROOT = Path(env_str("EXPORT_ROOT", str(BASE_DIR / "var" / "exports")))
EXPORT_STORAGE = {
    "BACKEND": "core.storage.PrivateFileSystemStorage",
    "OPTIONS": {"location": EXPORT_ROOT},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": EXPORT_STORAGE,
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGIN_URL = "admin:login"
# Staff start their day on the dashboard (SPEC 6) unless they were on their way elsewhere.
LOGIN_REDIRECT_URL = "dashboard:home"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.LockoutTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.CursorFriendlyPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Golmok API",
    "DESCRIPTION": (
        "Registry of alley-type shopping districts, stores and Onnuri affiliates, "
        "cashback campaigns and the Alley Economy 119 hotline. Authenticate with "
        "`Authorization: Token KEY`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The refusals every operation may give (400, 401, 403, 404) are documented once, so the
    # schema is true to the API (tests/test_api_fuzz.py holds the API to it).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.docs.document_refusals",
    ],
}

MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@localhost")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Background work (the admin's imports) is queued in the database and run by a worker process
# beside the web server: `python manage.py db_worker` (core.jobs).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The public pages' rate limits (core.throttle) count in a cache every worker shares: the
# database cache by default (its table is made by `manage.py createcachetable`, which the set-up
# runs after `migrate`), or Redis when GOLMOK_CACHE_URL names one (redis://host:6379/0; install
# the `redis` extra). A per-process cache would let each worker count on its own.
CACHES = {"default": parse_cache_url(env_str("GOLMOK_CACHE_URL", ""))}
# The client's address behind proxies: GOLMOK_TRUSTED_PROXIES, with the accounts' settings.
# Text messages to merchants (tracking numbers, decisions): a class with `send(*, to, text)`.
# The logging sender writes them to the log until the office contracts an SMS gateway.
GOLMOK_SMS_SENDER = env_str("GOLMOK_SMS_SENDER", "core.notify.LoggingSmsSender")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's own "django" logger writes to a console of its own when DEBUG is on and then
    # passes the record up to the root as well: every line (a request, a task) came out twice.
    "loggers": {
        "django": {
            "handlers": ["console"],
            "level": env_str("LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}
