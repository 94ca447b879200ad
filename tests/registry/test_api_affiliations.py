from datetime import date, timedelta

import pytest

from core.clock import local_today
from registry.choices import AffiliateStatus, CertificateType, StoreStatus
from registry.models import AccessLog, AffiliateRegistration, RestrictedBusinessType
from tests.registry.api_support import access_rows, api_for, ids, queries_for, staff
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/affiliations/"
ACCOUNT = {
    "settlement_bank": "광주은행",
    "settlement_account": "123-456-789012",
    "settlement_holder": "홍길동",
}


def detail(registration, suffix=""):
    return f"{URL}{registration.pk}/{suffix}"


@pytest.fixture
def district(office, dong):
    return DesignatedDistrictFactory(office=office, name="상무 골목", dongs=[dong])


@pytest.fixture
def member_store(office, dong, district):
    store = StoreFactory(office=office, dong=dong, trade_name="상무 국밥")
    MembershipFactory(store=store, district=district, joined_on=date(2025, 7, 1))
    return store


@pytest.fixture
def application(member_store):
    return AffiliateRegistrationFactory(store=member_store, certificate_type=CertificateType.CARD)


@pytest.fixture
def approved(member_store):
    return ApprovedAffiliateFactory(
        store=member_store, certificate_type=CertificateType.PAPER, valid_until=date(2027, 1, 1)
    )


@pytest.fixture
def foreign(other_office):
    return AffiliateRegistrationFactory(store=StoreFactory(office=other_office))


def counts():
    return (
        AffiliateRegistration.objects.count(),
        AffiliateRegistration.history.count(),
        AccessLog.objects.count(),
    )


# --- Roles and the office wall ---------------------------------------------------------------


def test_anonymous_callers_get_401():
    assert api_for().get(URL).status_code == 401


def test_a_hotline_operator_may_not_read_affiliations(office, application):
    assert api_for(staff(office, "hotline_operator")).get(URL).status_code == 403


def test_a_cashback_manager_reads_but_cannot_approve(office, application):
    client = api_for(staff(office, "cashback_manager"))
    assert ids(client.get(URL)) == {application.pk}
    response = client.post(detail(application, "approve/"), {"affiliate_number": "X", **ACCOUNT})
    assert response.status_code == 403
    assert AffiliateRegistration.objects.get(pk=application.pk).status == AffiliateStatus.APPLIED


def test_the_list_excludes_other_offices(clerk, application, foreign):
    assert ids(api_for(clerk).get(URL)) == {application.pk}


