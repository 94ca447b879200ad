"""Rate limits for public pages, counted in the shared cache per client and per credential.

Fixed windows: each limit allows `count` events per `window` seconds for one identity (a client
address, a tracking number, a business number). Counting is atomic: an event is taken before the
work it guards, with the cache's `add` and `incr` (never read, add one, write back), so requests
sent in parallel cannot all pass a check that each of them saw below the limit; an event that
turns out not to count (a look-up that succeeded) is given back with `refund`. The identity is
hashed before it becomes a cache key, so the cache holds no addresses or numbers. The cache must
be one every worker shares (the database cache, or Redis: GOLMOK_CACHE_URL) for a limit to hold
across them.
"""

import contextlib
import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache

from core.network import client_address


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


def client_ip(request) -> str:
    """The client's address (`core.network.client_address`, through the trusted proxies)."""
    return client_address(request) or "unknown"


def _key(limit: Limit, identity: str, now: float) -> tuple[str, int]:
    digest = hashlib.sha256(f"{limit.scope}:{identity}".encode()).hexdigest()[:32]
    window = int(now // limit.window)
    retry_after = int((window + 1) * limit.window - now) + 1
    return f"golmok:throttle:{limit.scope}:{digest}:{window}", retry_after


def _incr(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr: start the window's count again
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)


def take(*checks: tuple[Limit, str]) -> int:
    """Count one event for each (limit, identity); the seconds to wait when any of them is
    over its limit, else 0. The event is counted either way. An empty identity (no credential
    was given) is not counted: the client's own limit still is."""
    now = time.time()
    waits = []
    for limit, identity in checks:
        if not identity:
            continue
        key, retry_after = _key(limit, identity, now)
        if _incr(key, limit.window + 1) > limit.count:
            waits.append(retry_after)
    return max(waits, default=0)


def refund(*checks: tuple[Limit, str]) -> None:
    """Give back an event `take` counted, for work that turned out not to count (a success)."""
    now = time.time()
    for limit, identity in checks:
        if not identity:
            continue
        key, _retry = _key(limit, identity, now)
        # A window that ended meanwhile has nothing left to give back.
        with contextlib.suppress(ValueError):
            cache.decr(key)


def minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))
