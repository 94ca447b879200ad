"""Background jobs: a row the user watches, a task on the queue, and a worker that does the work.

Imports run this way now; exports and reports will too. A job is a row of a `BackgroundJob`
model (core.models); its task (for imports, `registry.importers.jobs.import_job_task`) runs in the
worker process (`manage.py db_worker`). The row moves from
pending to running to done or failed only by conditional updates, so that whichever side decides
first wins and the other learns it:

- the task claims the pending job (`job_claim`); while it works, a `Heartbeat` thread refreshes
  `heartbeat_at` and writes progress through a database connection of its own, so the user sees
  both while the work's transaction is still open;
- the task records its verdict (`job_finish`) only while the job is still running; a success is
  recorded inside the work's own transaction, so work whose job was given up meanwhile is
  rolled back rather than kept behind a "failed" job;
- the pages that show a job give up on it (`job_check`) when its worker died: running with no
  heartbeat for STALE_AFTER, or its task ended (as the task backend reports) without a verdict.
  The queue's own entry for a task still marked running is failed with it, so neither the job
  nor the queue shows "running" forever.

The clocks compared are the web servers' and the worker's; they are kept in step by the system,
and STALE_AFTER is minutes, far beyond any drift between them. Writing from a second connection
while the work's transaction is open needs a database that lets several writers in, as
PostgreSQL does.
"""

import logging
import threading
from datetime import timedelta

from django.db import DatabaseError, connections
from django.db.models import Q
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, Task, TaskResultStatus, task_backends
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from core.choices import JobStatus
from core.models import BackgroundJob

logger = logging.getLogger(__name__)

OPEN_STATUSES = (JobStatus.PENDING, JobStatus.RUNNING)
# A running job beats this often; one silent for STALE_AFTER has lost its worker.
HEARTBEAT_SECONDS = 10
STALE_AFTER = timedelta(minutes=2)
# A job still waiting after this long tells the user the worker may be busy or not running.
WAIT_HINT_AFTER = timedelta(minutes=2)
# Progress is written before the work goes on, unless the database keeps it waiting longer.
REPORT_WAIT_SECONDS = 1.0


class WorkerLost(Exception):
    """What the queue records for a task whose worker stopped before the task ended."""


def job_enqueue(*, job: BackgroundJob, task: Task) -> BackgroundJob:
    """Put the job's task on the queue and return the job as it now stands.

    The task gets the job's id and the current language, so that what it writes for the user
    reads in the user's language. The task is enqueued in the caller's transaction, if any: with
    the database backend the worker then sees the job and its task together or not at all. A
    backend that runs tasks at once (tests) has finished the job by the time this returns.
    """
    result = task.enqueue(job.pk, translation.get_language())
    _jobs(job).filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job


def job_claim(*, job: BackgroundJob) -> bool:
    """Mark a pending job running for the task about to do it; False if it is not pending.

    A job that is no longer pending was given up while it waited, or was run already: its task
    must leave it alone.
    """
    now = timezone.now()
    claimed = (
        _jobs(job)
        .filter(pk=job.pk, status=JobStatus.PENDING)
        .update(status=JobStatus.RUNNING, heartbeat_at=now)
    )
    if claimed:
        job.status, job.heartbeat_at = JobStatus.RUNNING, now
    return bool(claimed)


def job_finish(*, job: BackgroundJob, status: str, summary: str, **fields) -> bool:
    """Record a running job's verdict, with any fields of its own; False if it was given up.

    Called inside the work's transaction for a success: on False the caller raises, and the work
    is rolled back with it.
    """
    values = {"status": status, "summary": summary[:300], "finished_at": timezone.now(), **fields}
    recorded = _jobs(job).filter(pk=job.pk, status=JobStatus.RUNNING).update(**values)
    if recorded:
        for name, value in values.items():
            setattr(job, name, value)
    return bool(recorded)


