"""The schema tells the truth about what the API answers (found by tests/test_api_fuzz.py):
fields that are null until something happens say so, and every operation documents the
refusals it can give, in JSON."""

import pytest

from tests.hotline.conftest import intake
from tests.registry.api_support import api_for
from tests.registry.factories import AffiliateRegistrationFactory, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(clerk):
    return api_for(clerk).get("/api/schema/", {"format": "json"}).json()


@pytest.mark.parametrize("name", ["District", "Affiliation"])
def test_decided_by_is_declared_nullable_with_a_label_of_its_own(schema, name):
    field = schema["components"]["schemas"][name]["properties"]["decided_by"]
    assert field["type"] == "string" and field["nullable"] and field["readOnly"]
    assert "150" not in field.get("description", "")  # not the user model's username help


def test_an_undecided_district_and_affiliation_answer_decided_by_null(clerk, office, dong):
    district = DistrictFactory(office=office)
    affiliation = AffiliateRegistrationFactory(store__office=office, store__dong=dong)
    client = api_for(clerk)
    assert client.get(f"/api/v1/districts/{district.pk}/").json()["decided_by"] is None
    assert client.get(f"/api/v1/affiliations/{affiliation.pk}/").json()["decided_by"] is None


def test_the_timelines_assignee_is_declared_nullable_and_is_null_for_an_intake(schema, office):
    field = schema["components"]["schemas"]["TimelineEntry"]["properties"]["assignee"]
    assert field["type"] == "string" and field["nullable"]
    operator = UserFactory(office=office, roles=["hotline_operator"])
    case = intake(office, operator)
    body = api_for(operator).get(f"/api/v1/hotline/cases/{case.number}/").json()
    assert body["timeline"][0]["assignee"] is None


def test_every_operation_documents_its_refusals_in_json(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            responses = operation["responses"]
            assert {"401", "403"} <= set(responses), (method, path)
            if "{" in path or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "404" in responses, (method, path)
            for code in ("400", "401", "403", "404"):
                if code in responses:
                    assert "application/json" in responses[code]["content"], (method, path, code)
