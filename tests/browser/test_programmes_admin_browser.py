"""A clerk runs a competitive programme in a real browser on the 1366-pixel screen of office PCs:
the programme's page with its figures and review progress, an application's page with its
reviews and timeline, and the selection behind its confirmation page; each page passes an
automated accessibility check (axe-core) with no violations."""

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from programmes import services
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


def _programme_under_review():
    office = OfficeFactory(code="29140", name="광주광역시 서구")
    dong = DongFactory(office=office, name="치평동")
    clerk = UserFactory(username="clerk", first_name="김민원", office=office, roles=["clerk"])
    programme = CompetitiveProgrammeFactory(
        office=office, code="growth-2026", pass_mark=Decimal("12")
    )
    CriterionFactory(programme=programme, key="plan", name="사업계획", weight=Decimal(2))
    CriterionFactory(programme=programme, key="impact", name="사회적 가치", max_points=10)
    reviewers = [
        UserFactory(username=f"reviewer{n}", office=office, roles=["programme_reviewer"])
        for n in range(1, 4)
    ]
    for reviewer in reviewers:
        services.reviewer_assign(programme=programme, username=reviewer.username, actor=clerk)
    applications = []
    for n, name in enumerate(["치평 나눔협동조합", "상무 마을기업 두레밥상"]):
        store = StoreFactory(
            office=office, dong=dong, trade_name=name, enterprise_type="social_cooperative"
        )
        application = apply(programme, store, requested=15_000_000 + n * 1_000_000)
        for to in ("screening", "under_review"):
            services.application_transition(application=application, to=to, actor=clerk)
        applications.append(application)
    for reviewer in reviewers:
        services.review_submit(
            application=applications[0],
            reviewer=reviewer,
            scores={"plan": 5, "impact": 8},
            comment="지역 식재료 활용이 구체적입니다",
        )
    return programme, applications


def test_a_clerk_runs_the_selection_from_the_programmes_page_at_1366_pixels(
    browser, live_server, screenshot
):
    programme, (scored, unscored) = _programme_under_review()
    context = browser.new_context(locale="ko-KR", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", "pw-golmok-1234")
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/programmes/programme/{programme.pk}/change/")
    expect(page.locator(".field-figures")).to_contain_text("100,000,000원")
    expect(page.locator(".field-progress")).to_contain_text(unscored.number_display)
    assert violations(page) == []
    screenshot("programme-admin-change")

    page.goto(f"{live_server.url}/admin/programmes/application/{scored.pk}/change/")
    expect(page.locator(".field-reviews_table")).to_contain_text("지역 식재료 활용이 구체적입니다")
    expect(page.locator("#timeline")).to_be_visible()
    assert violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366

    page.goto(f"{live_server.url}/admin/programmes/programme/{programme.pk}/change/")
    page.get_by_role("link", name="선정 실행").click()
    expect(page.locator("#content-main")).to_contain_text("1건은 아직 점수가 없어")
    assert violations(page) == []
    page.get_by_role("button", name="예, 선정을 실행합니다").click()
    expect(page.locator(".messagelist")).to_contain_text("선정을 실행했습니다")
    scored.refresh_from_db()
    assert (scored.status, scored.award) == ("selected", 15_000_000)
    context.close()
