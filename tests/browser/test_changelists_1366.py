"""Every list a clerk, supervisor, operator or cashback manager works in, on the 1366×768 screen
most office PCs have: beside the admin's menu and the filters, the key columns are in view and
the list does not scroll sideways. The rows hold long Korean names, as the demo and real
offices do."""

from datetime import date, datetime, timedelta

import pytest

from cashback import services as cashback
from cashback.services import PaymentInput
from core.clock import SEOUL, local_today
from hotline import services as hotline
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)
from tests.registry.test_application_support import place, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each list, the roles that work in it, and the columns that must be in view.
LISTS = {
    "/admin/registry/district/": (
        ["clerk", "supervisor"],
        ["name", "status", "overdue", "designation_no", "applied_on"],
    ),
    "/admin/registry/store/": (
        ["clerk", "supervisor", "operator", "cashback"],
        ["trade_name", "brn_display", "status", "current_district", "affiliate_types"],
    ),
    "/admin/registry/affiliateregistration/": (
        ["clerk", "supervisor", "cashback"],
        ["store", "certificate_type", "status", "valid_until"],
    ),
    "/admin/registry/merchantapplication/": (
        ["clerk", "supervisor"],
        ["tracking_column", "trade_name", "brn_column", "status", "age_column", "district"],
    ),
    "/admin/hotline/case/": (
        ["supervisor", "operator"],
        ["number", "status", "due_short", "assignee", "priority"],
    ),
    "/admin/cashback/payment/": (
        ["cashback", "supervisor"],
        ["ref", "amount_won", "paid_short", "cashback_won", "reason", "status"],
    ),
    "/admin/cashback/payoutbatch/": (["cashback"], ["week", "status", "total_won"]),
}
ROLES = {
    "clerk": ["clerk"],
    "supervisor": ["supervisor"],
    "operator": ["hotline_operator"],
    "cashback": ["cashback_manager"],
}
MEASURE = """() => {
  const box = document.querySelector('#changelist .results');
  const edge = Math.min(box.getBoundingClientRect().right, window.innerWidth);
  const columns = {};
  for (const th of document.querySelectorAll('#result_list thead th')) {
    const name = (th.className.match(/column-([\\w-]+)/) || [])[1];
    if (name) columns[name] = th.getBoundingClientRect().right <= edge + 1;
  }
  return {sideways: box.scrollWidth > box.clientWidth + 1, columns};
}"""


def _office_at_work():
    """Two weeks of an office's work, with names as long as real ones."""
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="상무1동")
    users = {
        name: UserFactory(
            username=name, first_name="김민원담당", last_name="", office=office, roles=roles
        )
        for name, roles in ROLES.items()
    }
    district = DesignatedDistrictFactory(
        office=office, name="상무지구 먹자골목 골목형상점가", dongs=[dong]
    )
    DistrictFactory(
        office=office,
        name="풍암호수 카페거리 골목형상점가",
        dongs=[dong],
        applied_on=local_today() - timedelta(days=30),
    )
    for n in range(3):
        store = StoreFactory(
            office=office, dong=dong, trade_name=f"치평동 원조 할매 순대국밥 본점 {n}"
        )
        MembershipFactory(store=store, district=district, joined_on=None)
        for kind in ("card", "mobile"):
            ApprovedAffiliateFactory(
                store=store, certificate_type=kind, approved_on=None, valid_until=date(2028, 7, 31)
            )
    submit(place(office), trade_name="상무중앙로 정직한 왕갈비 식당")
    campaign = cashback.campaign_create(
        office=office,
        user=users["cashback"],
        code="alleypay-2026",
        name="2026 골목페이 캐시백",
        first_day=date(2026, 1, 9),
        last_day=date(2026, 4, 2),
        weekly_budget=100_000_000,
    )
    for n in range(3):
        cashback.payment_record(
            campaign=campaign,
            data=PaymentInput(
                ref=f"PG-20260109-{n:08d}",
                customer=f"cust-7f3a9c2e-{n:04d}",
                business_number=store.business_number,
                amount=1_257_300,
                method="mobile",
                paid_at=datetime(2026, 1, 9, 12, 30, tzinfo=SEOUL),
            ),
        )
    cashback.payout_prepare(
        week=campaign.weeks.get(number=1), user=users["cashback"], today=date(2026, 2, 1)
    )
    at = datetime(2026, 3, 9, 10, tzinfo=SEOUL)
    case = hotline.case_intake(
        office=office,
        user=users["operator"],
        channel="phone",
        caller_type="merchant",
        category="payment_refused",
        priority="urgent",
        description="가게에서 온누리 모바일 상품권을 받지 않는다는 신고",
        caller_name="김민원",
        caller_phone="010-9876-5432",
        store=store,
        received_at=at,
        at=at,
    )
    hotline.case_transition(
        case=case, user=users["supervisor"], to="assigned", assignee=users["operator"], at=at
    )
    return users


def test_every_list_shows_its_key_columns_at_1366_pixels_without_scrolling_sideways(
    browser, live_server
):
    _office_at_work()
    problems = []
    for role in ROLES:
        context = browser.new_context(locale="ko-KR", viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", role)
        page.fill("#id_password", "pw-golmok-1234")
        page.click("input[type=submit]")
        for url, (roles, key_columns) in LISTS.items():
            if role not in roles:
                continue
            page.goto(f"{live_server.url}{url}")
            assert page.locator("#result_list tbody tr").count() >= 1, (role, url)
            seen = page.evaluate(MEASURE)
            hidden = [c for c in key_columns if not seen["columns"].get(c)]
            if seen["sideways"] or hidden:
                problems.append((role, url, seen["sideways"], hidden))
        context.close()
    assert not problems
