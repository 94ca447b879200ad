"""Minimal valid hotline rows; flows (numbering, deadlines, moves) belong to the services."""

import factory

from hotline.models import ClosedDay, HotlineSettings
from tests.registry.factories import OfficeFactory


class HotlineSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HotlineSettings
        django_get_or_create = ("office",)

    office = factory.SubFactory(OfficeFactory)


class ClosedDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDay

    office = factory.SubFactory(OfficeFactory)
    name = "개청 기념일"
