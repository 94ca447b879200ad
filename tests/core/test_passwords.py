"""Password rules (SPEC 8): length and kinds, not the username, not common, not the site's name."""

import pytest
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.exceptions import ValidationError

from core.passwords import (
    DIGITS,
    LETTERS,
    SYMBOLS,
    CharacterKindsValidator,
    SiteWordsValidator,
    character_kinds,
    kinds_rule_met,
    site_words_stripped,
)
from registry.models import User


@pytest.mark.parametrize(
    ("password", "kinds"),
    [
        ("", set()),
        ("abcDEF", {LETTERS}),
        ("골목상점가", {LETTERS}),
        ("2026", {DIGITS}),
        ("!@# ", {SYMBOLS}),
        ("golmok2026", {LETTERS, DIGITS}),
        ("pw-golmok-1234", {LETTERS, DIGITS, SYMBOLS}),
        ("서구 2026", {LETTERS, DIGITS, SYMBOLS}),
    ],
)
def test_characters_are_letters_digits_or_symbols(password, kinds):
    assert character_kinds(password) == kinds


@pytest.mark.parametrize(
    ("password", "met"),
    [
        ("abcdefghijklmnop", False),  # one kind, however long
        ("1234567890123", False),
        ("abcd12345", False),  # two kinds, 9 characters
        ("abcde12345", True),  # two kinds, 10
        ("ab1!cd2", False),  # three kinds, 7
        ("ab1!cd2@", True),  # three kinds, 8
        ("!!!!!12345", True),  # symbols and digits are two kinds
    ],
)
def test_ten_characters_of_two_kinds_or_eight_of_three(password, met):
    assert kinds_rule_met(password) is met


def test_site_words_are_taken_out_longest_first_and_in_any_case():
    assert site_words_stripped("GolMok2026", ["golmok", "gol"]) == "2026"
    assert site_words_stripped("x-seogu-y", ["seogu"]) == "x--y"
    assert site_words_stripped("ab-2026", ["ab"]) == "ab-2026"  # too short to count as a word


@pytest.fixture
def clerk_user(db):
    return User(username="clerk", first_name="민수", last_name="김", email="clerk@seogu.go.kr")


@pytest.mark.parametrize("password", ["golmok2026", "seogu1234"])
def test_the_reviewers_passwords_are_refused(password, clerk_user):
    with pytest.raises(ValidationError):
        validate_password(password, clerk_user)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("seogu1234", "password_too_simple"),
        ("abcdefghijkl", "password_too_simple"),
        ("12345678901", "password_too_simple"),
        ("golmok2026", "password_site_words"),
        ("Golmok-2026!", "password_site_words"),
        ("골목2026!!", "password_site_words"),
        ("clerk2026!!", "password_site_words"),  # the username with a year and a symbol
        ("qwerty123456", "password_too_common"),
        ("1q2w3e4r5t", "password_too_common"),
        ("clerk@seogu.go", "password_too_similar"),
    ],
)
def test_each_rule_refuses_in_korean(password, code, clerk_user):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, clerk_user)
    assert code in {error.code for error in refused.value.error_list}
    assert all(any("\uac00" <= c <= "\ud7a3" for c in m) for m in refused.value.messages)


@pytest.mark.parametrize(
    "password",
    [
        "pw-golmok-1234",  # the test factories' password
        "golmok-demo-2026",  # the demo's published password
        "namu-bom-2026",
        "Tteokbokki88",
        "k9#mQ2!x",
        "다람쥐가 헌 쳇바퀴 2026",
    ],
)
def test_passwords_that_meet_the_rules_pass(password, clerk_user):
    validate_password(password, clerk_user)


def test_the_rules_are_explained_in_korean():
    texts = password_validators_help_texts()
    assert any("10자 이상" in text for text in texts)
    assert any("8자 이상" in text for text in texts)
    assert all(any("\uac00" <= c <= "\ud7a3" for c in text) for text in texts)


def test_the_kinds_validator_takes_its_lengths_as_options():
    validator = CharacterKindsValidator(two_kinds_length=12, three_kinds_length=10)
    validator.validate("abcdefgh1234")
    with pytest.raises(ValidationError):
        validator.validate("abcdefg12345"[:11])
    assert "12" in validator.get_help_text()


def test_the_site_words_come_from_the_settings(settings, clerk_user):
    settings.GOLMOK_PASSWORD_SITE_WORDS = ["mapo"]
    with pytest.raises(ValidationError):
        SiteWordsValidator().validate("mapo-2026!!", clerk_user)
    SiteWordsValidator().validate("golmok2026!x", clerk_user)
