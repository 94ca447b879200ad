"""Vocabulary every app shares: the access-log actions, and the constraint that keeps a column
to the values of its choices."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessAction(models.TextChoices):
    VIEW = "view", _("View")
    ADD = "add", _("Add")
    CHANGE = "change", _("Change")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    # Sign-in events (SPEC 8), kept with the accesses to personal data.
    LOGIN = "login", _("Sign-in")
    LOGOUT = "logout", _("Sign-out")
    LOGIN_FAILED = "login_failed", _("Failed sign-in")
    LOCKED_OUT = "locked_out", _("Sign-in locked")


# The access log's sign-in events (SPEC 8); every other action is an access to a record.
SIGN_IN_ACTIONS = (
    AccessAction.LOGIN,
    AccessAction.LOGOUT,
    AccessAction.LOGIN_FAILED,
    AccessAction.LOCKED_OUT,
)


class JobStatus(models.TextChoices):
    """Where a background job stands: waiting for a worker, running, or decided for good."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ExportFormat(models.TextChoices):
    """The files a list can be taken away in; the value is the file's extension."""

    XLSX = "xlsx", _("Excel (XLSX)")
    CSV = "csv", "CSV"


def choices_check(
    field: str, choices: type[models.TextChoices], name: str, message: str
) -> models.CheckConstraint:
    """A named constraint that the column holds only the values of its TextChoices."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": choices.values}),
        name=name,
        violation_error_message=message,
    )
