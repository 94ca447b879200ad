"""Links between cases and the registry in the admin: a store's cases panel, the case list
filtered by store, and a case's links to its store and district."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from hotline.models import Case
from tests.hotline.conftest import intake, seoul
from tests.registry.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db
CASES = reverse("admin:hotline_case_changelist")


def store_page(store) -> str:
    return reverse("admin:registry_store_change", args=[store.pk])


def case_page(case) -> str:
    return reverse("admin:hotline_case_change", args=[case.pk])


def panel(response, key: str):
    return next((p for p in response.context["related_panels"] if p.key == key), None)


def listed(response) -> set[str]:
    return {case.number for case in response.context["cl"].result_list}


@pytest.fixture
def store_cases(office, operator, store):
    """Seven cases about the store, received a day apart, and one about another store."""
    cases = [
        intake(office, operator, store=store, at=seoul(2026, 3, day, 10)) for day in range(2, 9)
    ]
    intake(office, operator, store=StoreFactory(office=office), at=seoul(2026, 3, 9, 10))
    return cases


def test_a_stores_page_counts_its_cases_as_the_case_list_it_links_to(
    client, supervisor, store_cases
):
    store = store_cases[0].store
    client.force_login(supervisor)
    cases = panel(client.get(store_page(store)), "cases")
    assert cases.title == "골목경제 119 민원"
    assert cases.count == 7
    assert cases.count_text == "모두 7건"
    assert cases.list_url == f"{CASES}?store={store.pk}"

    listing = client.get(cases.list_url)
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == cases.count
    assert listed(listing) == {case.number for case in store_cases}


def test_the_panel_shows_the_latest_five_cases_linked_to_their_pages(
    client, supervisor, store_cases
):
    client.force_login(supervisor)
    response = client.get(store_page(store_cases[0].store))
    latest = sorted(store_cases, key=lambda c: c.received_at, reverse=True)[:5]
    assert [row.url for row in panel(response, "cases").rows] == [case_page(c) for c in latest]
    first = panel(response, "cases").rows[0].text
    assert first.startswith(f"{latest[0].number} · 2026-03-08 · ")
    html = response.content.decode()
    assert "골목경제 119 민원" in html and "모두 7건" in html and "목록에서 모두 보기" in html
    assert f'href="{CASES}?store={store_cases[0].store.pk}"' in html


def test_a_store_without_cases_says_so_and_links_no_list(client, supervisor, store):
    client.force_login(supervisor)
    response = client.get(store_page(store))
    cases = panel(response, "cases")
    assert (cases.count, cases.rows) == (0, [])
    assert "아직 없습니다." in response.content.decode()


def test_the_panel_never_counts_another_offices_cases(
    client, supervisor, store_cases, other_office, superuser
):
    store = store_cases[0].store
    stranger = UserFactory(office=other_office, roles=["hotline_operator"])
    # A case of another office naming this store: the wall keeps it out of the office's figures.
    foreign = intake(other_office, stranger, at=seoul(2026, 3, 10, 10))
    Case.objects.filter(pk=foreign.pk).update(store=store)
    client.force_login(supervisor)
    cases = panel(client.get(store_page(store)), "cases")
    assert cases.count == 7
    assert foreign.number not in {row.text.split(" · ")[0] for row in cases.rows}
    assert client.get(cases.list_url).context["cl"].result_count == 7

    client.force_login(superuser)
    everything = panel(client.get(store_page(store)), "cases")
    assert everything.count == 8
    assert client.get(everything.list_url).context["cl"].result_count == 8


def test_the_case_list_filtered_by_another_offices_store_lists_nothing(
    client, supervisor, store_cases, other_office
):
    theirs = StoreFactory(office=other_office)
    client.force_login(supervisor)
    response = client.get(CASES, {"store": theirs.pk})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0
    assert "우리 지자체에 없는 기록" in response.content.decode()


@pytest.mark.parametrize("value", ["abc", "-1", "9" * 30, "١٢"])
def test_a_store_filter_that_is_not_an_id_lists_nothing(client, supervisor, store_cases, value):
    client.force_login(supervisor)
    response = client.get(CASES, {"store": value})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


def test_the_store_filter_names_the_chosen_store(client, supervisor, store_cases):
    store = store_cases[0].store
    client.force_login(supervisor)
    html = client.get(CASES, {"store": store.pk}).content.decode()
    assert str(store) in html


def test_roles_without_the_case_list_see_no_cases_panel(client, office, store_cases):
    manager = UserFactory(office=office, roles=["cashback_manager"])
    client.force_login(manager)
    response = client.get(store_page(store_cases[0].store))
    assert response.status_code == 200
    assert panel(response, "cases") is None
    assert "골목경제 119 민원" not in response.content.decode()


def test_a_case_page_links_its_store_and_its_district(client, supervisor, store_cases):
    case = store_cases[0]
    client.force_login(supervisor)
    response = client.get(case_page(case))
    links = {link.label: link for link in response.context["record_links"]}
    assert links["점포"].url == store_page(case.store)
    assert links["점포"].text == str(case.store)
    district_url = reverse("admin:registry_district_change", args=[case.district.pk])
    assert links["골목형상점가"].url == district_url
    html = response.content.decode()
    assert "연결된 기록" in html
    assert f'<a href="{store_page(case.store)}">' in html
    assert f'<a href="{district_url}">' in html


def test_a_case_page_names_without_links_what_the_user_may_not_open(client, office, store_cases):
    case = store_cases[0]
    reader = UserFactory(office=office)
    reader.user_permissions.set(
        Permission.objects.filter(content_type__app_label="hotline", codename="view_case")
    )
    client.force_login(reader)
    response = client.get(case_page(case))
    assert response.status_code == 200
    links = {link.label: link for link in response.context["record_links"]}
    assert (links["점포"].url, links["골목형상점가"].url) == (None, None)
    assert links["점포"].text == str(case.store)
    assert store_page(case.store) not in response.content.decode()


def test_a_case_without_store_or_district_shows_no_linked_records(client, supervisor, operator):
    case = intake(supervisor.office, operator)
    client.force_login(supervisor)
    response = client.get(case_page(case))
    assert response.context["record_links"] == []
    assert "연결된 기록" not in response.content.decode()


def test_a_clerk_sees_no_cases_panel_and_cannot_open_a_case(client, clerk, store, store_cases):
    """Clerks do not read the hotline: callers' contacts stay with the roles that handle calls."""
    assert not clerk.has_perm("hotline.view_case")
    client.force_login(clerk)
    assert panel(client.get(store_page(store)), "cases") is None
    assert client.get(case_page(store_cases[0])).status_code in (302, 403)
