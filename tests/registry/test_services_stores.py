from datetime import date

import pytest
from django.core.exceptions import ValidationError

from registry import services
from registry.choices import AffiliateStatus, StoreStatus, StrikeOffReason
from registry.models import Membership, Store
from registry.selectors import store_in_designated_district
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db


def register(office, dong, clerk, **overrides):
    data = {
        "office": office,
        "user": clerk,
        "business_number": "220-81-62517",
        "trade_name": "할매국밥",
        "representative": "홍길동",
        "dong": dong,
        "ksic_code": "56111",
        "phone": "010-1234-5678",
    }
    return services.store_register(**{**data, **overrides})


def test_a_store_is_registered_with_ten_digits_and_a_digits_only_phone(office, dong, clerk):
    store = register(office, dong, clerk)
    assert store.business_number == "2208162517"
    assert store.business_number_display == "220-81-62517"
    assert store.phone == "01012345678"
    assert store.history.first().history_user == clerk


@pytest.mark.parametrize("phone", ["+82 10-1234-5678", "010 1234 5678", "062-123-4567", ""])
def test_korean_phone_formats_are_normalised(office, dong, clerk, phone):
    store = register(office, dong, clerk, phone=phone)
    assert store.phone == "".join(c for c in phone.replace("+82", "0") if c.isdigit())


@pytest.mark.parametrize("phone", ["12345", "1234-5678-9999-0000", "전화없음"])
def test_a_phone_that_is_not_korean_is_refused(office, dong, clerk, phone):
    with pytest.raises(ValidationError) as exc:
        register(office, dong, clerk, phone=phone)
    assert "phone" in exc.value.error_dict
    assert not Store.objects.exists()


def test_an_invalid_business_number_is_refused_with_the_field_named(office, dong, clerk):
    with pytest.raises(ValidationError) as exc:
        register(office, dong, clerk, business_number="220-81-62518")
    assert "business_number" in exc.value.error_dict
    assert "220-81-62518" in exc.value.error_dict["business_number"][0].messages[0]
    assert not Store.objects.exists()


def test_the_same_number_twice_in_one_office_is_refused(office, dong, clerk):
    register(office, dong, clerk)
    with pytest.raises(ValidationError) as exc:
        register(office, dong, clerk, business_number="2208162517", trade_name="다른 가게")
    assert exc.value.error_dict["business_number"][0].code == "duplicate_business_number"
    assert Store.objects.count() == 1


def test_the_same_number_may_exist_in_two_offices(office, other_office, dong, clerk):
    register(office, dong, clerk)
    register(other_office, DongFactory(office=other_office), clerk)
    assert Store.objects.count() == 2


def test_a_dong_of_another_office_is_refused(office, other_office, clerk):
    with pytest.raises(ValidationError):
        register(office, DongFactory(office=other_office), clerk)


def test_a_ksic_code_must_be_five_digits(office, dong, clerk):
    with pytest.raises(ValidationError) as exc:
        register(office, dong, clerk, ksic_code="561")
    assert "ksic_code" in exc.value.error_dict


def test_updates_change_only_allowed_fields(office, dong, clerk):
    store = register(office, dong, clerk)
    services.store_update(store=store, user=clerk, trade_name="할매국밥 본점", phone="062 111 2222")
    store.refresh_from_db()
    assert (store.trade_name, store.phone) == ("할매국밥 본점", "0621112222")
    with pytest.raises(ValidationError):
        services.store_update(store=store, user=clerk, business_number="1248100998")


def test_joining_a_district_ends_the_previous_membership(office, clerk):
    store = StoreFactory(office=office)
    first = DesignatedDistrictFactory(office=office)
    second = DesignatedDistrictFactory(office=office)
    services.membership_join(store=store, district=first, user=clerk, joined_on=date(2026, 1, 1))
    services.membership_join(store=store, district=second, user=clerk, joined_on=date(2026, 2, 1))
    memberships = list(Membership.objects.filter(store=store).order_by("joined_on"))
    assert [(m.district, m.left_on) for m in memberships] == [
        (first, date(2026, 2, 1)),
        (second, None),
    ]


def test_joining_the_same_district_again_changes_nothing(office, clerk):
    store = StoreFactory(office=office)
    district = DesignatedDistrictFactory(office=office)
    a = services.membership_join(store=store, district=district, user=clerk)
    b = services.membership_join(store=store, district=district, user=clerk)
    assert a.pk == b.pk and Membership.objects.count() == 1


def test_only_designated_districts_of_the_same_office_take_members(office, other_office, clerk):
    store = StoreFactory(office=office)
    with pytest.raises(ValidationError):
        services.membership_join(store=store, district=DistrictFactory(office=office), user=clerk)
    with pytest.raises(ValidationError):
        services.membership_join(
            store=store, district=DesignatedDistrictFactory(office=other_office), user=clerk
        )
    assert not Membership.objects.exists()


def test_leaving_needs_a_current_membership_and_a_date_after_joining(office, clerk):
    store = StoreFactory(office=office)
    with pytest.raises(ValidationError):
        services.membership_leave(store=store, user=clerk)
    MembershipFactory(store=store, district__office=office, joined_on=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        services.membership_leave(store=store, user=clerk, left_on=date(2026, 2, 1))
    services.membership_leave(store=store, user=clerk, left_on=date(2026, 3, 5))
    assert store.memberships.get().left_on == date(2026, 3, 5)


def test_closing_a_store_ends_its_membership_and_strikes_off_its_affiliations(office, clerk):
    store = StoreFactory(office=office)
    MembershipFactory(store=store, district__office=office)
    approved = ApprovedAffiliateFactory(store=store, certificate_type="card")
    pending = AffiliateRegistrationFactory(store=store, certificate_type="mobile")
    services.store_close(store=store, user=clerk, closed_on=date(2026, 4, 1))
    store.refresh_from_db()
    approved.refresh_from_db()
    pending.refresh_from_db()
    assert (store.status, store.closed_on) == (StoreStatus.CLOSED, date(2026, 4, 1))
    assert store.memberships.get().left_on == date(2026, 4, 1)
    assert approved.status == AffiliateStatus.REVOKED
    assert approved.strike_off_reason == StrikeOffReason.STORE_CLOSED
    assert pending.status == AffiliateStatus.REJECTED
    with pytest.raises(ValidationError):
        services.store_close(store=store, user=clerk)


def test_membership_on_a_date_follows_joining_leaving_and_designation(office):
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    store = StoreFactory(office=office)
    MembershipFactory(
        store=store, district=district, joined_on=date(2026, 1, 10), left_on=date(2026, 2, 10)
    )
    assert not store_in_designated_district(store, date(2026, 1, 9))
    assert store_in_designated_district(store, date(2026, 1, 10))
    assert store_in_designated_district(store, date(2026, 2, 9))
    assert not store_in_designated_district(store, date(2026, 2, 10))


def test_an_imported_membership_counts_from_the_designation_date(office):
    district = DesignatedDistrictFactory(office=office, designated_on=date(2025, 6, 1))
    store = StoreFactory(office=office)
    MembershipFactory(store=store, district=district, joined_on=None)
    assert not store_in_designated_district(store, date(2025, 5, 31))
    assert store_in_designated_district(store, date(2025, 6, 1))
