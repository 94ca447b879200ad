"""The demo's merchant applications (SPEC 2.7): a handful waiting in the queue, added once."""

from datetime import date

import pytest

from core.demo import DemoContext
from registry.choices import ApplicationStatus
from registry.demo import applications as demo
from registry.models import MerchantApplication
from registry.selectors import application_find
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(office):
    dong = DongFactory(office=office, name="치평동")
    for name in ("치평 먹자골목", "상무 카페거리", "풍암 맛길"):
        DesignatedDistrictFactory(office=office, name=name, dongs=[dong])
    UserFactory(username="clerk", office=office, roles=["clerk"])
    return DemoContext(seed=2026, today=date(2026, 3, 2), password="x", office=office)


def test_the_demo_fills_the_queue_with_open_applications_in_every_open_state(ctx):
    added = demo.merchant_applications_step(ctx)

    applications = MerchantApplication.objects.filter(office=ctx.office)
    assert added == applications.count() == len(demo.DEMO_APPLICATIONS)
    assert set(applications.values_list("status", flat=True)) == {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.IN_REVIEW,
        ApplicationStatus.CHANGES_REQUESTED,
    }
    assert applications.filter(district__isnull=True).exists()
    assert all(a.documents.count() == 1 for a in applications)
    asked = applications.filter(status=ApplicationStatus.CHANGES_REQUESTED).first()
    assert asked.clerk_message == demo.DEMO_CHANGE_REQUEST
    assert asked.history.filter(history_user__username="clerk").exists()


def test_running_the_demo_again_adds_nothing_and_keeps_the_tracking_numbers(ctx):
    demo.merchant_applications_step(ctx)
    numbers = set(MerchantApplication.objects.values_list("tracking_number", flat=True))

    assert demo.merchant_applications_step(ctx) == 0
    assert set(MerchantApplication.objects.values_list("tracking_number", flat=True)) == numbers


def test_demo_applications_can_be_looked_up_with_their_seeded_numbers(ctx):
    demo.merchant_applications_step(ctx)

    for application in MerchantApplication.objects.all():
        assert application_find(application.tracking_number, application.phone[-4:]) == application
        assert application.submitted_at.date() < date(2026, 3, 2)
