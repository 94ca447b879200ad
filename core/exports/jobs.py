"""Long exports as background jobs: the worker writes the file, the user watches and downloads.

A list longer than `settings.EXPORT_ROWS_AT_ONCE` is not written inside the web request: a job
row (`EXPORT_JOB_MODEL`, built on core.models.ListExportJob) records which list with which
filters, and the worker (`manage.py db_worker`) writes the file while the user watches its
progress. The job moves as every background job does (core.jobs): the file, its access-log rows
and the job's "done" are committed together, and a job whose worker died is given up.

The job's rows are found again by whoever queued the task (`source`): the admin rebuilds its
change list from the saved query string, so the file holds what the page showed.
"""

import logging
import secrets
import tempfile
from collections.abc import Callable
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from core.actors import Actor
from core.choices import JobStatus
from core.exports.columns import ExportSpec
from core.exports.writing import export_file_name, export_write
from core.jobs import Heartbeat, job_check, job_claim, job_finish
from core.models import ListExportJob

logger = logging.getLogger(__name__)


class ExportRefused(Exception):
    """The list cannot be exported for this job (its user may no longer read it, say); the
    message tells the user why."""


class _GivenUp(Exception):
    """The job stopped running before its verdict: its file and log rows must not be kept."""


# What a job's rows are: the columns, the list's queryset, and the list's name (for the file).
ExportSource = Callable[[ListExportJob], tuple[ExportSpec, QuerySet, str]]


def export_job_model() -> type[ListExportJob]:
    return apps.get_model(settings.EXPORT_JOB_MODEL, require_ready=True)


def export_rows_at_once() -> int:
    """Lists up to this many rows are downloaded at once; longer ones become a job."""
    return settings.EXPORT_ROWS_AT_ONCE


def export_job_create(
    *, user: Actor, list_model: str, list_query: str, file_format: str
) -> ListExportJob:
    """A new, waiting export job of the user's, in the user's office."""
    return export_job_model().objects.create(
        created_by=user,
        office_id=getattr(user, "office_id", None),
        list_model=list_model,
        list_query=list_query,
        file_format=file_format,
        status=JobStatus.PENDING,
    )


def export_job_run(*, job: ListExportJob, source: ExportSource) -> ListExportJob:
    """Write the job's file and record its progress and verdict; the worker's side of the job.

    A refused list or an unexpected failure ends as a failed job, never as an exception. A job
    that is not waiting (given up, or run already) is left alone.
    """
    if not job_claim(job=job):
        logger.warning("export job %s was not waiting to run; left as %s", job.pk, job.status)
        return job
    with Heartbeat(job) as heartbeat:
        try:
            _export(job, source, heartbeat)
        except _GivenUp:
            logger.warning("export job %s was given up while it ran; nothing was kept", job.pk)
            job.refresh_from_db()
        except ExportRefused as refused:
            _fail(job, str(refused))
        # The job is the boundary: whatever went wrong, the user sees a failed job, not a crash.
        except Exception:
            logger.exception("export job %s failed", job.pk)
            _fail(
                job,
                gettext(
                    "The file could not be made because of an unexpected error. The error has "
                    "been logged; try again, and if it fails again, tell the system administrator."
                ),
            )
    return job


def _export(job: ListExportJob, source: ExportSource, heartbeat: Heartbeat) -> None:
    spec, queryset, title = source(job)
    total = queryset.count()
    heartbeat.report(total_rows=total, processed_rows=0)

    def progress(written: int) -> None:
        heartbeat.report(processed_rows=min(written, total))

    stored = ""
    try:
        with tempfile.TemporaryFile() as scratch, transaction.atomic():
            outcome = export_write(
                spec=spec,
                queryset=queryset,
                user=job.created_by,
                file_format=job.file_format,
                stream=scratch,
                title=title,
                progress=progress,
            )
            scratch.seek(0)
            job.file.save(f"{secrets.token_hex(16)}.{job.file_format}", File(scratch), save=False)
            stored = job.file.name
            finished = job_finish(
                job=job,
                status=JobStatus.DONE,
                summary=_done_summary(outcome.rows, masked=outcome.masked),
                file=stored,
                file_name=export_file_name(title, job.file_format),
                total_rows=outcome.rows,
                processed_rows=outcome.rows,
                masked=outcome.masked,
            )
            if not finished:
                raise _GivenUp
    except BaseException:
        # The job's row does not name a file whose transaction was rolled back: remove it.
        if stored:
            job.file.storage.delete(stored)
        raise


def _done_summary(rows: int, *, masked: bool) -> str:
    if masked:
        text = gettext("%(rows)s rows written; personal data is masked for your role.")
    else:
        text = gettext("%(rows)s rows written; personal data is shown unmasked.")
    return text % {"rows": f"{rows:,}"}


def _fail(job: ListExportJob, summary: str) -> None:
    job_finish(job=job, status=JobStatus.FAILED, summary=summary, total_rows=0, processed_rows=0)


def export_job_check(*, job: ListExportJob) -> ListExportJob:
    """Give up on the job if its worker died (see core.jobs); return it as it now stands."""
    return job_check(
        job=job,
        summary=gettext(
            "The file was not made because the background worker making it stopped. Download "
            "the list again, and if it stops again, tell the system administrator."
        ),
        total_rows=0,
        processed_rows=0,
    )


def export_files_prune(*, older_than: timedelta) -> int:
    """Delete the files of exports finished longer ago than `older_than`; return how many.

    Exported lists hold personal data: they are kept only as long as people need to download
    them. The jobs stay, as the record of what was exported (the access log has every row).
    """
    cutoff = timezone.now() - older_than
    jobs = export_job_model().objects.filter(finished_at__lt=cutoff).exclude(file="")
    pruned = 0
    for job in jobs.iterator():
        job.file.storage.delete(job.file.name)
        type(job).objects.filter(pk=job.pk).update(file="")
        pruned += 1
    return pruned
