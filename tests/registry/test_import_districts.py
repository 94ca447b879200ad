"""Importing designated districts (SPEC 2.6), matched on name within the office."""

from datetime import date

import pytest

from registry.choices import DistrictStatus
from registry.importers import ImportRefused, import_districts
from registry.models import District
from tests.registry.factories import DesignatedDistrictFactory, DistrictFactory, DongFactory
from tests.registry.fixtures import DISTRICT_HEADER, csv_bytes, district_row, xlsx_bytes


@pytest.fixture
def office_with_dongs(office):
    for name in ("치평동", "상무1동", "풍암동"):
        DongFactory(office=office, name=name)
    return office


def run(office, data, user=None, **kwargs):
    return import_districts(office=office, source=data, user=user, **kwargs)


def counts():
    through = District.dongs.through
    return (
        District.objects.count(),
        through.objects.count(),
        District.history.count(),
        District.history.model.dongs.model.objects.count(),
    )


def refused(office, data):
    before = counts()
    with pytest.raises(ImportRefused) as exc:
        run(office, data)
    assert counts() == before, "a refused file must write nothing"
    return [(e.line, e.code) for e in exc.value.row_errors]


ROWS = [
    district_row("상무골목"),
    district_row(
        "풍암골목",
        designation_no="서구-2024-007",
        designated_on="2024.03.15",
        dongs="풍암동",
        area_m2="1,950.4",
        phone="",
    ),
]


def test_districts_are_created_designated_with_number_date_and_dongs(office_with_dongs, clerk):
    result = run(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS), user=clerk)

    assert (result.total, result.created, result.updated, result.unchanged) == (2, 2, 0, 0)
    sangmu = District.objects.get(name="상무골목")
    assert sangmu.status == DistrictStatus.DESIGNATED
    assert (sangmu.designation_no, sangmu.designated_on) == ("서구-2025-001", date(2025, 6, 1))
    assert sorted(d.name for d in sangmu.dongs.all()) == ["상무1동", "치평동"]
    assert (sangmu.association_name, sangmu.representative) == ("상무골목 상인회", "김대표")
    assert sangmu.association_phone == "0621234567"
    assert sangmu.area_m2 == 1800
    pungam = District.objects.get(name="풍암골목")
    assert (pungam.designated_on, pungam.area_m2) == (date(2024, 3, 15), 1950)


def test_history_rows_record_the_user_and_the_dongs(office_with_dongs, clerk):
    run(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS), user=clerk, filename="d.csv")

    history = District.objects.get(name="상무골목").history.get()
    assert history.history_user == clerk
    assert "d.csv" in history.history_change_reason
    assert sorted(d.dong.name for d in history.dongs.all()) == ["상무1동", "치평동"]


def test_importing_the_same_file_again_changes_nothing(office_with_dongs):
    data = xlsx_bytes(DISTRICT_HEADER, ROWS)
    run(office_with_dongs, data)
    before = counts()

    result = run(office_with_dongs, data)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert counts() == before


def test_changed_details_and_dongs_are_updated(office_with_dongs):
    run(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS))
    rows = [district_row("상무골목", dongs="치평동", representative="이대표"), ROWS[1]]

    result = run(office_with_dongs, csv_bytes(DISTRICT_HEADER, rows))

    assert (result.updated, result.unchanged) == (1, 1)
    sangmu = District.objects.get(name="상무골목")
    assert sangmu.representative == "이대표"
    assert [d.name for d in sangmu.dongs.all()] == ["치평동"]
    latest = sangmu.history.first()
    assert latest.history_type == "~"
    assert [d.dong.name for d in latest.dongs.all()] == ["치평동"]


def test_an_existing_designated_district_is_matched_on_its_name(office_with_dongs):
    existing = DesignatedDistrictFactory(
        office=office_with_dongs, name="상무골목", designation_no="서구-2025-001"
    )

    result = run(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS[:1]))

    assert (result.created, result.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.designated_on == date(2025, 6, 1)
    assert District.objects.count() == 1


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"dongs": "치평동|없는동"}, "unknown_dong"),
        ({"designated_on": "2025-13-01"}, "invalid_date"),
        ({"designated_on": "06/01/2025"}, "invalid_date"),
        ({"designated_on": ""}, "required"),
        ({"designation_no": ""}, "required"),
        ({"area_m2": "넓음"}, "invalid_number"),
        ({"area_m2": "-5"}, "invalid_number"),
        ({"phone": "123"}, "invalid_phone"),
        ({"name": "가" * 101, "association": "상인회"}, "invalid_value"),
    ],
)
def test_each_bad_cell_is_refused_on_its_line(office_with_dongs, cells, code):
    rows = [ROWS[1], district_row(**{"name": "상무골목", **cells})]

    assert refused(office_with_dongs, csv_bytes(DISTRICT_HEADER, rows)) == [(3, code)]


def test_the_same_name_twice_is_refused(office_with_dongs):
    rows = [*ROWS, district_row("상무골목", designation_no="서구-2025-099")]

    assert refused(office_with_dongs, csv_bytes(DISTRICT_HEADER, rows)) == [(4, "duplicate_key")]


def test_the_same_designation_number_twice_in_the_file_is_refused(office_with_dongs):
    rows = [*ROWS, district_row("세번째골목", designation_no="서구-2024-007")]

    assert refused(office_with_dongs, csv_bytes(DISTRICT_HEADER, rows)) == [
        (4, "duplicate_designation_no")
    ]


def test_a_designation_number_held_by_another_district_is_refused(office_with_dongs):
    DesignatedDistrictFactory(
        office=office_with_dongs, name="다른골목", designation_no="서구-2025-001"
    )

    assert refused(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS)) == [
        (2, "designation_no_clash")
    ]


def test_the_same_number_in_another_office_is_no_clash(office_with_dongs, other_office):
    DesignatedDistrictFactory(office=other_office, name="다른골목", designation_no="서구-2025-001")

    assert run(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS)).created == 2


def test_a_district_still_under_application_is_not_designated_by_import(office_with_dongs):
    DistrictFactory(office=office_with_dongs, name="상무골목", status=DistrictStatus.APPLIED)

    assert refused(office_with_dongs, csv_bytes(DISTRICT_HEADER, ROWS)) == [(2, "not_designated")]


def test_dongs_of_another_office_are_unknown(office_with_dongs, other_office):
    DongFactory(office=other_office, name="충장동")

    assert refused(
        office_with_dongs, csv_bytes(DISTRICT_HEADER, [district_row(dongs="충장동")])
    ) == [(2, "unknown_dong")]


def test_xlsx_date_cells_are_read_as_dates(office_with_dongs):
    row = district_row(designated_on=date(2025, 6, 1))
    row[DISTRICT_HEADER.index("area_m2")] = 1800

    run(office_with_dongs, xlsx_bytes(DISTRICT_HEADER, [row]))

    assert District.objects.get().designated_on == date(2025, 6, 1)


def test_queries_stay_few_for_many_districts(office_with_dongs, django_assert_max_num_queries):
    rows = [district_row(f"골목 {i}", designation_no=f"서구-2025-{i:03d}") for i in range(1, 120)]
    with django_assert_max_num_queries(20):
        result = run(office_with_dongs, csv_bytes(DISTRICT_HEADER, rows))
    assert result.created == 119
    assert District.dongs.through.objects.count() == 238
