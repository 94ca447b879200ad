"""Taking the programmes' lists away (core.exports): applications, grant decisions, instalments
and the ledger download as XLSX or CSV with the rows their lists show; applicants' names and
phones and settlement accounts are masked unless the role may see them, and every exported row
holding them is written to the access log."""

from datetime import datetime

import pytest
from django.urls import reverse

from core.choices import AccessAction
from core.clock import SEOUL
from core.exports import export_detail
from programmes import services
from programmes.models import Application, Disbursement, Grant, LedgerEntry
from registry.models import AccessLog
from tests.programmes.conftest import apply
from tests.programmes.factories import EntitlementProgrammeFactory
from tests.registry.factories import StoreFactory, UserFactory
from tests.support import read_csv, read_xlsx, sheet_rows

pytestmark = pytest.mark.django_db

LISTS = ("application", "grant", "disbursement", "ledgerentry")


def export_url(model: str, file_format: str) -> str:
    return reverse(f"admin:programmes_{model}_export", args=[file_format])


@pytest.fixture
def supervisor(office):
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


@pytest.fixture
def awarded(relief, business):
    """An entitlement application awarded 500,000 won, with the applicant's contacts."""
    return apply(
        relief,
        business,
        at=datetime(2026, 8, 1, 10, tzinfo=SEOUL),
        applicant="김나눔",
        phone="010-5555-6666",
    )


@pytest.fixture
def paid_in(awarded, clerk):
    """The award's grant decision and one draft instalment of the whole amount."""
    grant = services.grant_decide(
        application=awarded,
        bank="광주은행",
        account_number="1107-020-123456",
        account_holder="김나눔",
        actor=clerk,
    )
    services.disbursement_add(grant=grant, amount=500_000, actor=clerk)
    return grant


def under_review(programme, store, clerk):
    application = apply(programme, store)
    for to in ("screening", "under_review"):
        services.application_transition(application=application, to=to, actor=clerk)
    return application


def rows_of(response) -> list[dict]:
    header, *rows = read_csv(response)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_each_programmes_list_shows_both_download_links(client, clerk, paid_in):
    client.force_login(clerk)

    for model in LISTS:
        page = client.get(reverse(f"admin:programmes_{model}_changelist")).text
        assert export_url(model, "xlsx") in page, model
        assert export_url(model, "csv") in page, model


def test_a_clerk_exports_applications_with_the_applicant_unmasked(client, clerk, awarded):
    client.force_login(clerk)

    (row,) = rows_of(client.get(export_url("application", "csv")))

    assert row["접수 번호"] == awarded.number_display
    assert row["지원사업"] == awarded.programme.name
    assert row["상태"] == "지원 확정"
    assert row["사업자등록번호"] == "220-81-62517"
    assert row["상호"] == "치평 나눔협동조합"
    assert (row["신청인"], row["전화번호"]) == ("김나눔", "010-5555-6666")
    assert row["지원 결정액(원)"] == "500000"
    assert row["제출 일시"] == "2026-08-01 10:00"


def test_a_supervisor_exports_applications_with_the_applicant_masked(client, supervisor, awarded):
    client.force_login(supervisor)

    header, *rows = sheet_rows(read_xlsx(client.get(export_url("application", "xlsx"))))

    row = dict(zip(header, rows[0], strict=True))
    assert (row["신청인"], row["전화번호"]) == ("김*눔", "010-****-6666")
    # Money stays a number cell in the workbook.
    assert row["지원 결정액(원)"] == 500_000


