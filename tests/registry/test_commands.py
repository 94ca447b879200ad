"""The registry's commands: create_office, import_districts, import_stores, sync_roles."""

import io
import sys

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import translation

from registry.constants import DEFAULT_RESTRICTED_BUSINESS_TYPES
from registry.models import District, Dong, Office, RestrictedBusinessType, Store
from registry.roles import ROLE_PERMISSIONS, role_permissions
from tests.registry.factories import DesignatedDistrictFactory, DongFactory, StoreFactory
from tests.registry.fixtures import (
    BRN_A,
    BRN_B,
    BRN_BAD,
    DISTRICT_HEADER,
    STORE_HEADER,
    csv_bytes,
    district_row,
    store_row,
    xlsx_bytes,
)


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# --- create_office ---------------------------------------------------------------------


@pytest.mark.django_db
def test_create_office_creates_the_office_with_its_dongs_and_default_restrictions():
    out, _err = run(
        "create_office", "29140", "광주광역시 서구", "--dong", "양동", "--dong", "치평동"
    )

    office = Office.objects.get(code="29140")
    assert office.name == "광주광역시 서구"
    assert sorted(office.dongs.values_list("name", flat=True)) == ["양동", "치평동"]
    assert RestrictedBusinessType.objects.filter(office=office).count() == len(
        DEFAULT_RESTRICTED_BUSINESS_TYPES
    )
    assert "29140" in out


@pytest.mark.django_db
def test_create_office_again_renames_and_sets_exactly_the_given_dongs():
    run("create_office", "29140", "서구", "--dong", "양동", "--dong", "치평동")

    run("create_office", "29140", "광주광역시 서구", "--dong", "치평동", "--dong", "풍암동")

    office = Office.objects.get()
    assert office.name == "광주광역시 서구"
    assert sorted(office.dongs.values_list("name", flat=True)) == ["치평동", "풍암동"]
    assert RestrictedBusinessType.objects.count() == len(DEFAULT_RESTRICTED_BUSINESS_TYPES)


@pytest.mark.django_db
def test_create_office_without_dongs_keeps_the_dongs_it_has():
    run("create_office", "29140", "서구", "--dong", "양동")

    run("create_office", "29140", "광주광역시 서구")

    assert list(Dong.objects.values_list("name", flat=True)) == ["양동"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["2914", "291400", "29I40", ""])
def test_create_office_refuses_a_code_that_is_not_five_digits_and_writes_nothing(code):
    with translation.override("en"), pytest.raises(CommandError) as exc:
        run("create_office", code, "서구", "--dong", "양동")

    assert "administrative code" in str(exc.value)
    assert not Office.objects.exists()
    assert not Dong.objects.exists()


@pytest.mark.django_db
def test_create_office_refuses_to_drop_a_dong_that_still_has_stores(office):
    dong = DongFactory(office=office, name="양동")
    StoreFactory(office=office, dong=dong)

    with pytest.raises(CommandError):
        run("create_office", office.code, "새 이름", "--dong", "치평동")

    office.refresh_from_db()
    assert office.name == "광주광역시 서구"
    assert list(office.dongs.values_list("name", flat=True)) == ["양동"]


# --- import_districts / import_stores ---------------------------------------------------


@pytest.fixture
def ready(office):
    for name in ("치평동", "상무1동"):
        DongFactory(office=office, name=name)
    return office


def test_import_districts_prints_a_summary(ready, tmp_path):
    path = tmp_path / "districts.xlsx"
    path.write_bytes(xlsx_bytes(DISTRICT_HEADER, [district_row("상무골목")]))

    with translation.override("en"):
        out, _err = run("import_districts", ready.code, str(path), "--no-progress")

    assert "1 rows: 1 created, 0 updated, 0 unchanged" in out
    assert District.objects.get().name == "상무골목"


def test_import_stores_refuses_a_bad_file_printing_every_bad_line(ready, tmp_path):
    DesignatedDistrictFactory(office=ready, name="상무골목")
    path = tmp_path / "stores.csv"
    rows = [store_row(BRN_A), store_row(BRN_BAD), store_row(BRN_B, dong="없는동")]
    path.write_bytes(csv_bytes(STORE_HEADER, rows, encoding="cp949"))
    err = io.StringIO()

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("import_stores", ready.code, str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert (
        lines[0].startswith("line 3: ") and "not a valid business registration number" in lines[0]
    )
    assert lines[1].startswith("line 4: ") and "없는동" in lines[1]
    assert "Nothing was written" in str(exc.value)
    assert not Store.objects.exists()


def test_import_stores_records_the_named_user_in_the_history(ready, tmp_path, clerk):
    DesignatedDistrictFactory(office=ready, name="상무골목")
    path = tmp_path / "stores.csv"
    path.write_bytes(csv_bytes(STORE_HEADER, [store_row(BRN_A)]))

    run("import_stores", ready.code, str(path), "--user", clerk.username, "--no-progress")

    history = Store.history.get()
    assert history.history_user == clerk
    assert "stores.csv" in history.history_change_reason


def test_importing_the_same_file_twice_reports_everything_unchanged(ready, tmp_path):
    DesignatedDistrictFactory(office=ready, name="상무골목")
    path = tmp_path / "stores.csv"
    path.write_bytes(csv_bytes(STORE_HEADER, [store_row(BRN_A), store_row(BRN_B)]))
    run("import_stores", ready.code, str(path))

    with translation.override("en"):
        out, _err = run("import_stores", ready.code, str(path))

    assert "2 rows: 0 created, 0 updated, 2 unchanged" in out


@pytest.mark.parametrize("command", ["import_districts", "import_stores"])
def test_an_unknown_office_is_refused(db, tmp_path, command):
    path = tmp_path / "x.csv"
    path.write_bytes(b"name\n")

    with pytest.raises(CommandError, match="99999"):
        run(command, "99999", str(path))


def test_a_missing_file_or_user_is_refused(ready, tmp_path):
    with pytest.raises(CommandError):
        run("import_stores", ready.code, str(tmp_path / "nope.csv"))
    path = tmp_path / "stores.csv"
    path.write_bytes(csv_bytes(STORE_HEADER, [store_row(BRN_A)]))
    with pytest.raises(CommandError):
        run("import_stores", ready.code, str(path), "--user", "nobody")
    assert not Store.objects.exists()


def test_the_progress_bar_shows_on_a_terminal_and_not_otherwise(
    ready, tmp_path, capsys, monkeypatch
):
    DesignatedDistrictFactory(office=ready, name="상무골목")
    path = tmp_path / "stores.csv"
    path.write_bytes(csv_bytes(STORE_HEADER, [store_row(BRN_A)]))

    run("import_stores", ready.code, str(path))
    assert "100%" not in capsys.readouterr().err

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    run("import_stores", ready.code, str(path))
    assert "100%" in capsys.readouterr().err

    run("import_stores", ready.code, str(path), "--no-progress")
    assert "100%" not in capsys.readouterr().err


# --- sync_roles -------------------------------------------------------------------------


@pytest.mark.django_db
def test_sync_roles_restores_each_groups_permissions():
    clerk = Group.objects.get(name="clerk")
    clerk.permissions.clear()
    Group.objects.filter(name="auditor").delete()

    run("sync_roles")

    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLE_PERMISSIONS)
    codes = {f"{p.content_type.app_label}.{p.codename}" for p in clerk.permissions.all()}
    assert "registry.add_importjob" in codes
    # Every app gives the role its share.
    assert codes == set(role_permissions()["clerk"])
