"""Reviewers in the admin: their queue, the scoring page, the list of reviews, and the printable
ranking for the clerks and supervisors."""

import pytest
from django.urls import reverse

from programmes import services
from programmes.models import Review
from registry.models import AccessLog
from tests.programmes.conftest import apply
from tests.programmes.factories import CompetitiveProgrammeFactory, ReviewerFactory
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "admin:programmes_review_queue"
SCORE = "admin:programmes_review_score"
RANKING = "admin:programmes_programme_ranking"


@pytest.fixture
def under_review(growth, business, clerk):
    application = apply(growth, business)
    for to in ("screening", "under_review"):
        services.application_transition(application=application, to=to, actor=clerk)
    return application


@pytest.fixture
def reviewer_client(client, reviewers):
    client.force_login(reviewers[0])
    return client


def test_a_reviewer_sees_only_the_applications_under_review_of_their_programmes(
    reviewer_client, under_review, office, dong, clerk, growth
):
    other_programme = CompetitiveProgrammeFactory(office=office, code="other-2026")
    elsewhere = apply(other_programme, StoreFactory(office=office, dong=dong))
    for to in ("screening", "under_review"):
        services.application_transition(application=elsewhere, to=to, actor=clerk)
    still_screening = apply(growth, StoreFactory(office=office, dong=dong, trade_name="심사전상회"))
    services.application_transition(application=still_screening, to="screening", actor=clerk)

    page = reviewer_client.get(reverse(QUEUE)).content.decode()

    assert under_review.number_display in page
    assert elsewhere.number_display not in page
    assert still_screening.number_display not in page
    assert "1건의 신청이 심사를 기다립니다" in page


def test_the_list_of_reviews_leads_a_reviewer_to_their_queue(reviewer_client):
    response = reviewer_client.get(reverse("admin:programmes_review_changelist"))
    assert response.status_code == 302 and response.url == reverse(QUEUE)


def test_the_scoring_page_shows_the_plan_and_budget_but_no_phone_number(
    reviewer_client, under_review, business
):
    page = reviewer_client.get(reverse(SCORE, args=[under_review.pk])).content.decode()

    assert "지역 식재료 공동구매 플랫폼 구축" in page
    assert "플랫폼 개발" in page and "15,000,000원" in page
    assert business.trade_name in page
    assert "01012345678" not in page and "010-1234-5678" not in page
    assert AccessLog.objects.filter(object_pk=str(under_review.pk), detail="심사 화면").exists()


def test_a_reviewer_scores_every_criterion_through_the_service(
    reviewer_client, under_review, reviewers
):
    response = reviewer_client.post(
        reverse(SCORE, args=[under_review.pk]),
        {"score_plan": "4", "score_impact": "7", "comment": "실현 가능성이 높습니다."},
    )

    assert response.status_code == 302 and response.url == reverse(QUEUE)
    review = Review.objects.get(application=under_review, reviewer=reviewers[0])
    assert (review.conflict, str(review.total), review.comment) == (
        False,
        "15.00",
        "실현 가능성이 높습니다.",
    )
    assert sorted(review.scores.values_list("criterion__key", "points")) == [
        ("impact", 7),
        ("plan", 4),
    ]


