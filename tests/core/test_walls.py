"""The office wall: staff meet their own office's rows, superusers every row, others none."""

import pytest

from core.walls import for_user, office_model, office_path, office_wall
from registry.models import Membership, Office, Store
from tests.registry.factories import OfficeFactory, StoreFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_office_model_is_the_one_users_belong_to():
    assert office_model() is Office


def test_rows_reach_their_office_through_their_own_field_or_their_store():
    assert office_path(Office) == ""
    assert office_path(Store) == "office"
    assert office_path(Membership) == "store__office"


def test_staff_see_only_their_own_offices_rows_and_superusers_all():
    mine, theirs = OfficeFactory(), OfficeFactory()
    own, other = StoreFactory(office=mine), StoreFactory(office=theirs)
    clerk = UserFactory(office=mine, is_staff=True)
    root = UserFactory(is_superuser=True, is_staff=True)
    assert list(for_user(Store.objects.all(), clerk)) == [own]
    assert set(for_user(Store.objects.all(), root)) == {own, other}
    assert list(office_wall(Office.objects.all(), clerk)) == [mine]


def test_a_user_without_an_office_sees_nothing():
    StoreFactory()
    nobody = UserFactory(office=None, is_staff=True)
    assert not for_user(Store.objects.all(), nobody).exists()
    assert not office_wall(Office.objects.all(), nobody).exists()
