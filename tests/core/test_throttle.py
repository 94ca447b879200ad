"""core.throttle on the shared database cache: counting is atomic across connections, refunds
give an event back, and the database cache's `incr` loses no increment under a race."""

import threading

import pytest
from django.core.cache import cache
from django.db import close_old_connections

from core import throttle

LIMIT = throttle.Limit("test-race", 7, 600)


@pytest.fixture(autouse=True)
def _clean(db):
    cache.clear()
    yield
    cache.clear()


def run_at_once(count: int, work) -> list:
    start = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def one(index: int) -> None:
        try:
            start.wait()
            result = work(index)
            with lock:
                results.append(result)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_the_cache_is_the_shared_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"] == "core.cache.DatabaseCache"


def test_events_past_the_limit_are_refused_and_a_refund_gives_one_back():
    for _ in range(LIMIT.count):
        assert throttle.take((LIMIT, "a")) == 0
    assert throttle.take((LIMIT, "a")) > 0
    assert throttle.take((LIMIT, "b")) == 0

    throttle.refund((LIMIT, "a"), (LIMIT, "a"))
    assert throttle.take((LIMIT, "a")) == 0


@pytest.mark.django_db(transaction=True)
def test_threads_taking_at_once_never_pass_more_than_the_limit():
    waits = run_at_once(20, lambda _index: throttle.take((LIMIT, "same identity")))

    assert sum(1 for wait in waits if wait == 0) == LIMIT.count


@pytest.mark.django_db(transaction=True)
def test_the_database_cache_loses_no_increment_under_a_race():
    cache.set("counter", 0, 600)

    run_at_once(16, lambda _index: cache.incr("counter"))

    assert cache.get("counter") == 16


def test_incr_of_a_missing_or_expired_key_is_a_value_error():
    with pytest.raises(ValueError):
        cache.incr("missing")
    cache.set("gone", 1, timeout=-1)
    with pytest.raises(ValueError):
        cache.incr("gone")


def test_the_client_address_comes_from_x_forwarded_for_only_behind_trusted_proxies(settings, rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    settings.GOLMOK_TRUSTED_PROXIES = 0
    assert throttle.client_ip(request) == "10.0.0.1"
    settings.GOLMOK_TRUSTED_PROXIES = 1
    assert throttle.client_ip(request) == "203.0.113.5"
    settings.GOLMOK_TRUSTED_PROXIES = 3  # fewer entries than proxies: the header is not trusted
    assert throttle.client_ip(request) == "10.0.0.1"
