"""A reviewer scores a competitive programme in a real browser on the 1366-pixel screen of office
PCs: the queue of what waits for their review, an application's scoring page with every
criterion, a conflict of interest declared on another, and then the clerk's printable ranking
after the selection. Each page passes an automated accessibility check (axe-core) with no
violations and fits the screen without scrolling sideways."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from programmes import services
from programmes.models import Review
from tests.programmes.conftest import apply
from tests.programmes.factories import CompetitiveProgrammeFactory, CriterionFactory
from tests.registry.factories import DongFactory, OfficeFactory, StoreFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 1366


def _programme_under_review():
    """Gwanak-style support with two criteria and two reviewers; two applications under review,
    each already scored by the second reviewer."""
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    clerk = UserFactory(username="clerk", first_name="김민원", office=office, roles=["clerk"])
    programme = CompetitiveProgrammeFactory(
        office=office, code="growth-2026", name="사회적경제기업 성장 지원", pass_mark=Decimal(12)
    )
    CriterionFactory(programme=programme, key="plan", name="사업계획", weight=Decimal(2))
    CriterionFactory(programme=programme, key="impact", name="사회적 가치", max_points=10)
    reviewer = UserFactory(
        username="reviewer1", first_name="박심사", office=office, roles=["programme_reviewer"]
    )
    colleague = UserFactory(
        username="reviewer2", first_name="이평가", office=office, roles=["programme_reviewer"]
    )
    for user in (reviewer, colleague):
        services.reviewer_assign(programme=programme, username=user.username, actor=clerk)
    applications = []
    for n, name in enumerate(["치평 나눔협동조합", "상무 마을기업 두레밥상"]):
        store = StoreFactory(
            office=office, dong=dong, trade_name=name, enterprise_type="social_cooperative"
        )
        application = apply(programme, store, requested=15_000_000 + n * 1_000_000)
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
        services.review_submit(
            application=application, reviewer=colleague, scores={"plan": 4, "impact": 6}
        )
        applications.append(application)
    return programme, clerk, applications


def test_a_reviewer_scores_and_declares_a_conflict_then_the_clerk_prints_the_ranking(
    page, live_server, sign_in, screenshot
):
    programme, clerk, (first, second) = _programme_under_review()
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_in("reviewer1")

    # The queue: both applications wait for this reviewer.
    page.goto(live_server.url + reverse("admin:programmes_review_queue"))
    queue = page.locator("table.golmok-queue")
    expect(queue).to_contain_text(first.number_display)
    expect(queue).to_contain_text(second.number_display)
    expect(page.locator("#content-main")).to_contain_text("2건")
    assert violations(page) == []
    assert fits_the_screen(page)
    screenshot("programme-review-queue", docs=False)

    # The scoring page: every criterion scored, then sent.
    page.get_by_role("link", name=first.number_display).click()
    expect(page).to_have_url(
        live_server.url + reverse("admin:programmes_review_score", args=[first.pk])
    )
    expect(page.locator("#content-main")).to_contain_text("치평 나눔협동조합")
    expect(page.locator(".golmok-lines").first).to_contain_text("플랫폼 개발")
    assert violations(page) == []
    assert fits_the_screen(page)
    page.get_by_label("사업계획").fill("5")
    page.get_by_label("사회적 가치").fill("8")
    page.locator("#id_comment").fill("지역 식재료 활용 계획이 구체적입니다")
    screenshot("programme-review-score", docs=False)
    page.get_by_role("button", name="심사 제출").click()

    # Back in the queue with the result.
    expect(page.locator(".messagelist")).to_contain_text(
        f"신청 {first.number_display}의 심사를 기록했습니다."
    )
    first_row = queue.locator("tr", has_text=first.number_display)
    expect(first_row).to_contain_text("채점함: 18")
    expect(page.locator("#content-main")).to_contain_text("1건")
    assert violations(page) == []

    # A conflict of interest on the other application: no scores, a reason given.
    page.get_by_role("link", name=second.number_display).click()
    page.get_by_label("이 신청자와 이해충돌 관계가 있습니다").check()
    page.get_by_role("button", name="심사 제출").click()
    expect(page.locator(".errorlist")).to_contain_text("이해충돌")
    assert violations(page) == []
    page.locator("#id_comment").fill("대표자가 저의 친척입니다")
    page.get_by_role("button", name="심사 제출").click()
    expect(page.locator(".messagelist")).to_contain_text(
        f"신청 {second.number_display}에 대한 이해충돌 신고를 기록했습니다."
    )
    expect(queue.locator("tr", has_text=second.number_display)).to_contain_text("이해충돌 신고")

    mine = {r.application_id: r for r in Review.objects.filter(reviewer__username="reviewer1")}
    assert (mine[first.pk].conflict, mine[first.pk].total) == (False, Decimal(18))
    assert mine[second.pk].conflict
    assert not mine[second.pk].scores.exists()

    # After the selection, the clerk's printable ranking shows every score.
    services.programme_select(programme=programme, actor=clerk)
    page.context.clear_cookies()
    sign_in("clerk")
    page.goto(live_server.url + reverse("admin:programmes_programme_ranking", args=[programme.pk]))
    ranking = page.locator("#content-main")
    first_line = ranking.locator("tr", has_text=first.number_display)
    expect(first_line).to_contain_text("치평 나눔협동조합")
    expect(first_line).to_contain_text("15,000,000")
    expect(first_line).to_contain_text("16.00")
    expect(ranking.locator("tr", has_text=second.number_display)).to_contain_text("이해충돌")
    assert violations(page) == []
    assert fits_the_screen(page)
    screenshot("programme-ranking", docs=False)
