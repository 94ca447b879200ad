"""The support programmes API (SPEC 7): status codes, bodies, refusals, permissions, the office
wall and query counts."""

from datetime import date

import pytest
from django.utils.translation import gettext

from programmes import services
from programmes.models import Application, Criterion, Programme, Review, Reviewer
from registry.models import User
from tests.programmes.conftest import apply
from tests.programmes.factories import (
    CompetitiveProgrammeFactory,
    DigitDayFactory,
    EntitlementProgrammeFactory,
    ReviewerFactory,
)
from tests.registry.api_support import api_for
from tests.registry.factories import DongFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/programmes/"

COMPETITIVE = {
    "code": "growth-2027",
    "name": "사회적경제기업 사업개발비 지원",
    "office": "29140",
    "kind": "competitive",
    "opens_at": "2027-03-02T09:00:00",
    "closes_at": "2027-03-25T18:00:00",
    "budget": 100_000_000,
    "max_award": 20_000_000,
    "enterprise_types": ["social_enterprise", "social_cooperative"],
    "dongs": ["치평동"],
    "criteria": [
        {"key": "plan", "name": "사업계획", "weight": "2", "max_points": 5},
        {"key": "impact", "name": "사회적 가치", "weight": 1, "max_points": 10},
    ],
    "pass_mark": "12",
}
ENTITLEMENT = {
    "code": "relief-2027",
    "name": "소상공인 부담경감 크레딧",
    "office": "29140",
    "kind": "entitlement",
    "opens_at": "2027-07-14T09:00:00",
    "closes_at": "2027-12-31T18:00:00+09:00",
    "budget": 10_000_000,
    "amount": 500_000,
    "annual_sales_min_exclusive": 0,
    "annual_sales_max": 300_000_000,
    "opened_before": "2027-06-01",
    "digit_days": [
        {"date": "2027-07-14", "digits": [1, 6]},
        {"date": "2027-07-15", "digits": [2, 7]},
    ],
}
REQUEST = {
    "business_number": "220-81-62517",
    "annual_sales": 120_000_000,
    "requested": 15_000_000,
    "plan": "지역 식재료 공동구매 플랫폼 구축",
    "budget_lines": [
        {"item": "플랫폼 개발", "amount": 12_000_000},
        {"item": "홍보", "amount": 3_000_000},
    ],
    "submitted_at": "2026-03-10T10:00:00",
}
RELIEF_REQUEST = {
    "business_number": "2208162517",
    "annual_sales": 120_000_000,
    "submitted_at": "2026-08-01T10:00:00",
}


@pytest.fixture
def clerk_api(clerk):
    return api_for(clerk)


@pytest.fixture
def supervisor(office):
    return UserFactory(username="supervisor", office=office, roles=["supervisor"])


def under_review(application, clerk):
    for to in ("screening", "under_review"):
        services.application_transition(application=application, to=to, actor=clerk)
    return application


def number_of(application) -> str:
    return application.number_display


# --- Programmes ------------------------------------------------------------------------------