def test_the_selection_is_exported_with_scores_ranks_and_reasons_in_words(
    client, clerk, growth, business, reviewers, office, dong
):
    weak_store = StoreFactory(office=office, dong=dong, enterprise_type="village_enterprise")
    strong, weak = (under_review(growth, store, clerk) for store in (business, weak_store))
    for reviewer in reviewers:
        services.review_submit(
            application=strong, reviewer=reviewer, scores={"plan": 5, "impact": 8}
        )
        services.review_submit(application=weak, reviewer=reviewer, scores={"plan": 1, "impact": 1})
    services.programme_select(programme=growth, actor=clerk)
    client.force_login(clerk)

    rows = {row["접수 번호"]: row for row in rows_of(client.get(export_url("application", "csv")))}

    chosen, passed_over = rows[strong.number_display], rows[weak.number_display]
    assert (chosen["상태"], chosen["점수"], chosen["순위"]) == ("선정", "18", "1")
    assert (chosen["지원 결정액(원)"], chosen["사유"]) == ("15000000", "")
    assert (passed_over["상태"], passed_over["점수"], passed_over["순위"]) == ("미선정", "3", "")
    assert passed_over["사유"] == "선정 기준 점수 미달"
    assert passed_over["사회적경제기업 유형"] == "마을기업"


def test_the_application_export_keeps_the_lists_filters_and_the_office_wall(
    client, clerk, awarded, other_office
):
    other = EntitlementProgrammeFactory(office=other_office, code="relief-other")
    apply(other, StoreFactory(office=other_office), at=other.opens_at)
    client.force_login(clerk)

    everything = rows_of(client.get(export_url("application", "csv")))
    withdrawn = rows_of(
        client.get(export_url("application", "csv"), {"status__exact": "withdrawn"})
    )

    assert Application.objects.count() == 2
    assert [row["접수 번호"] for row in everything] == [awarded.number_display]
    assert withdrawn == []


def test_grants_and_instalments_show_the_account_to_a_clerk_and_mask_it_for_a_supervisor(
    client, clerk, supervisor, paid_in
):
    client.force_login(clerk)
    (grant,) = rows_of(client.get(export_url("grant", "csv")))
    (instalment,) = rows_of(client.get(export_url("disbursement", "csv")))
    client.force_login(supervisor)
    (grant_masked,) = rows_of(client.get(export_url("grant", "csv")))
    (instalment_masked,) = rows_of(client.get(export_url("disbursement", "csv")))

    assert (grant["정산 계좌"], grant["예금주"]) == ("1107-020-123456", "김나눔")
    assert (instalment["정산 계좌"], instalment["예금주"]) == ("1107-020-123456", "김나눔")
    assert (grant["교부 결정액(원)"], grant["정산 은행"]) == ("500000", "광주은행")
    assert (grant_masked["정산 계좌"], grant_masked["예금주"]) == ("*********3456", "김*눔")
    assert (instalment_masked["정산 계좌"], instalment_masked["예금주"]) == (
        "*********3456",
        "김*눔",
    )
    assert instalment["금액(원)"] == "500000"
    assert instalment["분할 지급"] == "1"


def test_the_ledger_exports_every_movement_and_is_not_logged(client, supervisor, paid_in):
    client.force_login(supervisor)

    rows = rows_of(client.get(export_url("ledgerentry", "csv")))

    (entry,) = LedgerEntry.objects.all()
    assert [(row["구분"], row["금액(원)"], row["접수 번호"]) for row in rows] == [
        ("지원금", "500000", paid_in.application.number_display)
    ]
    assert entry.kind == "award"
    assert not AccessLog.objects.filter(action=AccessAction.EXPORT).exists()


def test_every_exported_row_holding_personal_data_is_logged_with_its_masking(
    client, clerk, supervisor, awarded, paid_in
):
    client.force_login(clerk)
    client.get(export_url("application", "csv"))
    client.get(export_url("grant", "xlsx"))
    client.force_login(supervisor)
    client.get(export_url("disbursement", "csv"))

    logged = AccessLog.objects.filter(action=AccessAction.EXPORT)
    instalment = Disbursement.objects.get()
    assert sorted(logged.values_list("user__username", "model", "object_pk", "detail")) == [
        ("clerk", "programmes.Application", str(awarded.pk), export_detail("csv", masked=False)),
        ("clerk", "programmes.Grant", str(paid_in.pk), export_detail("xlsx", masked=False)),
        (
            "supervisor",
            "programmes.Disbursement",
            str(instalment.pk),
            export_detail("csv", masked=True),
        ),
    ]
    assert Grant.objects.count() == 1
