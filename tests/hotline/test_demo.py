"""The hotline's part of `seed_demo`: a believable history, played through the services."""

from collections import Counter
from datetime import date

import pytest

from core.demo import DemoContext, demo_steps
from hotline import demo
from hotline.models import Case, CaseCounter, TimelineEntry
from hotline.selectors import cases_overdue
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture
def ctx(office):
    UserFactory(username="operator", office=office, roles=["hotline_operator"])
    UserFactory(username="supervisor", office=office, roles=["supervisor"])
    StoreFactory.create_batch(20, office=office)
    return DemoContext(seed=2026, today=TODAY, password="demo", office=office)


def test_the_hotline_step_is_registered_after_the_registry():
    steps = {step.name: step for step in demo_steps()}
    assert steps["hotline_cases"].order > steps["affiliations"].order


def test_the_demo_plays_three_months_of_calls_through_the_services(ctx, office):
    added = demo.cases_step(ctx)
    cases = Case.objects.filter(office=office)
    assert added == cases.count() > 150
    statuses = Counter(cases.values_list("status", flat=True))
    assert statuses["closed"] > statuses["received"]
    assert {"assigned", "in_progress", "resolved", "closed"} <= set(statuses)
    assert cases_overdue(cases).exists()
    assert Counter(cases.values_list("channel", flat=True))["phone"] > added // 3
    serials = sorted(cases.filter(year=2026).values_list("serial", flat=True))
    assert serials == list(range(1, len(serials) + 1))
    assert TimelineEntry.objects.filter(kind="referral").exists()
    assert TimelineEntry.objects.filter(to_status="waiting_caller").exists()
    for case in cases.filter(status="closed")[:20]:
        times = list(case.timeline.values_list("at", flat=True))
        assert times == sorted(times) and times[0] == case.received_at


def test_running_the_demo_again_adds_nothing_in_one_query(
    ctx, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(demo, "CASES", 30)
    demo.cases_step(ctx)
    with django_assert_num_queries(1):
        assert demo.cases_step(ctx) == 0


def test_the_same_seed_gives_the_same_calls(ctx, office, monkeypatch):
    monkeypatch.setattr(demo, "CASES", 40)
    demo.cases_step(ctx)
    first = list(Case.objects.order_by("number").values_list("number", "category", "status"))
    Case.objects.all().delete()
    CaseCounter.objects.all().delete()
    demo.cases_step(ctx)
    assert list(Case.objects.order_by("number").values_list("number", "category", "status")) == (
        first
    )
