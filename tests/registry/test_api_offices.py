from io import StringIO

import pytest
from django.core.management import call_command

from tests.registry.api_support import api_for, staff
from tests.registry.factories import DongFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/offices/"


def test_anonymous_callers_get_401(office):
    assert api_for().get(URL).status_code == 401
    assert api_for().get(f"{URL}{office.code}/").status_code == 401


def test_staff_see_only_their_own_office(clerk, office, other_office):
    body = api_for(clerk).get(URL).json()
    assert [o["code"] for o in body["results"]] == [office.code]


def test_a_superuser_sees_every_office(superuser, office, other_office):
    body = api_for(superuser).get(URL).json()
    assert [o["code"] for o in body["results"]] == ["29110", "29140"]


def test_another_office_is_not_found(clerk, other_office):
    assert api_for(clerk).get(f"{URL}{other_office.code}/").status_code == 404


def test_an_office_shows_its_dongs_and_criteria(clerk, office, dong):
    DongFactory(office=office, name="풍암동")
    body = api_for(clerk).get(f"{URL}{office.code}/").json()
    assert body["code"] == "29140"
    assert [d["name"] for d in body["dongs"]] == ["치평동", "풍암동"]
    assert body["criteria"]["min_stores"] == 15
    assert body["criteria"]["max_area_m2"] == 2000
    assert body["criteria"]["min_consent_ratio"] == "0.500"
    assert body["affiliate_sales_cap"] == 3_000_000_000


def test_a_role_without_the_office_permission_is_forbidden(office):
    assert api_for(staff(office, "hotline_operator")).get(URL).status_code == 403


def test_a_user_without_an_office_sees_none(db):
    from tests.registry.factories import UserFactory

    drifter = UserFactory(office=None, roles=["clerk"])
    assert api_for(drifter).get(URL).json()["count"] == 0


def test_a_key_from_drf_create_token_signs_in(clerk, office):
    out = StringIO()
    call_command("drf_create_token", "clerk", stdout=out)
    key = out.getvalue().split()[2]
    client = api_for()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(URL).json()["results"][0]["code"] == office.code
    client.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert client.get(URL).status_code == 401


def test_staff_signed_in_to_the_admin_browse_the_api_as_html(clerk, office, dong):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(clerk)
    for url in [URL, f"{URL}{office.code}/", "/api/v1/stores/", "/api/v1/districts/"]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")


def test_a_form_post_from_the_browsable_api_is_accepted(clerk, dong):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(clerk)
    response = client.post(
        "/api/v1/stores/",
        {
            "csrfmiddlewaretoken": "ignored-in-tests",
            "business_number": "1208147521",
            "trade_name": "폼 가게",
            "representative": "박폼",
            "dong": dong.name,
            "ksic_code": "56111",
        },
    )
    assert response.status_code == 201, response.content


def test_the_office_list_takes_the_same_queries_for_2_or_12_offices(
    superuser, django_assert_max_num_queries
):
    from tests.registry.api_support import queries_for
    from tests.registry.factories import OfficeFactory

    def populate(n):
        for _ in range(n):
            DongFactory.create_batch(3, office=OfficeFactory())

    client = api_for(superuser)
    populate(2)
    few, _ = queries_for(client, URL)
    populate(10)
    many, response = queries_for(client, URL)
    assert response.json()["count"] == 12
    assert many == few
    with django_assert_max_num_queries(4):
        client.get(URL, {"q": "테스트"})
