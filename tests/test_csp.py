"""Every page sends a strict Content-Security-Policy, and each inline script or style carries the
request's nonce, so nothing else inline runs."""

import re

import pytest

from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

STAFF_PAGES = [
    "/admin/",
    "/admin/registry/store/",
    "/admin/registry/merchantapplication/",
    "/admin/registry/office/",
    "/dashboard/",
    "/dashboard/report/",
    "/hotline/",
    "/hotline/new/",
    "/api/docs/",
    "/api/redoc/",
]
PUBLIC_PAGES = ["/admin/login/", "/register/", "/register/status/"]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (directive.split() for directive in header.split(";") if directive)
    }


def inline_blocks(html: str) -> list[str]:
    """The opening tags of inline scripts (no src) and style elements."""
    scripts = [t for t in re.findall(r"<script\b[^>]*>", html) if " src=" not in t]
    return scripts + re.findall(r"<style\b[^>]*>", html)


def test_the_policy_is_strict():
    from django.conf import settings

    rules = settings.SECURE_CSP
    assert rules["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in rules["script-src"] + rules["style-src"]
    assert rules["img-src"] == ["'self'", "data:"]
    assert rules["frame-ancestors"] == ["'none'"]
    assert rules["object-src"] == ["'none'"]


@pytest.mark.parametrize("url", STAFF_PAGES + PUBLIC_PAGES)
def test_each_page_sends_the_policy_and_nonces_its_inline_blocks(client, office, url):
    user = UserFactory(
        office=office, is_superuser=True, roles=["clerk", "supervisor", "hotline_operator"]
    )
    if url in STAFF_PAGES:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    rules = policy(response)
    assert rules["default-src"] == ["'self'"]
    assert rules["frame-ancestors"] == ["'none'"]
    nonces = [v for v in rules["script-src"] if v.startswith("'nonce-")]
    html = response.content.decode()
    for tag in inline_blocks(html):
        assert nonces, f"{url}: an inline block but no nonce in the policy"
        nonce = nonces[0][len("'nonce-") : -1]
        assert f'nonce="{nonce}"' in tag, f"{url}: {tag}"
    assert " style=" not in html, url


def test_redoc_alone_may_add_inline_styles_and_still_runs_only_nonced_scripts(client, superuser):
    client.force_login(superuser)
    rules = policy(client.get("/api/redoc/"))
    assert rules["style-src"] == ["'self'", "'unsafe-inline'"]
    assert rules["script-src"][0] == "'self'" and rules["script-src"][1].startswith("'nonce-")
    assert policy(client.get("/api/docs/"))["style-src"][1].startswith("'nonce-")


def test_the_nonce_changes_with_every_response(client, superuser):
    client.force_login(superuser)
    first = policy(client.get("/api/docs/"))["script-src"]
    second = policy(client.get("/api/docs/"))["script-src"]
    assert first != second


def test_the_api_and_the_lockout_page_carry_the_policy_too(client):
    assert "Content-Security-Policy" in client.get("/api/v1/offices/")
