"""Each rule about one row is also the database's: it refuses even when code forgets."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from registry.models import AffiliateRegistration, District, Membership, Store
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    MembershipFactory,
    StoreFactory,
)

pytestmark = pytest.mark.django_db


def refused(write):
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


def test_a_business_number_must_be_ten_digits(office):
    store = StoreFactory(office=office)
    refused(lambda: Store.objects.filter(pk=store.pk).update(business_number="12345"))


def test_a_business_number_is_unique_within_an_office(office):
    store = StoreFactory(office=office)
    refused(lambda: StoreFactory(office=office, business_number=store.business_number))


def test_a_store_status_holds_only_known_values(office):
    store = StoreFactory(office=office)
    refused(lambda: Store.objects.filter(pk=store.pk).update(status="sleeping"))


def test_a_closed_store_has_a_closing_date(office):
    store = StoreFactory(office=office)
    refused(lambda: Store.objects.filter(pk=store.pk).update(status="closed"))


def test_a_store_has_at_most_one_current_membership(office):
    membership = MembershipFactory(store=StoreFactory(office=office), district__office=office)
    other = DesignatedDistrictFactory(office=office)
    refused(lambda: Membership.objects.create(store=membership.store, district=other))


def test_a_membership_cannot_end_before_it_starts(office):
    membership = MembershipFactory(store=StoreFactory(office=office), district__office=office)
    refused(lambda: Membership.objects.filter(pk=membership.pk).update(left_on=date(2020, 1, 1)))


def test_a_designated_district_has_a_number_and_a_date(office):
    district = DistrictFactory(office=office)
    refused(lambda: District.objects.filter(pk=district.pk).update(status="designated"))


def test_designation_numbers_are_unique_within_an_office(office):
    DesignatedDistrictFactory(office=office, designation_no="서구-1")
    refused(lambda: DesignatedDistrictFactory(office=office, designation_no="서구-1"))


def test_a_revoked_district_has_a_date_and_a_ground(office):
    district = DesignatedDistrictFactory(office=office)
    refused(lambda: District.objects.filter(pk=district.pk).update(status="revoked"))


def test_consent_cannot_exceed_the_merchants_counted(office):
    refused(lambda: DistrictFactory(office=office, merchant_count=10, consenting_merchants=11))


def test_excluded_area_cannot_exceed_the_area(office):
    refused(lambda: DistrictFactory(office=office, area_m2=100, excluded_area_m2=101))


def test_one_live_registration_per_store_and_type(office):
    registration = ApprovedAffiliateFactory(store=StoreFactory(office=office))
    refused(
        lambda: AffiliateRegistration.objects.create(
            store=registration.store, certificate_type=registration.certificate_type
        )
    )


def test_a_struck_off_registration_has_a_date_and_a_reason(office):
    registration = ApprovedAffiliateFactory(store=StoreFactory(office=office))
    refused(
        lambda: AffiliateRegistration.objects.filter(pk=registration.pk).update(status="revoked")
    )


def test_an_office_consent_ratio_stays_between_zero_and_one(office):
    from registry.models import Office

    refused(lambda: Office.objects.filter(pk=office.pk).update(min_consent_ratio=0))
