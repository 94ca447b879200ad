"""Importing stores (SPEC 2.6): all rows checked first, nothing written on a bad file."""

from datetime import date

import pytest
from django.utils import translation

from registry.choices import AffiliateStatus, DistrictStatus, StoreStatus
from registry.importers import ImportRefused, import_stores
from registry.models import AccessLog, AffiliateRegistration, Membership, Store
from registry.services import store_close
from tests.registry.factories import (
    AffiliateRegistrationFactory,
    ApprovedAffiliateFactory,
    DesignatedDistrictFactory,
    DistrictFactory,
    DongFactory,
    MembershipFactory,
    StoreFactory,
)
from tests.registry.fixtures import (
    BRN_A,
    BRN_B,
    BRN_BAD,
    BRN_C,
    STORE_HEADER,
    csv_bytes,
    store_row,
    xlsx_bytes,
)


@pytest.fixture
def seogu(office, clerk):
    dongs = {n: DongFactory(office=office, name=n) for n in ("치평동", "상무1동", "풍암동")}
    sangmu = DesignatedDistrictFactory(
        office=office, name="상무골목", designated_on=date(2025, 6, 1), dongs=[dongs["치평동"]]
    )
    pungam = DesignatedDistrictFactory(
        office=office, name="풍암골목", designated_on=date(2024, 3, 1), dongs=[dongs["풍암동"]]
    )
    return {"office": office, "dongs": dongs, "sangmu": sangmu, "pungam": pungam, "user": clerk}


def counts():
    return (
        Store.objects.count(),
        Membership.objects.count(),
        AffiliateRegistration.objects.count(),
        Store.history.count(),
        Membership.history.count(),
        AffiliateRegistration.history.count(),
    )


def run(seogu, data, **kwargs):
    return import_stores(office=seogu["office"], source=data, user=seogu["user"], **kwargs)


def refused(seogu, data):
    before = counts()
    with pytest.raises(ImportRefused) as exc:
        run(seogu, data)
    assert counts() == before, "a refused file must write nothing"
    return [(e.line, e.code) for e in exc.value.row_errors]


GOOD_ROWS = [
    store_row(BRN_A),
    store_row(BRN_B, trade_name="풍암분식", district="풍암골목", dong="풍암동", affiliate_types=""),
    store_row(BRN_C, trade_name="무소속상회", district="", affiliate_types="paper"),
]


def test_stores_are_created_with_memberships_and_affiliations_that_carry_no_dates(seogu):
    result = run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS))

    assert (result.total, result.created, result.updated, result.unchanged) == (3, 3, 0, 0)
    store = Store.objects.get(business_number="2208162517")
    assert store.office == seogu["office"]
    assert store.phone == "01012345678"
    assert store.dong.name == "치평동"
    assert store.road_address == "광주광역시 서구 상무대로 1"
    membership = store.memberships.get()
    assert membership.district == seogu["sangmu"]
    assert membership.joined_on is None and membership.left_on is None
    registrations = store.affiliations.order_by("certificate_type")
    assert [(r.certificate_type, r.status, r.approved_on) for r in registrations] == [
        ("card", AffiliateStatus.APPROVED, None),
        ("mobile", AffiliateStatus.APPROVED, None),
    ]
    lone = Store.objects.get(business_number="1208147521")
    assert not lone.memberships.exists()
    assert lone.affiliations.get().certificate_type == "paper"
    assert (result.memberships_opened, result.affiliations_added) == (2, 3)


def test_imported_rows_leave_history_with_the_acting_user_and_the_file_name(seogu):
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS), filename="uploads/stores-2026.csv")

    history = Store.history.get(business_number="2208162517")
    assert history.history_type == "+"
    assert history.history_user == seogu["user"]
    assert "stores-2026.csv" in history.history_change_reason
    assert Membership.history.filter(history_user=seogu["user"]).count() == 2
    assert AffiliateRegistration.history.filter(history_user=seogu["user"]).count() == 3


def test_importing_the_same_file_again_changes_nothing(seogu):
    data = csv_bytes(STORE_HEADER, GOOD_ROWS)
    run(seogu, data)
    before = counts()

    result = run(seogu, data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert counts() == before


def test_changed_details_are_updated_and_only_those_rows(seogu):
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS))
    rows = [
        store_row(BRN_A, trade_name="골목식당 본점", phone="010 9999 0000"),
        *GOOD_ROWS[1:],
    ]

    result = run(seogu, csv_bytes(STORE_HEADER, rows))

    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    store = Store.objects.get(business_number="2208162517")
    assert (store.trade_name, store.phone) == ("골목식당 본점", "01099990000")
    assert store.history.count() == 2
    assert store.history.first().history_type == "~"


