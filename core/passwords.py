"""Password rules for staff accounts (SPEC 8), as Django password validators.

The Korean rules for systems that process personal information ask for passwords of at least
ten characters mixing two kinds of characters (letters, digits, symbols), or eight mixing all
three. Django's own validators check the rest: not like the username, not a common password.

`SiteWordsValidator` adds what the common-password list cannot know: the words anyone would try
first against this installation (the product's and the office's names, the username) with a
year or a few digits stuck on, such as `golmok2026` or `clerk2026!`.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LETTERS, DIGITS, SYMBOLS = "letters", "digits", "symbols"


def character_kinds(password: str) -> set[str]:
    """Which of the three kinds (letters, digits, symbols) the password holds.

    Letters of any script count (Hangul too); every other visible character, and a space, is a
    symbol.
    """
    kinds = set()
    for char in password:
        if char.isalpha():
            kinds.add(LETTERS)
        elif char.isdecimal():
            kinds.add(DIGITS)
        else:
            kinds.add(SYMBOLS)
    return kinds


def kinds_rule_met(
    password: str, *, two_kinds_length: int = 10, three_kinds_length: int = 8
) -> bool:
    """At least `two_kinds_length` characters of two kinds, or `three_kinds_length` of three."""
    kinds = len(character_kinds(password))
    return (kinds >= 3 and len(password) >= three_kinds_length) or (
        kinds >= 2 and len(password) >= two_kinds_length
    )


def site_words_stripped(password: str, words: Iterable[str]) -> str:
    """The password without any of `words` (case-insensitive), longest words first.

    Words of fewer than three letters (two in Hangul, whose syllables carry more) are too
    short to count.
    """
    remaining = password
    wanted = {w for w in words if len(w) >= 3 or (len(w) == 2 and not w.isascii())}
    for word in sorted(wanted, key=len, reverse=True):
        remaining = re.sub(re.escape(word), "", remaining, flags=re.IGNORECASE)
    return remaining


class CharacterKindsValidator:
    """SPEC 8's length-and-kinds rule, for AUTH_PASSWORD_VALIDATORS."""

    def __init__(self, two_kinds_length: int = 10, three_kinds_length: int = 8):
        self.two_kinds_length = two_kinds_length
        self.three_kinds_length = three_kinds_length

    def validate(self, password: str, user=None) -> None:
        if not kinds_rule_met(
            password,
            two_kinds_length=self.two_kinds_length,
            three_kinds_length=self.three_kinds_length,
        ):
            raise ValidationError(self._message(), code="password_too_simple")

    def _message(self) -> str:
        return _(
            "The password must be at least {two} characters long mixing two of letters, digits "
            "and symbols, or at least {three} characters long mixing all three."
        ).format(two=self.two_kinds_length, three=self.three_kinds_length)

    def get_help_text(self) -> str:
        return _(
            "Use at least {two} characters mixing two of letters, digits and symbols, or at "
            "least {three} characters mixing all three."
        ).format(two=self.two_kinds_length, three=self.three_kinds_length)


class SiteWordsValidator:
    """Refuses a password that is only the site's words or the username plus digits and symbols.

    The words are `GOLMOK_PASSWORD_SITE_WORDS` (the product's and the office's names, in both
    scripts) and the user's username.
    """

    def validate(self, password: str, user=None) -> None:
        words = list(settings.GOLMOK_PASSWORD_SITE_WORDS)
        username = getattr(user, "username", "") or ""
        if username:
            words.append(username)
        remaining = site_words_stripped(password, words)
        if remaining != password and LETTERS not in character_kinds(remaining):
            raise ValidationError(
                _(
                    "The password is the name of this system, of the office or of the account "
                    "with only digits or symbols added, which is among the first guesses anyone "
                    "would try."
                ),
                code="password_site_words",
            )

    def get_help_text(self) -> str:
        return _(
            "Do not build the password from the name of this system, of the office or of your "
            "account with only digits or symbols added."
        )
