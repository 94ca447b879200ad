"""Telling merchants where their application stands: email where they gave an address, and a
text message through a small sender interface.

The email goes through Django's configured mailer (MAILERS). Text messages go through the class
named by the GOLMOK_SMS_SENDER setting: `LoggingSmsSender` writes them to the log until the office
contracts an SMS gateway; a gateway's sender only needs a `send(*, to, text)` method. A failure to
notify never undoes or fails the application: it is logged and the merchant still has the
tracking number on the screen.
"""

import logging
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.numbers import phone_mask
from registry.models.applications import ApplicationStatus, MerchantApplication

logger = logging.getLogger("golmok.notify")

DEFAULT_SMS_SENDER = "registry.public.notify.LoggingSmsSender"


class SmsSender(Protocol):
    def send(self, *, to: str, text: str) -> None:
        """Send `text` to the Korean phone number `to` (digits only); raise on failure."""


class LoggingSmsSender:
    """Writes each text message to the log instead of sending it (development, demo, until a
    gateway is contracted). The number is masked in the log."""

    def send(self, *, to: str, text: str) -> None:
        logging.getLogger("golmok.sms").info("SMS to %s: %s", phone_mask(to), text)


class MemorySmsSender:
    """Keeps messages in `outbox` (a class attribute) for tests to read."""

    outbox: ClassVar[list[dict]] = []

    def send(self, *, to: str, text: str) -> None:
        self.outbox.append({"to": to, "text": text})


def sms_sender() -> SmsSender:
    return import_string(getattr(settings, "GOLMOK_SMS_SENDER", DEFAULT_SMS_SENDER))()


def _is_mobile(digits: str) -> bool:
    return digits.startswith("01") and len(digits) in (10, 11)


def _received_text(application: MerchantApplication, status_url: str) -> tuple[str, str]:
    subject = _("[%(office)s] Your application was received") % {"office": application.office.name}
    body = _(
        "Your application for %(store)s was received.\n"
        "Tracking number: %(number)s\n"
        "Check its status with the tracking number and the last four digits of your phone: "
        "%(url)s"
    ) % {
        "store": application.trade_name,
        "number": application.tracking_number_display,
        "url": status_url,
    }
    return subject, body


def _status_text(application: MerchantApplication, status_url: str) -> tuple[str, str]:
    subject = _("[%(office)s] Your application: %(status)s") % {
        "office": application.office.name,
        "status": application.get_status_display(),
    }
    if application.status == ApplicationStatus.CHANGES_REQUESTED:
        lead = _("The office asks you to correct your application for %(store)s.")
    elif application.status == ApplicationStatus.APPROVED:
        lead = _("Your application for %(store)s was approved.")
    else:
        lead = _("Your application for %(store)s was not approved.")
    body = (
        lead % {"store": application.trade_name}
        + "\n"
        + _("Tracking number: %(number)s. Details: %(url)s")
        % {"number": application.tracking_number_display, "url": status_url}
    )
    return subject, body


def _send(application: MerchantApplication, subject: str, body: str) -> None:
    if _is_mobile(application.phone):
        try:
            sms_sender().send(to=application.phone, text=body)
        except Exception:
            logger.exception("text message for application %s failed", application.pk)
    if application.email:
        try:
            EmailMessage(subject, body, to=[application.email]).send()
        except Exception:
            logger.exception("email for application %s failed", application.pk)


def application_received(application: MerchantApplication, *, status_url: str = "") -> None:
    """Send the tracking number to the merchant's phone and email, in the form's language."""
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject, body = _received_text(application, status_url or "/register/status/")
        _send(application, subject, body)


def application_status_changed(application: MerchantApplication, *, status_url: str = "") -> None:
    """Tell the merchant a clerk decided or asked for changes; the message itself is on the
    status page, behind the tracking number and phone digits."""
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject, body = _status_text(application, status_url or "/register/status/")
        _send(application, subject, body)
