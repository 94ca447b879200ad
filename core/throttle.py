"""Rate limits for public pages, counted in the cache per client and per tracking number.

Fixed windows: each limit allows `count` events per `window` seconds for one identity (a client
address, a tracking number). The identity is hashed before it becomes a cache key, so the cache
holds no addresses or numbers. With several server processes the cache must be shared (see
CACHE_BACKEND in .env.example) for the limits to hold across them.
"""

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


def wait_seconds(limit: Limit, *identities: str) -> int:
    """Seconds until every identity may act again; 0 when none has used up its allowance."""
    now = time.time()
    waits = []
    for identity in identities:
        key, retry_after = _key(limit, identity, now)
        if (cache.get(key) or 0) >= limit.count:
            waits.append(retry_after)
    return max(waits, default=0)


def hit(limit: Limit, *identities: str) -> None:
    """Count one event for each identity."""
    now = time.time()
    for identity in identities:
        key, _retry = _key(limit, identity, now)
        cache.add(key, 0, timeout=limit.window + 1)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=limit.window + 1)


def minutes(seconds: int) -> int:
    return max(1, -(-seconds // 60))
