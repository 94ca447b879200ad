import pytest

from core.api.pagination import EstimatingPaginator
from tests.registry.api_support import api_for
from tests.registry.factories import StoreFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/stores/"


@pytest.fixture
def eight_stores(office, dong):
    return {StoreFactory(office=office, dong=dong).pk for _ in range(8)}


def walk(client, url):
    seen, pages = [], 0
    while url:
        body = client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    return seen, pages


def test_small_lists_have_an_exact_count(clerk, eight_stores):
    body = api_for(clerk).get(URL, {"page_size": 3}).json()
    assert (body["count"], body["count_is_estimate"]) == (8, False)


def test_past_the_exact_limit_the_count_is_an_estimate_and_every_page_is_reachable(
    clerk, eight_stores, monkeypatch
):
    monkeypatch.setattr(EstimatingPaginator, "exact_limit", 5)
    client = api_for(clerk)
    first = client.get(URL, {"page_size": 3}).json()
    assert first["count_is_estimate"] is True
    assert first["count"] >= 6
    seen, pages = walk(client, f"{URL}?page_size=3")
    assert sorted(seen) == sorted(eight_stores)
    assert pages == 3
    assert client.get(URL, {"page_size": 3, "page": 4}).status_code == 404
    assert client.get(URL, {"page_size": 3, "page": "x"}).status_code == 404


def test_a_filter_below_the_limit_is_counted_exactly_even_on_a_big_list(
    clerk, office, eight_stores, monkeypatch
):
    monkeypatch.setattr(EstimatingPaginator, "exact_limit", 5)
    StoreFactory(office=office, trade_name="유일한 카페")
    body = api_for(clerk).get(URL, {"q": "유일한"}).json()
    assert (body["count"], body["count_is_estimate"]) == (1, False)


def test_the_page_size_is_capped(clerk, eight_stores):
    body = api_for(clerk).get(URL, {"page_size": 100_000}).json()
    assert len(body["results"]) == 8
