"""The test suite: PostgreSQL always, fast hashing, tasks run at once."""

from config.env import DEFAULT_DATABASE_URL, env_str, parse_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DATABASES = {
    "default": {
        **parse_database_url(env_str("TEST_DATABASE_URL", DEFAULT_DATABASE_URL)),
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": env_str("TEST_DATABASE_NAME", "test_golmok")},
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Tasks run at once, inside the request that queues them; the worker is tested on its own.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "exports": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
LANGUAGE_CODE = "ko"
# Static files come straight from the apps (no collectstatic in tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
