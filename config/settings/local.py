"""Development on one's own machine: SQLite by default, debug on."""

from config.env import env_bool, env_int, env_str, parse_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = env_bool("DEBUG", True)
DATABASES = {
    "default": {
        **parse_database_url(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'golmok.sqlite3'}")
        ),
        "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 0),
    }
}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Static files come straight from the apps; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
