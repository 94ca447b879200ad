import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import CACHE_TABLE, env_bool, env_int, env_list, parse_cache_url, parse_database_url


def test_a_postgres_url_gives_every_connection_part():
    db = parse_database_url("postgres://golmok:p%40ss@db.internal:6543/golmok?sslmode=require")
    assert db == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "golmok",
        "USER": "golmok",
        "PASSWORD": "p@ss",
        "HOST": "db.internal",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
    }


def test_a_socket_directory_is_named_by_the_host_parameter():
    db = parse_database_url("postgresql://postgres:@/golmok?host=/srv/golmok/var/postgres")
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"], db["OPTIONS"]) == (
        "/srv/golmok/var/postgres",
        "",
        "golmok",
        "postgres",
        {},
    )


def test_a_host_in_the_address_wins_over_a_host_parameter():
    db = parse_database_url("postgres://golmok@db.internal:6543/golmok?host=/tmp&port=5")
    assert (db["HOST"], db["PORT"], db["OPTIONS"]) == ("db.internal", "6543", {})


@pytest.mark.parametrize(
    "url", ["sqlite:///var/golmok.sqlite3", "sqlite:///:memory:", "mysql://root@localhost/golmok"]
)
def test_a_database_other_than_postgresql_is_refused_in_plain_words(url):
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL only"):
        parse_database_url(url)


def test_typed_values_are_read_or_refused(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("COUNT", "12")
    monkeypatch.setenv("HOSTS", "a.kr, b.kr,,")
    assert env_bool("FLAG") is True
    assert env_int("COUNT", 0) == 12
    assert env_list("HOSTS") == ["a.kr", "b.kr"]
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")
    monkeypatch.setenv("COUNT", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("COUNT", 0)


def test_the_cache_is_the_database_cache_unless_a_redis_url_is_given():
    default = parse_cache_url("")
    assert (default["BACKEND"], default["LOCATION"]) == ("core.cache.DatabaseCache", CACHE_TABLE)
    # Never culled while under attack: Django's default of 300 entries would drop counters.
    assert default["OPTIONS"]["MAX_ENTRIES"] >= 100_000
    assert parse_cache_url(" redis://cache:6379/1 ") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/1",
    }
    assert parse_cache_url("rediss://cache:6380/0")["BACKEND"].endswith("RedisCache")


@pytest.mark.parametrize("url", ["locmem://", "memcached://127.0.0.1:11211", "file:///tmp/c"])
def test_a_cache_each_process_keeps_to_itself_or_an_unknown_one_is_refused(url):
    with pytest.raises(ImproperlyConfigured, match="GOLMOK_CACHE_URL"):
        parse_cache_url(url)
