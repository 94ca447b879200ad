import csv
import io

import pytest

from registry.exports import stores_csv_lines
from registry.models import AccessLog, Store
from tests.registry.factories import (
    ApprovedAffiliateFactory,
    MembershipFactory,
    StoreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def export(user):
    text = "".join(stores_csv_lines(Store.objects.order_by("pk"), user=user))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def store(office):
    store = StoreFactory(office=office, representative="홍길동", phone="01012345678")
    MembershipFactory(store=store, district__office=office, district__name="풍암 카페거리")
    ApprovedAffiliateFactory(store=store, certificate_type="mobile")
    ApprovedAffiliateFactory(store=store, certificate_type="card")
    return store


def test_contacts_are_masked_for_roles_that_do_not_call_merchants(office, store):
    rows = export(UserFactory(office=office, roles=["supervisor"]))
    assert rows[1][2:4] == ["홍*동", "010-****-5678"]
    assert rows[1][8:10] == ["풍암 카페거리", "card|mobile"]


def test_clerks_get_contacts_unmasked(office, store, clerk):
    rows = export(clerk)
    assert rows[1][0] == store.business_number_display
    assert rows[1][2:4] == ["홍길동", "01012345678"]


def test_every_exported_store_is_written_to_the_access_log(office, store, clerk):
    StoreFactory(office=office)
    export(clerk)
    logged = AccessLog.objects.filter(action="export", user=clerk)
    assert logged.count() == 2
    assert set(logged.values_list("office_id", flat=True)) == {office.pk}


def test_the_export_query_count_does_not_grow_with_stores(
    office, clerk, django_assert_max_num_queries
):
    for _ in range(5):
        MembershipFactory(store=StoreFactory(office=office), district__office=office)
    with django_assert_max_num_queries(8):
        export(clerk)


def test_a_trade_name_a_spreadsheet_would_run_is_neutralised_in_the_store_csv(office, clerk):
    StoreFactory(office=office, trade_name='=HYPERLINK("http://evil","열기")', representative="@x")

    (row,) = export(clerk)[1:]

    assert row[1] == '\'=HYPERLINK("http://evil","열기")'
    assert row[2] == "'@x"
