"""Every clerk's list can be taken away: two download links on each change list.

`ExportMixin` gives a ModelAdmin the links ("download as Excel (XLSX)", "download as CSV") and
the view behind them. The file holds exactly the rows the list shows now: the same change list
is built from the same query string (filters, search, ordering), all its pages, with the columns
the admin declares in `export_spec` (core.exports). A list up to `EXPORT_ROWS_AT_ONCE` rows is
downloaded at once; a longer one becomes a job for the background worker, which rebuilds the
change list for the job's user from the saved query string (`export_job_task`), and the user
lands on the job's page (core.admin.export_jobs).
"""

import io

from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote
from django.contrib.messages.storage.base import BaseStorage
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.tasks import task
from django.urls import path, reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import ExportFormat, JobStatus
from core.exports import (
    CONTENT_TYPES,
    ExportRefused,
    ExportSpec,
    export_file_name,
    export_job_create,
    export_job_model,
    export_job_run,
    export_rows_at_once,
    export_write,
)
from core.jobs import job_enqueue

EXPORT_LINK_LABELS = {
    ExportFormat.XLSX: gettext_lazy("Download as Excel (XLSX)"),
    ExportFormat.CSV: gettext_lazy("Download as CSV"),
}


class ExportMixin:
    """Download links on a change list for what it shows; `export_spec` names the columns."""

    export_spec: ExportSpec | None = None
    change_list_template = "admin/core/change_list.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        export = path(
            "export/<slug:file_format>/",
            self.admin_site.admin_view(self.export_view),
            name="{}_{}_export".format(*info),
        )
        return [export, *super().get_urls()]

    def export_links(self, request) -> list[dict]:
        if self.export_spec is None or not self.has_view_or_change_permission(request):
            return []
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        return [
            {
                "format": file_format.value,
                "label": EXPORT_LINK_LABELS[file_format],
                "url": reverse("{}:{}_{}_export".format(*info), args=[file_format.value]),
            }
            for file_format in ExportFormat
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_links": self.export_links(request)}
        return super().changelist_view(request, extra_context)

    def export_view(self, request, file_format: str):
        """The list as a file now, or as a job when it is long; the query string is the list's."""
        if self.export_spec is None or file_format not in ExportFormat.values:
            raise Http404(_("This list cannot be downloaded in that format."))
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            self.message_user(
                request,
                _("The list's filters were not understood. Choose them again and download."),
                messages.ERROR,
            )
            return redirect(self.changelist_url())
        if changelist.result_count <= export_rows_at_once():
            return export_response(
                spec=self.export_spec,
                queryset=changelist.queryset,
                user=request.user,
                file_format=file_format,
                title=str(self.opts.verbose_name_plural),
            )
        job = export_job_start(
            user=request.user,
            list_model=self.opts.label_lower,
            list_query=request.GET.urlencode(),
            file_format=file_format,
        )
        if job.status == JobStatus.FAILED:
            self.message_user(request, job.summary, messages.ERROR)
        elif job.status != JobStatus.DONE:
            self.message_user(
                request,
                _(
                    "The list is long, so the file is being made in the background. This page "
                    "shows its progress; the download button appears when it is ready."
                ),
                messages.INFO,
            )
        return redirect(export_job_url(job, self.admin_site.name))

    def changelist_url(self) -> str:
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        return reverse("{}:{}_{}_changelist".format(*info))


def export_response(
    *, spec: ExportSpec, queryset: QuerySet, user, file_format: str, title: str
) -> HttpResponse:
    """The file as an attachment, written now (the list is short enough to wait for)."""
    buffer = io.BytesIO()
    export_write(
        spec=spec,
        queryset=queryset,
        user=user,
        file_format=file_format,
        stream=buffer,
        title=title,
    )
    response = HttpResponse(buffer.getvalue(), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = content_disposition_header(
        True, export_file_name(title, file_format)
    )
    return response


def export_job_url(job, site_name: str = "admin") -> str:
    info = site_name, job._meta.app_label, job._meta.model_name
    return reverse("{}:{}_{}_change".format(*info), args=[quote(job.pk)])


# --- the worker's side --------------------------------------------------------------------------


def export_job_start(*, user, list_model: str, list_query: str, file_format: str):
    """Save a new export job and queue it for the worker; return it as it now stands."""
    job = export_job_create(
        user=user, list_model=list_model, list_query=list_query, file_format=file_format
    )
    return job_enqueue(job=job, task=export_job_task)


@task
def export_job_task(job_id: int, language: str | None) -> str:
    """The worker's entry (`manage.py db_worker`): write the file of a long list, in the user's
    language; return the job's final status. The job row is what the user sees."""
    with translation.override(language):
        job = export_job_model().objects.select_related("created_by").get(pk=job_id)
        return export_job_run(job=job, source=changelist_source).status


def changelist_source(job) -> tuple[ExportSpec, QuerySet, str]:
    """The job's list, rebuilt as its change list for the job's user from the saved query string.

    The user's permissions are checked again: someone whose role changed meanwhile gets nothing.
    """
    try:
        model = apps.get_model(job.list_model)
        model_admin = admin.site.get_model_admin(model)
    except (LookupError, NotRegistered) as gone:
        raise ExportRefused(_("This list can no longer be downloaded.")) from gone
    request = list_request(job.created_by, job.list_query)
    spec = getattr(model_admin, "export_spec", None)
    if spec is None or not model_admin.has_view_or_change_permission(request):
        raise ExportRefused(_("You may no longer read this list, so it was not exported."))
    try:
        changelist = model_admin.get_changelist_instance(request)
    except IncorrectLookupParameters as wrong:
        raise ExportRefused(
            _("The list's filters were not understood. Choose them again and download.")
        ) from wrong
    return spec, changelist.queryset, str(model._meta.verbose_name_plural)


class _NoMessages(BaseStorage):
    """Messages a change list sends while the worker rebuilds it go nowhere: nobody reads them."""

    def _get(self, *args, **kwargs):
        return [], True

    def _store(self, messages, response, *args, **kwargs):
        return []


def list_request(user, query: str) -> HttpRequest:
    """A GET of a change list by `user` with `query`, as the worker replays it."""
    request = HttpRequest()
    request.method = "GET"
    request.user = user
    request.GET = QueryDict(query)
    request.META["QUERY_STRING"] = query
    request._messages = _NoMessages(request)
    return request
