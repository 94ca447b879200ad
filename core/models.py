"""Abstract models every app may build on; the kernel itself has no tables."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import JobStatus, choices_check


class BackgroundJob(models.Model):
    """Work a user started that a worker process does apart from the web request.

    The row is what the user watches: its status moves from pending to running to done or failed
    and never back, `summary` says how it ended, `task_id` names its task on the queue, and
    `heartbeat_at` is refreshed by the worker every few seconds while it runs, so that a job whose
    worker died is recognised and given up instead of running forever (see core.jobs).
    """

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(
        _("last sign of life"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]
        constraints = [
            choices_check(
                "status",
                JobStatus,
                "%(app_label)s_%(class)s_status_valid",
                _("Choose a valid status."),
            ),
        ]
