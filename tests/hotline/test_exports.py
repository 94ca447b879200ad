"""Taking the case list away: every case the list shows, overdue first as on the page, callers
masked unless the role may see them, and each case holding a caller's contact logged."""

from datetime import datetime

import pytest
from django.urls import reverse

from core.choices import AccessAction
from core.exports import export_detail
from hotline.choices import CallerType, CaseStatus, Category, Channel, Priority
from registry.models import AccessLog
from tests.hotline.conftest import intake, seoul
from tests.support import read_csv, read_xlsx, sheet_rows

pytestmark = pytest.mark.django_db

CASES_CSV = reverse("admin:hotline_case_export", args=["csv"])
CASES_XLSX = reverse("admin:hotline_case_export", args=["xlsx"])


@pytest.fixture
def cases(office, operator, store):
    """An overdue case from March with a caller who left a name and phone, and a fresh one."""
    late = intake(
        office,
        operator,
        at=seoul(2026, 3, 9, 10),
        caller_name="김민원",
        caller_phone="01098765432",
        business_number="2208162517",
        description="=cmd|' /C calc'!A0",
    )
    fresh = intake(office, operator, at=seoul(2030, 1, 7, 9), category="complaint")
    return late, fresh


def test_the_supervisor_exports_cases_with_callers_masked_and_overdue_first(
    client, supervisor, cases, store
):
    late, fresh = cases
    client.force_login(supervisor)

    header, *rows = sheet_rows(read_xlsx(client.get(CASES_XLSX)))

    assert [row[0] for row in rows] == [late.number, fresh.number]
    row = dict(zip(header, rows[0], strict=True))
    assert (row["민원인 성명"], row["민원인 전화번호"]) == ("김*원", "010-****-5432")
    assert row["접수 일시"] == datetime(2026, 3, 9, 10, 0)
    assert row["접수 경로"] == str(Channel.PHONE.label)
    assert row["민원인 구분"] == str(CallerType.MERCHANT.label)
    assert row["분류"] == str(Category.CASHBACK.label)
    assert row["우선순위"] == str(Priority.NORMAL.label)
    assert row["상태"] == str(CaseStatus.RECEIVED.label)
    assert row["처리 기한 경과"] == "예"
    assert (row["사업자등록번호"], row["점포"]) == ("220-81-62517", store.trade_name)
    # A description written as a formula is kept as text, never run.
    assert row["민원 내용"] == "'=cmd|' /C calc'!A0"
    assert dict(zip(header, rows[1], strict=True))["처리 기한 경과"] == "아니요"


def test_the_operator_who_calls_back_gets_the_callers_unmasked(client, operator, cases):
    client.force_login(operator)

    header, *rows = read_csv(client.get(CASES_CSV))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["민원인 성명"], row["민원인 전화번호"]) == ("김민원", "010-9876-5432")
    assert row["접수 일시"] == "2026-03-09 10:00"


def test_only_cases_holding_a_callers_contact_are_logged(client, supervisor, operator, cases):
    late, _fresh = cases
    client.force_login(supervisor)
    client.get(CASES_CSV)
    client.force_login(operator)
    client.get(CASES_XLSX)

    logged = AccessLog.objects.filter(action=AccessAction.EXPORT)
    assert sorted(logged.values_list("user__username", "object_pk", "detail")) == [
        ("operator", str(late.pk), export_detail("xlsx", masked=False)),
        ("supervisor", str(late.pk), export_detail("csv", masked=True)),
    ]


def test_the_case_export_keeps_the_lists_filters(client, supervisor, cases):
    late, fresh = cases
    client.force_login(supervisor)

    overdue = read_csv(client.get(CASES_CSV, {"overdue": "yes"}))
    complaints = read_csv(client.get(CASES_CSV, {"category__exact": "complaint"}))
    by_number = read_csv(client.get(CASES_CSV, {"q": fresh.number}))

    assert [row[0] for row in overdue[1:]] == [late.number]
    assert [row[0] for row in complaints[1:]] == [fresh.number]
    assert [row[0] for row in by_number[1:]] == [fresh.number]


def test_the_case_list_keeps_its_queue_link_beside_the_downloads(client, supervisor, cases):
    client.force_login(supervisor)

    page = client.get(reverse("admin:hotline_case_changelist")).content.decode()

    assert reverse("hotline:queue") in page
    assert CASES_XLSX in page
    assert CASES_CSV in page
