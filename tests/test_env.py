import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, parse_database_url


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


def test_sqlite_urls_name_relative_and_absolute_files():
    assert parse_database_url("sqlite:///var/db.sqlite3")["NAME"] == "var/db.sqlite3"
    assert parse_database_url("sqlite:////srv/db.sqlite3")["NAME"] == "/srv/db.sqlite3"


def test_an_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperlyConfigured):
        parse_database_url("mysql://root@localhost/golmok")


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
