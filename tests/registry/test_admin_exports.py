"""Taking the registry's lists away: every row the list shows (all pages, its filters, search and
order), Korean headers and labels, contacts masked by role, and each record logged (SPEC 5)."""

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import SIGN_IN_ACTIONS, AccessAction
from core.clock import SEOUL
from core.exports import export_detail
from registry.choices import (
    AffiliateStatus,
    ApplicationStatus,
    CertificateType,
    DistrictStatus,
    StoreStatus,
)
from registry.models import AccessLog, MerchantApplication
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)
from tests.support import read_csv, read_xlsx, sheet_rows

pytestmark = pytest.mark.django_db


def export_url(model: str, file_format: str) -> str:
    return reverse(f"admin:registry_{model}_export", args=[file_format])


def changelist_url(model: str) -> str:
    return reverse(f"admin:registry_{model}_changelist")


@pytest.fixture
def supervisor(office):
    """Reads the registry but has no need of unmasked contacts."""
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


@pytest.fixture
def stores(office, dong):
    """A trading store in a district with card and mobile, a closed one, and another office's."""
    trading = StoreFactory(
        office=office,
        dong=dong,
        trade_name="치평 국밥",
        representative="홍길동",
        phone="01012345678",
        business_number="2208162517",
        annual_sales=1_234_567_890,
        opened_on=date(2019, 3, 2),
    )
    MembershipFactory(store=trading, district__office=office, district__name="치평 먹자골목")
    ApprovedAffiliateFactory(store=trading, certificate_type="mobile")
    ApprovedAffiliateFactory(store=trading, certificate_type="card")
    closed = StoreFactory(
        office=office,
        dong=dong,
        trade_name='=HYPERLINK("http://evil")',
        representative="김철",
        phone="0212345678",
        business_number="1248100998",
        status=StoreStatus.CLOSED,
        closed_on=date(2025, 12, 31),
    )
    elsewhere = StoreFactory(trade_name="동구 국밥")
    return trading, closed, elsewhere


# --- stores --------------------------------------------------------------------------------------