def test_points_above_a_criterions_maximum_are_refused_in_korean_and_nothing_is_saved(
    reviewer_client, under_review
):
    response = reviewer_client.post(
        reverse(SCORE, args=[under_review.pk]), {"score_plan": "6", "score_impact": ""}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "5 이하의 값을 입력하세요" in page or "5 이하" in page
    assert "“사회적 가치”에 0~10점을 주십시오" in page or "사회적 가치" in page
    assert not Review.objects.exists()


def test_a_conflict_of_interest_needs_a_comment_and_records_no_scores(
    reviewer_client, under_review, reviewers
):
    url = reverse(SCORE, args=[under_review.pk])
    refused = reviewer_client.post(url, {"conflict": "on", "comment": " "})
    assert refused.status_code == 200 and not Review.objects.exists()
    assert "이해충돌의 내용을 적어 주십시오" in refused.content.decode()

    reviewer_client.post(url, {"conflict": "on", "comment": "신청 법인의 이사와 친족입니다."})

    review = Review.objects.get()
    assert (review.conflict, review.total, review.scores.count()) == (True, None, 0)


def test_a_second_review_is_refused_with_a_korean_message(reviewer_client, under_review, reviewers):
    url = reverse(SCORE, args=[under_review.pk])
    reviewer_client.post(url, {"score_plan": "4", "score_impact": "7"})

    response = reviewer_client.post(url, {"score_plan": "1", "score_impact": "1"}, follow=True)

    assert "이미 이 신청을 심사했습니다" in response.content.decode()
    assert Review.objects.get().total == 15


def test_a_reviewer_cannot_open_an_application_of_a_programme_they_are_not_assigned_to(
    client, office, under_review
):
    outsider = UserFactory(username="reviewer9", office=office, roles=["programme_reviewer"])
    client.force_login(outsider)

    assert client.get(reverse(SCORE, args=[under_review.pk])).status_code == 404
    assert under_review.number_display not in client.get(reverse(QUEUE)).content.decode()


def test_a_reviewer_reads_only_their_own_reviews(client, under_review, reviewers):
    for reviewer, points in zip(reviewers[:2], (3, 4), strict=True):
        services.review_submit(
            application=under_review,
            reviewer=reviewer,
            scores={"plan": points, "impact": points},
        )
    theirs = Review.objects.get(reviewer=reviewers[1])
    client.force_login(reviewers[0])

    change = reverse("admin:programmes_review_change", args=[theirs.pk])
    assert client.get(change).status_code == 302  # not found: back to the admin index
    page = client.get(reverse(SCORE, args=[under_review.pk])).content.decode()
    assert "12.00" not in page  # the other reviewer's total (4×2 + 4)


def test_the_ranking_prints_every_score_the_mean_award_and_reason(
    client, growth, business, reviewers, clerk, office, dong
):
    first = apply(growth, business, requested=15_000_000)
    second = apply(growth, StoreFactory(office=office, dong=dong, trade_name="무등상회"))
    for application in (first, second):
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
    for reviewer, (plan, impact) in zip(reviewers, [(5, 10), (4, 8), (3, 6)], strict=True):
        services.review_submit(
            application=first, reviewer=reviewer, scores={"plan": plan, "impact": impact}
        )
    services.review_submit(
        application=second, reviewer=reviewers[0], scores={"plan": 1, "impact": 2}
    )
    services.review_submit(
        application=second, reviewer=reviewers[1], conflict=True, comment="친족 관계"
    )
    services.programme_select(programme=growth, actor=clerk)
    client.force_login(clerk)

    page = client.get(reverse(RANKING, args=[growth.pk])).content.decode()

    shown = ("16.00", "20.00", "12.00", "4.00", "15,000,000원", "이해충돌", "선정 기준 점수 미달")
    for text in shown:
        assert text in page
    assert "선정" in page and "100,000,000원" in page and "85,000,000원" in page
    assert "clerk" in page  # who ran the selection
    assert "@media print" in page


def test_reviewers_and_other_offices_cannot_open_the_ranking(
    client, growth, reviewers, other_office
):
    url = reverse(RANKING, args=[growth.pk])
    client.force_login(reviewers[0])
    assert client.get(url).status_code == 403
    client.force_login(UserFactory(office=other_office, roles=["supervisor"]))
    assert client.get(url).status_code == 404


def test_a_supervisor_reads_the_ranking_before_the_selection_with_a_notice(client, growth, office):
    client.force_login(UserFactory(office=office, roles=["supervisor"]))
    page = client.get(reverse(RANKING, args=[growth.pk])).content.decode()
    assert "선정을 아직 실행하지 않았거나" in page


def test_the_queue_is_read_in_a_fixed_number_of_queries(
    reviewer_client, growth, reviewers, clerk, office, dong, django_assert_max_num_queries
):
    for _n in range(5):
        application = apply(growth, StoreFactory(office=office, dong=dong))
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
    ReviewerFactory(programme=CompetitiveProgrammeFactory(office=office), user=reviewers[0])
    with django_assert_max_num_queries(12):
        assert reviewer_client.get(reverse(QUEUE)).status_code == 200


def test_in_the_application_admin_a_reviewer_sees_only_their_programmes_and_no_ones_scores(
    reviewer_client, reviewers, under_review, office, dong, clerk
):
    services.review_submit(
        application=under_review,
        reviewer=reviewers[1],
        scores={"plan": 4, "impact": 8},
        comment="계획이 구체적임",
    )
    other_programme = CompetitiveProgrammeFactory(office=office, code="other-2026")
    elsewhere = apply(other_programme, StoreFactory(office=office, dong=dong))

    listed = reviewer_client.get(reverse("admin:programmes_application_changelist"))
    assert under_review.number_display in listed.content.decode()
    assert elsewhere.number_display not in listed.content.decode()
    page = reviewer_client.get(
        reverse("admin:programmes_application_change", args=[under_review.pk])
    ).content.decode()
    assert "계획이 구체적임" not in page and "16.00" not in page
    hidden = reverse("admin:programmes_application_change", args=[elsewhere.pk])
    assert reviewer_client.get(hidden).status_code in (302, 404)
    programmes = reviewer_client.get(reverse("admin:programmes_programme_changelist"))
    assert list(programmes.context["cl"].result_list) == [under_review.programme]

    reviewer_client.force_login(clerk)
    page = reviewer_client.get(
        reverse("admin:programmes_application_change", args=[under_review.pk])
    ).content.decode()
    assert "계획이 구체적임" in page
