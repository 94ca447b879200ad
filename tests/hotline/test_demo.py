"""The hotline's part of `seed_demo`: a believable history, written as the services would."""

from collections import Counter
from datetime import date

import pytest

from core.demo import DemoContext, demo_steps
from hotline import demo, services
from hotline.models import Case, CaseCounter, TimelineEntry
from hotline.selectors import cases_overdue
from tests.registry.factories import (
    DesignatedDistrictFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)


@pytest.fixture
def ctx(office):
    UserFactory(username="operator", office=office, roles=["hotline_operator"])
    UserFactory(username="supervisor", office=office, roles=["supervisor"])
    stores = StoreFactory.create_batch(20, office=office)
    district = DesignatedDistrictFactory(office=office)
    for store in stores[:12]:
        MembershipFactory(store=store, district=district)
    return DemoContext(seed=2026, today=TODAY, password="demo", office=office)


def play_through_the_services(calls: list[demo.Call]) -> None:
    """The demo's script taken step by step by the services, as an operator would."""
    for call in calls:
        case = services.case_intake(**call.intake)
        for step in call.steps:
            if step.kind == "note":
                services.case_note(case=case, user=step.user, text=step.note, at=step.at)
            elif step.kind == "referral":
                case = services.case_refer(
                    case=case,
                    user=step.user,
                    department=step.department,
                    note=step.note,
                    at=step.at,
                )
            else:
                case = services.case_transition(
                    case=case,
                    user=step.user,
                    to=step.to,
                    note=step.note,
                    assignee=step.assignee,
                    reason=step.reason,
                    at=step.at,
                )


def written(office) -> tuple[list, list, list]:
    """Every case, timeline entry and counter of the office, without ids and clock times."""
    cases = [
        {k: v for k, v in row.items() if k not in ("id", "created_at", "updated_at")}
        for row in Case.objects.filter(office=office).order_by("number").values()
    ]
    entries = list(
        TimelineEntry.objects.filter(case__office=office)
        .order_by("case__number", "at", "id")
        .values_list(
            "case__number",
            "at",
            "user",
            "username",
            "kind",
            "from_status",
            "to_status",
            "assignee",
            "department",
            "reason",
            "text",
        )
    )
    counters = list(CaseCounter.objects.filter(office=office).values_list("year", "last_serial"))
    return cases, entries, sorted(counters)


def test_the_hotline_step_is_registered_after_the_registry():
    steps = {step.name: step for step in demo_steps()}
    assert steps["hotline_cases"].order > steps["affiliations"].order


def test_the_demo_writes_three_months_of_calls_in_every_state(ctx, office):
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
    assert cases.filter(reopen_count__gt=0).exists()
    assert cases.filter(district__isnull=False).exists()
    for case in cases.filter(status="closed")[:20]:
        times = list(case.timeline.values_list("at", flat=True))
        assert times == sorted(times) and times[0] == case.received_at


def test_the_demo_writes_exactly_what_the_services_would(ctx, office):
    demo.cases_step(ctx)
    in_bulk = written(office)
    TimelineEntry.objects.all().delete()
    Case.objects.all().delete()
    CaseCounter.objects.all().delete()

    play_through_the_services(demo.demo_calls(ctx))

    assert written(office) == in_bulk
    assert len(in_bulk[0]) > 150


def test_new_cases_continue_the_offices_numbers(ctx, office, monkeypatch):
    monkeypatch.setattr(demo, "CASES", 30)
    CaseCounter.objects.create(office=office, year=2026, last_serial=41)
    CaseCounter.objects.create(office=office, year=2025, last_serial=7)

    added = demo.cases_step(ctx)

    numbers = sorted(Case.objects.filter(year=2026).values_list("serial", flat=True))
    assert numbers == list(range(42, 42 + len(numbers)))
    counters = dict(CaseCounter.objects.filter(office=office).values_list("year", "last_serial"))
    assert counters[2026] == 41 + len(numbers)
    assert sum(counters.values()) == 48 + added


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
