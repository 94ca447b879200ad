"""The clerks' import page: upload, verdict, progress endpoint, and the office wall."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.choices import ImportStatus
from registry.models import ImportJob, Store
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, UserFactory
from tests.registry.fixtures import BRN_A, BRN_B, BRN_BAD, STORE_HEADER, csv_bytes, store_row

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


def test_a_clerk_uploads_a_stores_file_and_lands_on_the_finished_job(client, ready, clerk):
    client.force_login(clerk)

    response = post_import(client, [store_row(BRN_A), store_row(BRN_B)])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job_url(job)
    assert (job.office, job.created_by, job.status) == (ready, clerk, ImportStatus.DONE)
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
    assert job.status == ImportStatus.FAILED
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
    assert job.status == ImportStatus.FAILED  # 치평동 is not one of their dongs
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
def test_in_the_background_the_job_runs_after_the_response_and_reports_progress(
    client, settings, office
):
    from registry.roles import roles_sync

    roles_sync()
    settings.GOLMOK_IMPORT_IN_BACKGROUND = True
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    clerk = UserFactory(office=office, roles=["clerk"])
    client.force_login(clerk)

    response = post_import(client, [store_row(BRN_A), store_row(BRN_B)])

    job = ImportJob.objects.get()
    assert response.status_code == 302
    deadline = time.monotonic() + 30
    while (
        job.status in (ImportStatus.PENDING, ImportStatus.RUNNING) and time.monotonic() < deadline
    ):
        time.sleep(0.1)
        job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert (job.processed_rows, job.total_rows) == (2, 2)
    assert Store.objects.count() == 2
    assert client.get(job_url(job, "progress")).json()["finished"] is True
