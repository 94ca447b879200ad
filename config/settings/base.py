"""Settings shared by every environment; local, test and production override a few of them."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    DEFAULT_DATABASE_URL,
    env_bool,
    env_int,
    env_list,
    env_str,
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
    "core",
    "registry",
    "cashback",
    "hotline",
    "dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RefuseNullCharacters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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
# The admin lists' downloads (core.exports): lists up to this many rows are downloaded at once,
# longer ones are made by the background worker; the jobs' table sits beside users and offices.
EXPORT_ROWS_AT_ONCE = env_int("EXPORT_ROWS_AT_ONCE", 5000)
EXPORT_JOB_MODEL = "registry.ExportJob"
AUTHENTICATION_BACKENDS = ["registry.backends.RoleBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

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
        "rest_framework.authentication.TokenAuthentication",
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

# The public pages' rate limits count in the cache: with several server processes, point it at
# a cache they share (a file-based cache on one machine, or Redis) so the limits hold across them.
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "golmok"),
    }
}
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
