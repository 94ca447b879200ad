from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import choices_check
from core.models import BackgroundJob
from registry.choices import ImportKind


class ImportJob(BackgroundJob):
    """A bulk import started from the admin, with its progress and its verdict (SPEC 2.6).

    The file is validated whole before anything is written; `errors` holds each bad row's line
    number and reason when it is refused. The worker runs it as a task (registry.importers.jobs).
    """

    office = models.ForeignKey(
        "registry.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        constraints = [
            *BackgroundJob.Meta.constraints,
            choices_check(
                "kind",
                ImportKind,
                "%(app_label)s_%(class)s_kind_valid",
                _("Choose districts or stores."),
            ),
            models.CheckConstraint(
                condition=models.Q(processed_rows__lte=models.F("total_rows")),
                name="%(app_label)s_%(class)s_progress_within_total",
                violation_error_message=_("Progress cannot exceed the number of rows."),
            ),
        ]

    def __str__(self) -> str:
        started = timezone.localtime(self.created_at) if self.created_at else None
        return (
            f"{self.get_kind_display()} {started:%Y-%m-%d %H:%M}"
            if started
            else str(self.get_kind_display())
        )

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.processed_rows * 100 // self.total_rows
