"""Reads with meaning: the office's calendar, the queues, the dashboard's figures."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from hotline import rules, services
from hotline.models import Case
from hotline.selectors import (
    assignable_users,
    case_queue,
    hotline_figures,
    hotline_settings_for,
    queue_counts,
    work_calendar,
)
from tests.hotline.conftest import intake, seoul
from tests.hotline.factories import ClosedDayFactory, HotlineSettingsFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_office_without_settings_has_the_spec_defaults(office):
    settings = hotline_settings_for(office)
    assert settings.pk is None
    assert {p: settings.hours(p) for p in rules.PRIORITIES} == rules.DEFAULT_HOURS
    assert not settings.clock_hours


def test_the_calendar_holds_the_offices_closed_days_or_counts_clock_hours(office, other_office):
    ClosedDayFactory(office=office, day=date(2026, 5, 15))
    ClosedDayFactory(office=other_office, day=date(2026, 5, 18))
    assert work_calendar(office).closed_days == frozenset({date(2026, 5, 15)})
    HotlineSettingsFactory(office=office, clock_hours=True)
    assert work_calendar(office) == rules.CLOCK_HOURS


def test_cases_go_to_hotline_staff_of_the_office_only(
    office, other_office, operator, supervisor, clerk
):
    UserFactory(office=other_office, roles=["hotline_operator"])
    UserFactory(office=office, roles=["hotline_operator"], is_active=False)
    assert set(assignable_users(office)) == {operator, supervisor}


def test_the_queues_and_their_counts(office, operator, supervisor):
    mine = services.case_assign(case=intake(office, operator), user=supervisor, assignee=operator)
    nobodys = intake(office, operator, at=seoul(2030, 1, 7, 9))
    theirs = services.case_assign(
        case=intake(office, operator, at=seoul(2030, 1, 7, 10)),
        user=supervisor,
        assignee=supervisor,
    )
    services.case_transition(
        case=intake(office, operator), user=operator, to="closed", reason="duplicate"
    )
    assert list(case_queue(operator, "mine")) == [mine]
    assert list(case_queue(operator, "unassigned")) == [nobodys]
    assert list(case_queue(operator, "open")) == [mine, nobodys, theirs]  # overdue first
    assert list(case_queue(operator, "overdue")) == [mine]
    assert queue_counts(operator) == {"mine": 1, "unassigned": 1, "open": 3, "overdue": 1}


def test_the_dashboard_figures(office, operator, django_assert_max_num_queries):
    intake(office, operator, category="complaint")  # overdue since March
    intake(office, operator, at=seoul(2030, 1, 7, 9), category="complaint")
    done = services.case_assign(
        case=intake(office, operator, at=seoul(2026, 3, 6, 17), category="cashback"),
        user=operator,
        assignee=operator,
    )
    done = services.case_transition(
        case=done, user=operator, to="in_progress", at=seoul(2026, 3, 6, 17, 30)
    )
    services.case_transition(
        case=done, user=operator, to="resolved", note="안내함", at=seoul(2026, 3, 9, 11)
    )
    with django_assert_max_num_queries(2):
        figures = hotline_figures(Case.objects.filter(office=office))
    assert figures == {
        "open": 2,
        "overdue": 1,
        "resolved": 1,
        "open_by_category": {"complaint": 2},
        "average_hours_to_resolve": 3.0,  # Friday 17–18 and Monday 9–11
    }


def test_settings_are_saved_through_the_service_and_checked(office, supervisor):
    saved = services.hotline_settings_save(
        office=office, user=supervisor, urgent_response_hours=2, clock_hours=True
    )
    assert (saved.hours("urgent"), saved.clock_hours) == ((2, 8), True)
    with pytest.raises(ValidationError):
        services.hotline_settings_save(office=office, user=supervisor, low_response_hours=41)
    with pytest.raises(ValidationError) as refused:
        services.hotline_settings_save(office=office, user=supervisor, office_id=3)
    assert refused.value.code == "not_changeable"


def test_closed_days_are_one_per_day_and_office(office, other_office, supervisor):
    services.closed_day_save(office=office, user=supervisor, day=date(2026, 5, 15), name="개청일")
    with pytest.raises(ValidationError):
        services.closed_day_save(office=office, user=supervisor, day=date(2026, 5, 15))
    foreign = ClosedDayFactory(office=other_office, day=date(2026, 5, 18))
    with pytest.raises(ValidationError) as refused:
        services.closed_day_save(
            office=office, user=supervisor, day=date(2026, 5, 19), closed_day=foreign
        )
    assert refused.value.error_dict["day"][0].code == "other_office"
