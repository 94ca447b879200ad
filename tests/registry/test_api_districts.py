from datetime import date, timedelta

import pytest

from core.clock import local_today
from registry.choices import DistrictStatus
from registry.models import AccessLog, District, Membership
from tests.registry.api_support import access_rows, api_for, ids, queries_for, staff
from tests.registry.factories import (
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/districts/"


def detail(district, suffix=""):
    return f"{URL}{district.pk}/{suffix}"


@pytest.fixture
def application(office, dong):
    return DistrictFactory(
        office=office, name="치평 먹자골목", dongs=[dong], applied_on=local_today()
    )


@pytest.fixture
def designated(office, dong):
    return DesignatedDistrictFactory(
        office=office, name="상무 골목", dongs=[dong], designation_no="서구-2025-001"
    )


@pytest.fixture
def foreign(other_office):
    return DistrictFactory(office=other_office, name="동구 골목")


def counts() -> tuple[int, int, int]:
    return District.objects.count(), District.history.count(), AccessLog.objects.count()


# --- Roles and the office wall ---------------------------------------------------------------


def test_anonymous_callers_get_401():
    assert api_for().get(URL).status_code == 401


def test_a_role_without_district_permissions_is_forbidden(office):
    cashback = staff(office, "auditor")
    assert api_for(cashback).get(URL).status_code == 200
    assert api_for(staff(office)).get(URL).status_code == 403


def test_the_list_excludes_other_offices(clerk, application, foreign):
    assert ids(api_for(clerk).get(URL)) == {application.pk}


def test_a_superuser_lists_every_office_and_filters_by_office(superuser, application, foreign):
    client = api_for(superuser)
    assert ids(client.get(URL)) == {application.pk, foreign.pk}
    assert ids(client.get(URL, {"office": foreign.office.code})) == {foreign.pk}


def test_another_offices_district_is_not_found_for_any_action(clerk, foreign):
    client = api_for(clerk)
    assert client.get(detail(foreign)).status_code == 404
    assert client.get(detail(foreign, "checks/")).status_code == 404
    assert client.patch(detail(foreign), {"location": "x"}, format="json").status_code == 404
    response = client.post(
        detail(foreign, "designate/"), {"designation_no": "동구-1"}, format="json"
    )
    assert response.status_code == 404
    assert District.objects.get(pk=foreign.pk).status == DistrictStatus.APPLIED


def test_a_supervisor_cannot_decide(office, application):
    client = api_for(staff(office, "supervisor"))
    response = client.post(detail(application, "designate/"), {"designation_no": "서구-1"})
    assert response.status_code == 403
    assert client.post(URL, {"name": "새 골목"}, format="json").status_code == 403
    assert District.objects.get(pk=application.pk).status == DistrictStatus.APPLIED


# --- Presentation ----------------------------------------------------------------------------


def test_a_district_shows_counted_area_member_count_and_due_date(clerk, office, designated):
    for _ in range(2):
        MembershipFactory(store=StoreFactory(office=office), district=designated)
    MembershipFactory(
        store=StoreFactory(office=office),
        district=designated,
        joined_on=date(2025, 7, 1),
        left_on=date(2025, 8, 1),
    )
    row = api_for(clerk).get(detail(designated)).json()
    assert row["counted_area_m2"] == 1600
    assert row["member_count"] == 2
    assert row["due_on"] == "2026-01-19"
    assert row["overdue"] is False
    assert row["dongs"] == [{"id": designated.dongs.get().pk, "name": "치평동"}]


def test_an_open_application_past_its_due_date_is_flagged(clerk, office):
    late = DistrictFactory(office=office, applied_on=local_today() - timedelta(days=15))
    row = api_for(clerk).get(detail(late)).json()
    assert row["overdue"] is True
    assert row["due_on"] == (local_today() - timedelta(days=1)).isoformat()


def test_the_representative_is_masked_without_the_contact_permission(office, designated):
    row = api_for(staff(office, "supervisor")).get(URL).json()["results"][0]
    assert (row["representative"], row["association_phone"]) == ("김*표", "062-****-4567")
    assert not AccessLog.objects.exists()


def test_an_unmasked_district_view_is_access_logged(clerk, designated):
    row = api_for(clerk).get(detail(designated)).json()
    assert row["representative"] == "김대표"
    assert [(r.action, r.model, r.object_pk) for r in access_rows()] == [
        ("view", "registry.District", str(designated.pk))
    ]


# --- Filters ---------------------------------------------------------------------------------


def test_filter_by_status_takes_one_or_several(clerk, application, designated):
    client = api_for(clerk)
    assert ids(client.get(URL, {"status": "designated"})) == {designated.pk}
    both = client.get(f"{URL}?status=designated&status=applied")
    assert ids(both) == {designated.pk, application.pk}


def test_filter_by_dong_takes_an_id_or_a_name(clerk, office, application):
    elsewhere = DistrictFactory(office=office, dongs=[DongFactory(office=office, name="풍암동")])
    client = api_for(clerk)
    assert ids(client.get(URL, {"dong": "풍암동"})) == {elsewhere.pk}
    assert ids(client.get(URL, {"dong": str(application.dongs.get().pk)})) == {application.pk}


def test_search_matches_name_or_designation_number(clerk, application, designated):
    client = api_for(clerk)
    assert ids(client.get(URL, {"q": "먹자"})) == {application.pk}
    assert ids(client.get(URL, {"q": "2025-001"})) == {designated.pk}


def test_filter_overdue(clerk, office, application, designated):
    late = DistrictFactory(office=office, applied_on=local_today() - timedelta(days=30))
    client = api_for(clerk)
    assert ids(client.get(URL, {"overdue": "true"})) == {late.pk}
    assert ids(client.get(URL, {"overdue": "false"})) == {application.pk, designated.pk}


# --- Apply and correct -----------------------------------------------------------------------


def application_body(**overrides):
    return {
        "name": "화정 골목",
        "dongs": ["치평동"],
        "area_m2": 1900,
        "excluded_area_m2": 100,
        "small_business_store_count": 20,
        "store_count": 25,
        "association_name": "화정 상인회",
        "representative": "이대표",
        "merchant_count": 25,
        "consenting_merchants": 20,
        **overrides,
    }


def test_staff_file_an_application_into_their_own_office(clerk, office, dong):
    response = api_for(clerk).post(URL, application_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["office"], body["status"], body["member_count"]) == (office.code, "applied", 0)
    assert body["applied_on"] == local_today().isoformat()
    district = District.objects.get(pk=body["id"])
    assert list(district.dongs.all()) == [dong]
    assert [r.action for r in access_rows()] == ["add"]


def test_dongs_may_be_given_by_id(clerk, dong):
    response = api_for(clerk).post(URL, application_body(dongs=[dong.pk]), format="json")
    assert response.status_code == 201
    assert response.json()["dongs"] == [{"id": dong.pk, "name": "치평동"}]


def test_a_superuser_files_into_the_office_named_by_code(superuser, other_office):
    DongFactory(office=other_office, name="산수동")
    response = api_for(superuser).post(
        URL, application_body(office=other_office.code, dongs=["산수동"]), format="json"
    )
    assert response.status_code == 201, response.content
    assert District.objects.get().office_id == other_office.pk


def test_staff_cannot_file_into_another_office(clerk, other_office, dong):
    before = counts()
    response = api_for(clerk).post(URL, application_body(office=other_office.code), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["office"]
    assert counts() == before


def test_an_unknown_office_code_is_refused(superuser):
    response = api_for(superuser).post(URL, application_body(office="99999"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["office"]


def test_a_duplicate_name_is_refused_by_the_service(clerk, application):
    before = counts()
    response = api_for(clerk).post(
        URL, application_body(name=application.name), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "This office already has a district with this name."
    ]
    assert counts() == before


def test_an_inconsistent_application_is_refused_with_the_constraint_message(clerk, dong):
    response = api_for(clerk).post(
        URL,
        application_body(area_m2=100, excluded_area_m2=500),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "excluded area cannot be larger" in str(response.json())
    assert not District.objects.exists()


def test_an_unknown_dong_name_is_refused(clerk):
    response = api_for(clerk).post(URL, application_body(dongs=["없는동"]), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["dongs"]
    assert not District.objects.exists()


def test_patch_corrects_an_application(clerk, office, application):
    DongFactory(office=office, name="풍암동")
    response = api_for(clerk).patch(
        detail(application),
        {"location": "치평동 1-1", "dongs": ["풍암동", "치평동"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert {d["name"] for d in response.json()["dongs"]} == {"풍암동", "치평동"}
    assert District.objects.get(pk=application.pk).location == "치평동 1-1"


def test_patch_of_a_designated_district_may_not_touch_its_area(clerk, designated):
    before = counts()
    response = api_for(clerk).patch(detail(designated), {"area_m2": 10}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "not_changeable"
    assert counts() == before


def test_patch_refuses_the_status(clerk, application):
    response = api_for(clerk).patch(detail(application), {"status": "designated"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["status"]
    assert District.objects.get(pk=application.pk).status == DistrictStatus.APPLIED


# --- Decisions -------------------------------------------------------------------------------


def test_designation_records_number_date_and_decider(clerk, application):
    response = api_for(clerk).post(
        detail(application, "designate/"),
        {"designation_no": "서구-2026-001", "designated_on": "2026-01-20"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["designation_no"], body["designated_on"]) == (
        "designated",
        "서구-2026-001",
        "2026-01-20",
    )
    assert body["decided_by"] == "clerk"


def test_designation_despite_failed_criteria_needs_a_reason(clerk, office):
    weak = DistrictFactory(office=office, small_business_store_count=3)
    client = api_for(clerk)
    refused = client.post(detail(weak, "designate/"), {"designation_no": "서구-9"}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()) == ["override_reason"]
    assert District.objects.get(pk=weak.pk).status == DistrictStatus.APPLIED
    accepted = client.post(
        detail(weak, "designate/"),
        {"designation_no": "서구-9", "override_reason": "시장 정비 예정"},
        format="json",
    )
    assert accepted.status_code == 200
    assert accepted.json()["override_reason"] == "시장 정비 예정"


def test_a_designation_number_in_use_is_refused(clerk, application, designated):
    response = api_for(clerk).post(
        detail(application, "designate/"), {"designation_no": "서구-2025-001"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["designation_no"]
    assert District.objects.get(pk=application.pk).designation_no is None


def test_a_designated_district_cannot_be_designated_again(clerk, designated):
    response = api_for(clerk).post(
        detail(designated, "designate/"), {"designation_no": "서구-X"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"


def test_rejection_needs_a_reason_named_reason(clerk, application):
    client = api_for(clerk)
    blank = client.post(detail(application, "reject/"), {"reason": " "}, format="json")
    assert blank.status_code == 400
    assert list(blank.json()) == ["reason"]
    missing = client.post(detail(application, "reject/"), {}, format="json")
    assert missing.status_code == 400
    assert list(missing.json()) == ["reason"]
    assert District.objects.get(pk=application.pk).status == DistrictStatus.APPLIED
    done = client.post(detail(application, "reject/"), {"reason": "동의율 부족"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["rejection_reason"]) == ("rejected", "동의율 부족")


def test_revocation_ends_current_memberships(clerk, office, designated):
    membership = MembershipFactory(store=StoreFactory(office=office), district=designated)
    response = api_for(clerk).post(
        detail(designated, "revoke/"),
        {"ground": "trading_stopped", "reason": "1년 이상 휴업", "revoked_on": "2026-02-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["revocation_ground"], body["member_count"]) == (
        "revoked",
        "trading_stopped",
        0,
    )
    assert Membership.objects.get(pk=membership.pk).left_on == date(2026, 2, 1)


def test_revocation_refuses_an_unknown_ground_and_a_date_before_designation(clerk, designated):
    client = api_for(clerk)
    bad_ground = client.post(detail(designated, "revoke/"), {"ground": "whim"}, format="json")
    assert bad_ground.status_code == 400
    assert list(bad_ground.json()) == ["ground"]
    too_early = client.post(
        detail(designated, "revoke/"),
        {"ground": "falsehood", "revoked_on": "2020-01-01"},
        format="json",
    )
    assert too_early.status_code == 400
    assert list(too_early.json()) == ["revoked_on"]
    assert District.objects.get(pk=designated.pk).status == DistrictStatus.DESIGNATED


def test_the_checks_are_the_criteria_lines(clerk, office):
    weak = DistrictFactory(office=office, small_business_store_count=3)
    body = api_for(clerk).get(detail(weak, "checks/")).json()
    assert body["passed"] is False
    assert [(c["rule"], c["passed"]) for c in body["checks"]] == [
        ("area", True),
        ("stores", False),
        ("association", True),
        ("merchant_consent", True),
    ]


# --- Query counts ----------------------------------------------------------------------------


def test_the_list_takes_the_same_queries_for_3_or_30_districts(
    office, dong, clerk, django_assert_max_num_queries
):
    def populate(n):
        for _ in range(n):
            district = DesignatedDistrictFactory(office=office, dongs=[dong])
            MembershipFactory(store=StoreFactory(office=office, dong=dong), district=district)

    client = api_for(clerk)
    populate(3)
    client.get(URL)
    few, _ = queries_for(client, URL)
    populate(27)
    many, response = queries_for(client, URL)
    assert response.json()["count"] == 30
    assert {r["member_count"] for r in response.json()["results"]} == {1}
    assert many == few
    with django_assert_max_num_queries(6):
        client.get(URL, {"dong": "치평동", "status": "designated", "overdue": "false"})
