"""Development on one's own machine: debug on, connections closed after each request.

The database is PostgreSQL like everywhere else: DATABASE_URL names it, and `./scripts/run`
without one runs an embedded server from var/postgres (see config/embedded_db.py).
"""

from config.env import env_bool, env_int

from .base import *  # noqa: F403
from .base import DATABASES

DEBUG = env_bool("DEBUG", True)
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
# Static files come straight from the apps; collectstatic is for production.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
