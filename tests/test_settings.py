"""Production settings refuse to start half-configured and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "tq3V9-gkR2m_Zp8wLx4HsE7yNc1UbJ6dFa5Wo0KiYt2Qe9Rv3Mh",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/golmok",
    "ALLOWED_HOSTS": "golmok.example.go.kr",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in GOOD and not k.startswith("TEST_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_passes_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_keeps_the_sign_in_and_page_guards():
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(*s.SECURE_CSP['default-src'], *s.SECURE_CSP['frame-ancestors'])\n"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.GOLMOK_TRUSTED_PROXIES)\n"
        "print(s.GOLMOK_SESSION_IDLE_TIMEOUT, s.SESSION_COOKIE_AGE, s.SESSION_COOKIE_SECURE)\n"
        "print(all(m in s.MIDDLEWARE for m in ("
        "'django.middleware.csp.ContentSecurityPolicyMiddleware', 'axes.middleware.AxesMiddleware',"
        " 'core.sessions.SessionTimeoutMiddleware',"
        " 'registry.accounts.middleware.SecondFactorMiddleware')))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "GOLMOK_"))}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, **GOOD, "GOLMOK_TRUSTED_PROXIES": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "'self' 'none'",
        "5 0:30:00 1",
        "1800 32400 True",
        "True",
    ]


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY"),
        ("DATABASE_URL", "DATABASE_URL"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    env = {k: v for k, v in GOOD.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_short_or_default_secret():
    result = manage("check", **{**GOOD, "SECRET_KEY": "insecure-local-development-key"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_sqlite():
    result = manage("check", **{**GOOD, "DATABASE_URL": "sqlite:///tmp/x.sqlite3"})
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_the_site_root_leads_to_the_staff_home(client):
    response = client.get("/")
    assert (response.status_code, response["Location"]) == (302, "/dashboard/")


@pytest.mark.parametrize("settings_module", ["config.settings.local", "config.settings.production"])
def test_a_log_line_of_django_or_its_task_worker_is_written_once(settings_module):
    """Each record reaches exactly one handler, whether DEBUG is on or off."""
    script = (
        "import logging, django; django.setup()\n"
        "for name in ('django.tasks', 'django.request', 'django_tasks_db', 'registry'):\n"
        "    logger, reached = logging.getLogger(name), []\n"
        "    while logger:\n"
        "        reached += logger.handlers\n"
        "        logger = logger.parent if logger.propagate else None\n"
        "    print(name, len(reached))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, **GOOD, "DJANGO_SETTINGS_MODULE": settings_module},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:-1] == [
        "django.tasks 1",
        "django.request 1",
        "django_tasks_db 1",
        "registry 1",
    ]
