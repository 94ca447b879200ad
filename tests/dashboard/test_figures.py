"""Every figure equals the count of the lists it links to (SPEC 6): the API list its `api` names
and the admin changelist its `list` names, for every role and for two offices; and no figure
counts what the viewer may not see."""

from urllib.parse import urlparse

import pytest
from django.test import Client
from rest_framework.test import APIClient

from dashboard.figures import FIGURES, PENDING
from tests.dashboard.conftest import ROLES, role_user
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

SPEC_KEYS = {
    "districts_designated",
    "districts_applied",
    "districts_overdue",
    "stores_active",
    "stores_member",
    "affiliates_digital",
    "applications_pending",
    "cases_open",
    "cases_overdue",
}


def dashboard_of(user, **params) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/dashboard/", params)
    assert response.status_code == 200, response.content
    return response.json()


def api_count(user, url: str) -> int:
    client = APIClient()
    client.force_authenticate(user)
    parsed = urlparse(url)
    response = client.get(f"{parsed.path}?{parsed.query}")
    assert response.status_code == 200, (url, response.content)
    return response.json()["count"]


def admin_count(user, url: str) -> int:
    client = Client()
    client.force_login(user)
    parsed = urlparse(url)
    response = client.get(f"{parsed.path}?{parsed.query}")
    assert response.status_code == 200, (url, response.status_code)
    assert "e=1" not in response.get("Location", ""), url
    return response.context["cl"].result_count


def test_the_spec_keys_are_all_there_for_a_supervisor(offices):
    seogu, _people = offices["seogu"]
    body = dashboard_of(role_user(seogu, "supervisor"))
    assert {f["key"] for f in body["figures"]} >= SPEC_KEYS
    assert body["office"] == {"code": "29140", "name": "광주광역시 서구"}


@pytest.mark.parametrize("office_key", ["seogu", "donggu"])
@pytest.mark.parametrize("role", ROLES)
def test_every_figure_equals_its_api_list_and_its_admin_list(offices, office_key, role):
    office, people = offices[office_key]
    viewer = people["operator"] if role == "hotline_operator" else role_user(office, role)
    body = dashboard_of(viewer)
    shown = body["figures"] + body["pending"]
    assert shown or role == "auditor"
    for figure in shown:
        if figure["api"] is not None:
            assert api_count(viewer, figure["api"]) == figure["value"], figure
        assert admin_count(viewer, figure["list"]) == figure["value"], figure


def test_the_two_offices_have_different_figures_and_a_superuser_picks_either(offices):
    superuser = UserFactory(is_superuser=True, office=None)
    for key, expected_stores in (("seogu", 12), ("donggu", 6)):
        office, _people = offices[key]
        body = dashboard_of(superuser, office=office.code)
        figures = {f["key"]: f for f in body["figures"]}
        assert figures["stores_active"]["value"] == expected_stores
        for figure in body["figures"]:
            if figure["api"] is not None:
                assert api_count(superuser, figure["api"]) == figure["value"], figure
            assert admin_count(superuser, figure["list"]) == figure["value"], figure


def test_known_values_for_one_office(offices):
    office, _people = offices["donggu"]
    figures = {
        f["key"]: f["value"] for f in dashboard_of(role_user(office, "supervisor"))["figures"]
    }
    assert figures == {
        "districts_designated": 3,
        "districts_applied": 2,
        "districts_overdue": 1,
        "stores_active": 6,
        "stores_member": 3,
        "affiliates_digital": 2,
        "applications_pending": 2,
        "cases_open": 3,
        "cases_overdue": 2,
    }


def test_an_operator_sees_the_hotline_part_only(offices):
    _office, people = offices["seogu"]
    body = dashboard_of(people["operator"])
    assert {f["key"] for f in body["figures"]} == {"cases_open", "cases_overdue"}
    assert {f["key"] for f in body["pending"]} == {"pending_my_cases", "pending_my_overdue_cases"}
    assert body["dongs"] is None and body["business_types"] is None
    assert body["campaign"] is None
    assert body["hotline"] is not None


def test_the_pending_work_is_the_viewers_own(offices):
    office, people = offices["seogu"]
    mine = {f["key"]: f["value"] for f in dashboard_of(people["operator"])["pending"]}
    assert mine == {"pending_my_cases": 3, "pending_my_overdue_cases": 2}  # 2 old, 1 new
    colleague = UserFactory(office=office, roles=["hotline_operator"])
    theirs = {f["key"]: f["value"] for f in dashboard_of(colleague)["pending"]}
    assert theirs == {"pending_my_cases": 0, "pending_my_overdue_cases": 0}


