"""Import jobs: progress others can see while the import runs, and failures kept on the job."""

import pytest
from django.core.files.base import ContentFile

from registry import importers
from registry.choices import ImportStatus
from registry.importers import jobs, stores
from registry.models import ImportJob, Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory
from tests.registry.fixtures import BRN_A, BRN_B, BRN_C, STORE_HEADER, csv_bytes, store_row

ROWS = [store_row(BRN_A), store_row(BRN_B), store_row(BRN_C)]


def new_job(office, user, rows=ROWS) -> ImportJob:
    return ImportJob.objects.create(
        office=office,
        kind="stores",
        file=ContentFile(csv_bytes(STORE_HEADER, rows), name="stores.csv"),
        created_by=user,
    )


@pytest.fixture
def ready(office):
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    return office


def watch_progress(monkeypatch, job_id) -> list[int]:
    """What another connection sees of the job before each chunk of rows is written."""
    seen: list[int] = []
    write = stores._StoreWriter.write

    def spy(self, rows):
        jobs._on_own_connection(
            lambda: seen.append(
                ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job_id)
            )
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

    importers.import_job_run(job=job, progress_apart=True)

    assert seen == [0, 1, 2]
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.total_rows) == (ImportStatus.DONE, 3, 3)


@pytest.mark.django_db(transaction=True)
def test_without_its_own_connection_progress_stays_hidden_until_the_end(monkeypatch, ready, clerk):
    job = new_job(ready, clerk)
    seen = watch_progress(monkeypatch, job.pk)

    importers.import_job_run(job=job, progress_apart=False)

    assert seen == [0, 0, 0]


def test_an_unexpected_failure_ends_as_a_failed_job_with_nothing_written(monkeypatch, ready, clerk):
    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(importers.IMPORTERS, "stores", boom)
    job = new_job(ready, clerk)

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.summary
    assert job.finished_at is not None
    assert not Store.objects.exists()


def test_a_refused_job_keeps_each_problem_with_its_line(ready, clerk):
    job = new_job(ready, clerk, [store_row(BRN_A), store_row(BRN_A)])

    importers.import_job_run(job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"line": 3, "code": "duplicate_key", "message": job.errors[0]["message"]}]
    assert (job.processed_rows, job.total_rows) == (0, 0)
