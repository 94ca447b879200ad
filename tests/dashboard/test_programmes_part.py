"""The dashboard's support programmes part: budget, awarded, paid, remaining and applications by
status per programme, on the page and in the API, and the programmes' pending work."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.clock import SEOUL
from programmes import services
from programmes.models import Application
from tests.programmes.conftest import apply
from tests.programmes.factories import (
    CompetitiveProgrammeFactory,
    CriterionFactory,
    EntitlementProgrammeFactory,
    ReviewerFactory,
)
from tests.registry.factories import DongFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


def _competitive(office, clerk, stores, *, code="growth-2026"):
    programme = CompetitiveProgrammeFactory(office=office, code=code, pass_mark=Decimal("1"))
    CriterionFactory(programme=programme, key="plan", name="사업계획")
    applications = [apply(programme, store) for store in stores]
    services.application_transition(application=applications[0], to="screening", actor=clerk)
    return programme, applications


@pytest.fixture
def programmes(office, clerk):
    dong = DongFactory(office=office)
    stores = [StoreFactory(office=office, dong=dong) for _ in range(4)]
    growth, _applications = _competitive(office, clerk, stores[:3])
    relief = EntitlementProgrammeFactory(office=office, code="relief-2026")
    for store in stores:
        apply(relief, store, at=datetime(2026, 8, 1, 10, tzinfo=SEOUL))
    return growth, relief


def _supervisor(office):
    return UserFactory(office=office, roles=["supervisor"])


def test_the_api_lists_each_programme_with_its_money_and_applications_by_status(programmes, office):
    growth, _relief = programmes
    api = APIClient()
    api.force_authenticate(_supervisor(office))

    body = api.get("/api/v1/dashboard/").json()

    assert {"office", "as_of", "figures", "dongs", "campaign", "hotline"} <= set(body)
    rows = {row["code"]: row for row in body["programmes"]}
    assert set(rows) == {"growth-2026", "relief-2026"}
    relief_row = rows["relief-2026"]
    assert (relief_row["budget"], relief_row["awarded"]) == (10_000_000, 2_000_000)
    assert (relief_row["paid"], relief_row["remaining"]) == (0, 8_000_000)
    assert [(s["status"], s["count"]) for s in relief_row["applications"]] == [("awarded", 4)]
    growth_counts = {s["status"]: s["count"] for s in rows["growth-2026"]["applications"]}
    assert (growth_counts["submitted"], growth_counts["screening"]) == (2, 1)
    assert growth_counts["selected"] == 0
    assert sum(growth_counts.values()) == Application.objects.filter(programme=growth).count()


def test_a_programme_closed_more_than_a_year_ago_or_of_another_office_is_left_out(
    programmes, office, other_office
):
    CompetitiveProgrammeFactory(
        office=office,
        code="growth-2024",
        opens_at=datetime(2024, 3, 2, 9, tzinfo=SEOUL),
        closes_at=datetime(2024, 3, 25, 18, tzinfo=SEOUL),
    )
    CompetitiveProgrammeFactory(office=other_office, code="donggu-2026")
    api = APIClient()
    api.force_authenticate(_supervisor(office))

    codes = [row["code"] for row in api.get("/api/v1/dashboard/").json()["programmes"]]

    assert sorted(codes) == ["growth-2026", "relief-2026"]


def test_roles_without_the_programme_permission_see_no_programmes(programmes, office):
    api = APIClient()
    api.force_authenticate(UserFactory(office=office, roles=["hotline_operator"]))
    assert api.get("/api/v1/dashboard/").json()["programmes"] is None


def test_the_page_shows_a_chart_and_a_table_per_programme(client, programmes, office):
    client.force_login(_supervisor(office))

    page = client.get(reverse("dashboard:home")).content.decode()

    assert 'aria-labelledby="programmes-title"' in page
    assert "지원사업" in page and "소상공인 부담경감 크레딧" in page
    assert "<svg" in page and "10,000,000" in page and "8,000,000" in page


@pytest.mark.skipif(
    not admin.site.is_registered(Application),
    reason="the application changelist is registered by the programmes' application admin",
)
def test_each_count_links_to_the_filtered_application_list(programmes, office):
    growth, _relief = programmes
    api = APIClient()
    api.force_authenticate(_supervisor(office))

    body = api.get("/api/v1/dashboard/").json()

    row = next(r for r in body["programmes"] if r["code"] == "growth-2026")
    screening = next(s for s in row["applications"] if s["status"] == "screening")
    assert screening["list"].endswith(
        f"/admin/programmes/application/?programme__id__exact={growth.pk}&status__exact=screening"
    )


def test_a_reviewer_sees_the_applications_still_to_review_as_pending_work(office, clerk):
    dong = DongFactory(office=office)
    growth, applications = _competitive(
        office, clerk, [StoreFactory(office=office, dong=dong) for _ in range(3)]
    )
    services.application_transition(application=applications[0], to="under_review", actor=clerk)
    for application in applications[1:]:
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
    reviewer = UserFactory(office=office, roles=["programme_reviewer"])
    ReviewerFactory(programme=growth, user=reviewer)
    services.review_submit(application=applications[0], reviewer=reviewer, scores={"plan": 3})
    api = APIClient()
    api.force_authenticate(reviewer)

    pending = {f["key"]: f for f in api.get("/api/v1/dashboard/").json()["pending"]}

    assert pending["pending_programme_reviews"]["value"] == 2
    assert pending["pending_programme_reviews"]["list"].endswith(
        reverse("admin:programmes_review_queue") + "?"
    )


def test_a_clerk_sees_the_applications_waiting_for_screening(programmes, office, clerk):
    api = APIClient()
    api.force_authenticate(clerk)
    keys = {f["key"]: f["value"] for f in api.get("/api/v1/dashboard/").json()["pending"]}
    if admin.site.is_registered(Application):
        assert keys["pending_programme_screening"] == 2
    else:
        assert "pending_programme_screening" not in keys
    assert "pending_programme_reviews" not in keys


def _queries(user) -> int:
    api = APIClient()
    api.force_authenticate(user)
    with CaptureQueriesContext(connection) as queries:
        assert api.get("/api/v1/dashboard/").status_code == 200
    return len(queries)


def test_the_programmes_part_costs_the_same_queries_however_many_programmes(office, clerk):
    supervisor = _supervisor(office)
    dong = DongFactory(office=office)
    _competitive(office, clerk, [StoreFactory(office=office, dong=dong)], code="one-2026")
    _queries(supervisor)  # caches filled once per process (content types, sites)
    one = _queries(supervisor)
    for n in range(4):
        _competitive(office, clerk, [StoreFactory(office=office, dong=dong)], code=f"more-2026-{n}")
    assert _queries(supervisor) == one
