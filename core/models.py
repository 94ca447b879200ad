"""Abstract models every app may build on; the kernel itself has no tables."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ExportFormat, JobStatus, choices_check
from core.storage import export_storage


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


class ListExportJob(BackgroundJob):
    """A long admin list a user asked to take away, written to a file by the worker.

    `list_model` and `list_query` name the list and its filters, search and ordering exactly as
    the user saw them (the change list's query string), so the worker writes the same rows. The
    file is kept in private storage and handed only to `created_by`; `masked` says whether the
    personal data in it was masked for the user's role. The concrete model adds the user's
    office (core.exports reaches it through `EXPORT_JOB_MODEL`).
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    list_model = models.CharField(_("list"), max_length=100)
    list_query = models.TextField(_("filters"), blank=True)
    file_format = models.CharField(_("file format"), max_length=4, choices=ExportFormat.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows written"), default=0)
    masked = models.BooleanField(_("personal data masked"), default=True)
    file = models.FileField(
        _("file"), storage=export_storage, upload_to="exports/%Y/%m/", max_length=255, blank=True
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)

    class Meta(BackgroundJob.Meta):
        abstract = True
        constraints = [
            *BackgroundJob.Meta.constraints,
            choices_check(
                "file_format",
                ExportFormat,
                "%(app_label)s_%(class)s_file_format_valid",
                _("Choose Excel (XLSX) or CSV."),
            ),
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="%(app_label)s_%(class)s_progress_within_total",
                violation_error_message=_("Progress cannot exceed the number of rows."),
            ),
        ]

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.processed_rows * 100 // self.total_rows
