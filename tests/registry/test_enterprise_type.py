"""The social-economy type of a store (SPEC 7) through the store API and the store import."""

import pytest

from registry.importers import ImportRefused, import_stores
from registry.models import Store
from tests.registry.api_support import api_for
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, StoreFactory
from tests.registry.fixtures import BRN_A, BRN_B, STORE_HEADER, csv_bytes, store_row

pytestmark = pytest.mark.django_db
URL = "/api/v1/stores/"
HEADER = [*STORE_HEADER, "enterprise_type"]


def body(dong, **overrides):
    return {
        "business_number": "124-81-00998",
        "trade_name": "치평 나눔협동조합",
        "representative": "김영희",
        "dong": dong.name,
        "ksic_code": "56111",
        **overrides,
    }


def test_a_store_is_registered_with_its_social_economy_type(clerk, dong):
    response = api_for(clerk).post(
        URL, body(dong, enterprise_type="social_cooperative"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["enterprise_type"] == "social_cooperative"
    assert Store.objects.get().enterprise_type == "social_cooperative"


def test_a_store_without_a_type_reads_null(clerk, dong):
    response = api_for(clerk).post(URL, body(dong), format="json")
    assert response.json()["enterprise_type"] is None


def test_the_type_is_corrected_and_cleared(clerk, office, dong):
    store = StoreFactory(office=office, dong=dong, enterprise_type="cooperative")
    client = api_for(clerk)
    changed = client.patch(
        f"{URL}{store.pk}/", {"enterprise_type": "village_enterprise"}, format="json"
    )
    assert changed.json()["enterprise_type"] == "village_enterprise"
    cleared = client.patch(f"{URL}{store.pk}/", {"enterprise_type": ""}, format="json")
    assert cleared.status_code == 200 and cleared.json()["enterprise_type"] is None
    store.refresh_from_db()
    assert store.enterprise_type == ""


def test_an_unknown_type_is_refused_in_korean(clerk, dong):
    response = api_for(clerk).post(URL, body(dong, enterprise_type="charity"), format="json")
    assert response.status_code == 400
    assert response.json() == {"enterprise_type": ['"charity"은(는) 고를 수 있는 값이 아닙니다.']}
    assert not Store.objects.exists()


@pytest.fixture
def ready(office):
    DongFactory(office=office, name="치평동")
    DesignatedDistrictFactory(office=office, name="상무골목")
    return office


def test_the_import_sets_types_from_the_optional_column(ready):
    rows = [[*store_row(BRN_A), "social_enterprise"], [*store_row(BRN_B), ""]]
    import_stores(office=ready, source=csv_bytes(HEADER, rows))
    assert dict(Store.objects.values_list("business_number", "enterprise_type")) == {
        "2208162517": "social_enterprise",
        "1248100998": "",
    }


def test_an_import_without_the_column_keeps_the_types_recorded(ready):
    import_stores(office=ready, source=csv_bytes(HEADER, [[*store_row(BRN_A), "cooperative"]]))
    result = import_stores(office=ready, source=csv_bytes(STORE_HEADER, [store_row(BRN_A)]))
    assert result.unchanged == 1
    assert Store.objects.get().enterprise_type == "cooperative"


def test_an_unknown_type_is_a_line_error_in_korean_and_nothing_is_written(ready):
    rows = [[*store_row(BRN_A), "social_enterprise"], [*store_row(BRN_B), "사회적기업"]]
    with pytest.raises(ImportRefused) as refused:
        import_stores(office=ready, source=csv_bytes(HEADER, rows))
    [error] = refused.value.row_errors
    assert (error.line, error.code) == (3, "unknown_enterprise_type")
    assert error.message.startswith("사회적기업은(는) 사회적경제 유형이 아닙니다.")
    assert not Store.objects.exists()


def test_an_unknown_column_is_still_refused_naming_the_optional_one(ready):
    with pytest.raises(ImportRefused) as refused:
        import_stores(
            office=ready, source=csv_bytes([*STORE_HEADER, "email"], [[*store_row(), "a@b.kr"]])
        )
    [error] = refused.value.row_errors
    assert error.code == "columns" and "enterprise_type" in error.message
