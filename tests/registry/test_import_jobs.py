"""Import jobs: run by the worker, progress others see while it runs, verdicts kept on the job,
and a job whose worker died given up in words that tell the clerk what to do."""

import signal
import threading
import time
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.choices import JobStatus
from registry import importers
from registry.importers import stores
from registry.importers.jobs import import_job_task
from registry.models import ImportJob, Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory
from tests.registry.fixtures import BRN_A, BRN_B, BRN_C, STORE_HEADER, csv_bytes, store_row

ROWS = [store_row(BRN_A), store_row(BRN_B), store_row(BRN_C)]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_STOPPED = "작업 프로세스가 멈추어"
LONG_AGO = timedelta(hours=1)


def new_job(office, user, rows=ROWS, **fields) -> ImportJob:
    return ImportJob.objects.create(
        office=office,
        kind="stores",
        file=ContentFile(csv_bytes(STORE_HEADER, rows), name="stores.csv"),
        created_by=user,
        **fields,
    )


def apart(work):
    """Run `work` on a connection of its own, as another process would, and return its result."""
    results = []

    def run():
        try:
            results.append(work())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return results[0]


def run_worker() -> None:
    """One pass of the real worker over the queue, in this process; it stops once it is empty."""
    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {number: signal.getsignal(number) for number in stops}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@pytest.fixture
def ready(office):
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    return office


# --- The worker ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_a_queued_job_and_its_records_are_imported(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = ImportJob(office=ready, kind="stores", created_by=clerk)
    job.file = ContentFile(csv_bytes(STORE_HEADER, ROWS), name="stores.csv")

    importers.import_job_start(job=job)

    assert job.status == JobStatus.PENDING
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    assert not Store.objects.exists()

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == (JobStatus.DONE, 3, 3)
    assert job.finished_at is not None
    assert Store.objects.filter(office=ready).count() == 3
    assert Store.history.filter(history_user=clerk).count() == 3
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_the_clerks_language(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = new_job(ready, clerk, [store_row(BRN_A), store_row(BRN_A)])
    import_job_task.enqueue(job.pk, "en")

    run_worker()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.summary.startswith("The file was refused")
    assert "appears twice" in job.errors[0]["message"]


def test_a_job_runs_once_even_if_its_task_is_delivered_twice(ready, clerk):
    job = new_job(ready, clerk)
    importers.import_job_run(job=job)
    finished_at = job.finished_at

    again = importers.import_job_run(job=ImportJob.objects.get(pk=job.pk))

    assert (again.status, again.finished_at) == (JobStatus.DONE, finished_at)
    assert Store.objects.count() == 3


# --- Progress ------------------------------------------------------------------------------


def watch_progress(monkeypatch, job_id) -> list[int]:
    """What another connection sees of the job before each chunk of rows is written."""
    seen: list[int] = []
    write = stores._StoreWriter.write

    def spy(self, rows):
        seen.append(
            apart(lambda: ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job_id))
        )
        write(self, rows)

    monkeypatch.setattr(stores, "BATCH_SIZE", 1)
    monkeypatch.setattr(stores._StoreWriter, "write", spy)
    return seen


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_other_connections_while_the_import_is_open(
    monkeypatch, ready, clerk
):
    job = new_job(ready, clerk)
    seen = watch_progress(monkeypatch, job.pk)

    importers.import_job_run(job=job)

    assert seen == [0, 1, 2]
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == (JobStatus.DONE, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_while_a_job_runs_and_stops_with_it(ready, clerk):
    job = new_job(ready, clerk, status=JobStatus.RUNNING, heartbeat_at=timezone.now() - LONG_AGO)

    def heartbeat_at():
        return apart(lambda: ImportJob.objects.values_list("heartbeat_at", flat=True).get())

    with jobs.Heartbeat(job, interval=0.05):
        deadline = time.monotonic() + 10
        while heartbeat_at() < timezone.now() - timedelta(seconds=5):
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.05)
    stopped = heartbeat_at()
    time.sleep(0.2)

    assert heartbeat_at() == stopped


# --- Verdicts ------------------------------------------------------------------------------


def test_an_unexpected_failure_ends_as_a_failed_job_with_nothing_written(monkeypatch, ready, clerk):
    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(importers.IMPORTERS, "stores", boom)
    job = new_job(ready, clerk)

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.summary
    assert job.finished_at is not None
    assert not Store.objects.exists()