def test_a_store_moving_to_another_district_ends_its_old_membership_today(seogu, settings):
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS))
    moved = [store_row(BRN_A, district="풍암골목"), *GOOD_ROWS[1:]]

    result = run(seogu, csv_bytes(STORE_HEADER, moved))

    assert (result.updated, result.memberships_ended, result.memberships_opened) == (1, 1, 1)
    store = Store.objects.get(business_number="2208162517")
    old = store.memberships.get(district=seogu["sangmu"])
    new = store.memberships.get(district=seogu["pungam"])
    from core.clock import local_today

    assert old.left_on == local_today()
    assert old.joined_on is None
    assert new.left_on is None
    # The store's own history shows where it was until today: the new one starts today.
    assert new.joined_on == local_today()


def test_an_empty_district_cell_does_not_end_a_membership(seogu):
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS))

    result = run(seogu, csv_bytes(STORE_HEADER, [store_row(BRN_A, district="")]))

    assert result.unchanged == 1
    assert Store.objects.get(business_number="2208162517").memberships.get().left_on is None


def test_existing_store_with_a_pending_application_is_recorded_as_approved(seogu):
    store = StoreFactory(
        office=seogu["office"], business_number="2208162517", dong=seogu["dongs"]["치평동"]
    )
    pending = AffiliateRegistrationFactory(store=store, certificate_type="card")
    MembershipFactory(store=store, district=seogu["sangmu"])

    result = run(
        seogu,
        csv_bytes(
            STORE_HEADER,
            [
                store_row(
                    BRN_A, trade_name=store.trade_name, phone=store.phone, affiliate_types="card"
                )
            ],
        ),
    )

    pending.refresh_from_db()
    assert pending.status == AffiliateStatus.APPROVED
    assert AffiliateRegistration.objects.filter(store=store).count() == 1
    assert result.updated == 1


def test_approved_registrations_and_memberships_already_there_are_left_alone(seogu):
    store = StoreFactory(
        office=seogu["office"], business_number="2208162517", dong=seogu["dongs"]["치평동"]
    )
    membership = MembershipFactory(store=store, district=seogu["sangmu"])
    ApprovedAffiliateFactory(store=store, certificate_type="card")
    row = store_row(
        BRN_A,
        trade_name=store.trade_name,
        phone=store.phone,
        representative=store.representative,
        address=store.road_address,
        affiliate_types="card",
    )

    result = run(seogu, xlsx_bytes(STORE_HEADER, [row]))

    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    membership.refresh_from_db()
    assert membership.joined_on == date(2025, 7, 1)


def test_the_same_business_number_twice_is_refused_naming_the_later_line(seogu):
    rows = [store_row(BRN_A), store_row(BRN_B), store_row(BRN_A.replace("-", ""))]

    assert refused(seogu, csv_bytes(STORE_HEADER, rows)) == [(4, "duplicate_key")]


def test_a_bad_checksum_is_refused_with_the_spec_message(seogu):
    rows = [store_row(BRN_A), store_row(BRN_BAD)]
    with translation.override("en"), pytest.raises(ImportRefused) as exc:
        run(seogu, csv_bytes(STORE_HEADER, rows))

    error = exc.value.row_errors[0]
    assert (error.line, error.code) == (3, "invalid_business_number")
    assert "not a valid business registration number" in error.message
    with translation.override("en"):
        assert str(error).startswith("line 3: ")
    assert Store.objects.count() == 0


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"dong": "없는동"}, "unknown_dong"),
        ({"district": "없는골목"}, "unknown_district"),
        ({"affiliate_types": "card|gift"}, "unknown_affiliate_type"),
        ({"trade_name": ""}, "required"),
        ({"ksic_code": "5611A"}, "invalid_value"),
        ({"phone": "12-34"}, "invalid_phone"),
        ({"trade_name": "가" * 101}, "invalid_value"),
    ],
)
def test_each_bad_cell_is_refused_on_its_line_and_nothing_is_written(seogu, cells, code):
    rows = [store_row(BRN_A), store_row(BRN_B), store_row(BRN_C, **cells)]

    assert refused(seogu, csv_bytes(STORE_HEADER, rows)) == [(4, code)]


def test_every_bad_row_is_reported_not_only_the_first(seogu):
    rows = [
        store_row(BRN_BAD),
        store_row(BRN_B, dong="없는동"),
        store_row(BRN_C, district="없는골목", affiliate_types="gift"),
    ]

    assert refused(seogu, xlsx_bytes(STORE_HEADER, rows)) == [
        (2, "invalid_business_number"),
        (3, "unknown_dong"),
        (4, "unknown_district"),
        (4, "unknown_affiliate_type"),
    ]