def test_a_clerk_and_a_cashback_manager_get_their_own_pending_work(offices):
    office, people = offices["seogu"]
    clerk = {f["key"]: f["value"] for f in dashboard_of(people["clerk"])["pending"]}
    assert clerk == {
        "pending_district_applications": 4,
        "pending_merchant_applications": 4,
        "pending_certificates": 4,
        "pending_programme_screening": 0,
    }
    manager = dashboard_of(role_user(office, "cashback_manager"))
    assert {f["key"]: f["value"] for f in manager["pending"]} == {"pending_payouts": 1}


def test_every_figure_spec_names_lists_that_exist():
    for spec in FIGURES + PENDING:
        assert spec.filterset.base_filters.keys() >= spec.filters.keys(), spec.key


def test_each_chart_mark_opens_a_list_of_as_many_rows_as_it_counts(offices):
    from dashboard.charts import _stores_list
    from dashboard.figures import admin_list
    from dashboard.selectors import dashboard_build

    office, _people = offices["seogu"]
    viewer = role_user(office, "supervisor")
    board = dashboard_build(viewer=viewer, office=office)
    code = office.code
    for dong in board.dongs:
        url = _stores_list(viewer, code, dong__id__exact=dong.dong_id)
        assert admin_count(viewer, url) == dong.stores, dong
    for kind in board.business_types:
        assert admin_count(viewer, _stores_list(viewer, code, ksic=kind.ksic_code)) == kind.stores
    for district in board.districts:
        url = _stores_list(viewer, code, district=district.district_id)
        assert admin_count(viewer, url) == district.stores, district
    cases = "admin:hotline_case_changelist"
    for category in board.hotline.by_category:
        url = admin_list(
            cases,
            viewer,
            code,
            category__exact=category.category,
            open="yes",
            received_days=90,
        )
        assert admin_count(viewer, url) == category.open, category
    for week in board.hotline.received_by_week:
        url = admin_list(cases, viewer, code, received_week=week.week_starts_on.isoformat())
        assert admin_count(viewer, url) == week.received, week


def test_a_campaign_weeks_columns_open_the_payments_that_earned_cashback(offices):
    from datetime import datetime

    from cashback import services as cashback_services
    from cashback.models import Campaign
    from core.clock import SEOUL
    from dashboard.figures import admin_list
    from dashboard.selectors import dashboard_build
    from registry.models import Store

    office, _people = offices["seogu"]
    viewer = role_user(office, "supervisor")
    campaign = Campaign.objects.get(office=office)
    earning = Store.objects.filter(
        office=office, memberships__isnull=False, affiliations__certificate_type="card"
    ).first()
    for ref, amount in (("p1", 30_000), ("p2", 25_000), ("p3", 5_000)):
        data = cashback_services.PaymentInput.parse(
            ref=ref,
            customer=f"c-{ref}",
            business_number=earning.business_number,
            amount=amount,
            method="card",
            paid_at=datetime(2026, 1, 10, 12, tzinfo=SEOUL),
        )
        cashback_services.payment_record(campaign=campaign, data=data)
    board = dashboard_build(viewer=viewer, office=office, campaign_code=campaign.code)
    week = board.weeks[0]
    assert (week.payments, week.eligible_payments, week.beneficiaries) == (3, 2, 2)
    url = admin_list(
        "admin:cashback_payment_changelist",
        viewer,
        office.code,
        campaign__id__exact=campaign.pk,
        week=1,
        status__exact="recorded",
        reason__in="granted,partial",
    )
    assert admin_count(viewer, url) == week.eligible_payments


def test_a_pending_item_counting_the_same_rows_as_a_figure_is_counted_once(
    offices, django_assert_num_queries
):
    from dashboard.figures import FIGURES, PENDING, figures_for

    office, people = offices["seogu"]
    clerk = people["clerk"]
    counted: dict = {}
    figures_for(FIGURES, viewer=clerk, office=office, counted=counted)
    # Of the clerk's three pending items only the certificates count rows no figure counted.
    with django_assert_num_queries(1):
        pending = figures_for(PENDING, viewer=clerk, office=office, counted=counted)
    assert {p.key: p.value for p in pending}["pending_district_applications"] == 4
