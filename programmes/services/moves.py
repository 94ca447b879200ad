"""Moving a competitive application through screening and review (SPEC 7), and notes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import Actor
from core.services import attribute
from programmes import rules
from programmes.choices import ApplicationStatus, EventKind
from programmes.models import Application
from programmes.services.common import application_lock, event_add
from programmes.services.notices import application_notify


def _refuse_move(application: Application, to: str) -> None:
    allowed = rules.moves_from(application.status)
    labels = ", ".join(str(ApplicationStatus(s).label) for s in allowed)
    if to in (rules.SELECTED, rules.NOT_SELECTED):
        message = _("Applications are selected or not only by running the selection.")
    elif allowed:
        message = _("From “%(status)s” an application may move only to: %(allowed)s.") % {
            "status": ApplicationStatus(application.status).label,
            "allowed": labels,
        }
    else:
        message = _("A decided application (“%(status)s”) does not move any more.") % {
            "status": ApplicationStatus(application.status).label
        }
    raise ValidationError({"to": ValidationError(message, code="move_not_allowed")})


@transaction.atomic
def application_transition(
    *, application: Application, to: str, note: str = "", actor: Actor | None
) -> Application:
    """Move the application to `to` if the state machine allows it from where it stands (read
    under its row lock); write the timeline line and notify the applicant where it matters."""
    application = application_lock(application)
    if not application.programme.is_competitive:
        raise ValidationError(
            {"to": ValidationError(_("Entitlement awards have no review steps."), code="kind")}
        )
    if to not in rules.moves_from(application.status):
        _refuse_move(application, to)
    if to == rules.WITHDRAWN and not note.strip():
        raise ValidationError(
            {"note": ValidationError(_("Say why the application is withdrawn."), code="required")}
        )
    before = application.status
    application.status = to
    attribute(application, actor, note)
    application.save(update_fields=["status", "updated_at"])
    event_add(
        application, EventKind.STATUS, actor=actor, from_status=before, to_status=to, note=note
    )
    if to == rules.CHANGES_REQUESTED:
        application_notify(application)
    return application


@transaction.atomic
def application_note(*, application: Application, note: str, actor: Actor | None) -> None:
    """Add a note to the application's timeline."""
    if not note.strip():
        raise ValidationError({"note": ValidationError(_("Write the note."), code="required")})
    event_add(application, EventKind.NOTE, actor=actor, note=note.strip())
