import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

from tests.registry.api_support import api_for

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
CDN_HOSTS = ("jsdelivr", "unpkg", "cdnjs", "googleapis", "gstatic")


def test_the_schema_command_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["info"]["title"] == "Golmok API"


def test_the_schema_view_describes_every_registry_operation():
    response = api_for().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path, method in [
        ("/api/v1/offices/", "get"),
        ("/api/v1/offices/{code}/", "get"),
        ("/api/v1/districts/", "post"),
        ("/api/v1/districts/{id}/", "patch"),
        ("/api/v1/districts/{id}/designate/", "post"),
        ("/api/v1/districts/{id}/reject/", "post"),
        ("/api/v1/districts/{id}/revoke/", "post"),
        ("/api/v1/districts/{id}/checks/", "get"),
        ("/api/v1/stores/", "post"),
        ("/api/v1/stores/{id}/close/", "post"),
        ("/api/v1/stores/{id}/join/", "post"),
        ("/api/v1/stores/{id}/leave/", "post"),
        ("/api/v1/affiliations/", "post"),
        ("/api/v1/affiliations/{id}/approve/", "post"),
        ("/api/v1/affiliations/{id}/reject/", "post"),
        ("/api/v1/affiliations/{id}/strike-off/", "post"),
        ("/api/v1/affiliations/{id}/renew/", "post"),
        ("/api/v1/affiliations/{id}/change-account/", "post"),
        ("/api/v1/affiliations/{id}/eligibility/", "get"),
    ]:
        operation = paths[path][method]
        assert operation.get("summary"), (path, method)
        assert {"tokenAuth": []} in operation["security"]
    store_filters = {p["name"] for p in paths["/api/v1/stores/"]["get"]["parameters"]}
    assert {
        "business_number",
        "dong",
        "district",
        "status",
        "affiliate_type",
        "ksic_code",
        "small_business",
        "q",
        "page",
        "page_size",
    } <= store_filters
    district_filters = {p["name"] for p in paths["/api/v1/districts/"]["get"]["parameters"]}
    assert {"status", "dong", "q", "overdue"} <= district_filters
    revoke = schema["components"]["schemas"]["DistrictRevokeRequest"]["properties"]["ground"]
    assert revoke["allOf"] == [{"$ref": "#/components/schemas/RevocationGroundEnum"}]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_pages_load_nothing_from_a_cdn(url):
    response = api_for().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    assert not any(host in html for host in CDN_HOSTS)
    assets = re.findall(r"""(?:src|href)="/static/([^"]+)\"""", html)
    assert assets
    for asset in assets:
        assert finders.find(asset), asset


def test_swagger_ui_does_not_call_the_online_validator():
    html = api_for().get("/api/docs/").content.decode()
    assert '"validatorUrl": null' in html