def test_a_refused_job_keeps_each_problem_with_its_line(ready, clerk):
    job = new_job(ready, clerk, [store_row(BRN_A), store_row(BRN_A)])

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.errors == [{"line": 3, "code": "duplicate_key", "message": job.errors[0]["message"]}]
    assert (job.processed_rows, job.total_rows) == (0, 0)


# --- A worker that died --------------------------------------------------------------------


def test_a_running_job_whose_heartbeat_stopped_is_failed_with_what_to_do(ready, clerk):
    stale = timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    job = new_job(
        ready, clerk, status=JobStatus.RUNNING, heartbeat_at=stale, processed_rows=1, total_rows=3
    )

    importers.import_job_check(job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert WORKER_STOPPED in job.summary
    assert "파일을 다시 올려 주십시오" in job.summary
    assert (job.processed_rows, job.total_rows, job.errors) == (0, 0, [])
    assert job.finished_at is not None


def test_the_queue_entry_of_a_job_whose_worker_died_is_failed_too(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    stale = timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    job = new_job(ready, clerk, status=JobStatus.RUNNING, heartbeat_at=stale)
    result = import_job_task.enqueue(job.pk, "ko")
    DBTaskResult.objects.filter(id=result.id).update(status="RUNNING", started_at=stale)
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    entry = DBTaskResult.objects.get(id=result.id)
    assert (entry.status, entry.exception_class_path) == ("FAILED", "core.jobs.WorkerLost")
    assert entry.finished_at is not None
    assert import_job_task.get_result(result.id).status == "FAILED"


def test_a_queue_entry_that_ended_keeps_its_own_verdict(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = new_job(ready, clerk, status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    result = import_job_task.enqueue(job.pk, "ko")
    DBTaskResult.objects.get(id=result.id).set_failed(SystemExit(1))
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert DBTaskResult.objects.get(id=result.id).exception_class_path == "builtins.SystemExit"


def test_a_running_job_with_a_recent_heartbeat_is_left_running(ready, clerk):
    recent = timezone.now() - jobs.STALE_AFTER + timedelta(seconds=30)
    job = new_job(ready, clerk, status=JobStatus.RUNNING, heartbeat_at=recent)

    importers.import_job_check(job=job)

    job.refresh_from_db()
    assert (job.status, job.summary) == (JobStatus.RUNNING, "")


def test_a_waiting_job_stays_waiting_however_long_it_waits(ready, clerk):
    job = new_job(ready, clerk)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - LONG_AGO)

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert job.status == JobStatus.PENDING
    assert jobs.job_waiting_long(job)


def test_a_job_whose_task_ended_without_a_verdict_is_failed_at_once(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = new_job(ready, clerk, status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    result = import_job_task.enqueue(job.pk, "ko")
    # A forced stop: the worker's SystemExit ends the task after the job's own handler.
    DBTaskResult.objects.get(id=result.id).set_failed(SystemExit(1))
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert WORKER_STOPPED in job.summary


def test_a_waiting_job_taken_by_a_worker_that_died_is_failed(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = new_job(ready, clerk)
    result = import_job_task.enqueue(job.pk, "ko")
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING", started_at=timezone.now() - LONG_AGO
    )
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED


def test_a_waiting_job_whose_task_waits_too_is_left_waiting(settings, ready, clerk):
    settings.TASKS = DB_TASKS
    job = new_job(ready, clerk)
    result = import_job_task.enqueue(job.pk, "ko")
    ImportJob.objects.filter(pk=job.pk).update(
        task_id=result.id, created_at=timezone.now() - LONG_AGO
    )

    importers.import_job_check(job=ImportJob.objects.get(pk=job.pk))

    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_an_import_given_up_while_it_ran_is_rolled_back(monkeypatch, ready, clerk):
    job = new_job(ready, clerk)
    write = stores._StoreWriter.write

    def give_up_then_write(self, rows):
        # The clerk's page, on another connection, decides the worker has died.
        apart(
            lambda: ImportJob.objects.filter(pk=job.pk).update(
                heartbeat_at=timezone.now() - LONG_AGO
            )
        )
        apart(lambda: importers.import_job_check(job=ImportJob.objects.get(pk=job.pk)))
        write(self, rows)

    monkeypatch.setattr(stores._StoreWriter, "write", give_up_then_write)

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert WORKER_STOPPED in job.summary
    assert not Store.objects.exists()


def test_a_job_given_up_before_its_worker_started_is_not_run(ready, clerk):
    job = new_job(ready, clerk, status=JobStatus.FAILED, summary="given up")

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert (job.status, job.summary) == (JobStatus.FAILED, "given up")
    assert not Store.objects.exists()
