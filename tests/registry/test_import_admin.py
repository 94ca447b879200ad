"""The clerks' import page: upload, verdict, progress endpoint, and the office wall."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.choices import JobStatus
from registry.models import ImportJob, Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, UserFactory
from tests.registry.fixtures import BRN_A, BRN_B, BRN_BAD, STORE_HEADER, csv_bytes, store_row
from tests.registry.test_import_jobs import DB_TASKS, run_worker

ADD_URL = reverse("admin:registry_importjob_add")
LIST_URL = reverse("admin:registry_importjob_changelist")


@pytest.fixture
def ready(office):
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    return office


def upload(name, rows):
    return SimpleUploadedFile(name, csv_bytes(STORE_HEADER, rows), content_type="text/csv")


def post_import(client, rows, name="stores.csv", **extra):
    return client.post(ADD_URL, {"kind": "stores", "file": upload(name, rows), **extra})


def job_url(job, view="change"):
    return reverse(f"admin:registry_importjob_{view}", args=[job.pk])


def running_job(office, user, **fields) -> ImportJob:
    return ImportJob.objects.create(
        office=office,
        kind="stores",
        file=upload("stores.csv", [store_row(BRN_A)]),
        created_by=user,
        status=JobStatus.RUNNING,
        processed_rows=2,
        total_rows=5,
        **fields,
    )


def test_a_clerk_uploads_a_stores_file_and_lands_on_the_finished_job(client, ready, clerk):
    client.force_login(clerk)

    response = post_import(client, [store_row(BRN_A), store_row(BRN_B)])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job_url(job)
    assert (job.office, job.created_by, job.status) == (ready, clerk, JobStatus.DONE)
    assert (job.processed_rows, job.total_rows, job.errors) == (2, 2, [])
    assert job.finished_at is not None
    assert Store.objects.filter(office=ready).count() == 2
    assert Store.history.filter(history_user=clerk).count() == 2
    page = client.get(job_url(job))
    assert page.status_code == 200
    assert job.summary in page.content.decode()
    assert 'id="import-progress"' in page.content.decode()


def test_a_refused_file_writes_nothing_and_the_job_page_lists_each_bad_line(client, ready, clerk):
    client.force_login(clerk)

    post_import(client, [store_row(BRN_A), store_row(BRN_BAD), store_row(BRN_B, dong="없는동")])

    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert [(e["line"], e["code"]) for e in job.errors] == [
        (3, "invalid_business_number"),
        (4, "unknown_dong"),
    ]
    assert Store.objects.count() == 0
    page = client.get(job_url(job)).content.decode()
    assert page.count("<li>") >= 2
    assert "220-81-62518" in page


def test_the_add_page_offers_kind_and_file_but_not_the_office(client, ready, clerk):
    client.force_login(clerk)

    form = client.get(ADD_URL).context["adminform"].form

    assert sorted(form.fields) == ["file", "kind"]


def test_a_superuser_chooses_the_office(client, ready, superuser):
    client.force_login(superuser)
    assert "office" in client.get(ADD_URL).context["adminform"].form.fields

    post_import(client, [store_row(BRN_A)], office=ready.pk)

    assert ImportJob.objects.get().office == ready
    assert Store.objects.get().office == ready


def test_a_file_of_another_kind_is_refused_by_the_form(client, ready, clerk):
    client.force_login(clerk)

    response = client.post(
        ADD_URL,
        {"kind": "stores", "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4", "application/pdf")},
    )

    assert response.status_code == 200
    assert "file" in response.context["adminform"].form.errors
    assert not ImportJob.objects.exists()


def test_staff_without_the_import_permission_cannot_import(client, ready):
    supervisor = UserFactory(office=ready, roles=["supervisor"])
    client.force_login(supervisor)

    assert client.get(ADD_URL).status_code == 403
    assert post_import(client, [store_row(BRN_A)]).status_code == 403
    assert not Store.objects.exists()


def test_jobs_are_read_only_records(client, ready, clerk):
    client.force_login(clerk)
    post_import(client, [store_row(BRN_A)])
    job = ImportJob.objects.get()

    client.post(job_url(job), {"kind": "districts"})

    job.refresh_from_db()
    assert job.kind == "stores"


def test_the_progress_endpoint_reports_status_rows_and_problems(client, ready, clerk):
    client.force_login(clerk)
    post_import(client, [store_row(BRN_A), store_row(BRN_BAD)])
    job = ImportJob.objects.get()

    response = client.get(job_url(job, "progress"))

    assert response.status_code == 200
    state = response.json()
    assert state["status"] == "failed"
    assert state["finished"] is True
    assert [(e["line"], e["code"]) for e in state["errors"]] == [(3, "invalid_business_number")]
    assert all(e["text"] for e in state["errors"])
    assert set(state) >= {"processed_rows", "total_rows", "percent", "summary", "status_label"}


def test_the_progress_endpoint_is_cheap(client, ready, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    post_import(client, [store_row(BRN_A)])
    job = ImportJob.objects.get()

    with django_assert_max_num_queries(6):
        assert client.get(job_url(job, "progress")).status_code == 200


def test_another_offices_clerk_sees_nothing_of_the_job(client, ready, clerk, other_office):
    client.force_login(clerk)
    post_import(client, [store_row(BRN_A)])
    job = ImportJob.objects.get()
    outsider = UserFactory(office=other_office, roles=["clerk"])
    client.force_login(outsider)

    listing = client.get(LIST_URL)
    assert listing.status_code == 200
    assert list(listing.context["cl"].result_list) == []
    assert client.get(job_url(job)).status_code in (302, 404)
    assert client.get(job_url(job, "progress")).status_code == 404


def test_an_outsiders_upload_goes_to_their_own_office(client, ready, other_office):
    outsider = UserFactory(office=other_office, roles=["clerk"])
    client.force_login(outsider)

    post_import(client, [store_row(BRN_A)])

    job = ImportJob.objects.get()
    assert job.office == other_office
    assert job.status == JobStatus.FAILED  # 치평동 is not one of their dongs
    assert not Store.objects.exists()


def test_the_list_shows_rows_and_problem_counts(client, ready, clerk):
    client.force_login(clerk)
    post_import(client, [store_row(BRN_A), store_row(BRN_B)])
    post_import(client, [store_row(BRN_BAD)])

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    page = response.content.decode()
    assert "2 / 2" in page


@pytest.mark.django_db(transaction=True)
def test_the_job_waits_for_the_worker_and_its_page_reports_it_done(client, settings, office):
    from registry.roles import roles_sync

    roles_sync()
    settings.TASKS = DB_TASKS
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    clerk = UserFactory(office=office, roles=["clerk"])
    client.force_login(clerk)

    response = post_import(client, [store_row(BRN_A), store_row(BRN_B)])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    waiting = client.get(job_url(job, "progress")).json()
    assert (waiting["status"], waiting["finished"]) == ("pending", False)
    assert waiting["rows_text"] == "백그라운드 작업 프로세스를 기다리는 중입니다…"
    assert not Store.objects.exists()

    run_worker()

    done = client.get(job_url(job, "progress")).json()
    assert (done["status"], done["finished"]) == ("done", True)
    assert (done["processed_rows"], done["total_rows"], done["percent"]) == (2, 2, 100)
    assert Store.objects.count() == 2


def test_a_job_whose_worker_died_shows_as_failed_with_what_to_do(client, ready, clerk):
    client.force_login(clerk)
    job = running_job(ready, clerk, heartbeat_at=timezone.now() - timedelta(hours=1))

    state = client.get(job_url(job, "progress")).json()

    assert (state["status"], state["finished"], state["percent"]) == ("failed", True, 0)
    assert state["status_label"] == "실패"
    assert "파일을 다시 올려 주십시오" in state["summary"]
    assert "시스템 관리자" in state["summary"]
    assert "파일을 다시 올려 주십시오" in client.get(job_url(job)).content.decode()


def test_a_running_job_with_a_fresh_heartbeat_still_shows_its_progress(client, ready, clerk):
    client.force_login(clerk)
    job = running_job(ready, clerk, heartbeat_at=timezone.now())

    state = client.get(job_url(job, "progress")).json()

    assert (state["status"], state["finished"], state["percent"]) == ("running", False, 40)
    assert state["summary"] == ""


def test_the_list_gives_up_on_jobs_whose_worker_died(client, ready, clerk):
    client.force_login(clerk)
    dead = running_job(ready, clerk, heartbeat_at=timezone.now() - timedelta(hours=1))
    alive = running_job(ready, clerk, heartbeat_at=timezone.now())

    assert client.get(LIST_URL).status_code == 200

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, alive.status) == (JobStatus.FAILED, JobStatus.RUNNING)


def test_a_job_waiting_long_for_the_worker_says_what_to_ask_for(client, ready, clerk):
    client.force_login(clerk)
    job = ImportJob.objects.create(
        office=ready, kind="stores", file=upload("stores.csv", [store_row(BRN_A)]), created_by=clerk
    )
    assert client.get(job_url(job, "progress")).json()["summary"] == ""
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))

    state = client.get(job_url(job, "progress")).json()

    assert (state["status"], state["finished"]) == ("pending", False)
    assert "시스템 관리자에게 작업 프로세스를 확인해 달라고 요청하십시오" in state["summary"]
