"""The support programmes' part of `seed_demo`, at a small scale: one programme of each kind,
run through the services, in a believable order, and added only once."""

from datetime import date

import pytest

from core.demo import DemoContext, demo_steps
from programmes import demo, rules
from programmes.models import Application, Grant, LedgerEntry, Programme, Review
from programmes.selectors import programme_figures
from registry.demo import DEMO_STAFF
from tests.registry.factories import DongFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


@pytest.fixture
def ctx(office, clerk, monkeypatch):
    monkeypatch.setattr(demo, "SOCIAL_APPLICATIONS", 8)
    monkeypatch.setattr(demo, "RELIEF_APPLICATIONS", 20)
    dong = DongFactory(office=office)
    StoreFactory.create_batch(30, office=office, dong=dong)
    for username in demo.REVIEWERS:
        UserFactory(username=username, office=office, roles=["programme_reviewer"])
    return DemoContext(seed=2026, today=TODAY, password="demo", office=office)


def test_the_programme_steps_run_after_the_registrys_and_reviewers_are_demo_staff(db):
    steps = {step.name: step for step in demo_steps()}
    assert steps["programme_social"].order > steps["affiliations"].order
    staff = {username for username, _role, _name in DEMO_STAFF}
    assert set(demo.REVIEWERS) <= staff


def test_the_competitive_programme_is_reviewed_selected_granted_and_settled(ctx):
    added = demo.social_step(ctx)

    programme = Programme.objects.get(code="se-devfund-2026")
    applications = Application.objects.filter(programme=programme)
    assert added == 1 + applications.count() and applications.count() == 8
    assert programme.name == "사회적경제기업 사업개발비 지원" and programme.criteria.count() == 3
    assert programme.selected_at is not None and programme.selected_by is not None
    assert all(a.store.enterprise_type for a in applications.select_related("store"))
    assert applications.filter(status=rules.SELECTED).exists()
    assert not applications.filter(status=rules.UNDER_REVIEW).exists()
    assert Review.objects.filter(application__programme=programme, conflict=True).count() == 1
    for application in applications:
        assert programme.opens_at <= application.submitted_at < programme.closes_at
        for review in application.reviews.all():
            assert review.submitted_at > programme.closes_at
    assert programme.selected_at > programme.closes_at
    figures = programme_figures(programme)
    assert 0 < figures.awarded <= 100_000_000
    assert figures.paid > 0 and figures.refunds_due == figures.refunds_returned > 0
    assert Grant.objects.filter(application__programme=programme, settled_at__isnull=False).count()
    awarded = sum(
        LedgerEntry.objects.filter(programme=programme, kind="award").values_list(
            "amount", flat=True
        )
    )
    assert awarded == figures.awarded


def test_the_entitlement_programme_awards_within_its_budget_and_digit_days(ctx):
    added = demo.relief_step(ctx)

    programme = Programme.objects.get(code="relief-credit-2026")
    awarded = Application.objects.filter(programme=programme, status=rules.AWARDED)
    assert added == 1 + awarded.count() and awarded.count() >= 15
    programme.refresh_from_db()
    assert programme.awarded == 500_000 * awarded.count() < programme.budget
    digit_days = {d.day: d.digits for d in programme.digit_days.all()}
    assert len(digit_days) == 5
    for application in awarded:
        assert programme.opens_at <= application.submitted_at < programme.closes_at
        day = application.submitted_at.astimezone(programme.opens_at.tzinfo).date()
        if day in digit_days:
            assert application.business_number[-1] in digit_days[day]


def test_running_the_programme_steps_again_adds_nothing(ctx):
    demo.social_step(ctx)
    demo.relief_step(ctx)
    before = (Programme.objects.count(), Application.objects.count(), Review.objects.count())

    assert demo.social_step(ctx) == 0 and demo.relief_step(ctx) == 0
    assert (Programme.objects.count(), Application.objects.count(), Review.objects.count()) == (
        before
    )


def test_the_competitive_programmes_steps_keep_the_offices_calendar(ctx):
    from django.utils import timezone

    from core.clock import local_date
    from programmes.models import Event

    demo.social_step(ctx)
    programme = Programme.objects.get(code="se-devfund-2026")
    assert local_date(programme.opens_at).weekday() == 0
    assert local_date(programme.closes_at).weekday() == 4
    for event in Event.objects.filter(application__programme=programme).select_related(
        "application"
    ):
        assert event.application.submitted_at <= event.at <= timezone.now()
        if event.kind in ("review", "conflict") or event.to_status in ("selected", "not_selected"):
            assert event.at > programme.closes_at
    assert (
        programme.selected_at
        < Grant.objects.filter(application__programme=programme).earliest("decided_at").decided_at
    )
    assert not Application.objects.filter(programme=programme, applicant__endswith=" 대표").exists()


def test_the_relief_credits_first_days_take_the_numbers_of_their_digits(ctx):
    demo.relief_step(ctx)
    programme = Programme.objects.get(code="relief-credit-2026")
    days = dict(programme.digit_days.values_list("day", "digits"))
    assert len(days) == 5 and all(day.weekday() < 5 for day in days)
    from core.clock import local_date

    on_digit_days = 0
    for application in Application.objects.filter(programme=programme):
        day = local_date(application.submitted_at)
        if day in days:
            on_digit_days += 1
            assert application.business_number[-1] in days[day]
        assert application.entered_by is None
    assert on_digit_days > 0
