"""The Onnuri affiliate admin: eligibility lines, and every decision through a service."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.choices import AccessAction
from core.clock import local_today
from registry.choices import AffiliateStatus, StrikeOffReason
from registry.models import AccessLog, AffiliateRegistration
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:registry_affiliateregistration_changelist")


@pytest.fixture
def logged_in(client, clerk):
    client.force_login(clerk)
    return client


@pytest.fixture
def eligible(office, dong):
    """An application of a store that is a member of a designated district."""
    store = StoreFactory(office=office, dong=dong, trade_name="풍암 떡집")
    MembershipFactory(store=store, district=DesignatedDistrictFactory(office=office))
    return AffiliateRegistrationFactory(store=store)


@pytest.fixture
def ineligible(office, dong):
    """An application of a store in no district and no traditional market."""
    store = StoreFactory(office=office, dong=dong, trade_name="외딴 가게")
    return AffiliateRegistrationFactory(store=store)


def url(name, registration):
    name = name.replace("-", "_")
    return reverse(f"admin:registry_affiliateregistration_{name}", args=[registration.pk])


APPROVAL = {
    "affiliate_number": "ON-2026-0001",
    "approved_on": "2026-02-01",
    "valid_until": "2028-01-31",
    "settlement_bank": "광주은행",
    "settlement_account": "123-456-789012",
    "settlement_holder": "홍길동",
}


def test_the_change_page_shows_the_eligibility_lines_and_the_decision_buttons(
    logged_in, ineligible
):
    response = logged_in.get(url("change", ineligible))
    assert response.status_code == 200
    assert 'class="fail" data-rule="zone"' in response.text
    assert 'class="pass" data-rule="store_active"' in response.text
    assert [b["url"] for b in response.context["object_buttons"]] == [
        url("approve", ineligible),
        url("reject", ineligible),
    ]
    assert response.context["show_save"] is False


def test_approving_an_ineligible_store_names_the_failing_rule(logged_in, ineligible):
    response = logged_in.post(
        url("approve", ineligible), APPROVAL, headers={"accept-language": "en"}
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "not eligible" in errors
    assert "not a member of a designated district" in errors
    ineligible.refresh_from_db()
    assert ineligible.status == AffiliateStatus.APPLIED
    assert ineligible.affiliate_number is None


def test_approving_an_eligible_store_records_number_and_account(logged_in, clerk, eligible):
    response = logged_in.post(url("approve", eligible), APPROVAL)
    assert response.status_code == 302
    eligible.refresh_from_db()
    assert eligible.status == AffiliateStatus.APPROVED
    assert eligible.affiliate_number == "ON-2026-0001"
    assert eligible.approved_on == date(2026, 2, 1)
    assert eligible.settlement_account == "123-456-789012"
    assert eligible.decided_by == clerk


def test_missing_settlement_details_are_refused_under_their_fields(logged_in, eligible):
    response = logged_in.post(url("approve", eligible), {**APPROVAL, "settlement_bank": ""})
    assert "settlement_bank" in response.context["form"].errors
    eligible.refresh_from_db()
    assert eligible.status == AffiliateStatus.APPLIED


def test_rejecting_without_a_reason_is_refused(logged_in, eligible):
    response = logged_in.post(url("reject", eligible), {"rejection_reason": ""})
    assert "rejection_reason" in response.context["form"].errors
    eligible.refresh_from_db()
    assert eligible.status == AffiliateStatus.APPLIED


def test_bulk_rejection_rejects_applications_with_one_reason(logged_in, eligible, ineligible):
    selected = {"action": "reject_selected", "_selected_action": [eligible.pk, ineligible.pk]}
    empty = logged_in.post(CHANGELIST, {**selected, "apply": "1", "rejection_reason": ""})
    assert "rejection_reason" in empty.context["form"].errors
    assert AffiliateRegistration.objects.filter(status=AffiliateStatus.APPLIED).count() == 2
    done = logged_in.post(CHANGELIST, {**selected, "apply": "1", "rejection_reason": "서류 미비"})
    assert done.status_code == 302
    assert AffiliateRegistration.objects.filter(status=AffiliateStatus.REJECTED).count() == 2


def test_striking_off_needs_a_reason_and_keeps_it(logged_in, office, dong):
    registration = ApprovedAffiliateFactory(store=StoreFactory(office=office, dong=dong))
    refused = logged_in.post(url("strike-off", registration), {"strike_off_note": "x"})
    assert "strike_off_reason" in refused.context["form"].errors
    response = logged_in.post(
        url("strike-off", registration),
        {"strike_off_reason": "misuse", "strike_off_note": "환전 적발", "revoked_on": "2026-01-20"},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == AffiliateStatus.REVOKED
    assert registration.strike_off_reason == StrikeOffReason.MISUSE
    assert registration.revoked_on == date(2026, 1, 20)


def test_renewal_extends_an_eligible_affiliation(logged_in, eligible):
    eligible.status = AffiliateStatus.APPROVED
    eligible.affiliate_number = "ON-1"
    eligible.valid_until = local_today() + timedelta(days=10)
    eligible.save()
    later = local_today() + timedelta(days=400)
    earlier = logged_in.post(url("renew", eligible), {"valid_until": local_today().isoformat()})
    assert "valid_until" in earlier.context["form"].errors
    response = logged_in.post(url("renew", eligible), {"valid_until": later.isoformat()})
    assert response.status_code == 302
    eligible.refresh_from_db()
    assert eligible.valid_until == later


def test_the_settlement_account_is_changed_through_the_service(logged_in, office, dong):
    registration = ApprovedAffiliateFactory(store=StoreFactory(office=office, dong=dong))
    page = logged_in.get(url("settlement", registration))
    assert page.context["form"].initial["settlement_bank"] == "광주은행"
    response = logged_in.post(
        url("settlement", registration),
        {
            "settlement_bank": "농협",
            "settlement_account": "301-0000-1111",
            "settlement_holder": "홍길동",
        },
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.settlement_bank == "농협"


def test_a_new_application_is_filed_through_the_service(logged_in, clerk, office, dong):
    store = StoreFactory(office=office, dong=dong)
    add = reverse("admin:registry_affiliateregistration_add")
    response = logged_in.post(add, {"store": store.pk, "certificate_type": "paper"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    registration = AffiliateRegistration.objects.get(store=store)
    assert registration.status == AffiliateStatus.APPLIED
    assert registration.applied_on == local_today()
    assert registration.history.first().history_user == clerk
    again = logged_in.post(add, {"store": store.pk, "certificate_type": "paper"})
    assert again.status_code == 200
    assert "certificate_type" in again.context["adminform"].form.errors
    assert AffiliateRegistration.objects.filter(store=store).count() == 1


def test_opening_a_registration_is_logged_and_masks_the_holder_without_permission(
    client, office, dong
):
    registration = ApprovedAffiliateFactory(store=StoreFactory(office=office, dong=dong))
    supervisor = UserFactory(username="sup", office=office, roles=["supervisor"])
    client.force_login(supervisor)
    response = client.get(url("change", registration))
    assert response.status_code == 200
    assert "홍*동" in response.text
    assert response.context["object_buttons"] == []
    assert AccessLog.objects.filter(
        user=supervisor, action=AccessAction.VIEW, object_pk=str(registration.pk)
    ).exists()


def test_search_finds_registrations_by_store_name_or_number(logged_in, eligible, ineligible):
    by_name = logged_in.get(CHANGELIST, {"q": "떡집"})
    assert list(by_name.context["cl"].result_list) == [eligible]
    number = eligible.store.business_number
    by_number = logged_in.get(CHANGELIST, {"q": f"{number[:3]}-{number[3:5]}-{number[5:]}"})
    assert list(by_number.context["cl"].result_list) == [eligible]


def test_filters_by_status_dong_and_current_district(logged_in, eligible, ineligible):
    district = eligible.store.memberships.get().district
    by_district = logged_in.get(CHANGELIST, {"district": str(district.pk)})
    assert list(by_district.context["cl"].result_list) == [eligible]
    by_dong = logged_in.get(CHANGELIST, {"store__dong__id__exact": str(eligible.store.dong_id)})
    assert set(by_dong.context["cl"].result_list) == {eligible, ineligible}
    approved = logged_in.get(CHANGELIST, {"status__exact": "approved"})
    assert list(approved.context["cl"].result_list) == []


def test_the_affiliate_list_runs_the_same_queries_for_5_or_50_rows(
    client, clerk, office, dong, django_assert_max_num_queries
):
    def build(count):
        for _ in range(count):
            ApprovedAffiliateFactory(store=StoreFactory(office=office, dong=dong))

    client.force_login(clerk)
    build(5)
    client.get(CHANGELIST)
    with CaptureQueriesContext(connection) as few:
        client.get(CHANGELIST)
    build(45)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 50


def test_the_settlement_account_is_masked_for_roles_without_the_contact_permission(client, office):
    from tests.registry.factories import ApprovedAffiliateFactory, StoreFactory, UserFactory

    registration = ApprovedAffiliateFactory(
        store=StoreFactory(office=office), settlement_account="873-060-805588"
    )
    client.force_login(UserFactory(office=office, roles=["supervisor"]))
    page = client.get(url("change", registration)).content.decode()
    assert "873-060-805588" not in page and "5588" in page
    client.force_login(UserFactory(office=office, roles=["clerk"]))
    assert "873-060-805588" in client.get(url("change", registration)).content.decode()
