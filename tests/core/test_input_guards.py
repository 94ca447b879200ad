"""Inputs that used to end in server errors: digits other than 0 to 9 where an id or a page is
expected, and timestamps whose UTC offset PostgreSQL cannot hold. Each is a 400 in Korean or
is read correctly; none is a 500."""

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from django.test import Client

from tests.hotline.conftest import intake, seoul
from tests.registry.api_support import api_for
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DIGITS = "숫자는 0부터 9까지의 아라비아 숫자로 입력하십시오."
FOREIGN = ["٣", "３", "²", "١٢", "１２"]


@pytest.fixture
def staff(office):
    return UserFactory(
        office=office, roles=["clerk", "supervisor", "hotline_operator", "cashback_manager"]
    )


@pytest.fixture
def store(office, dong):
    store = StoreFactory(office=office, dong=dong)
    district = DesignatedDistrictFactory(office=office, dongs=[dong])
    MembershipFactory(store=store, district=district)
    ApprovedAffiliateFactory(store=store)
    return store


@pytest.mark.parametrize("value", FOREIGN)
@pytest.mark.parametrize("param", ["page", "page_size"])
def test_a_page_in_other_digits_is_a_400_in_korean(staff, store, param, value):
    response = api_for(staff).get("/api/v1/stores/", {param: value})
    assert response.status_code == 400
    assert response.json() == {param: [DIGITS]}


@pytest.mark.parametrize("value", FOREIGN)
@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/api/v1/stores/", "dong"),
        ("/api/v1/stores/", "district"),
        ("/api/v1/districts/", "dong"),
        ("/api/v1/affiliations/", "district"),
        ("/api/v1/affiliations/", "dong"),
        ("/api/v1/hotline/cases/", "assignee"),
    ],
)
def test_an_id_filter_in_other_digits_is_a_400_in_korean(staff, store, url, param, value):
    response = api_for(staff).get(url, {param: value})
    assert response.status_code == 400
    assert response.json() == {param: [DIGITS]}


def test_ids_and_names_in_ascii_digits_and_letters_still_filter(staff, store, dong):
    client = api_for(staff)
    assert client.get("/api/v1/stores/", {"dong": str(dong.pk)}).json()["count"] == 1
    assert client.get("/api/v1/stores/", {"dong": dong.name}).json()["count"] == 1
    assert client.get("/api/v1/stores/", {"page": "1"}).status_code == 200


def test_an_assignee_in_other_digits_is_a_user_not_found_not_a_server_error(staff, office):
    case = intake(office, staff)
    response = api_for(staff).post(
        f"/api/v1/hotline/cases/{case.number}/assign/", {"assignee": "²"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"assignee": ["이 지자체에 ² 사용자가 없습니다."]}


@pytest.mark.parametrize(
    "offset", ["+14:00", "-12:00", "+05:45", "+05:45:30", "+23:59", "-23:59", "+09:00:01"]
)
def test_times_with_any_utc_offset_filter_cases_by_the_instant_they_name(staff, office, offset):
    intake(office, staff, at=seoul(2026, 3, 9, 10))  # 01:00 UTC
    instant = datetime(2026, 3, 9, 1, tzinfo=UTC)
    sign = -1 if offset[0] == "-" else 1
    hours, minutes, *seconds = (int(part) for part in offset[1:].split(":"))
    shift = timezone(sign * timedelta(hours=hours, minutes=minutes, seconds=sum(seconds)))
    at = instant.astimezone(shift).replace(tzinfo=None).isoformat() + offset
    client = api_for(staff)
    after = client.get("/api/v1/hotline/cases/", {"received_after": at})
    before = client.get("/api/v1/hotline/cases/", {"received_before": at})
    assert (after.status_code, before.status_code) == (200, 200)
    assert (after.json()["count"], before.json()["count"]) == (1, 0)


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00"])
def test_times_at_the_ends_of_the_calendar_do_not_fail_a_list(staff, office, value):
    intake(office, staff)
    response = api_for(staff).get("/api/v1/hotline/cases/", {"received_after": value})
    assert response.status_code == 200


def test_an_admin_date_lookup_with_an_offset_postgresql_lacks_is_read(superuser):
    client = Client()
    client.force_login(superuser)
    at = quote("2026-01-09T10:00:00+23:59")
    response = client.get(f"/admin/authtoken/tokenproxy/?created__gte={at}")
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["x", "²", "٣", "1.5", "99999999999999999999"])
def test_admin_filters_given_a_bad_id_list_nothing(staff, store, value):
    client = Client()
    client.force_login(staff)
    affiliations = client.get("/admin/registry/affiliateregistration/", {"district": value})
    cases = client.get("/admin/hotline/case/", {"assignee": value})
    assert (affiliations.status_code, cases.status_code) == (200, 200)
    assert affiliations.context["cl"].result_count == 0


def test_a_dong_in_other_digits_in_a_body_is_a_dong_not_found_not_a_server_error(staff, dong):
    body = {
        "business_number": "124-81-00998",
        "trade_name": "새 가게",
        "representative": "김영희",
        "dong": "²",
        "ksic_code": "56111",
    }
    response = api_for(staff).post("/api/v1/stores/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["dong"]
