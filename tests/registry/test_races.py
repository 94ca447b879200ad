"""Two clerks doing the same thing at the same moment: the database decides, politely."""

import pytest
from django.core.exceptions import ValidationError

from registry import services
from registry.models import AffiliateRegistration, Store
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    DongFactory,
    OfficeFactory,
    StoreFactory,
    UserFactory,
)
from tests.support import race

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_same_business_number_registered_twice_at_once_gives_one_store():
    office = OfficeFactory(code="29140")
    dong = DongFactory(office=office)
    clerk = UserFactory(office=office)

    def register():
        return services.store_register(
            office=office,
            user=clerk,
            business_number="220-81-62517",
            trade_name="국밥",
            representative="홍길동",
            dong=dong,
            ksic_code="56111",
        )

    results = race([register, register, register])
    assert Store.objects.count() == 1
    assert sum(isinstance(r, Store) for r in results) == 1
    assert all(isinstance(r, (Store, ValidationError)) for r in results), results


def test_one_affiliate_number_approved_for_two_stores_at_once_goes_to_one():
    office = OfficeFactory(code="29140")
    clerk = UserFactory(office=office)
    registrations = [
        AffiliateRegistrationFactory(store=StoreFactory(office=office, in_traditional_market=True))
        for _ in range(2)
    ]

    def approve(registration):
        return lambda: services.affiliate_approve(
            registration=registration,
            user=clerk,
            affiliate_number="ON-7",
            settlement_bank="은행",
            settlement_account="1-2-3",
            settlement_holder="홍길동",
        )

    results = race([approve(r) for r in registrations])
    assert AffiliateRegistration.objects.filter(affiliate_number="ON-7").count() == 1
    assert sorted(type(r).__name__ for r in results) == [
        "AffiliateRegistration",
        "ValidationError",
    ]
