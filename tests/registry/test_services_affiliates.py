from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registry import services
from registry.choices import AffiliateStatus, StrikeOffReason
from registry.models import AffiliateRegistration, RestrictedBusinessType
from registry.selectors import affiliate_eligibility
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "settlement_bank": "광주은행",
    "settlement_account": "123-456-789012",
    "settlement_holder": "홍길동",
}


@pytest.fixture
def member_store(office):
    store = StoreFactory(office=office, annual_sales=400_000_000)
    MembershipFactory(store=store, district__office=office, joined_on=date(2025, 7, 1))
    return store


def approve(registration, user, **overrides):
    kwargs = {"affiliate_number": "ON-0001", "approved_on": date(2026, 1, 5), **ACCOUNT}
    return services.affiliate_approve(
        registration=registration, user=user, **{**kwargs, **overrides}
    )


def test_an_application_is_made_per_certificate_type(member_store, clerk):
    card = services.affiliate_apply(store=member_store, certificate_type="card", user=clerk)
    paper = services.affiliate_apply(store=member_store, certificate_type="paper", user=clerk)
    assert {card.status, paper.status} == {AffiliateStatus.APPLIED}
    with pytest.raises(ValidationError) as exc:
        services.affiliate_apply(store=member_store, certificate_type="card", user=clerk)
    assert exc.value.error_dict["certificate_type"][0].code == "duplicate_registration"


def test_an_unknown_certificate_type_is_refused(member_store, clerk):
    with pytest.raises(ValidationError):
        services.affiliate_apply(store=member_store, certificate_type="crypto", user=clerk)
    assert not AffiliateRegistration.objects.exists()


def test_approval_records_number_date_account_and_decider(member_store, clerk):
    registration = AffiliateRegistrationFactory(store=member_store)
    approve(registration, clerk, valid_until=date(2028, 1, 4))
    registration.refresh_from_db()
    assert registration.status == AffiliateStatus.APPROVED
    assert registration.affiliate_number == "ON-0001"
    assert registration.approved_on == date(2026, 1, 5)
    assert registration.settlement_account == "123-456-789012"
    assert registration.decided_by == clerk


def test_approval_needs_the_number_and_the_whole_account(member_store, clerk):
    registration = AffiliateRegistrationFactory(store=member_store)
    with pytest.raises(ValidationError) as exc:
        approve(registration, clerk, affiliate_number=" ", settlement_account="")
    assert set(exc.value.error_dict) == {"affiliate_number", "settlement_account"}
    registration.refresh_from_db()
    assert registration.status == AffiliateStatus.APPLIED


def test_a_store_outside_any_designated_district_is_not_eligible(office, clerk):
    registration = AffiliateRegistrationFactory(store=StoreFactory(office=office))
    with pytest.raises(ValidationError) as exc:
        approve(registration, clerk)
    assert exc.value.code == "not_eligible"
    registration.refresh_from_db()
    assert registration.status == AffiliateStatus.APPLIED


def test_a_store_the_office_marks_as_in_a_traditional_market_is_eligible(office, clerk):
    store = StoreFactory(office=office, in_traditional_market=True)
    approve(AffiliateRegistrationFactory(store=store), clerk)


def test_a_restricted_business_type_is_named_in_the_refusal(office, member_store, clerk):
    RestrictedBusinessType.objects.create(office=office, ksic_code="56211", name="일반유흥 주점업")
    member_store.ksic_code = "56211"
    member_store.save()
    with pytest.raises(ValidationError) as exc:
        approve(AffiliateRegistrationFactory(store=member_store), clerk)
    assert "56211" in exc.value.messages[0]


def test_sales_over_the_office_cap_are_not_eligible(office, member_store, clerk):
    member_store.annual_sales = office.affiliate_sales_cap + 1
    member_store.save()
    failed = [c.rule for c in affiliate_eligibility(member_store) if not c.passed]
    assert failed == ["annual_sales"]