def test_a_clerk_takes_the_whole_store_list_as_csv_with_korean_headers_and_labels(
    client, clerk, stores
):
    client.force_login(clerk)

    response = client.get(export_url("store", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert ".csv" in response["Content-Disposition"]
    header, *rows = read_csv(response)
    assert header[:4] == ["사업자등록번호", "상호", "대표자", "전화번호"]
    assert len(rows) == 2  # never another office's store
    by_name = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    trading = by_name["치평 국밥"]
    assert trading["사업자등록번호"] == "220-81-62517"
    assert (trading["대표자"], trading["전화번호"]) == ("홍길동", "010-1234-5678")
    assert trading["현재 소속 골목형상점가"] == "치평 먹자골목"
    assert trading["보유 온누리상품권 종류"] == "카드, 모바일"
    assert trading["상태"] == str(StoreStatus.ACTIVE.label)
    assert trading["소상공인"] == "예"
    assert trading["연 매출액(원)"] == "1234567890"
    assert trading["개업일"] == "2019-03-02"
    # A name a spreadsheet would run as a formula is written so that it never runs.
    assert '\'=HYPERLINK("http://evil")' in by_name


def test_a_role_without_contact_permission_gets_the_contacts_masked(client, supervisor, stores):
    client.force_login(supervisor)

    header, *rows = sheet_rows(read_xlsx(client.get(export_url("store", "xlsx"))))

    contacts = {(row[header.index("대표자")], row[header.index("전화번호")]) for row in rows}
    assert contacts == {("홍*동", "010-****-5678"), ("김*", "021-****-5678")}


def test_the_export_has_exactly_the_rows_of_the_filtered_list(client, clerk, stores):
    client.force_login(clerk)
    _trading, closed, _elsewhere = stores

    csv_rows = read_csv(client.get(export_url("store", "csv"), {"status__exact": "closed"}))
    searched = read_csv(client.get(export_url("store", "csv"), {"q": "국밥"}))
    in_district = read_csv(
        client.get(export_url("store", "csv"), {"district": "none", "status__exact": "active"})
    )

    assert [row[0] for row in csv_rows[1:]] == [closed.business_number_display]
    assert [row[1] for row in searched[1:]] == ["치평 국밥"]
    assert in_district[1:] == []


def test_the_export_takes_every_page_of_the_list_in_the_lists_order(client, clerk, office, dong):
    for n in range(57):  # the list shows 50 a page
        StoreFactory(office=office, dong=dong, trade_name=f"가게 {n:02d}")
    client.force_login(clerk)

    page = client.get(changelist_url("store"), {"o": "-1"})
    _header, *rows = read_csv(client.get(export_url("store", "csv"), {"o": "-1"}))

    assert len(page.context["cl"].result_list) == 50
    assert len(rows) == 57
    assert [row[1] for row in rows] == [f"가게 {n:02d}" for n in reversed(range(57))]


def test_every_exported_store_is_written_to_the_access_log_with_format_and_masking(
    client, clerk, supervisor, stores
):
    trading, closed, _elsewhere = stores
    client.force_login(clerk)
    client.get(export_url("store", "csv"))
    client.force_login(supervisor)
    client.get(export_url("store", "xlsx"), {"status__exact": "closed"})

    logged = AccessLog.objects.filter(action=AccessAction.EXPORT)
    by_clerk = logged.filter(user=clerk)
    assert set(by_clerk.values_list("object_pk", flat=True)) == {str(trading.pk), str(closed.pk)}
    assert set(by_clerk.values_list("detail", "model")) == {
        (export_detail("csv", masked=False), "registry.Store")
    }
    assert list(logged.filter(user=supervisor).values_list("object_pk", "detail")) == [
        (str(closed.pk), export_detail("xlsx", masked=True))
    ]


def test_the_xlsx_file_has_a_bold_frozen_header_number_cells_and_seoul_dates(client, clerk, stores):
    client.force_login(clerk)

    sheet = read_xlsx(client.get(export_url("store", "xlsx"), {"status__exact": "active"}))

    header, row = sheet_rows(sheet)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.title == "점포"
    money = sheet.cell(row=2, column=header.index("연 매출액(원)") + 1)
    assert (money.value, money.number_format) == (1_234_567_890, "#,##0")
    assert row[header.index("개업일")] == datetime(2019, 3, 2)
    widths = [sheet.column_dimensions[c].width for c in "ABCD"]
    assert all(8 <= width <= 60 for width in widths)


def test_the_store_list_offers_both_downloads_with_its_current_filters(client, clerk, stores):
    client.force_login(clerk)

    page = client.get(changelist_url("store"), {"status__exact": "closed", "q": "국밥"}).content
    html = page.decode()

    assert "엑셀(XLSX)로 내려받기" in html
    assert "CSV로 내려받기" in html
    assert f'href="{export_url("store", "csv")}?q=%EA%B5%AD%EB%B0%A5&amp;status__exact=closed"' in (
        html
    )


def test_someone_who_cannot_read_the_list_cannot_take_it_away(client, office, stores):
    client.force_login(UserFactory(office=office))

    assert client.get(export_url("store", "csv")).status_code == 403
    assert not AccessLog.objects.exclude(action__in=SIGN_IN_ACTIONS).exists()


def test_an_unknown_format_or_filter_is_refused_without_a_file(client, clerk, stores):
    client.force_login(clerk)

    assert client.get(export_url("store", "pdf")).status_code == 404
    wrong = client.get(export_url("store", "csv"), {"no_such_field": "1"})

    assert wrong.status_code == 302
    assert wrong.url == changelist_url("store")
    assert not AccessLog.objects.exclude(action__in=SIGN_IN_ACTIONS).exists()


def test_the_selected_stores_action_still_gives_its_csv(client, clerk, stores):
    trading, _closed, _elsewhere = stores
    client.force_login(clerk)

    response = client.post(
        changelist_url("store"), {"action": "export_csv", "_selected_action": [trading.pk]}
    )

    _header, row = read_csv(response)
    assert row[:4] == ["220-81-62517", "치평 국밥", "홍길동", "01012345678"]


# --- districts -----------------------------------------------------------------------------------


@pytest.fixture
def districts(office, dong):
    applied = DistrictFactory(
        office=office,
        name="양동 시장골목",
        dongs=[dong, DongFactory(office=office, name="양동")],
        representative="박상인",
        association_phone="0623456789",
        applied_on=date(2020, 1, 5),
    )
    designated = DesignatedDistrictFactory(
        office=office, name="치평 먹자골목", representative="", association_phone=""
    )
    MembershipFactory(store=StoreFactory(office=office, dong=dong), district=designated)
    return applied, designated


def test_the_district_list_is_exported_with_labels_areas_and_members(client, clerk, districts):
    client.force_login(clerk)

    sheet = read_xlsx(client.get(export_url("district", "xlsx")))

    header, *rows = sheet_rows(sheet)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    applied = by_name["양동 시장골목"]
    assert applied["상태"] == str(DistrictStatus.APPLIED.label)
    assert applied["행정동"] == "양동, 치평동"
    assert (applied["대표자"], applied["연락처"]) == ("박상인", "062-345-6789")
    assert applied["처리 기한 경과"] == "예"
    assert applied["신청일"] == datetime(2020, 1, 5)
    assert by_name["치평 먹자골목"]["현재 소속 점포 수"] == 1
    assert by_name["치평 먹자골목"]["면적(m²)"] == 1800


def test_districts_are_masked_for_the_supervisor_and_only_those_with_contacts_logged(
    client, supervisor, districts
):
    applied, _designated = districts
    client.force_login(supervisor)

    header, *rows = read_csv(client.get(export_url("district", "csv")))

    contacts = {row[0]: (row[header.index("대표자")], row[header.index("연락처")]) for row in rows}
    assert contacts["양동 시장골목"] == ("박*인", "062-****-6789")
    record_accesses = AccessLog.objects.exclude(action__in=SIGN_IN_ACTIONS)
    assert list(record_accesses.values_list("object_pk", flat=True)) == [str(applied.pk)]


def test_the_district_export_keeps_the_status_filter(client, clerk, districts):
    client.force_login(clerk)

    rows = read_csv(client.get(export_url("district", "csv"), {"status__exact": "designated"}))

    assert [row[0] for row in rows[1:]] == ["치평 먹자골목"]


# --- Onnuri affiliations -------------------------------------------------------------------------


@pytest.fixture
def affiliations(office, dong):
    store = StoreFactory(office=office, dong=dong, trade_name="풍암 떡집")
    approved = ApprovedAffiliateFactory(
        store=store,
        certificate_type=CertificateType.CARD,
        settlement_account="123-456-789012",
        settlement_holder="이영희",
    )
    applied = AffiliateRegistrationFactory(
        store=StoreFactory(office=office, dong=dong, trade_name="상무 꽃집"),
        certificate_type=CertificateType.PAPER,
    )
    return approved, applied


def test_affiliations_are_exported_with_accounts_masked_by_role(
    client, clerk, supervisor, affiliations
):
    approved, _applied = affiliations
    client.force_login(clerk)
    header, *rows = read_csv(client.get(export_url("affiliateregistration", "csv")))
    client.force_login(supervisor)
    _masked_header, *masked = read_csv(client.get(export_url("affiliateregistration", "csv")))

    card = next(dict(zip(header, row, strict=True)) for row in rows if row[1] == "풍암 떡집")
    assert card["상품권 종류"] == str(CertificateType.CARD.label)
    assert card["상태"] == str(AffiliateStatus.APPROVED.label)
    assert (card["정산 계좌"], card["예금주"]) == ("123-456-789012", "이영희")
    hidden = next(dict(zip(header, row, strict=True)) for row in masked if row[1] == "풍암 떡집")
    assert (hidden["정산 계좌"], hidden["예금주"]) == ("********9012", "이*희")
    # Only the registration holding an account is personal data.
    logged = set(
        AccessLog.objects.exclude(action__in=SIGN_IN_ACTIONS).values_list(
            "object_pk", "user__username"
        )
    )
    assert logged == {(str(approved.pk), "clerk"), (str(approved.pk), "supervisor")}


def test_the_affiliation_export_keeps_the_type_and_status_filters(client, clerk, affiliations):
    client.force_login(clerk)

    rows = read_csv(
        client.get(
            export_url("affiliateregistration", "csv"),
            {"certificate_type__exact": "paper", "status__exact": "applied"},
        )
    )

    assert [row[1] for row in rows[1:]] == ["상무 꽃집"]


# --- merchants' applications ---------------------------------------------------------------------


def application(office, dong, *, trade_name, status, tracking, submitted):
    return MerchantApplication.objects.create(
        office=office,
        tracking_number=tracking,
        status=status,
        business_number="2208162517" if status == ApplicationStatus.APPROVED else "1208147521",
        trade_name=trade_name,
        representative="최상인",
        phone="01055556666",
        email="owner@example.com",
        road_address="광주광역시 서구 화정로 1",
        dong=dong,
        wants_card=True,
        wants_mobile=True,
        consented_at=submitted,
        submitted_at=submitted,
        decided_at=submitted if status == ApplicationStatus.REJECTED else None,
    )


def test_the_application_queue_exports_its_open_applications_by_default(
    client, clerk, supervisor, office, dong
):
    submitted = datetime(2026, 1, 9, 23, 30, tzinfo=SEOUL)
    waiting = application(
        office,
        dong,
        trade_name="화정 빵집",
        status=ApplicationStatus.SUBMITTED,
        tracking="ABCD2345EFGH",
        submitted=submitted,
    )
    application(
        office,
        dong,
        trade_name="거절된 가게",
        status=ApplicationStatus.REJECTED,
        tracking="WXYZ2345EFGH",
        submitted=timezone.now(),
    )
    client.force_login(clerk)
    header, *rows = read_csv(client.get(export_url("merchantapplication", "csv")))
    client.force_login(supervisor)
    masked = read_csv(client.get(export_url("merchantapplication", "csv"), {"status": "all"}))

    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["접수 번호"] == waiting.tracking_number_display
    assert row["상태"] == str(ApplicationStatus.SUBMITTED.label)
    assert row["제출 일시"] == "2026-01-09 23:30"  # Seoul time, not UTC
    assert (row["대표자"], row["전화번호"], row["이메일"]) == (
        "최상인",
        "010-5555-6666",
        "owner@example.com",
    )
    assert row["신청한 상품권 종류"] == "카드, 모바일"
    assert len(masked) == 3
    assert {tuple(r[6:9]) for r in masked[1:]} == {("최*인", "010-****-6666", "o****@example.com")}
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 3
