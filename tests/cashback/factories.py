"""Minimal valid cashback rows for tests; the reference campaign of SPEC 3.1 is in conftest.py."""

from datetime import date, timedelta

import factory

from cashback.models import Campaign, CampaignWeek
from tests.registry.factories import OfficeFactory


class CampaignFactory(factory.django.DjangoModelFactory):
    """A one-week campaign with the SPEC 3.1 defaults and its single week."""

    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"campaign-{n}")
    name = factory.Sequence(lambda n: f"캐시백 사업 {n}")
    first_day = date(2026, 1, 9)
    last_day = factory.LazyAttribute(lambda c: c.first_day + timedelta(days=6))
    weekly_budget = 1_000_000
    total_budget = factory.LazyAttribute(lambda c: c.weekly_budget)
    week = factory.RelatedFactory(
        "tests.cashback.factories.CampaignWeekFactory", factory_related_name="campaign"
    )


class CampaignWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignWeek

    campaign = factory.SubFactory(CampaignFactory, week=None)
    number = 1
    starts_on = factory.LazyAttribute(lambda w: w.campaign.first_day)
    ends_on = factory.LazyAttribute(lambda w: w.starts_on + timedelta(days=6))
    budget = factory.LazyAttribute(lambda w: w.campaign.weekly_budget)
    cap = factory.LazyAttribute(lambda w: w.campaign.weekly_cap)
