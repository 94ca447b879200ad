"""Telling merchants where their application stands, by text message and email (core.notify).

A failure to notify never undoes or fails the application: it is logged and the merchant still
has the tracking number on the screen.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from core.notify import notice_send
from registry.choices import ApplicationStatus
from registry.models import MerchantApplication


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
    notice_send(
        phone=application.phone,
        email=application.email,
        subject=subject,
        body=body,
        about=f"application {application.pk}",
    )


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
