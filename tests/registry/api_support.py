"""Helpers shared by the registry API tests (tests/registry/test_api_*.py)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from registry.models import AccessLog
from tests.registry.factories import UserFactory


def api_for(user=None) -> APIClient:
    """A client signed in as `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def staff(office, *roles, username=None) -> object:
    kwargs = {"office": office, "roles": list(roles)}
    if username:
        kwargs["username"] = username
    return UserFactory(**kwargs)


def queries_for(client: APIClient, url: str, **params) -> tuple[int, object]:
    """How many queries one GET takes, and its response."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response


def access_rows(**filters) -> list[AccessLog]:
    return list(AccessLog.objects.filter(**filters).order_by("id"))


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}