def job_check(*, job: BackgroundJob, summary: str, **fields) -> BackgroundJob:
    """Give up on an open job whose worker died, and return the job as it now stands.

    Such a job is marked failed with `summary` (which tells the user what happened and what to
    do) and any fields of its own. A job that is waiting is left waiting: a worker started later
    will still run it.
    """
    if job.status not in OPEN_STATUSES:
        return job
    cutoff = timezone.now() - STALE_AFTER
    if _task_ended_or_lost(job, cutoff):
        stale = Q(status__in=OPEN_STATUSES)
    elif job.status == JobStatus.RUNNING and (job.heartbeat_at or job.created_at) < cutoff:
        stale = Q(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    else:
        return job
    verdict = {"status": JobStatus.FAILED, "summary": summary[:300], "finished_at": timezone.now()}
    given_up = _jobs(job).filter(stale, pk=job.pk).update(**verdict, **fields)
    if given_up:
        logger.warning("gave up on %s %s: its worker stopped", job._meta.label, job.pk)
        _queue_entry_fail(job)
    job.refresh_from_db()
    return job


def job_waiting_long(job: BackgroundJob) -> bool:
    """Whether the job has waited for a worker long enough to tell the user so."""
    return (
        job.status == JobStatus.PENDING
        and job.created_at is not None
        and job.created_at < timezone.now() - WAIT_HINT_AFTER
    )


def job_progress(job: BackgroundJob, *, reading: str, not_started: str) -> dict:
    """What a job's page shows and polls: status, percent, rows and summary.

    `reading` is said while the work has not counted its rows yet; `not_started` replaces the
    summary once the job has waited long for a worker.
    """
    if job.status == JobStatus.DONE:
        percent = 100
    elif job.status == JobStatus.FAILED or not job.total_rows:
        percent = 0
    else:
        percent = job.percent
    if job.status == JobStatus.FAILED:
        rows_text = ""
    elif job.status == JobStatus.PENDING:
        rows_text = _("Waiting for the background worker…")
    elif not job.total_rows and job.status != JobStatus.DONE:
        rows_text = reading
    else:
        rows_text = _("%(done)s of %(total)s rows") % {
            "done": f"{job.processed_rows:,}",
            "total": f"{job.total_rows:,}",
        }
    return {
        "id": job.pk,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "finished": job.status not in OPEN_STATUSES,
        "percent": percent,
        "rows_text": rows_text,
        "summary": job.summary or (not_started if job_waiting_long(job) else ""),
    }


def _task_ended_or_lost(job: BackgroundJob, cutoff) -> bool:
    """Whether the queue says the job's task ended, or was taken by a worker that never ran it.

    A task ends after its verdict, so an open job with an ended task lost its worker on the way
    out (a forced stop, say). Backends that keep no results (tests run tasks at once) say nothing.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not job.task_id or not backend.supports_get_result:
        return False
    try:
        result = backend.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return False
    if result.is_finished:
        return True
    return (
        job.status == JobStatus.PENDING
        and result.status == TaskResultStatus.RUNNING
        and result.started_at is not None
        and result.started_at < cutoff
    )


def _queue_entry_fail(job: BackgroundJob) -> None:
    """Fail the database queue's entry of a given-up job while it still says running.

    A worker that dies never records its task's end, so the entry would stay "running" in the
    queue (and its admin) for ever. Only the database backend keeps such entries.
    """
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if not job.task_id or not isinstance(backend, DatabaseBackend):
        return
    error = WorkerLost(f"{job._meta.label} {job.pk}: the worker running this task stopped")
    DBTaskResult.objects.filter(id=job.task_id, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {error}\n",
        return_value=None,
    )


def _jobs(job: BackgroundJob):
    return type(job)._default_manager


class Heartbeat:
    """While a job runs, keeps its heartbeat fresh and writes its progress, from a thread.

    Django's connections belong to their thread, so the thread's writes commit on their own and
    are seen while the work's transaction is still open. `report()` returns once its fields are
    written (or after REPORT_WAIT_SECONDS); a write that fails is logged and skipped, because
    progress is a courtesy to the user and must never stop the work. Use it as a context manager
    around the work.
    """

    def __init__(self, job: BackgroundJob, *, interval: float | None = None):
        self._rows = _jobs(job).filter(pk=job.pk, status=JobStatus.RUNNING)
        self._interval = HEARTBEAT_SECONDS if interval is None else interval
        self._wake = threading.Condition()
        self._fields: dict = {}
        self._asked = self._written = 0
        self._stopping = False
        self._thread = threading.Thread(
            target=self._run, name=f"heartbeat-{job._meta.model_name}-{job.pk}", daemon=True
        )

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()

    def report(self, **fields) -> None:
        """Write these fields of the job (and a heartbeat) before the work goes on."""
        with self._wake:
            self._fields.update(fields)
            self._asked += 1
            asked = self._asked
            self._wake.notify()
            self._wake.wait_for(lambda: self._written >= asked, timeout=REPORT_WAIT_SECONDS)

    def _run(self) -> None:
        try:
            while True:
                with self._wake:
                    self._wake.wait_for(
                        lambda: self._stopping or self._asked > self._written,
                        timeout=self._interval,
                    )
                    if self._stopping:
                        return
                    fields, self._fields, asked = self._fields, {}, self._asked
                self._write(fields)
                with self._wake:
                    self._written = asked
                    self._wake.notify_all()
        finally:
            connections.close_all()

    def _write(self, fields: dict) -> None:
        try:
            self._rows.update(heartbeat_at=timezone.now(), **fields)
        except DatabaseError:
            logger.warning("could not record a job's heartbeat", exc_info=True)
