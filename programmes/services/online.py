"""An application sent by the applicant on the public page (SPEC 7): recorded as any other,
and the applicant told by text message what was received or awarded."""

from django.db import transaction

from programmes.models import Application, Programme
from programmes.services.applying import ApplicationInput, application_submit
from programmes.services.notices import application_notify


def application_submit_online(*, programme: Programme, data: ApplicationInput) -> Application:
    """Record the applicant's own application (no clerk: `actor` None, consent given on the
    page) and text them the tracking number, or the award of an entitlement programme, through
    the project's SMS sender once the transaction commits; the notice is written to the
    timeline. A refusal (`Refusal`) writes nothing and sends nothing."""
    with transaction.atomic():
        application = application_submit(programme=programme, data=data, actor=None, consent=True)
        application_notify(application)
    return application
