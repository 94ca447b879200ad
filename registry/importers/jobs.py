"""Import jobs started from the admin: the job records the run's progress and its verdict."""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registry.choices import ImportKind, ImportStatus
from registry.models import ImportJob

from .districts import import_districts
from .results import ImportRefused
from .stores import import_stores

logger = logging.getLogger(__name__)

IMPORTERS = {ImportKind.DISTRICTS: import_districts, ImportKind.STORES: import_stores}

_JOB_VERDICT_FIELDS = ("status", "errors", "summary", "total_rows", "processed_rows", "finished_at")


def import_job_start(*, job: ImportJob) -> ImportJob:
    """Save a new import job and run it: in a background thread, or at once in tests.

    With settings.GOLMOK_IMPORT_IN_BACKGROUND the thread starts once the job row is committed,
    so the admin can answer at once and show the job's progress while it runs.
    """
    job.status = ImportStatus.PENDING
    job.processed_rows = job.total_rows = 0
    job.errors = []
    job.save()
    if not settings.GOLMOK_IMPORT_IN_BACKGROUND:
        return import_job_run(job=job)
    language = translation.get_language()
    transaction.on_commit(
        lambda: threading.Thread(
            target=_run_in_background,
            args=(job.pk, language),
            name=f"import-job-{job.pk}",
            daemon=True,
        ).start()
    )
    return job


def _run_in_background(job_id: int, language: str) -> None:
    try:
        with translation.override(language):
            job = ImportJob.objects.select_related("office", "created_by").get(pk=job_id)
            # SQLite lets one writer in at a time: progress from a second connection would wait
            # for the import itself, so there the job shows its progress only at the end.
            import_job_run(job=job, progress_apart=connection.vendor != "sqlite")
    finally:
        connections.close_all()


def import_job_run(*, job: ImportJob, progress_apart: bool = False) -> ImportJob:
    """Run the job's importer and record its progress, verdict, errors and summary.

    Bad files and unexpected failures end as a failed job, never as an exception. With
    `progress_apart` the progress is written through a connection of its own, so that others
    see it while the import's transaction is still open.
    """
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    job.status = ImportStatus.RUNNING

    def progress(done: int, total: int) -> None:
        update = _progress_update(job.pk, done, total)
        if progress_apart:
            _on_own_connection(update)
        else:
            update()

    try:
        with job.file.open("rb") as stream:
            result = IMPORTERS[job.kind](
                office=job.office,
                source=stream,
                user=job.created_by,
                progress=progress,
                filename=job.file.name,
            )
    except ImportRefused as exc:
        job.status, job.errors = ImportStatus.FAILED, [e.as_dict() for e in exc.row_errors]
        job.summary = _("The file was refused: %(count)s problem(s). Nothing was written.") % {
            "count": len(exc.row_errors)
        }
    # The job is the boundary: whatever went wrong, the clerk sees a failed job, not a crash.
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status, job.errors = ImportStatus.FAILED, []
        job.summary = _(
            "The import stopped because of an unexpected error; nothing was written. The error "
            "has been logged."
        )
    else:
        job.status, job.summary = ImportStatus.DONE, result.summary()[:300]
        job.total_rows = job.processed_rows = result.total
    job.finished_at = timezone.now()
    if job.status == ImportStatus.FAILED:
        job.processed_rows = job.total_rows = 0
    job.save(update_fields=[*_JOB_VERDICT_FIELDS])
    return job


def _progress_update(job_id: int, done: int, total: int) -> Callable[[], None]:
    def update() -> None:
        ImportJob.objects.filter(pk=job_id).update(
            total_rows=total, processed_rows=min(done, total)
        )

    return update


def _on_own_connection(work: Callable[[], None]) -> None:
    """Run `work` on a fresh connection (Django's are per thread) and wait for it."""

    def run() -> None:
        try:
            work()
        except DatabaseError:
            # Progress is a courtesy to the watching clerk; it must never stop the import.
            logger.warning("could not record import progress", exc_info=True)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="import-progress")
    thread.start()
    thread.join()
