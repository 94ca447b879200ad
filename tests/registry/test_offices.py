import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from registry import roles, services
from registry.constants import DEFAULT_RESTRICTED_BUSINESS_TYPES
from registry.models import Office
from tests.registry.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_a_new_office_gets_its_dongs_and_the_default_restricted_list():
    office = services.office_create_or_update(
        code="29140", name="광주광역시 서구", dongs=["양동", "치평동"]
    )
    assert sorted(office.dongs.values_list("name", flat=True)) == ["양동", "치평동"]
    codes = set(office.restricted_business_types.values_list("ksic_code", flat=True))
    assert len(codes) == len(DEFAULT_RESTRICTED_BUSINESS_TYPES)
    # Nightlife, gambling, real estate, finance and insurance, as SPEC 2.4 requires at least.
    assert {"56211", "91291", "91249", "68112", "68221", "64121", "65110"} <= codes


def test_running_it_again_renames_and_sets_the_dongs_exactly():
    services.office_create_or_update(code="29140", name="서구", dongs=["양동", "치평동"])
    office = services.office_create_or_update(
        code="29140", name="광주광역시 서구", dongs=["치평동", "풍암동"]
    )
    assert Office.objects.count() == 1
    assert office.name == "광주광역시 서구"
    assert sorted(office.dongs.values_list("name", flat=True)) == ["치평동", "풍암동"]


def test_a_dong_with_stores_cannot_be_dropped():
    office = services.office_create_or_update(code="29140", name="서구", dongs=["양동"])
    StoreFactory(office=office, dong=office.dongs.get())
    with pytest.raises(ValidationError):
        services.office_create_or_update(code="29140", name="서구", dongs=["치평동"])
    assert list(office.dongs.values_list("name", flat=True)) == ["양동"]


@pytest.mark.parametrize("code", ["2914", "291400", "abcde"])
def test_an_administrative_code_is_five_digits(code):
    with pytest.raises(ValidationError):
        services.office_create_or_update(code=code, name="어딘가")
    assert not Office.objects.exists()


def test_every_role_group_exists_with_its_permissions():
    roles.roles_sync()
    groups = {g.name: g for g in Group.objects.prefetch_related("permissions")}
    assert set(roles.ROLE_PERMISSIONS) <= set(groups)
    clerk_perms = {p.codename for p in groups[roles.CLERK].permissions.all()}
    assert {"designate_district", "view_accesslog"}.isdisjoint(clerk_perms)
    assert {"change_district", "view_contact", "add_store"} <= clerk_perms
    auditor_perms = {p.codename for p in groups[roles.AUDITOR].permissions.all()}
    assert "view_accesslog" in auditor_perms
    assert not any(p.startswith(("add_", "change_", "delete_")) for p in auditor_perms)
    supervisor_perms = {p.codename for p in groups[roles.SUPERVISOR].permissions.all()}
    assert "view_contact" not in supervisor_perms
