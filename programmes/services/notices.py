"""Notices to applicants (SPEC 7): a text message through the project's SMS sender
(`GOLMOK_SMS_SENDER`) when an application is received, decided or sent back for changes.
Sent after the transaction commits, and written to the timeline."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.notify import notice_send
from programmes import rules
from programmes.choices import EventKind
from programmes.models import Application
from programmes.services.common import event_add


def _text(application: Application) -> str | None:
    name, number = application.programme.name, application.number_display
    match application.status:
        case rules.SUBMITTED:
            return _(
                "[%(programme)s] Your application has been received. Tracking number: %(number)s."
            ) % {"programme": name, "number": number}
        case rules.AWARDED | rules.SELECTED:
            return _(
                "[%(programme)s] Your application %(number)s has been awarded %(award)s won."
            ) % {"programme": name, "number": number, "award": f"{application.award:,}"}
        case rules.NOT_SELECTED:
            return _(
                "[%(programme)s] Your application %(number)s was not selected. You can see "
                "the reason with your tracking number."
            ) % {"programme": name, "number": number}
        case rules.CHANGES_REQUESTED:
            return _(
                "[%(programme)s] Your application %(number)s needs changes. Please contact "
                "the office."
            ) % {"programme": name, "number": number}
    return None


def application_notify(application: Application) -> None:
    """Text the applicant about the application's status, once the transaction has committed,
    and note on the timeline what was sent."""
    body = _text(application)
    if not body or not application.phone:
        return
    event_add(application, EventKind.NOTICE, actor=None, note=body)

    def send():
        notice_send(
            phone=application.phone,
            email="",
            subject=application.programme.name,
            body=body,
            about=f"programme application {application.pk}",
        )

    transaction.on_commit(send)
