import pytest
from django.contrib.auth.models import Permission

from registry.backends import RoleBackend
from registry.models import User
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_role_and_personal_permissions_are_read_together_in_one_query(
    office, django_assert_num_queries
):
    user = UserFactory(office=office, roles=["payment_operator"])
    user.user_permissions.add(Permission.objects.get(codename="view_store"))
    fresh = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert fresh.has_perm("cashback.add_payment")  # from the role
        assert fresh.has_perm("registry.view_store")  # given directly
        assert not fresh.has_perm("registry.change_store")
    assert fresh.get_all_permissions() == RoleBackend().get_all_permissions(fresh)


def test_inactive_users_and_object_checks_hold_nothing(office):
    user = UserFactory(office=office, roles=["clerk"], is_active=False)
    assert RoleBackend().get_all_permissions(user) == set()
    active = UserFactory(office=office, roles=["clerk"])
    assert RoleBackend().get_all_permissions(active, obj=object()) == set()


def test_a_superuser_holds_every_permission(office):
    admin = UserFactory(office=office, is_superuser=True)
    assert RoleBackend().get_all_permissions(admin) == {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
