"""A small typed reader for settings taken from the environment.

Each getter names the variable, says what it falls back to, and fails loudly on a value it cannot
read, so a typo in production is caught at start-up rather than discovered as odd behaviour.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}

# Where development and the test suite look for PostgreSQL unless DATABASE_URL or
# TEST_DATABASE_URL say otherwise.
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/golmok"


def read_dotenv(path: Path) -> None:
    """Load KEY=VALUE lines from a .env file without overriding the real environment."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the {name} environment variable.")
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn `postgres://user:pass@host:port/name?sslmode=require` into a DATABASES entry.

    A Unix socket is named libpq's way, by a `host` parameter holding its directory:
    `postgresql://postgres@/golmok?host=/srv/golmok/var/postgres`. Golmok runs on PostgreSQL
    only: any other scheme is refused.
    """
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"A database URL must name a PostgreSQL database (postgres://user@host:port/name), "
            f"not {scheme!r}: Golmok runs on PostgreSQL only."
        )
    options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    host, port = options.pop("host", ""), options.pop("port", "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")),
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": parsed.hostname or host,
        "PORT": str(parsed.port or port),
        "OPTIONS": options,
    }


# The database cache's table, made by `manage.py createcachetable` (Django's own way).
CACHE_TABLE = "golmok_cache"


def parse_cache_url(url: str) -> dict:
    """The shared cache of GOLMOK_CACHE_URL as a CACHES entry.

    Empty: the database cache (a table of the main database, made by `createcachetable`), which
    every worker and process shares with nothing more to run. `redis://`, `rediss://` or
    `unix://`: Django's own Redis cache at that URL, which needs the `redis` package (the
    project's optional `redis` extra). Anything else is refused: a cache of one process
    (Django's local memory) would let each worker count the rate limits on its own.
    """
    url = (url or "").strip()
    if not url:
        # Past MAX_ENTRIES Django deletes the expired rows, then a third of the live ones,
        # counters and all: set high, so that nobody can wipe the limits' counters by filling
        # the cache with keys of their own (each client may make only a few hundred a window).
        return {
            "BACKEND": "core.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    scheme = urlparse(url).scheme.lower()
    if scheme in {"redis", "rediss", "unix"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        f"GOLMOK_CACHE_URL must be empty (the database cache) or a Redis URL "
        f"(redis://host:6379/0), not {scheme!r}."
    )