def test_a_district_that_is_not_designated_takes_no_members(seogu):
    DistrictFactory(office=seogu["office"], name="신청골목", status=DistrictStatus.APPLIED)

    assert refused(seogu, csv_bytes(STORE_HEADER, [store_row(district="신청골목")])) == [
        (2, "district_not_designated")
    ]


def test_a_district_of_another_office_is_unknown(seogu, other_office):
    DesignatedDistrictFactory(office=other_office, name="동구골목")

    assert refused(seogu, csv_bytes(STORE_HEADER, [store_row(district="동구골목")])) == [
        (2, "unknown_district")
    ]


def test_a_closed_store_is_not_reopened(seogu):
    store = StoreFactory(
        office=seogu["office"], business_number="2208162517", dong=seogu["dongs"]["치평동"]
    )
    store_close(store=store, user=seogu["user"])

    assert refused(seogu, csv_bytes(STORE_HEADER, [store_row(BRN_A)])) == [(2, "store_closed")]
    assert Store.objects.get().status == StoreStatus.CLOSED


def test_a_struck_off_registration_is_not_registered_again(seogu):
    store = StoreFactory(
        office=seogu["office"], business_number="2208162517", dong=seogu["dongs"]["치평동"]
    )
    ApprovedAffiliateFactory(
        store=store,
        certificate_type="card",
        status=AffiliateStatus.REVOKED,
        revoked_on=date(2026, 1, 2),
        strike_off_reason="misuse",
    )

    assert refused(seogu, csv_bytes(STORE_HEADER, [store_row(BRN_A, affiliate_types="card")])) == [
        (2, "struck_off")
    ]


def test_stores_of_another_office_with_the_same_number_are_not_touched(seogu, other_office):
    theirs = StoreFactory(office=other_office, business_number="2208162517")

    result = run(seogu, csv_bytes(STORE_HEADER, [store_row(BRN_A)]))

    assert result.created == 1
    theirs.refresh_from_db()
    assert theirs.memberships.count() == 0
    assert Store.objects.filter(business_number="2208162517").count() == 2


def test_spreadsheet_number_cells_are_read_as_the_text_they_stood_for(seogu):
    # Excel keeps numbers: the business number as an integer, the phone without its 0.
    row = store_row(2208162517, phone=1012345678, ksic_code=1110)

    run(seogu, xlsx_bytes(STORE_HEADER, [row]))

    store = Store.objects.get()
    assert (store.business_number, store.phone, store.ksic_code) == (
        "2208162517",
        "01012345678",
        "01110",
    )


def test_progress_is_reported_in_rows_up_to_the_total(seogu):
    calls = []

    run(
        seogu,
        csv_bytes(STORE_HEADER, GOOD_ROWS),
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls[0] == (0, 3)
    assert calls[-1] == (3, 3)


def test_an_import_that_changes_records_is_written_to_the_access_log(seogu):
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS), filename="stores.csv")
    run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS), filename="stores.csv")

    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.model) == (seogu["user"], "change", "registry.Store")
    assert "stores.csv" in entry.detail


def test_the_number_of_queries_does_not_grow_with_the_rows(seogu, django_assert_max_num_queries):
    rows = [
        store_row(
            f"{n[:3]}-{n[3:5]}-{n[5:]}",
            trade_name=f"가게 {i}",
            district="상무골목" if i % 2 else "풍암골목",
        )
        for i, n in enumerate(_numbers(600))
    ]
    with django_assert_max_num_queries(45):
        result = run(seogu, csv_bytes(STORE_HEADER, rows))
    assert result.created == 600
    assert Membership.objects.filter(joined_on__isnull=True).count() == 600
    assert AffiliateRegistration.objects.filter(approved_on__isnull=True).count() == 1200


def _numbers(count: int) -> list[str]:
    from core.numbers import brn_complete

    return [brn_complete(f"{220810001 + i:09d}") for i in range(count)]


def test_a_failure_while_writing_a_later_chunk_leaves_nothing_behind(seogu, monkeypatch):
    from registry.importers import stores

    calls = []
    original = stores._StoreWriter._affiliations

    def fail_on_second_chunk(self, rows, stores):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return original(self, rows, stores)

    monkeypatch.setattr(stores, "BATCH_SIZE", 1)
    monkeypatch.setattr(stores._StoreWriter, "_affiliations", fail_on_second_chunk)
    before = counts()

    with pytest.raises(RuntimeError):
        run(seogu, csv_bytes(STORE_HEADER, GOOD_ROWS))

    assert counts() == before
