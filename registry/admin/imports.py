"""The clerks' import page (SPEC 2.6): upload a districts or stores file, then watch it run.

A job is a record of what happened, so it is never edited: the add page takes the kind and the
file and queues the job for the worker, the job page shows the progress (polling a small JSON view
every second while it runs) and, when the file was refused, every bad line with its reason. The
pages that show jobs give up on those whose worker died, so none stays "running" for ever.
"""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin.mixins import OfficeWallMixin
from core.choices import JobStatus
from core.jobs import OPEN_STATUSES, job_progress
from registry.importers import (
    DISTRICT_COLUMNS,
    STORE_COLUMNS,
    RowError,
    import_job_check,
    import_job_start,
)
from registry.models import ImportJob

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


class ImportJobForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ("office", "kind", "file")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].help_text = _(
                "Districts need the columns %(districts)s. Stores need the columns %(stores)s. "
                "Lists inside a cell (dongs, affiliate types) are separated by |."
            ) % {"districts": ", ".join(DISTRICT_COLUMNS), "stores": ", ".join(STORE_COLUMNS)}
        if "file" in self.fields:
            self.fields["file"].help_text = _(
                "CSV (UTF-8 or CP949/EUC-KR) or Excel .xlsx, with the column names on the first "
                "line. Nothing is written unless every row is good."
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in UPLOAD_SUFFIXES:
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="invalid_extension")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB; split it into several files.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload


@admin.register(ImportJob)
class ImportJobAdmin(OfficeWallMixin, admin.ModelAdmin):
    form = ImportJobForm
    change_form_template = "admin/registry/importjob/change_form.html"
    list_display = (
        "created_at",
        "kind",
        "status",
        "rows",
        "problem_count",
        "summary",
        "created_by",
    )
    list_filter = ("kind", "status")
    list_select_related = ("created_by", "office")
    object_views = (("progress", "progress_view"),)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return ("office", *self.list_display)
        return self.list_display

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("kind", "file")
        return ("office", "kind", "file_name", "created_by", "created_at")

    # A job records what an import did: nobody edits it afterwards.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (
            user.is_superuser or bool(getattr(user, "office_id", None))
        )

    def save_model(self, request, obj, form, change):
        obj.office = self.office_for(request, form)
        obj.created_by = request.user
        import_job_start(job=obj)

    def response_add(self, request, obj, post_url_continue=None):
        if obj.status == JobStatus.DONE:
            self.message_user(request, obj.summary, messages.SUCCESS)
        elif obj.status == JobStatus.FAILED:
            self.message_user(request, obj.summary, messages.ERROR)
        else:
            self.message_user(
                request, _("The import has started; this page shows its progress."), messages.INFO
            )
        return redirect(self.change_url(obj))

    def changelist_view(self, request, extra_context=None):
        for job in self.get_queryset(request).filter(status__in=OPEN_STATUSES):
            import_job_check(job=job)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if job is not None:
            job = import_job_check(job=job)
            extra_context["job_state"] = import_job_state(job)
            extra_context["progress_url"] = self.object_url(job, "progress")
        return super().change_view(request, object_id, form_url, extra_context)

    def progress_view(self, request, object_id):
        """The job's progress as JSON, for the job page to poll; another office's job is 404."""
        job = self.get_object(request, object_id)
        if job is None or not self.has_view_permission(request, job):
            raise Http404(_("No such import in your office."))
        return JsonResponse(import_job_state(import_job_check(job=job)))

    @admin.display(description=gettext_lazy("rows"))
    def rows(self, job: ImportJob) -> str:
        return f"{job.processed_rows:,} / {job.total_rows:,}"

    @admin.display(description=gettext_lazy("problems"))
    def problem_count(self, job: ImportJob) -> int:
        return len(job.errors or [])

    @admin.display(description=gettext_lazy("file"))
    def file_name(self, job: ImportJob) -> str:
        return Path(job.file.name).name


def import_job_state(job: ImportJob) -> dict:
    """What the job page shows and polls: status, rows, summary and each problem line."""
    return {
        **job_progress(
            job,
            reading=_("Reading and checking the file…"),
            not_started=_(
                "The import has not started yet: the background worker is busy with other work "
                "or is not running. If it is still waiting in a few minutes, ask the system "
                "administrator to check the worker."
            ),
        ),
        "processed_rows": job.processed_rows,
        "total_rows": job.total_rows,
        "errors": [
            {**error, "text": str(RowError(error["line"], error["code"], error["message"]))}
            for error in job.errors or []
        ],
    }
