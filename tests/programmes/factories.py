"""Minimal valid programme rows; flows (applying, review, selection, money) belong to the
services."""

from datetime import datetime
from decimal import Decimal

import factory

from core.clock import SEOUL
from programmes.models import Criterion, DigitDay, Programme, Reviewer
from tests.registry.factories import OfficeFactory


class CompetitiveProgrammeFactory(factory.django.DjangoModelFactory):
    """Gwanak-gu's business-development support: up to 20,000,000 won each, scored."""

    class Meta:
        model = Programme

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"growth-2026-{n}")
    name = "사회적경제기업 사업개발비 지원"
    kind = "competitive"
    opens_at = datetime(2026, 3, 2, 9, tzinfo=SEOUL)
    closes_at = datetime(2026, 3, 25, 18, tzinfo=SEOUL)
    budget = 100_000_000
    max_award = 20_000_000
    pass_mark = Decimal("60")


class EntitlementProgrammeFactory(factory.django.DjangoModelFactory):
    """The Burden Relief Credit: 500,000 won for every business with sales up to 300,000,000."""

    class Meta:
        model = Programme

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"relief-2026-{n}")
    name = "소상공인 부담경감 크레딧"
    kind = "entitlement"
    opens_at = datetime(2026, 7, 14, 9, tzinfo=SEOUL)
    closes_at = datetime(2026, 12, 31, 18, tzinfo=SEOUL)
    budget = 10_000_000
    amount = 500_000
    annual_sales_min_exclusive = 0
    annual_sales_max = 300_000_000


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    programme = factory.SubFactory(CompetitiveProgrammeFactory)
    key = factory.Sequence(lambda n: f"criterion-{n}")
    name = factory.Sequence(lambda n: f"평가항목 {n}")
    weight = Decimal("1")
    max_points = 5


class DigitDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigitDay

    programme = factory.SubFactory(EntitlementProgrammeFactory)
    digits = "16"


class ReviewerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reviewer

    programme = factory.SubFactory(CompetitiveProgrammeFactory)
