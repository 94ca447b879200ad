"""The pages of long exports: each user's own jobs, a job's progress, and its file.

An export job belongs to the user who started it: only they see it, follow it and download its
file, and only while they work in the office it was made in. Anyone else asking for it finds
nothing (404). The file is served from private storage by the download view, never from a public
address. The app that owns the concrete job model registers `ExportJobAdmin` for it.
"""

from django.apps import apps
from django.contrib import admin, messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin.mixins import OfficeWallMixin, ReadOnlyMixin
from core.audit import access_log
from core.choices import AccessAction, ExportFormat, JobStatus
from core.exports import CONTENT_TYPES, export_job_check
from core.jobs import OPEN_STATUSES, job_progress


class ExportJobAdmin(OfficeWallMixin, ReadOnlyMixin, admin.ModelAdmin):
    """A user's exports made in the background: their progress and, when done, their files. A
    job records what was exported, so nobody adds, edits or removes one by hand."""

    change_form_template = "admin/core/export_job.html"
    list_display = ("created_at", "list_name", "file_format", "status", "rows", "summary")
    list_display_links = ("created_at", "list_name")
    list_filter = ("status", "file_format")
    fields = ("list_link", "file_format", "masked", "created_at", "finished_at")
    readonly_fields = fields
    object_views = (("progress", "progress_view"), ("download", "download_view"))

    # --- whose jobs ------------------------------------------------------------------------

    def get_queryset(self, request):
        return super().get_queryset(request).filter(created_by=request.user)

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        return obj is None or (obj.created_by_id == user.pk and self.in_office(request, obj))

    def own_job(self, request, object_id):
        """The user's own job in their office, or 404: anyone else's is never found."""
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job):
            raise Http404(_("No such download of yours."))
        return export_job_check(job=job)

    # --- pages -----------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        for job in self.get_queryset(request).filter(status__in=OPEN_STATUSES):
            export_job_check(job=job)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.own_job(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "job_state": self.job_state(job),
            "progress_url": self.object_url(job, "progress"),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def progress_view(self, request, object_id):
        """The job's progress as JSON, for its page to poll."""
        return JsonResponse(self.job_state(self.own_job(request, object_id)))

    def download_view(self, request, object_id):
        """The finished file, to its owner only; the download is written to the access log."""
        job = self.own_job(request, object_id)
        if job.status != JobStatus.DONE:
            self.message_user(request, _("The file is not ready yet."), messages.WARNING)
            return redirect(self.change_url(job))
        if not job.file:
            self.message_user(
                request,
                _(
                    "The file is no longer kept: exported files hold personal data and are "
                    "deleted after a few days. Download the list again."
                ),
                messages.WARNING,
            )
            return redirect(self.change_url(job))
        try:
            handle = job.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from storage.")) from missing
        access_log(
            user=request.user,
            action=AccessAction.EXPORT,
            model=_list_label(job),
            detail=_("Downloaded %(name)s") % {"name": job.file_name},
        )
        return FileResponse(
            handle,
            as_attachment=True,
            filename=job.file_name,
            content_type=CONTENT_TYPES[ExportFormat(job.file_format)],
        )

    def job_state(self, job) -> dict:
        """What the job page shows and polls."""
        done = job.status == JobStatus.DONE
        return {
            **job_progress(
                job,
                reading=_("Reading the list…"),
                not_started=_(
                    "The file has not been started yet: the background worker is busy with "
                    "other work or is not running. If it is still waiting in a few minutes, ask "
                    "the system administrator to check the worker."
                ),
            ),
            "download_url": self.object_url(job, "download") if done and job.file else "",
            "file_name": job.file_name,
        }

    # --- columns and fields ----------------------------------------------------------------

    @admin.display(description=gettext_lazy("list"))
    def list_name(self, job) -> str:
        model = _list_model(job)
        return str(model._meta.verbose_name_plural) if model else job.list_model

    @admin.display(description=gettext_lazy("list"))
    def list_link(self, job) -> str:
        model = _list_model(job)
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        except (AttributeError, NoReverseMatch):
            return self.list_name(job)
        query = f"?{job.list_query}" if job.list_query else ""
        return format_html('<a href="{}{}">{}</a>', url, query, self.list_name(job))

    @admin.display(description=gettext_lazy("rows"))
    def rows(self, job) -> str:
        return f"{job.processed_rows:,} / {job.total_rows:,}"


def _list_model(job):
    try:
        return apps.get_model(job.list_model)
    except (LookupError, ValueError):
        return None


def _list_label(job) -> str:
    model = _list_model(job)
    return model._meta.label if model else job.list_model
