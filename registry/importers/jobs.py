"""Import jobs started from the admin: queued for the worker, which records progress and verdict.

The job row is what the clerk watches (registry.jobs explains how a job moves and how one whose
worker died is given up). The import and the job's "done" are committed together, so a job the
admin gave up on never hides rows that were written after all.
"""

import logging

from django.db import transaction
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import JobStatus
from core.jobs import Heartbeat, job_check, job_claim, job_enqueue, job_finish
from registry.choices import ImportKind
from registry.models import ImportJob

from .districts import import_districts
from .results import ImportRefused
from .stores import import_stores

logger = logging.getLogger(__name__)

IMPORTERS = {ImportKind.DISTRICTS: import_districts, ImportKind.STORES: import_stores}


class _GivenUp(Exception):
    """The job stopped running before its verdict: the import must not be kept."""


@task
def import_job_task(job_id: int, language: str | None) -> str:
    """The worker's entry (`manage.py db_worker`): run the import a clerk started in the admin,
    in the clerk's language; return the job's final status. The job row, not this return value,
    is what the clerk sees."""
    with translation.override(language):
        job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
        return import_job_run(job=job).status


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Save a new import job and queue it for the worker; return it as it now stands.

    The admin answers at once and shows the job's progress while the worker runs it.
    """
    job.status = JobStatus.PENDING
    job.processed_rows = job.total_rows = 0
    job.errors = []
    job.save()
    return job_enqueue(job=job, task=import_job_task)


def import_job_run(*, job: ImportJob) -> ImportJob:
    """Run the job's importer and record its progress, verdict, errors and summary.

    This is the worker's side of the job. Bad files and unexpected failures end as a failed job,
    never as an exception. A job that is not waiting (given up, or run already) is left alone.
    """
    if not job_claim(job=job):
        logger.warning("import job %s was not waiting to run; left as %s", job.pk, job.status)
        return job
    with Heartbeat(job) as heartbeat:
        try:
            _import(job, heartbeat)
        except _GivenUp:
            logger.warning("import job %s was given up while it ran; nothing was kept", job.pk)
            job.refresh_from_db()
        except ImportRefused as exc:
            _fail(
                job,
                _("The file was refused: %(count)s problem(s). Nothing was written.")
                % {"count": len(exc.row_errors)},
                errors=[e.as_dict() for e in exc.row_errors],
            )
        # The job is the boundary: whatever went wrong, the clerk sees a failed job, not a crash.
        except Exception:
            logger.exception("import job %s failed", job.pk)
            _fail(
                job,
                _(
                    "The import stopped because of an unexpected error; nothing was written. "
                    "The error has been logged."
                ),
            )
    return job


def _import(job: ImportJob, heartbeat: Heartbeat) -> None:
    def progress(done: int, total: int) -> None:
        heartbeat.report(total_rows=total, processed_rows=min(done, total))

    with transaction.atomic(), job.file.open("rb") as stream:
        result = IMPORTERS[job.kind](
            office=job.office,
            source=stream,
            user=job.created_by,
            progress=progress,
            filename=job.file.name,
        )
        done = job_finish(
            job=job,
            status=JobStatus.DONE,
            summary=result.summary(),
            errors=[],
            total_rows=result.total,
            processed_rows=result.total,
        )
        if not done:
            raise _GivenUp


def _fail(job: ImportJob, summary: str, errors: list | None = None) -> None:
    job_finish(
        job=job,
        status=JobStatus.FAILED,
        summary=summary,
        errors=errors or [],
        total_rows=0,
        processed_rows=0,
    )


def import_job_check(*, job: ImportJob) -> ImportJob:
    """Give up on the job if its worker died (see registry.jobs); return it as it now stands."""
    return job_check(
        job=job,
        summary=_(
            "The import stopped because the background worker running it stopped; nothing was "
            "written. Upload the file again, and if it stops again, tell the system administrator."
        ),
        errors=[],
        total_rows=0,
        processed_rows=0,
    )