def test_a_store_struck_off_recently_must_wait_out_the_ban(member_store, clerk):
    ApprovedAffiliateFactory(
        store=member_store,
        certificate_type="paper",
        status=AffiliateStatus.REVOKED,
        revoked_on=date(2025, 12, 1),
        strike_off_reason=StrikeOffReason.MISUSE,
    )
    registration = AffiliateRegistrationFactory(store=member_store)
    with pytest.raises(ValidationError):
        approve(registration, clerk, approved_on=date(2026, 2, 28))
    approve(registration, clerk, approved_on=date(2026, 3, 1))


def test_the_same_affiliate_number_cannot_be_issued_twice_for_a_type(office, member_store, clerk):
    approve(AffiliateRegistrationFactory(store=member_store), clerk)
    other = StoreFactory(office=office, in_traditional_market=True)
    with pytest.raises(ValidationError) as exc:
        approve(AffiliateRegistrationFactory(store=other), clerk)
    assert "affiliate_number" in exc.value.error_dict


def test_rejection_needs_a_reason_and_only_applies_to_applications(member_store, clerk):
    registration = AffiliateRegistrationFactory(store=member_store)
    with pytest.raises(ValidationError):
        services.affiliate_reject(registration=registration, user=clerk, reason="")
    services.affiliate_reject(registration=registration, user=clerk, reason="서류 미비")
    with pytest.raises(ValidationError) as exc:
        services.affiliate_reject(registration=registration, user=clerk, reason="again")
    assert exc.value.code == "invalid_transition"


def test_strike_off_keeps_the_reason_and_frees_the_type_for_a_new_application(member_store, clerk):
    registration = ApprovedAffiliateFactory(store=member_store)
    with pytest.raises(ValidationError):
        services.affiliate_strike_off(registration=registration, user=clerk, reason="other")
    services.affiliate_strike_off(
        registration=registration,
        user=clerk,
        reason=StrikeOffReason.MISUSE,
        note="부정유통",
        revoked_on=date(2026, 1, 10),
    )
    registration.refresh_from_db()
    assert registration.status == AffiliateStatus.REVOKED
    assert (registration.strike_off_reason, registration.strike_off_note) == ("misuse", "부정유통")
    services.affiliate_apply(store=member_store, certificate_type="card", user=clerk)


def test_only_approved_registrations_can_be_struck_off(member_store, clerk):
    with pytest.raises(ValidationError):
        services.affiliate_strike_off(
            registration=AffiliateRegistrationFactory(store=member_store),
            user=clerk,
            reason=StrikeOffReason.MISUSE,
        )


def test_the_settlement_account_can_be_changed_but_not_emptied(member_store, clerk):
    registration = ApprovedAffiliateFactory(store=member_store)
    with pytest.raises(ValidationError):
        services.affiliate_change(
            registration=registration,
            user=clerk,
            settlement_bank="",
            settlement_account="1",
            settlement_holder="홍길동",
        )
    services.affiliate_change(
        registration=registration,
        user=clerk,
        settlement_bank="농협",
        settlement_account="302-1234-5678-91",
        settlement_holder="홍길동",
    )
    registration.refresh_from_db()
    assert registration.settlement_bank == "농협"


def test_renewal_extends_validity_and_rechecks_eligibility(member_store, clerk):
    registration = ApprovedAffiliateFactory(store=member_store, valid_until=date(2030, 1, 1))
    with pytest.raises(ValidationError):
        services.affiliate_renew(
            registration=registration, user=clerk, valid_until=date(2029, 1, 1)
        )
    services.affiliate_renew(registration=registration, user=clerk, valid_until=date(2032, 1, 1))
    registration.refresh_from_db()
    assert registration.valid_until == date(2032, 1, 1)
    member_store.annual_sales = 10_000_000_000
    member_store.save()
    with pytest.raises(ValidationError):
        services.affiliate_renew(
            registration=registration, user=clerk, valid_until=date(2034, 1, 1)
        )
