"""Long lists are exported by the background worker: the user watches the job and downloads the
file, which nobody else (another user, another office) can reach, and which is stored privately."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import jobs
from core.admin.exports import changelist_source, export_job_task
from core.choices import AccessAction, JobStatus
from core.exports import (
    Column,
    ExportSpec,
    export_detail,
    export_files_prune,
    export_job_create,
    export_job_run,
)
from core.storage import PrivateFileSystemStorage
from registry.choices import StoreStatus
from registry.exports import STORE_EXPORT
from registry.models import AccessLog, ExportJob, Store
from tests.registry.factories import StoreFactory, UserFactory
from tests.registry.test_import_jobs import DB_TASKS, run_worker
from tests.support import read_csv, read_xlsx, sheet_rows

STORES_EXPORT = reverse("admin:registry_store_export", args=["csv"])
STORES_XLSX = reverse("admin:registry_store_export", args=["xlsx"])
JOBS = reverse("admin:registry_exportjob_changelist")


def job_url(job, view="change") -> str:
    return reverse(f"admin:registry_exportjob_{view}", args=[job.pk])


@pytest.fixture
def long_lists(settings):
    """Lists of more than two rows are made in the background."""
    settings.EXPORT_ROWS_AT_ONCE = 2


@pytest.fixture
def stores(office, dong):
    made = [
        StoreFactory(office=office, dong=dong, trade_name=f"가게 {n}", representative="홍길동")
        for n in range(4)
    ]
    Store.objects.filter(pk=made[3].pk).update(status=StoreStatus.CLOSED, closed_on="2025-12-31")
    return made


def stores_job(office, user, *, query="", file_format="csv", **fields) -> ExportJob:
    job = export_job_create(
        user=user, list_model="registry.store", list_query=query, file_format=file_format
    )
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    return job


# --- the path through the admin ------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_a_long_list_becomes_a_job_and_its_page_offers_the_file(client, long_lists, clerk, stores):
    client.force_login(clerk)

    response = client.get(STORES_EXPORT, {"status__exact": "active", "o": "-1"})

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response.url == job_url(job)
    assert (job.created_by, job.office, job.list_model) == (clerk, clerk.office, "registry.store")
    assert job.list_query == "status__exact=active&o=-1"
    assert (job.status, job.processed_rows, job.total_rows, job.masked) == (
        JobStatus.DONE,
        3,
        3,
        False,
    )
    assert job.file_name.startswith("점포-") and job.file_name.endswith(".csv")
    page = client.get(job_url(job)).content.decode()
    assert job_url(job, "download") in page
    assert "3행을 기록했습니다" in page


def test_the_jobs_file_has_the_filtered_rows_in_the_lists_order(client, long_lists, clerk, stores):
    client.force_login(clerk)
    client.get(STORES_EXPORT, {"status__exact": "active", "o": "-1"})
    job = ExportJob.objects.get()

    download = client.get(job_url(job, "download"))

    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    _header, *rows = read_csv(download)
    assert [row[1] for row in rows] == ["가게 2", "가게 1", "가게 0"]
    assert {row[2] for row in rows} == {"홍길동"}


def test_the_job_logs_every_exported_store_and_each_download(client, long_lists, clerk, stores):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    job = ExportJob.objects.get()
    client.get(job_url(job, "download"))

    rows = AccessLog.objects.filter(action=AccessAction.EXPORT, user=clerk)
    per_store = rows.exclude(object_pk="")
    assert set(per_store.values_list("object_pk", flat=True)) == {str(s.pk) for s in stores}
    assert set(per_store.values_list("detail", flat=True)) == {export_detail("csv", masked=False)}
    download = rows.get(object_pk="")
    assert (download.model, download.detail) == ("registry.Store", f"{job.file_name} 파일 내려받음")


def test_a_role_without_contact_permission_gets_a_masked_file_from_the_job(
    client, long_lists, office, stores
):
    supervisor = UserFactory(office=office, roles=["supervisor"])
    client.force_login(supervisor)

    client.get(STORES_XLSX)
    job = ExportJob.objects.get()

    assert job.masked is True
    assert "개인정보는 가려져" in job.summary
    header, *rows = sheet_rows(read_xlsx(client.get(job_url(job, "download"))))
    assert {row[header.index("대표자")] for row in rows} == {"홍*동"}


def test_nobody_but_the_owner_reaches_the_job_or_its_file(
    client, long_lists, office, other_office, clerk, superuser, stores
):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    job = ExportJob.objects.get()
    colleague = UserFactory(office=office, roles=["clerk"])
    outsider = UserFactory(office=other_office, roles=["clerk"])

    for someone in (colleague, outsider, superuser):
        client.force_login(someone)
        assert client.get(job_url(job)).status_code == 404
        assert client.get(job_url(job, "progress")).status_code == 404
        assert client.get(job_url(job, "download")).status_code == 404
        assert list(client.get(JOBS).context["cl"].result_list) == []


def test_the_owner_moved_to_another_office_no_longer_reaches_the_file(
    client, long_lists, other_office, clerk, stores
):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    job = ExportJob.objects.get()
    clerk.office = other_office
    clerk.save()

    assert client.get(job_url(job, "download")).status_code == 404


def test_the_owner_sees_their_jobs_listed(client, long_lists, clerk, stores):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    client.get(STORES_XLSX)

    response = client.get(JOBS)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    assert "점포" in response.content.decode()


def test_a_short_list_never_becomes_a_job(client, clerk, stores):
    client.force_login(clerk)

    response = client.get(STORES_EXPORT)

    assert response.status_code == 200
    assert not ExportJob.objects.exists()


# --- progress ------------------------------------------------------------------------------------


def test_the_progress_endpoint_reports_rows_and_percent(client, clerk, stores):
    job = stores_job(
        clerk.office,
        clerk,
        status=JobStatus.RUNNING,
        heartbeat_at=timezone.now(),
        processed_rows=2000,
        total_rows=8000,
    )
    client.force_login(clerk)

    state = client.get(job_url(job, "progress")).json()

    assert (state["status"], state["finished"], state["percent"]) == ("running", False, 25)
    assert state["rows_text"] == "8,000행 중 2,000행"
    assert state["download_url"] == ""
    page = client.get(job_url(job)).content.decode()
    assert 'id="export-progress"' in page
    assert 'value="25"' in page


def test_a_job_waiting_long_for_a_worker_says_so(client, clerk, stores):
    job = stores_job(clerk.office, clerk)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client.force_login(clerk)

    state = client.get(job_url(job, "progress")).json()

    assert state["status"] == "pending"
    assert "아직 시작되지 않았습니다" in state["summary"]


def test_a_job_whose_worker_died_is_shown_as_failed(client, clerk, stores):
    stale = timezone.now() - jobs.STALE_AFTER - timedelta(seconds=1)
    job = stores_job(
        clerk.office, clerk, status=JobStatus.RUNNING, heartbeat_at=stale, total_rows=9
    )
    client.force_login(clerk)

    state = client.get(job_url(job, "progress")).json()

    assert (state["status"], state["finished"]) == ("failed", True)
    assert "작업 프로세스가 멈추어" in state["summary"]
    assert client.get(job_url(job, "download")).status_code == 302


# --- the worker's side ---------------------------------------------------------------------------


def test_a_job_is_run_once_even_if_its_task_is_delivered_twice(clerk, stores):
    job = stores_job(clerk.office, clerk)
    export_job_run(job=job, source=changelist_source)
    first = ExportJob.objects.get(pk=job.pk)

    export_job_run(job=ExportJob.objects.get(pk=job.pk), source=changelist_source)

    again = ExportJob.objects.get(pk=job.pk)
    assert (again.status, again.file.name, again.finished_at) == (
        JobStatus.DONE,
        first.file.name,
        first.finished_at,
    )
    assert AccessLog.objects.count() == len(stores)


def test_a_user_who_may_no_longer_read_the_list_gets_a_failed_job(office, stores):
    former = UserFactory(office=office, roles=[])
    job = stores_job(office, former)

    export_job_run(job=job, source=changelist_source)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.summary == "이 목록을 볼 권한이 없어져 파일을 만들지 않았습니다."
    assert not job.file
    assert not AccessLog.objects.exists()


def test_an_unexpected_failure_keeps_no_file_and_no_log(clerk, stores):
    def explode(store):
        raise RuntimeError("disk on fire")

    broken = ExportSpec(columns=(*STORE_EXPORT.columns, Column("boom", explode)))
    job = stores_job(clerk.office, clerk)

    export_job_run(
        job=job, source=lambda job: (broken, Store.objects.filter(office=job.office), "점포")
    )

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "예기치 않은 오류" in job.summary
    assert not job.file
    assert not AccessLog.objects.exists()


def stored_files(folder: str = "exports") -> int:
    """How many files the private storage holds under `folder`."""
    storage = storages["exports"]
    if not storage.exists(folder):
        return 0
    folders, files = storage.listdir(folder)
    return len(files) + sum(stored_files(f"{folder}/{name}") for name in folders)


def test_a_job_given_up_while_it_ran_keeps_neither_file_nor_log(clerk, stores):
    job = stores_job(clerk.office, clerk)
    before = stored_files()

    def given_up_meanwhile(job):
        # As the job page does when it decides the worker died.
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
        return changelist_source(job)

    export_job_run(job=job, source=given_up_meanwhile)

    job.refresh_from_db()
    assert (job.status, job.file.name) == (JobStatus.FAILED, "")
    assert not AccessLog.objects.exists()
    assert stored_files() == before


@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_queued_export_for_its_user(settings, office, dong, clerk):
    settings.TASKS = DB_TASKS
    settings.EXPORT_ROWS_AT_ONCE = 1
    for n in range(3):
        StoreFactory(office=office, dong=dong, trade_name=f"가게 {n}")
    StoreFactory(office=office, dong=dong, trade_name="다른 이름")
    supervisor = UserFactory(office=office, roles=["supervisor"])
    client = Client()
    client.force_login(supervisor)

    response = client.get(STORES_XLSX, {"q": "가게", "o": "-1"})
    job = ExportJob.objects.get()
    assert job.status == JobStatus.PENDING
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    waiting = client.get(response.url).content.decode()
    assert "백그라운드에서 파일을 만들고 있습니다" in waiting
    assert "백그라운드 작업 프로세스를 기다리는 중입니다" in waiting
    assert job_url(job, "download") not in waiting

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.total_rows, job.masked) == (JobStatus.DONE, 3, True)
    header, *rows = sheet_rows(read_xlsx(client.get(job_url(job, "download"))))
    assert [row[header.index("상호")] for row in rows] == ["가게 2", "가게 1", "가게 0"]
    assert {row[header.index("대표자")] for row in rows} == {"홍*동"}
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_the_task_writes_in_the_users_language(clerk, stores):
    job = stores_job(clerk.office, clerk)

    export_job_task.call(job.pk, "en")

    job.refresh_from_db()
    assert job.summary == "4 rows written; personal data is shown unmasked."
    assert job.file_name.startswith("stores-")


# --- keeping the files private -------------------------------------------------------------------


def test_exported_files_have_no_public_address():
    with pytest.raises(NotImplementedError):
        PrivateFileSystemStorage(location="/tmp").url("exports/2026/01/list.xlsx")


def test_old_files_are_deleted_and_their_page_says_so(client, long_lists, clerk, stores):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    job = ExportJob.objects.get()
    ExportJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(days=8))
    stored = job.file.name

    assert export_files_prune(older_than=timedelta(days=7)) == 1

    job.refresh_from_db()
    assert not job.file
    assert not storages["exports"].exists(stored)
    response = client.get(job_url(job, "download"))
    assert response.status_code == 302
    assert export_files_prune(older_than=timedelta(days=7)) == 0


def test_recent_files_are_kept(clerk, stores):
    job = stores_job(clerk.office, clerk, status=JobStatus.DONE, finished_at=timezone.now())
    job.file.save("kept.csv", ContentFile(b"\xef\xbb\xbf"), save=True)

    assert export_files_prune(older_than=timedelta(days=7)) == 0
    job.refresh_from_db()
    assert storages["exports"].exists(job.file.name)


def test_the_prune_command_deletes_old_files(client, long_lists, clerk, stores):
    client.force_login(clerk)
    client.get(STORES_EXPORT)
    ExportJob.objects.update(finished_at=timezone.now() - timedelta(days=30))
    out = StringIO()

    call_command("prune_exports", "--days", "7", stdout=out)

    assert "1" in out.getvalue()
    assert not ExportJob.objects.get().file
    with pytest.raises(CommandError):
        call_command("prune_exports", "--days", "-1")
