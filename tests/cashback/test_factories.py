"""The factories make rows the database accepts and the services can work with."""

import pytest
from django.db import IntegrityError, transaction

from cashback import selectors
from tests.cashback.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_a_campaign_from_the_factory_has_its_one_week_with_the_whole_budget():
    campaign = CampaignFactory()
    (week,) = campaign.weeks.all()
    assert (week.number, week.budget, week.cap) == (1, campaign.total_budget, campaign.weekly_cap)
    assert week.starts_on == campaign.first_day and week.ends_on == campaign.last_day
    figures = selectors.campaign_week_figures(campaign)
    assert [row.remaining for row in figures] == [campaign.total_budget]


def test_the_database_refuses_a_factory_campaign_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignFactory(last_day=CampaignFactory.first_day.replace(day=1))
