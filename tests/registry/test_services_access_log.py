"""Every registry service that adds or changes a record holding personal data writes its
access-log row itself (SPEC 5), in its own transaction, with the reason its history row carries:
whichever face calls it, the change is logged once, and a refused change logs nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core.choices import AccessAction
from core.clock import local_today
from registry import services
from registry.choices import RevocationGround, StoreStatus, StrikeOffReason
from registry.models import AccessLog, AffiliateRegistration, District, Store
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)
from tests.registry.test_application_support import place, submit

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "settlement_bank": "광주은행",
    "settlement_account": "123-456-789012",
    "settlement_holder": "홍길동",
}


def logged(record) -> list[tuple[str, str]]:
    """The access-log rows about `record`, oldest first, as (action, detail)."""
    rows = AccessLog.objects.filter(model=record._meta.label, object_pk=str(record.pk)).order_by(
        "id"
    )
    return [(row.action, row.detail) for row in rows]


def last_reason(record) -> str:
    return record.history.order_by("-history_id").first().history_change_reason


@pytest.fixture
def member_store(office):
    store = StoreFactory(office=office, annual_sales=400_000_000)
    MembershipFactory(store=store, district__office=office, joined_on=date(2025, 7, 1))
    return store


# --- stores and memberships ------------------------------------------------------------------


def test_registering_a_store_logs_its_addition_by_the_clerk(office, dong, clerk):
    store = services.store_register(
        office=office,
        user=clerk,
        business_number="220-81-62517",
        trade_name="할매국밥",
        representative="홍길동",
        dong=dong,
        ksic_code="56111",
        phone="010-1234-5678",
    )
    row = AccessLog.objects.get()
    assert (row.user, row.office, row.action, row.model, row.object_pk) == (
        clerk,
        office,
        AccessAction.ADD,
        "registry.Store",
        str(store.pk),
    )
    assert row.detail == last_reason(store) == "등록"


def test_an_update_logs_the_fields_it_changed_and_a_no_op_logs_nothing(office, clerk):
    store = StoreFactory(office=office, phone="01012345678")
    services.store_update(store=store, user=clerk, phone="010-1234-5678")
    assert logged(store) == []
    services.store_update(store=store, user=clerk, phone="010-9999-8888", trade_name="새 상호")
    assert logged(store) == [("change", last_reason(store))]
    assert "phone" in logged(store)[0][1] and "trade_name" in logged(store)[0][1]


def test_a_refused_update_logs_nothing(office, clerk):
    store = StoreFactory(office=office)
    with pytest.raises(ValidationError):
        services.store_update(store=store, user=clerk, phone="전화없음")
    assert not AccessLog.objects.exists()


def test_closing_a_store_logs_the_store_and_every_affiliation_it_ended(office, clerk):
    store = StoreFactory(office=office)
    MembershipFactory(store=store, district__office=office)
    card = ApprovedAffiliateFactory(store=store)
    paper = AffiliateRegistrationFactory(store=store, certificate_type="paper")
    services.store_close(store=store, user=clerk, closed_on=date(2026, 2, 1))
    card.refresh_from_db()
    paper.refresh_from_db()
    assert logged(store) == [("change", "폐업")]
    assert logged(card) == [("change", last_reason(card))]
    assert logged(paper) == [("change", last_reason(paper))]
    assert AccessLog.objects.count() == 3


def test_joining_and_leaving_a_district_are_logged_on_the_store(office, clerk):
    store = StoreFactory(office=office)
    district = DesignatedDistrictFactory(office=office)
    services.membership_join(store=store, district=district, user=clerk)
    services.membership_join(store=store, district=district, user=clerk)  # already a member
    services.membership_leave(store=store, user=clerk)
    assert [action for action, _detail in logged(store)] == ["change", "change"]
    assert AccessLog.objects.count() == 2


# --- districts -------------------------------------------------------------------------------


def test_every_step_of_a_district_is_logged_once_with_its_reason(office, dong, clerk):
    district = services.district_apply(
        office=office,
        user=clerk,
        name="치평동 먹자골목",
        dongs=[dong],
        store_count=30,
        small_business_store_count=25,
        association_name="먹자골목 상인회",
        representative="김대표",
        merchant_count=30,
        consenting_merchants=20,
    )
    assert logged(district) == [("add", last_reason(district))]
    services.district_update(district=district, user=clerk, representative="이대표")
    assert logged(district)[-1] == ("change", last_reason(district))
    services.district_update(district=district, user=clerk, dongs=[DongFactory(office=office)])
    assert logged(district)[-1][1].endswith("dongs")
    services.district_designate(
        district=district, user=clerk, designation_no="서구-2026-001", override_reason="시범 지정"
    )
    assert logged(district)[-1] == ("change", last_reason(district))
    services.district_certificate_issue(district=district, user=clerk)
    services.district_certificate_issue(district=district, user=clerk)  # reprinting changes nothing
    services.district_revoke(
        district=district, user=clerk, ground=RevocationGround.values[0], reason="요건 미달"
    )
    assert [action for action, _detail in logged(district)] == ["add"] + ["change"] * 5


def test_rejecting_a_district_application_is_logged(office, clerk):
    district = DistrictFactory(office=office)
    services.district_reject(district=district, user=clerk, reason="동의율 미달")
    assert logged(district) == [("change", last_reason(district))]
    assert District.objects.get().rejection_reason == "동의율 미달"


# --- Onnuri affiliations ---------------------------------------------------------------------


def test_every_step_of_an_affiliation_is_logged_once_with_its_reason(member_store, clerk):
    card = services.affiliate_apply(store=member_store, certificate_type="card", user=clerk)
    assert logged(card) == [("add", last_reason(card))]
    services.affiliate_approve(
        registration=card,
        user=clerk,
        affiliate_number="ON-0001",
        approved_on=local_today() - timedelta(days=30),
        **ACCOUNT,
    )
    services.affiliate_change(
        registration=card, user=clerk, **{**ACCOUNT, "settlement_account": "987-654-321098"}
    )
    services.affiliate_renew(
        registration=card, user=clerk, valid_until=local_today() + timedelta(days=700)
    )
    services.affiliate_strike_off(
        registration=card, user=clerk, reason=StrikeOffReason.MISUSE, note="부정 유통"
    )
    history = [row.history_change_reason for row in card.history.order_by("history_id")]
    assert logged(card) == [("add", history[0])] + [("change", h) for h in history[1:]]


def test_a_refused_approval_logs_nothing(member_store, clerk):
    card = AffiliateRegistrationFactory(store=member_store)
    with pytest.raises(ValidationError):
        services.affiliate_approve(registration=card, user=clerk, affiliate_number="", **ACCOUNT)
    assert not AccessLog.objects.exists()


def test_rejecting_an_affiliation_is_logged(member_store, clerk):
    card = AffiliateRegistrationFactory(store=member_store)
    services.affiliate_reject(registration=card, user=clerk, reason="서류 미비")
    assert logged(card) == [("change", last_reason(card))]


# --- merchant applications -------------------------------------------------------------------


def test_an_approval_logs_the_application_and_every_record_it_writes(office, clerk):
    application = submit(place(office))
    assert not AccessLog.objects.exists()  # the merchant's own filing is not an access
    services.application_approve(application=application, user=clerk, message="환영합니다")
    application.refresh_from_db()
    store = application.store
    assert [action for action, _detail in logged(application)] == ["change", "change"]
    assert logged(application)[-1][1] == last_reason(application)
    assert [action for action, _detail in logged(store)] == ["add", "change"]
    cards = AffiliateRegistration.objects.filter(store=store)
    assert sorted(logged(card)[0][0] for card in cards) == ["add", "add"]
    assert set(AccessLog.objects.values_list("user", flat=True)) == {clerk.pk}


def test_an_approval_refused_half_way_logs_nothing(office, clerk):
    p = place(office)
    application = submit(p)
    StoreFactory(
        office=office,
        business_number=application.business_number,
        status=StoreStatus.CLOSED,
        closed_on=date(2026, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.application_approve(application=application, user=clerk)
    assert not AccessLog.objects.exists()
    assert Store.objects.count() == 1


def test_asking_for_changes_and_rejecting_are_logged(office, clerk):
    p = place(office)
    first, second = submit(p), submit(p)
    services.application_request_changes(application=first, user=clerk, message="사진 재제출")
    services.application_review_start(application=second, user=clerk)
    services.application_reject(application=second, user=clerk, message="대상 아님")
    assert [action for action, _detail in logged(first)] == ["change", "change"]
    assert [detail for _action, detail in logged(second)] == [
        row.history_change_reason for row in second.history.order_by("history_id")[1:]
    ]
