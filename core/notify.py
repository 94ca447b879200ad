"""Sending notices to people outside the office: email through Django's mailer (MAILERS), and
text messages through a small sender interface.

Text messages go through the class named by the GOLMOK_SMS_SENDER setting: `LoggingSmsSender`
writes them to the log until the office contracts an SMS gateway; a gateway's sender only needs a
`send(*, to, text)` method. A failed notice never undoes the work it reports: it is logged.
"""

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from core.numbers import phone_digits

logger = logging.getLogger("golmok.notify")

DEFAULT_SMS_SENDER = "core.notify.LoggingSmsSender"


class SmsSender(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Send `text` to the Korean phone number `to` (digits only); raise on failure."""


def recipient_masked(to: str) -> str:
    """A phone number for a log line: the carrier prefix only, 010-****-****.

    Not even the last four digits: a text message carries a tracking number, and a tracking
    number with the phone's last four digits is the whole credential of the public status page
    (SPEC 2.5), which no log line may hold.
    """
    digits = phone_digits(to)
    return f"{digits[:3]}-****-****" if len(digits) >= 7 else "*" * len(digits)


class LoggingSmsSender:
    """Writes each text message to the log instead of sending it (development, demo, until a
    gateway is contracted). The recipient is masked to its carrier prefix (`recipient_masked`),
    so the line never pairs a tracking number with the phone's last four digits."""

    def send(self, *, to: str, text: str) -> None:
        logging.getLogger("golmok.sms").info("SMS to %s: %s", recipient_masked(to), text)


class MemorySmsSender:
    """Keeps messages in `outbox` (a class attribute) for tests to read."""

    outbox: ClassVar[list[dict]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append({"to": to, "text": text})


def sms_sender() -> SmsSender:
    return import_string(getattr(settings, "GOLMOK_SMS_SENDER", DEFAULT_SMS_SENDER))()


def _is_mobile(digits: str) -> bool:
    return digits.startswith("01") and len(digits) in (10, 11)


def notice_send(*, phone: str, email: str, subject: str, body: str, about: str) -> None:
    """Text `body` to a mobile `phone` and mail it to `email`, whichever are given; `about`
    names the record in the log when a channel fails."""
    if _is_mobile(phone):
        try:
            sms_sender().send(to=phone, text=body)
        except Exception:
            logger.exception("text message for %s failed", about)
    if email:
        try:
            EmailMessage(subject, body, to=[email]).send()
        except Exception:
            logger.exception("email for %s failed", about)
