"""The dashboard page: who lands on it, what each role sees, its charts and tables, nothing
fetched from elsewhere, and the API's refusals."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from cashback.selectors import campaign_shown
from core.charts import Mark, bar_chart, column_chart, shade_levels, tile_grid
from core.clock import SEOUL
from core.templatetags.golmok import percent_bp, won_short
from hotline.models import Case
from hotline.selectors import hotline_dashboard
from registry.selectors import rate_bp
from tests.cashback.factories import CampaignFactory
from tests.dashboard.conftest import role_user
from tests.registry.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


def page_of(client, user, **params) -> str:
    client.force_login(user)
    response = client.get("/dashboard/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_land_on_the_dashboard_after_signing_in(client, office):
    UserFactory(username="clerk1", office=office, roles=["clerk"])
    response = client.post(
        "/admin/login/", {"username": "clerk1", "password": "pw-golmok-1234", "next": ""}
    )
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/admin/login/")["Location"] == "/dashboard/"
    assert client.get("/")["Location"] == "/dashboard/"


def test_a_page_asked_for_before_signing_in_is_where_one_lands(client, office):
    UserFactory(username="clerk1", office=office, roles=["clerk"])
    response = client.post(
        "/admin/login/?next=/admin/registry/store/",
        {"username": "clerk1", "password": "pw-golmok-1234", "next": "/admin/registry/store/"},
    )
    assert response["Location"] == "/admin/registry/store/"


def test_the_page_is_for_staff_only(client, office):
    assert client.get("/dashboard/").status_code == 302
    client.force_login(UserFactory(office=office, is_staff=False))
    assert client.get("/dashboard/").status_code == 302
    api = APIClient()
    assert api.get("/api/v1/dashboard/").status_code in (401, 403)
    api.force_authenticate(UserFactory(office=office, is_staff=False))
    assert api.get("/api/v1/dashboard/").status_code == 403


def test_a_supervisor_sees_every_part_with_tables_beside_the_charts(client, offices):
    office, _people = offices["seogu"]
    html = page_of(client, role_user(office, "supervisor"))
    for heading in ("한눈에 보기", "골목형상점가와 점포", "캐시백:", "골목경제 119"):
        assert heading in html
    assert html.count('class="chart"') == 8
    assert html.count("<table") >= 6
    assert 'aria-labelledby="chart-' in html and "<title id=" in html
    assert "/admin/registry/store/?status__exact=active&amp;dong__id__exact=" in html


def test_an_operator_sees_the_hotline_part_and_own_work(client, offices):
    _office, people = offices["seogu"]
    html = page_of(client, people["operator"])
    assert "골목경제 119" in html and "내가 처리 중인 민원" in html
    assert 'id="registry-title"' not in html and 'id="campaign-title"' not in html


def test_the_page_requests_nothing_from_elsewhere(client, offices):
    office, _people = offices["seogu"]
    html = page_of(client, role_user(office, "supervisor"))
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))], sources
    assert "@import" not in html and "url(http" not in html


def test_the_print_view_is_the_same_page_without_its_controls(client, offices):
    office, _people = offices["seogu"]
    html = page_of(client, role_user(office, "supervisor"), print="1")
    assert "dashboard-printing" in html and "<svg" in html


def test_a_campaign_is_picked_by_code_and_an_unknown_one_is_404(client, offices):
    office, _people = offices["seogu"]
    supervisor = role_user(office, "supervisor")
    other = CampaignFactory(
        office=office, code="spring", name="봄 캐시백", first_day=date(2025, 3, 7)
    )
    assert "봄 캐시백" in page_of(client, supervisor, campaign="spring")
    api = APIClient()
    api.force_authenticate(supervisor)
    assert api.get("/api/v1/dashboard/", {"campaign": "spring"}).json()["campaign"]["code"] == (
        other.code
    )
    refused = api.get("/api/v1/dashboard/", {"campaign": "nothing"})
    assert refused.status_code == 404
    assert client.get("/dashboard/", {"campaign": "nothing"}).status_code == 404


def test_staff_cannot_look_at_another_office(client, offices):
    seogu, _people = offices["seogu"]
    donggu, _others = offices["donggu"]
    api = APIClient()
    api.force_authenticate(role_user(seogu, "supervisor"))
    body = api.get("/api/v1/dashboard/", {"office": donggu.code}).json()
    assert body["office"]["code"] == seogu.code


def test_a_superuser_names_the_office_and_an_unknown_one_is_404(offices):
    api = APIClient()
    api.force_authenticate(UserFactory(is_superuser=True, office=None))
    assert api.get("/api/v1/dashboard/", {"office": "29110"}).json()["office"]["code"] == "29110"
    assert api.get("/api/v1/dashboard/", {"office": "99999"}).status_code == 404


def test_the_api_answers_in_the_shape_of_spec_6(offices):
    office, _people = offices["seogu"]
    api = APIClient()
    api.force_authenticate(role_user(office, "supervisor"))
    body = api.get("/api/v1/dashboard/").json()
    assert set(body) >= {"office", "as_of", "figures", "dongs", "business_types", "campaign"}
    assert set(body["figures"][0]) >= {"key", "label", "value", "list", "api"}
    assert body["figures"][0]["list"].startswith("http://testserver/admin/")
    assert set(body["dongs"][0]) == {
        "dong",
        "districts",
        "stores",
        "affiliates",
        "affiliate_rate_bp",
    }
    assert set(body["business_types"][0]) == {"ksic_code", "name", "stores"}
    stores = [b["stores"] for b in body["business_types"]]
    assert stores == sorted(stores, reverse=True)
    week = body["campaign"]["weeks"][0]
    assert set(week) == {
        "week",
        "starts_on",
        "ends_on",
        "budget",
        "granted",
        "remaining",
        "payments",
        "eligible_payments",
        "beneficiaries",
        "purchase_total",
        "exhausted_at",
    }
    assert set(body["hotline"]) == {"by_category", "resolution_hours_median", "received_by_week"}
    assert set(body["hotline"]["by_category"][0]) == {"category", "label", "open", "received"}
    assert set(body["hotline"]["received_by_week"][0]) == {"week_starts_on", "received"}


# --- the pieces --------------------------------------------------------------------------------


def test_rates_are_basis_points_rounded_half_up():
    assert [rate_bp(1, 3), rate_bp(2, 3), rate_bp(1, 8), rate_bp(0, 0), rate_bp(5, 5)] == [
        3333,
        6667,
        1250,
        0,
        10_000,
    ]
    assert [percent_bp(4567), percent_bp(5205), percent_bp(6275), percent_bp(5)] == [
        "45.67%",
        "52.05%",
        "62.75%",
        "0.05%",
    ]


def test_large_sums_read_the_korean_way():
    with translation.override("ko"):
        assert won_short(1_400_000_000) == "14억 원"
        assert won_short(125_000_000) == "1억 2,500만 원"
        assert won_short(24_308_665) == "2,430만 8,665원"
        assert won_short(9_999) == "9,999원"
    with translation.override("en"):
        assert won_short(1_400_000_000) == "1,400,000,000 won"


def test_charts_name_themselves_link_their_marks_and_escape_labels():
    svg = bar_chart(
        title="제목",
        description="설명",
        marks=[Mark(label="<b>가게</b>", value=3, href="/admin/x/?a=1&b=2"), Mark("빈", 0)],
    )
    assert svg.title == "제목" and svg.description == "설명"
    svg = svg.svg
    assert svg.startswith("<svg") and "<title" in svg and "<desc" in svg
    assert "&lt;b&gt;가게&lt;/b&gt;" in svg and "<b>" not in svg
    assert '<a href="/admin/x/?a=1&amp;b=2" aria-label="&lt;b&gt;가게&lt;/b&gt;: 3">' in svg
    assert svg.count("<a ") == 1
    columns = column_chart(
        title="t", description="d", marks=[Mark("1주", 5, secondary=10, flag="out")]
    )
    assert columns.svg.count("<rect") == 2 and "<path" in columns.svg
    tiles = tile_grid(title="t", description="d", marks=[Mark("동", 1)], shade=[5])
    assert "#ffffff" in tiles.svg


def test_shades_spread_from_the_lowest_to_the_highest_value():
    assert shade_levels([40, 50, 60], low=40, high=60) == [0, 2, 5]
    assert shade_levels([7, 7], low=7, high=7) == [0, 0]


def test_the_running_campaign_is_shown_else_the_latest(office):
    old = CampaignFactory(office=office, code="old", first_day=date(2025, 1, 3))
    new = CampaignFactory(office=office, code="new", first_day=date(2026, 1, 9))
    campaigns = old.__class__.objects.filter(office=office)
    assert campaign_shown(campaigns, date(2025, 1, 5)) == old
    assert campaign_shown(campaigns, date(2027, 1, 1)) == new
    assert campaign_shown(campaigns, date(2027, 1, 1), "old") == old
    assert campaign_shown(campaigns, date(2027, 1, 1), "none") is None


def test_the_hotline_median_and_weeks_count_what_they_say(offices):
    office, _people = offices["seogu"]
    now = datetime(2026, 12, 9, 12, tzinfo=SEOUL)  # a Wednesday
    cases = Case.objects.filter(office=office)
    for minutes, case in zip((60, 120, 600), cases[:3], strict=True):
        Case.objects.filter(pk=case.pk).update(
            work_minutes_to_resolve=minutes, resolved_at=now - timedelta(days=1)
        )
    figures = hotline_dashboard(cases, now=now)
    assert figures.resolution_hours_median == 2.0
    assert len(figures.received_by_week) == 13
    assert figures.received_by_week[-1].week_starts_on == date(2026, 12, 7)
    assert (
        sum(c.received for c in figures.by_category)
        == cases.filter(received_at__gte=now - timedelta(days=90)).count()
    )


def test_an_office_without_anything_still_has_a_dashboard(client):
    office = OfficeFactory(code="11110", name="서울특별시 종로구")
    html = page_of(client, role_user(office, "supervisor"))
    assert "한눈에 보기" in html


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?office=%00",
        "/dashboard/?campaign=%00",
        "/api/v1/dashboard/?campaign=%00",
        "/dashboard/report/?week=0001-01-01",
        "/dashboard/report/?week=0001-01-03",
        "/dashboard/report.pdf?week=0001-01-09",
        "/dashboard/report/?week=2026-W10-1",
        "/admin/cashback/payment/?week=abc",
        "/admin/cashback/payment/?week=99999999999999999999",
        "/admin/registry/store/?office=%00",
        "/admin/registry/store/?ksic=%00",
        "/admin/registry/store/?district=99999999999999999999",
        "/admin/hotline/case/?received_week=0001-01-01",
        "/admin/hotline/case/?received_week=9999-12-31",
        "/admin/hotline/case/?store=%00",
    ],
)
def test_odd_addresses_are_answered_never_with_a_server_error(offices, url):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, office=None))
    response = client.get(url)
    assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
    if "%00" in url:
        assert response.status_code == 400
        assert "허용되지 않는 문자" in response.content.decode()


def test_the_reports_neighbouring_weeks_keep_the_office_and_the_campaign(offices):
    from django.test import Client

    client = Client()
    client.force_login(UserFactory(is_superuser=True, office=None))
    html = client.get(
        "/dashboard/report/", {"office": "29110", "week": "2026-11-04"}
    ).content.decode()
    assert "?week=2026-10-26&amp;office=29110" in html
    assert "?week=2026-11-09&amp;office=29110" in html
    assert "report.pdf?week=2026-11-02&amp;office=29110" in html
