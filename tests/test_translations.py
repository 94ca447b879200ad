"""The Korean catalogue is complete: every translatable string in the code has a Korean entry."""

import fcntl
import hashlib
import subprocess
import tempfile
from contextlib import chdir
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory):
    """The catalogue as makemessages would leave it after reading today's code.

    makemessages always writes into the project's own locale/ (the first locale directory it
    finds from where it runs), so the test takes its output from there and puts the catalogue
    back as it was: running the tests never edits the checkout.
    """
    fresh = tmp_path_factory.mktemp("locale") / "django.po"
    # Each test worker runs this fixture; makemessages shares files in locale/, so one at a time.
    checkout = hashlib.sha1(str(ROOT).encode()).hexdigest()[:12]
    lock_path = Path(tempfile.gettempdir()) / f"golmok-makemessages-{checkout}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _extract_into(fresh)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return fresh


def _extract_into(fresh: Path) -> None:
    original = CATALOGUE.read_bytes()
    try:
        with chdir(ROOT):
            call_command(
                "makemessages",
                locale=["ko"],
                no_location=True,
                verbosity=0,
                ignore_patterns=["tests/*", "bench/*", "var/*", "staticfiles/*", "docs/*"],
            )
        fresh.write_bytes(CATALOGUE.read_bytes())
    finally:
        CATALOGUE.write_bytes(original)


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


def test_a_closed_case_and_a_closed_store_read_apart_and_djangos_close_stays_its_own():
    from hotline.choices import MOVE_LABELS, CaseStatus
    from registry.choices import StoreStatus

    with translation.override("ko"):
        assert translation.gettext("Close") == "닫기"
        assert (str(CaseStatus.CLOSED.label), str(StoreStatus.CLOSED.label)) == ("종결", "폐업")
        assert str(MOVE_LABELS[CaseStatus.CLOSED]) == "종결"


@pytest.mark.django_db
def test_a_failed_staff_sign_in_is_told_in_plain_korean(client):
    response = client.post("/admin/login/", {"username": "nobody", "password": "x"})
    assert "직원 계정의 사용자 이름과 비밀번호를 정확히 입력하십시오." in response.content.decode()
