"""Minimal valid registry rows; business flows belong in the services, not here."""

import itertools
from datetime import date

import factory

from core.numbers import brn_complete
from registry.choices import AffiliateStatus, CertificateType, DistrictStatus
from registry.models import (
    AffiliateRegistration,
    District,
    Dong,
    Membership,
    Office,
    Store,
    User,
)

_brn_serial = itertools.count()


def next_brn() -> str:
    """A fresh valid business registration number (ten digits): real parts (a tax office from
    101, a kind from 01, a serial from 0001, SPEC 2.1) and the check digit."""
    n = next(_brn_serial)
    serial, rest = 1 + n % 9999, n // 9999
    kind, tax_office = 1 + rest % 99, 101 + rest // 99
    return brn_complete(f"{tax_office:03d}{kind:02d}{serial:04d}")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{30000 + n:05d}")
    name = factory.Sequence(lambda n: f"테스트구 {n}")
    min_stores = 15


class DongFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dong

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"테스트{n}동")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    office = factory.SubFactory(OfficeFactory)
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pw-golmok-1234")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """`UserFactory(roles=["clerk"])` puts the user in those role groups."""
        from django.contrib.auth.models import Group

        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
        if create:
            self.save()


class DistrictFactory(factory.django.DjangoModelFactory):
    """An application that meets the default criteria."""

    class Meta:
        model = District
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"골목상점가 {n}")
    area_m2 = 1800
    excluded_area_m2 = 200
    store_count = 40
    small_business_store_count = 35
    association_name = factory.LazyAttribute(lambda o: f"{o.name} 상인회")
    representative = "김대표"
    association_phone = "0621234567"
    merchant_count = 40
    consenting_merchants = 30
    status = DistrictStatus.APPLIED
    applied_on = date(2026, 1, 5)

    @factory.post_generation
    def dongs(self, create, extracted, **kwargs):
        if create and extracted:
            self.dongs.set(extracted)


class DesignatedDistrictFactory(DistrictFactory):
    status = DistrictStatus.DESIGNATED
    designation_no = factory.Sequence(lambda n: f"서구-2025-{n:03d}")
    designated_on = date(2025, 6, 1)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    office = factory.SubFactory(OfficeFactory)
    business_number = factory.LazyFunction(next_brn)
    trade_name = factory.Sequence(lambda n: f"골목식당 {n}호점")
    representative = "홍길동"
    phone = factory.Sequence(lambda n: f"0101234{n % 10000:04d}")
    road_address = "광주광역시 서구 상무대로 1"
    dong = factory.SubFactory(DongFactory, office=factory.SelfAttribute("..office"))
    ksic_code = "56111"
    business_type = "한식 일반 음식점업"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    store = factory.SubFactory(StoreFactory)
    district = factory.SubFactory(
        DesignatedDistrictFactory, office=factory.SelfAttribute("..store.office")
    )
    joined_on = date(2025, 7, 1)


class AffiliateRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AffiliateRegistration

    store = factory.SubFactory(StoreFactory)
    certificate_type = CertificateType.CARD
    status = AffiliateStatus.APPLIED
    applied_on = date(2026, 1, 2)


class ApprovedAffiliateFactory(AffiliateRegistrationFactory):
    status = AffiliateStatus.APPROVED
    affiliate_number = factory.Sequence(lambda n: f"ON-{n:08d}")
    approved_on = date(2025, 8, 1)
    settlement_bank = "광주은행"
    settlement_account = "123-456-789012"
    settlement_holder = "홍길동"
