from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ListExportJob


class ExportJob(ListExportJob):
    """A long admin list a user is taking away, made by the worker (core.exports.jobs).

    It sits beside users and offices because it belongs to one user in one office: the file is
    served only to that user, and only while they work in that office. Lists of every app
    (districts, stores, payments, hotline cases) are exported through it.
    """

    office = models.ForeignKey(
        "registry.Office",
        verbose_name=_("office"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta(ListExportJob.Meta):
        verbose_name = _("list download")
        verbose_name_plural = _("list downloads")

    def __str__(self) -> str:
        started = timezone.localtime(self.created_at) if self.created_at else None
        label = self.get_file_format_display()
        return f"{label} {started:%Y-%m-%d %H:%M}" if started else str(label)
