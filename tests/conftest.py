import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _korean(settings):
    """The product speaks Korean by default; tests see what users see."""
    settings.LANGUAGE_CODE = "ko"
    with translation.override("ko"):
        yield


@pytest.fixture
def office(db):
    from tests.registry.factories import OfficeFactory

    return OfficeFactory(code="29140", name="광주광역시 서구")


@pytest.fixture
def other_office(db):
    from tests.registry.factories import OfficeFactory

    return OfficeFactory(code="29110", name="광주광역시 동구")


@pytest.fixture
def dong(office):
    from tests.registry.factories import DongFactory

    return DongFactory(office=office, name="치평동")


@pytest.fixture
def clerk(office):
    from tests.registry.factories import UserFactory

    return UserFactory(username="clerk", office=office, roles=["clerk"])


@pytest.fixture
def superuser(db):
    from tests.registry.factories import UserFactory

    return UserFactory(username="root", office=None, is_superuser=True)