def test_a_clerk_creates_a_competitive_programme_with_criteria_and_dongs(clerk_api, dong):
    response = clerk_api.post(BASE, COMPETITIVE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "growth-2027" and body["office"] == "29140"
    assert body["opens_at"] == "2027-03-02T09:00:00+09:00"
    assert body["dongs"] == ["치평동"]
    assert body["criteria"] == [
        {"key": "plan", "name": "사업계획", "weight": "2.00", "max_points": 5},
        {"key": "impact", "name": "사회적 가치", "weight": "1.00", "max_points": 10},
    ]
    assert body["enterprise_types"] == ["social_enterprise", "social_cooperative"]
    assert (body["budget"], body["awarded"], body["paid"], body["remaining"]) == (
        100_000_000,
        0,
        0,
        100_000_000,
    )
    assert body["applications"] == {} and body["pass_mark"] == "12.00"
    assert Programme.objects.get().criteria.count() == 2


def test_an_entitlement_programme_takes_its_digit_days(clerk_api, office):
    response = clerk_api.post(BASE, ENTITLEMENT, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["digit_days"] == [
        {"date": "2027-07-14", "digits": [1, 6]},
        {"date": "2027-07-15", "digits": [2, 7]},
    ]
    assert (body["amount"], body["max_award"], body["closes_at"]) == (
        500_000,
        None,
        "2027-12-31T18:00:00+09:00",
    )


def test_every_malformed_field_of_a_programme_is_answered_at_once_in_korean(clerk_api, office):
    response = clerk_api.post(
        BASE,
        {**COMPETITIVE, "code": "Growth 2027", "budget": 0, "kind": "lottery"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"code", "budget", "kind"}
    assert body["budget"] == ["1 이상의 값을 입력하십시오."]
    assert body["kind"] == ['"lottery"은(는) 고를 수 있는 값이 아닙니다.']
    assert not Programme.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"dongs": ["없는동"]}, "dongs"),
        ({"criteria": []}, "criteria"),
        ({"max_award": None}, "max_award"),
        ({"pass_mark": None}, "pass_mark"),
        ({"amount": 500_000}, "amount"),
        ({"closes_at": "2027-03-01T09:00:00"}, "non_field_errors"),
        ({"digit_days": [{"date": "2027-03-03", "digits": [1]}]}, "digit_days"),
        ({"criteria": [{"key": "plan", "name": "x", "weight": 1, "max_points": 0}]}, "criteria"),
        ({"office": "29110"}, "office"),
    ],
)
def test_a_programme_the_rules_refuse_is_a_400_naming_the_field(
    clerk_api, dong, other_office, changes, field
):
    response = clerk_api.post(BASE, {**COMPETITIVE, **changes}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Programme.objects.exists() and not Criterion.objects.exists()


def test_a_programme_code_is_taken_once(clerk_api, dong, growth):
    response = clerk_api.post(BASE, {**COMPETITIVE, "code": growth.code}, format="json")
    assert response.json() == {"code": ["이 코드의 지원사업이 이미 있습니다."]}


def test_a_supervisor_reads_programmes_but_cannot_create_one(supervisor, growth, dong):
    client = api_for(supervisor)
    assert client.get(f"{BASE}{growth.code}/").status_code == 200
    assert client.post(BASE, COMPETITIVE, format="json").status_code == 403


def test_the_list_shows_the_offices_programmes_filtered_by_kind(
    clerk_api, growth, relief, other_office
):
    CompetitiveProgrammeFactory(office=other_office, code="elsewhere")
    codes = [p["code"] for p in clerk_api.get(BASE).json()["results"]]
    assert sorted(codes) == ["growth-2026", "relief-2026"]
    only = clerk_api.get(BASE, {"kind": "entitlement"}).json()["results"]
    assert [p["code"] for p in only] == ["relief-2026"]
    refused = clerk_api.get(BASE, {"kind": "lottery"})
    assert refused.status_code == 400 and "kind" in refused.json()


def test_the_list_costs_the_same_queries_for_one_programme_or_many(
    clerk, office, growth, business, django_assert_num_queries
):
    apply(growth, business)
    client = api_for(User.objects.get(pk=clerk.pk))
    with django_assert_num_queries(9):
        first = client.get(BASE)
    for n in range(4):
        CompetitiveProgrammeFactory(office=office, code=f"more-{n}")
    client = api_for(User.objects.get(pk=clerk.pk))  # its permissions not cached yet
    with django_assert_num_queries(9):
        more = client.get(BASE)
    assert (first.json()["count"], more.json()["count"]) == (1, 5)
    listed = {p["code"]: p for p in more.json()["results"]}
    assert listed["growth-2026"]["applications"] == {"submitted": 1}


def test_the_detail_gives_the_figures_and_counts_per_status(
    clerk_api, relief, business, office, dong, django_assert_num_queries
):
    apply(relief, business)
    apply(relief, StoreFactory(office=office, dong=dong))
    with django_assert_num_queries(9):
        body = clerk_api.get(f"{BASE}relief-2026/").json()
    assert (body["budget"], body["awarded"], body["paid"], body["remaining"]) == (
        10_000_000,
        1_000_000,
        0,
        9_000_000,
    )
    assert body["applications"] == {"awarded": 2}


def test_another_offices_programme_is_not_found_but_a_superuser_sees_it(
    clerk_api, superuser, other_office
):
    CompetitiveProgrammeFactory(office=other_office, code="elsewhere")
    response = clerk_api.get(f"{BASE}elsewhere/")
    assert response.status_code == 404 and "지원사업" in response.json()["detail"]
    assert (
        clerk_api.post(f"{BASE}elsewhere/applications/", REQUEST, format="json").status_code == 404
    )
    assert api_for(superuser).get(f"{BASE}elsewhere/").status_code == 200


def test_anonymous_callers_are_refused(growth):
    assert api_for().get(BASE).status_code == 401


# --- Applications ----------------------------------------------------------------------------


def test_an_entitlement_application_is_awarded_at_once(clerk_api, relief, business, clerk):
    response = clerk_api.post(f"{BASE}relief-2026/applications/", RELIEF_REQUEST, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    application = Application.objects.get()
    assert body == {
        "number": application.number_display,
        "status": "awarded",
        "award": 500_000,
        "reason": None,
    }
    assert application.entered_by == clerk


def test_a_competitive_application_is_submitted_with_its_budget_lines(clerk_api, growth, business):
    response = clerk_api.post(f"{BASE}growth-2026/applications/", REQUEST, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "submitted" and response.json()["award"] is None
    application = Application.objects.get()
    assert application.requested == 15_000_000
    assert list(application.budget_lines.values_list("item", "amount")) == [
        ("플랫폼 개발", 12_000_000),
        ("홍보", 3_000_000),
    ]


@pytest.fixture
def refusals(office, dong, relief, business, other_office):
    """One request per refusal of SPEC 7, each against the programme it fails."""
    DigitDayFactory(programme=relief, day=date(2026, 8, 3), digits="16")
    elsewhere = StoreFactory(office=other_office)
    small = EntitlementProgrammeFactory(office=office, code="small", budget=500_000)
    apply(small, StoreFactory(office=office, dong=dong))
    return {
        "outside_window": ("relief-2026", {"submitted_at": "2026-07-14T08:59:59"}),
        "digit_day": ("relief-2026", {"submitted_at": "2026-08-03T10:00:00"}),
        "not_registered": ("relief-2026", {"business_number": elsewhere.business_number}),
        "not_eligible:annual_sales_max": ("relief-2026", {"annual_sales": 300_000_001}),
        "not_eligible:annual_sales_min_exclusive": ("relief-2026", {"annual_sales": 0}),
        "budget_exhausted": ("small", {}),
    }


@pytest.mark.parametrize(
    "reason",
    [
        "outside_window",
        "digit_day",
        "not_registered",
        "not_eligible:annual_sales_max",
        "not_eligible:annual_sales_min_exclusive",
        "budget_exhausted",
    ],
)
def test_a_refused_application_names_its_rule_and_writes_nothing(clerk_api, refusals, reason):
    code, changes = refusals[reason]
    before = Application.objects.count()
    response = clerk_api.post(
        f"{BASE}{code}/applications/", {**RELIEF_REQUEST, **changes}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["reason"] == reason and set(body) == {"reason", "detail"}
    assert body["detail"]
    assert Application.objects.count() == before


def test_applying_twice_is_refused_as_duplicate(clerk_api, relief, business):
    clerk_api.post(f"{BASE}relief-2026/applications/", RELIEF_REQUEST, format="json")
    response = clerk_api.post(f"{BASE}relief-2026/applications/", RELIEF_REQUEST, format="json")
    assert response.json() == {
        "reason": "duplicate",
        "detail": gettext("This business has already applied to the programme."),
    }
    assert Application.objects.count() == 1


def test_the_refusal_names_a_social_economy_rule(clerk_api, office, dong):
    programme = CompetitiveProgrammeFactory(
        office=office, code="social", enterprise_types=["social_enterprise"]
    )
    StoreFactory(office=office, dong=dong, business_number="2208162517", enterprise_type="")
    response = clerk_api.post(f"{BASE}{programme.code}/applications/", REQUEST, format="json")
    assert response.json()["reason"] == "not_eligible:enterprise_types"


def test_every_malformed_field_of_an_application_is_answered_at_once(clerk_api, growth, business):
    response = clerk_api.post(
        f"{BASE}growth-2026/applications/",
        {
            **REQUEST,
            "business_number": "220-81-62518",
            "annual_sales": "lots",
            "requested": 16_000_000,
            "plan": " ",
            "submitted_at": "soon",
            "extra": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {
        "business_number",
        "annual_sales",
        "budget_lines",
        "plan",
        "submitted_at",
        "extra",
    }
    assert body["annual_sales"] == ["정수를 입력하십시오."]
    assert "유효한 사업자등록번호가 아닙니다" in body["business_number"][0]
    assert "16,000,000" in body["budget_lines"][0]
    assert not Application.objects.exists()


def test_a_competitive_application_without_request_or_lines_names_both(clerk_api, growth, business):
    body = clerk_api.post(
        f"{BASE}growth-2026/applications/",
        {k: v for k, v in REQUEST.items() if k not in ("requested", "budget_lines")},
        format="json",
    ).json()
    assert set(body) == {"requested", "budget_lines"}


@pytest.mark.parametrize("role", ["supervisor", "programme_reviewer", "hotline_operator"])
def test_only_clerks_enter_applications(office, relief, business, role):
    user = UserFactory(office=office, roles=[role])
    response = api_for(user).post(f"{BASE}relief-2026/applications/", RELIEF_REQUEST, format="json")
    assert response.status_code in (403, 404)
    assert not Application.objects.exists()


def test_the_applications_list_filters_by_status_in_few_queries(
    clerk_api, growth, business, office, dong, clerk, django_assert_num_queries
):
    first = apply(growth, business)
    for _ in range(3):
        apply(growth, StoreFactory(office=office, dong=dong))
    under_review(first, clerk)
    with django_assert_num_queries(
        8
    ):  # the page of applicants shown unmasked is logged in one insert
        response = clerk_api.get(f"{BASE}growth-2026/applications/", {"status": "under_review"})
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["number"] == number_of(first) and row["trade_name"] == "치평 나눔협동조합"
    assert row["phone"] == "01012345678"  # clerks see contacts
    assert clerk_api.get(f"{BASE}growth-2026/applications/").json()["count"] == 4
    refused = clerk_api.get(f"{BASE}growth-2026/applications/", {"status": "lost"})
    assert refused.status_code == 400 and "status" in refused.json()


def test_a_supervisor_reads_applications_with_contacts_masked(supervisor, growth, business):
    apply(growth, business)
    row = api_for(supervisor).get(f"{BASE}growth-2026/applications/").json()["results"][0]
    assert row["phone"] != "01012345678" and "*" in row["phone"]


def test_an_application_is_shown_with_its_timeline(clerk_api, growth, business, clerk):
    application = under_review(apply(growth, business), clerk)
    response = clerk_api.get(f"{BASE}growth-2026/applications/{application.number}/")
    assert response.status_code == 200
    body = response.json()
    assert body["budget_lines"] == [{"item": "플랫폼 개발", "amount": 15_000_000}]
    assert [(e["kind"], e["to_status"], e["actor"]) for e in body["timeline"]] == [
        ("submitted", "submitted", None),
        ("notice", None, None),
        ("status", "screening", "clerk"),
        ("status", "under_review", "clerk"),
    ]
    lower = application.number_display.lower()
    assert clerk_api.get(f"{BASE}growth-2026/applications/{lower}/").status_code == 200


def test_an_unknown_application_is_not_found(clerk_api, growth, relief, business):
    application = apply(relief, business)
    for number in ("ABCD-2345-EFGH", application.number, "x"):
        response = clerk_api.get(f"{BASE}growth-2026/applications/{number}/")
        assert response.status_code == 404
        assert response.json() == {"detail": "이 지원사업에 그런 신청이 없습니다."}


# --- Moves -----------------------------------------------------------------------------------


def test_an_application_moves_to_screening(clerk_api, growth, business):
    application = apply(growth, business)
    response = clerk_api.post(
        f"{BASE}growth-2026/applications/{application.number}/transition/",
        {"to": "screening", "note": "서류 확인"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "screening"
    assert response.json()["timeline"][-1]["note"] == "서류 확인"


def test_a_move_the_state_machine_does_not_allow_names_the_allowed_ones(
    clerk_api, growth, business
):
    application = apply(growth, business)
    response = clerk_api.post(
        f"{BASE}growth-2026/applications/{application.number}/transition/",
        {"to": "selected"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["allowed"] == ["screening", "withdrawn"] and body["code"] == "invalid_move"
    assert body["to"] == [
        gettext("Applications are selected or not only by running the selection.")
    ]


def test_withdrawing_needs_a_note(clerk_api, growth, business):
    application = apply(growth, business)
    response = clerk_api.post(
        f"{BASE}growth-2026/applications/{application.number}/transition/",
        {"to": "withdrawn"},
        format="json",
    )
    assert response.status_code == 400 and "note" in response.json()
    application.refresh_from_db()
    assert application.status == "submitted"


# --- Reviewers and reviews -------------------------------------------------------------------


def test_a_clerk_assigns_a_reviewer_of_the_office(clerk_api, growth, office):
    UserFactory(username="judge", office=office, roles=["programme_reviewer"])
    response = clerk_api.post(f"{BASE}growth-2026/reviewers/", {"username": "judge"}, format="json")
    assert response.status_code == 201
    assert response.json()["username"] == "judge" and response.json()["programme"] == "growth-2026"
    again = clerk_api.post(f"{BASE}growth-2026/reviewers/", {"username": "judge"}, format="json")
    assert again.status_code == 400 and "username" in again.json()


@pytest.mark.parametrize("who", ["clerk", "elsewhere", "nobody"])
def test_anyone_but_a_reviewer_of_the_office_is_refused_as_reviewer(
    clerk_api, growth, other_office, who
):
    UserFactory(username="elsewhere", office=other_office, roles=["programme_reviewer"])
    response = clerk_api.post(f"{BASE}growth-2026/reviewers/", {"username": who}, format="json")
    assert response.status_code == 400
    assert response.json()["username"] == [
        gettext("Only active staff of the office with the reviewer role can be assigned.")
    ]
    assert not Reviewer.objects.exists()


@pytest.fixture
def reviewing(growth, business, reviewers, clerk):
    return under_review(apply(growth, business), clerk)


def review_url(application) -> str:
    return f"{BASE}{application.programme.code}/applications/{application.number}/reviews/"


def test_an_assigned_reviewer_scores_an_application(reviewing, reviewers):
    response = api_for(reviewers[0]).post(
        review_url(reviewing),
        {"scores": {"plan": 5, "impact": 8}, "conflict": False, "comment": "우수"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["conflict"], body["reviewer"]) == ("18.00", False, "reviewer1")


def test_a_second_review_by_the_same_reviewer_is_a_409(reviewing, reviewers):
    client = api_for(reviewers[0])
    client.post(review_url(reviewing), {"scores": {"plan": 5, "impact": 8}}, format="json")
    response = client.post(review_url(reviewing), {"conflict": True}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": gettext("You have already reviewed this application.")}
    assert Review.objects.count() == 1


def test_a_conflict_of_interest_is_recorded_without_scores(reviewing, reviewers):
    response = api_for(reviewers[1]).post(
        review_url(reviewing),
        {"scores": {"plan": 5, "impact": 8}, "conflict": True, "comment": "친족 관계"},
        format="json",
    )
    assert response.status_code == 201
    review = Review.objects.get()
    assert (review.conflict, review.total, review.scores.count()) == (True, None, 0)


def test_a_reviewer_not_assigned_is_refused_with_403(reviewing, office):
    outsider = UserFactory(office=office, roles=["programme_reviewer"])
    response = api_for(outsider).post(
        review_url(reviewing), {"scores": {"plan": 5, "impact": 8}}, format="json"
    )
    assert response.status_code == 403
    assert response.json() == {"detail": gettext("You are not a reviewer of this programme.")}


@pytest.mark.parametrize(
    "scores",
    [{"plan": 5}, {"plan": 6, "impact": 8}, {"plan": 5, "impact": 8, "budget": 1}, "many"],
)
def test_a_missing_criterion_or_points_out_of_range_is_a_400(reviewing, reviewers, scores):
    response = api_for(reviewers[0]).post(review_url(reviewing), {"scores": scores}, format="json")
    assert response.status_code == 400 and "scores" in response.json()
    assert not Review.objects.exists()


def test_an_application_not_under_review_cannot_be_reviewed(growth, business, reviewers):
    application = apply(growth, business)
    response = api_for(reviewers[0]).post(
        review_url(application), {"scores": {"plan": 5, "impact": 8}}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "not_under_review"


def test_a_reviewer_reads_only_their_programmes_and_reaches_nothing_else(
    reviewing, reviewers, relief, office, dong
):
    client = api_for(reviewers[0])
    assert [p["code"] for p in client.get(BASE).json()["results"]] == ["growth-2026"]
    assert client.get(f"{BASE}growth-2026/").status_code == 200
    assert client.get(f"{BASE}relief-2026/").status_code == 404
    number = reviewing.number
    refused = [
        client.post(BASE, {**COMPETITIVE, "code": "mine"}, format="json"),
        client.get(f"{BASE}growth-2026/applications/"),
        client.get(f"{BASE}growth-2026/applications/{number}/"),
        client.post(f"{BASE}growth-2026/applications/", REQUEST, format="json"),
        client.post(
            f"{BASE}growth-2026/applications/{number}/transition/",
            {"to": "withdrawn"},
            format="json",
        ),
        client.post(f"{BASE}growth-2026/reviewers/", {"username": "reviewer2"}, format="json"),
        client.post(f"{BASE}growth-2026/selection/"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)


def test_a_clerk_cannot_review(reviewing, clerk_api, clerk):
    ReviewerFactory(programme=reviewing.programme, user=clerk)
    response = clerk_api.post(review_url(reviewing), {"conflict": True}, format="json")
    assert response.status_code == 403


# --- Selection -------------------------------------------------------------------------------


def test_the_selection_runs_once_and_returns_every_scored_application(
    clerk_api, growth, business, reviewers, clerk, office, dong
):
    first = under_review(apply(growth, business, requested=15_000_000), clerk)
    second = under_review(apply(growth, StoreFactory(office=office, dong=dong)), clerk)
    unscored = under_review(apply(growth, StoreFactory(office=office, dong=dong)), clerk)
    for reviewer, (plan, impact) in zip(reviewers, [(5, 10), (4, 8), (4, 5)], strict=True):
        services.review_submit(
            application=first, reviewer=reviewer, scores={"plan": plan, "impact": impact}
        )
        services.review_submit(
            application=second, reviewer=reviewer, scores={"plan": 3, "impact": 5}
        )
    response = clerk_api.post(f"{BASE}growth-2026/selection/")
    assert response.status_code == 201, response.content
    assert response.json() == [
        {
            "number": first.number_display,
            "score": "16.33",
            "rank": 1,
            "award": 15_000_000,
            "status": "selected",
            "reason": None,
        },
        {
            "number": second.number_display,
            "score": "11.00",
            "rank": None,
            "award": 0,
            "status": "not_selected",
            "reason": "below_pass_mark",
        },
    ]
    again = clerk_api.post(f"{BASE}growth-2026/selection/")
    assert again.status_code == 409 and again.json()["detail"]
    unscored.refresh_from_db()
    assert unscored.status == "under_review"
    assert clerk_api.get(f"{BASE}growth-2026/").json()["awarded"] == 15_000_000


def test_an_entitlement_programme_has_no_selection(clerk_api, relief):
    response = clerk_api.post(f"{BASE}relief-2026/selection/")
    assert response.status_code == 400 and response.json()["code"] == "kind"


def test_the_selection_waits_for_applications_to_close(clerk_api, office):
    CompetitiveProgrammeFactory(
        office=office,
        code="later",
        opens_at="2099-01-01T00:00:00+09:00",
        closes_at="2099-02-01T00:00:00+09:00",
    )
    response = clerk_api.post(f"{BASE}later/selection/")
    assert response.status_code == 400 and response.json()["code"] == "window_open"


def test_a_supervisor_cannot_run_the_selection(supervisor, growth):
    assert api_for(supervisor).post(f"{BASE}growth-2026/selection/").status_code == 403


def test_a_dong_of_another_office_is_not_taken(clerk_api, other_office, office):
    DongFactory(office=other_office, name="충장동")
    response = clerk_api.post(BASE, {**COMPETITIVE, "dongs": ["충장동"]}, format="json")
    assert response.status_code == 400 and "충장동" in response.json()["dongs"][0]


def test_reading_applicants_by_api_is_written_to_the_access_log(clerk_api, growth, business, clerk):
    from registry.models import AccessLog

    application = apply(growth, business)
    AccessLog.objects.all().delete()
    clerk_api.get(f"{BASE}growth-2026/applications/")
    clerk_api.get(f"{BASE}growth-2026/applications/{application.number}/")
    faces = list(
        AccessLog.objects.filter(object_pk=str(application.pk), action="view").values_list(
            "detail", flat=True
        )
    )
    assert len(faces) == 2


def test_staff_may_leave_the_office_out_and_the_programme_is_their_own(clerk_api, office):
    body = {
        "code": "relief-own",
        "name": "부담경감 크레딧",
        "kind": "entitlement",
        "opens_at": "2026-07-14T09:00:00",
        "closes_at": "2026-12-31T18:00:00",
        "budget": 10_000_000,
        "amount": 500_000,
    }
    response = clerk_api.post(BASE, body, format="json")
    assert response.status_code == 201, response.json()
    from programmes.models import Programme

    assert Programme.objects.get(code="relief-own").office == office
