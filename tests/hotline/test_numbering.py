"""Numbers under concurrent intake, on real PostgreSQL transactions: no collision, no gap."""

import pytest
from django.db import transaction

from hotline.models import Case, CaseCounter
from tests.hotline.conftest import intake, seoul
from tests.registry.factories import OfficeFactory, UserFactory
from tests.support import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def desk():
    office = OfficeFactory(code="29140")
    return office, UserFactory(office=office, roles=["hotline_operator"])


def serials(office) -> list[int]:
    return sorted(Case.objects.filter(office=office).values_list("serial", flat=True))


def test_sixteen_operators_logging_at_once_get_sixteen_consecutive_numbers(desk):
    office, operator = desk
    results = race([lambda: intake(office, operator) for _ in range(16)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert serials(office) == list(range(1, 17))
    assert len({case.number for case in results}) == 16
    assert CaseCounter.objects.get(office=office, year=2026).last_serial == 16


class Abandoned(Exception):
    pass


def abandoned_intake(office, operator):
    """An intake whose transaction fails after taking its number."""
    with transaction.atomic():
        intake(office, operator)
        raise Abandoned


def test_intakes_that_fail_while_others_succeed_leave_no_gap(desk):
    office, operator = desk
    calls = [
        (lambda: abandoned_intake(office, operator))
        if i % 3 == 0
        else (lambda: intake(office, operator))
        for i in range(12)
    ]
    results = race(calls)
    failed = [r for r in results if isinstance(r, Abandoned)]
    assert len(failed) == 4
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Abandoned)]
    assert serials(office) == list(range(1, 9))
    assert CaseCounter.objects.get(office=office, year=2026).last_serial == 8


def test_offices_and_years_number_independently_at_the_same_time(desk):
    office, operator = desk
    other = OfficeFactory(code="29110")
    other_operator = UserFactory(office=other, roles=["hotline_operator"])
    last_year = seoul(2025, 12, 31, 17)
    calls = [lambda: intake(office, operator) for _ in range(5)]
    calls += [lambda: intake(other, other_operator) for _ in range(5)]
    calls += [lambda: intake(office, operator, received_at=last_year) for _ in range(3)]
    results = race(calls)
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Case.objects.filter(office=office).values_list("number", flat=True))
    assert numbers == [f"119-2025-{n:06d}" for n in (1, 2, 3)] + [
        f"119-2026-{n:06d}" for n in range(1, 6)
    ]
    assert serials(other) == [1, 2, 3, 4, 5]
