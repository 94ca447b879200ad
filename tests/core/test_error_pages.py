"""Our own error pages: Korean, plain, with a way home; the 500 page needs neither the database
nor context processors; the API's paths answer JSON; staff without an office are told why
they see nothing instead of meeting a 404."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.template.loader import get_template
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from core import views
from tests.registry.api_support import api_for
from tests.registry.factories import UserFactory


def fail(request):
    raise RuntimeError("the database is down")


def refuse(request):
    raise PermissionDenied


def garble(request):
    raise SuspiciousOperation("odd header")


urlpatterns = [
    path("boom/", fail),
    path("api/v1/boom/", fail),
    path("forbidden/", refuse),
    path("odd/", garble),
]
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_the_500_page_renders_without_a_database_or_context_processors(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    monkeypatch.setattr(connection, "cursor", no_database)
    with override_settings(
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "DIRS": [__import__("django.conf").conf.settings.BASE_DIR / "templates"],
                "APP_DIRS": True,
                "OPTIONS": {"context_processors": []},
            }
        ]
    ):
        response = views.server_error(RequestFactory().get("/anything/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "시스템에 문제가 생겼습니다" in html and 'href="/"' in html
    assert "Server Error" not in html


def test_a_failing_page_shows_the_korean_500_page(failing_urls, db):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert "오류 500" in response.content.decode()


def test_a_failing_api_call_answers_json(failing_urls, db):
    response = Client(raise_request_exception=False).get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "시스템에 문제가 생겼습니다. 오류 내용은 기록되었습니다."}


@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/forbidden/", 403, "이 화면을 볼 권한이 없습니다"),
        ("/odd/", 400, "요청을 처리할 수 없습니다"),
        ("/nowhere/", 404, "페이지를 찾을 수 없습니다"),
    ],
)
def test_error_pages_are_korean_with_a_link_home(failing_urls, db, url, status, words):
    response = Client(raise_request_exception=False).get(url)
    html = response.content.decode()
    assert response.status_code == status
    assert words in html
    assert "첫 화면으로 가기" in html and 'lang="ko"' in html


@pytest.mark.django_db
def test_an_unknown_page_of_the_site_is_the_korean_404():
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert "페이지를 찾을 수 없습니다" in response.content.decode()


@pytest.mark.django_db
def test_a_404_under_register_leads_back_to_the_form():
    response = Client().get("/register/nothing-here/")
    assert response.status_code == 404
    assert 'href="/register/"' in response.content.decode()


def test_every_error_template_stands_alone():
    for name in ("400.html", "403.html", "404.html", "500.html", "errors/base.html"):
        source = get_template(name).template.source
        assert "{% url" not in source and "{% static" not in source and "user." not in source


def test_an_unknown_api_address_answers_json_as_the_schema_says(clerk):
    response = api_for(clerk).get("/api/v1/stores/abc/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "API에 없는 주소입니다."}


@pytest.mark.django_db
def test_staff_without_an_office_are_told_why_rather_than_meeting_a_404(office):
    client = Client()
    client.force_login(UserFactory(office=None, roles=["clerk"]))
    for url in ("/dashboard/", "/dashboard/report/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "계정이 아직 지자체에 연결되지 않아" in html
        assert "소속 지자체를 지정해 달라고 요청하십시오" in html
    api = api_for(UserFactory(office=None, roles=["supervisor"]))
    [detail] = api.get("/api/v1/dashboard/").json().values()
    assert detail.startswith("계정이 아직 지자체에 연결되지 않았습니다.")
