"""Settings of the cashback benchmark: production's stack on the benchmark's own database.

The base settings (what production runs, with persistent connections and health checks) with
`DEBUG` off, pointed at `golmok_bench_cashback` (or BENCH_CASHBACK_DATABASE_NAME) on the server
of TEST_DATABASE_URL. HTTPS redirects and secure cookies are left out: gunicorn listens on
loopback without TLS. `bench.cashback` uses it in-process and for the gunicorn it starts.
"""

from config.env import env_str, parse_database_url
from config.settings.base import *  # noqa: F403
from config.settings.base import DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
BENCH_DATABASE_NAME = env_str("BENCH_CASHBACK_DATABASE_NAME", "golmok_bench_cashback")
DATABASES = {
    "default": {
        **DATABASES["default"],
        **parse_database_url(
            env_str("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/golmok")
        ),
        "NAME": BENCH_DATABASE_NAME,
    }
}
# Static files straight from the apps: the benchmark never runs collectstatic.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # A refused request is part of the figures, not a line per request on the console.
    "loggers": {"django.request": {"level": "ERROR"}},
}