def test_another_offices_registration_is_not_found(clerk, foreign):
    client = api_for(clerk)
    assert client.get(detail(foreign)).status_code == 404
    assert client.get(detail(foreign, "eligibility/")).status_code == 404
    response = client.post(detail(foreign, "reject/"), {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert AffiliateRegistration.objects.get(pk=foreign.pk).status == AffiliateStatus.APPLIED


def test_a_superuser_sees_every_office(superuser, application, foreign):
    assert ids(api_for(superuser).get(URL)) == {application.pk, foreign.pk}


# --- Presentation ----------------------------------------------------------------------------


def test_the_account_holder_and_number_are_masked_without_the_contact_permission(office, approved):
    row = api_for(staff(office, "supervisor")).get(detail(approved)).json()
    assert (row["settlement_holder"], row["settlement_account"]) == ("홍*동", "********9012")
    assert row["business_number"] == approved.store.business_number_display
    (entry,) = AccessLog.objects.all()
    assert entry.detail == "API, 개인정보 가림"


def test_an_unmasked_list_is_access_logged(clerk, approved, application):
    results = api_for(clerk).get(URL).json()["results"]
    assert {r["settlement_holder"] for r in results} == {"홍길동", ""}
    # The application holds no account yet, so showing it shows no personal data.
    assert {(r.action, r.object_pk) for r in access_rows()} == {("view", str(approved.pk))}


# --- Filters ---------------------------------------------------------------------------------


def test_filters_by_status_type_and_store(clerk, office, application, approved):
    other = AffiliateRegistrationFactory(store=StoreFactory(office=office))
    client = api_for(clerk)
    assert ids(client.get(URL, {"status": "approved"})) == {approved.pk}
    assert ids(client.get(URL, {"certificate_type": "card"})) == {application.pk, other.pk}
    assert ids(client.get(URL, {"store": application.store_id})) == {application.pk, approved.pk}


def test_filters_by_the_stores_current_district_and_dong(clerk, office, district, application):
    elsewhere = StoreFactory(office=office, dong=DongFactory(office=office, name="풍암동"))
    outside = AffiliateRegistrationFactory(store=elsewhere)
    client = api_for(clerk)
    assert ids(client.get(URL, {"district": str(district.pk)})) == {application.pk}
    assert ids(client.get(URL, {"district": "상무 골목"})) == {application.pk}
    assert ids(client.get(URL, {"dong": "풍암동"})) == {outside.pk}
    assert ids(client.get(URL, {"dong": str(application.store.dong_id)})) == {application.pk}


# --- Apply -----------------------------------------------------------------------------------


def test_a_clerk_files_an_application(clerk, member_store):
    response = api_for(clerk).post(
        URL, {"store": member_store.pk, "certificate_type": "mobile"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["certificate_type"], body["store"]) == (
        "applied",
        "mobile",
        member_store.pk,
    )
    assert [r.action for r in access_rows()] == ["add"]


def test_a_second_live_application_of_the_same_type_is_refused(clerk, application):
    before = counts()
    response = api_for(clerk).post(
        URL, {"store": application.store_id, "certificate_type": "card"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["certificate_type"]
    assert counts() == before


def test_an_application_for_another_offices_store_is_refused(clerk, other_office):
    foreign_store = StoreFactory(office=other_office)
    response = api_for(clerk).post(
        URL, {"store": foreign_store.pk, "certificate_type": "card"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["store"]
    assert not AffiliateRegistration.objects.exists()


def test_an_unknown_certificate_type_is_refused(clerk, member_store):
    response = api_for(clerk).post(
        URL, {"store": member_store.pk, "certificate_type": "crypto"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["certificate_type"]


def test_a_closed_store_cannot_apply(clerk, office, dong):
    closed = StoreFactory(
        office=office, dong=dong, status=StoreStatus.CLOSED, closed_on=date(2026, 1, 1)
    )
    response = api_for(clerk).post(
        URL, {"store": closed.pk, "certificate_type": "card"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "store_closed"
    assert not AffiliateRegistration.objects.exists()


# --- Decisions -------------------------------------------------------------------------------


def test_approval_records_the_number_and_account(clerk, application):
    response = api_for(clerk).post(
        detail(application, "approve/"),
        {"affiliate_number": "ON-2026-1", "approved_on": str(local_today()), **ACCOUNT},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["affiliate_number"], body["decided_by"]) == (
        "approved",
        "ON-2026-1",
        "clerk",
    )
    assert body["settlement_holder"] == "홍길동"


def test_approval_of_an_ineligible_store_names_the_failing_rule(clerk, office, application):
    RestrictedBusinessType.objects.create(office=office, ksic_code="56111", name="한식")
    before = counts()
    response = api_for(clerk).post(
        detail(application, "approve/"), {"affiliate_number": "ON-1", **ACCOUNT}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_eligible"
    assert counts() == before


def test_approval_without_an_account_names_each_missing_field(clerk, application):
    response = api_for(clerk).post(
        detail(application, "approve/"),
        {"affiliate_number": "", **dict.fromkeys(ACCOUNT, "")},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {
        "affiliate_number",
        "settlement_bank",
        "settlement_account",
        "settlement_holder",
    }
    assert AffiliateRegistration.objects.get(pk=application.pk).status == AffiliateStatus.APPLIED


def test_rejection_needs_a_reason(clerk, application):
    client = api_for(clerk)
    blank = client.post(detail(application, "reject/"), {"reason": ""}, format="json")
    assert blank.status_code == 400
    assert list(blank.json()) == ["reason"]
    done = client.post(detail(application, "reject/"), {"reason": "업종 제한"}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "rejected"


def test_strike_off_keeps_the_reason_and_other_needs_a_note(clerk, approved):
    client = api_for(clerk)
    no_note = client.post(detail(approved, "strike-off/"), {"reason": "other"}, format="json")
    assert no_note.status_code == 400
    assert list(no_note.json()) == ["note"]
    bad = client.post(detail(approved, "strike-off/"), {"reason": "boredom"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["reason"]
    assert AffiliateRegistration.objects.get(pk=approved.pk).status == AffiliateStatus.APPROVED
    done = client.post(
        detail(approved, "strike-off/"),
        {"reason": "misuse", "note": "상품권 깡", "revoked_on": "2026-02-01"},
        format="json",
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["strike_off_reason"]) == ("revoked", "misuse")


def test_an_application_cannot_be_struck_off(clerk, application):
    response = api_for(clerk).post(
        detail(application, "strike-off/"), {"reason": "misuse"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_transition"


def test_renewal_moves_validity_forward_only(clerk, approved):
    client = api_for(clerk)
    earlier = client.post(detail(approved, "renew/"), {"valid_until": "2026-12-31"}, format="json")
    assert earlier.status_code == 400
    assert list(earlier.json()) == ["valid_until"]
    later = (local_today() + timedelta(days=800)).isoformat()
    done = client.post(detail(approved, "renew/"), {"valid_until": later}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["valid_until"] == later


def test_the_settlement_account_is_changed(clerk, approved):
    client = api_for(clerk)
    missing = client.post(
        detail(approved, "change-account/"), {**ACCOUNT, "settlement_bank": ""}, format="json"
    )
    assert missing.status_code == 400
    assert list(missing.json()) == ["settlement_bank"]
    done = client.post(
        detail(approved, "change-account/"),
        {**ACCOUNT, "settlement_account": "999-000-1111"},
        format="json",
    )
    assert done.status_code == 200
    assert AffiliateRegistration.objects.get(pk=approved.pk).settlement_account == "999-000-1111"
    assert [r.action for r in access_rows()] == ["change"]


def test_eligibility_lists_every_rule(clerk, office, application):
    RestrictedBusinessType.objects.create(office=office, ksic_code="56111", name="한식")
    body = api_for(clerk).get(detail(application, "eligibility/")).json()
    assert body["eligible"] is False
    assert {c["rule"]: c["passed"] for c in body["checks"]} == {
        "store_active": True,
        "zone": True,
        "business_type": False,
        "annual_sales": True,
        "reregistration_ban": True,
    }


# --- Query counts ----------------------------------------------------------------------------


def test_the_list_takes_the_same_queries_for_3_or_30_registrations(
    office, clerk, django_assert_max_num_queries
):
    def populate(n):
        for _ in range(n):
            ApprovedAffiliateFactory(store=StoreFactory(office=office))

    client = api_for(clerk)
    populate(3)
    client.get(URL)
    few, _ = queries_for(client, URL)
    populate(27)
    many, response = queries_for(client, URL)
    assert response.json()["count"] == 30
    assert many == few
    with django_assert_max_num_queries(5):
        client.get(URL, {"status": "approved", "certificate_type": "card"})
