"""The Korean catalogue is complete: every translatable string in the code has a Korean entry."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory, django_db_blocker):
    """The catalogue as makemessages would leave it after reading today's code."""
    locale = tmp_path_factory.mktemp("locale")
    target = locale / "ko" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(CATALOGUE, target / "django.po")
    with override_settings(LOCALE_PATHS=[str(locale)]):
        call_command(
            "makemessages",
            locale=["ko"],
            no_location=True,
            verbosity=0,
            ignore_patterns=["tests/*", "bench/*", "var/*", "staticfiles/*", "docs/*"],
        )
    return target / "django.po"


def msgattrib(po: Path, *flags: str) -> str:
    result = subprocess.run(
        ["msgattrib", "--no-obsolete", *flags, str(po)], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_every_string_in_the_code_has_a_korean_translation(fresh_catalogue):
    missing = msgattrib(fresh_catalogue, "--untranslated")
    assert missing == "", f"untranslated entries:\n{missing}"


def test_no_korean_translation_is_left_fuzzy(fresh_catalogue):
    fuzzy = msgattrib(fresh_catalogue, "--only-fuzzy")
    assert fuzzy == "", f"fuzzy entries:\n{fuzzy}"


def test_the_compiled_catalogue_is_used_for_korean():
    with translation.override("ko"):
        assert translation.gettext("Designated") == "지정"


def test_djangos_own_untranslated_strings_are_korean_too():
    with translation.override("ko"):
        assert translation.gettext("- Select an option -") == "- 선택하십시오 -"
        assert translation.gettext("Logout") == "로그아웃"
