"""Business numbers already stored that SPEC 2.1 now refuses.

The rule grew (a number's parts must be real, not only its check digit), so records written
before may hold numbers that would be refused today. They are not deleted: the clerk looks
each one up and corrects it (`manage.py check_business_numbers`).
"""

from dataclasses import dataclass

from core.numbers import brn_checksum_ok, brn_format, brn_valid
from registry.models import MerchantApplication, Office, Store
from registry.rules import APPLICATION_OPEN_STATUSES

FAULT_CHECK_DIGIT = "check_digit"
FAULT_PARTS = "parts"


@dataclass(frozen=True)
class StoredNumber:
    """One record whose business number fails SPEC 2.1, and why."""

    model: type[Store] | type[MerchantApplication]
    pk: int
    business_number: str
    name: str
    status: str
    fault: str

    @property
    def shown(self) -> str:
        return brn_format(self.business_number)


def _fault(digits: str) -> str | None:
    if brn_valid(digits):
        return None
    return FAULT_CHECK_DIGIT if not brn_checksum_ok(digits) else FAULT_PARTS


def business_numbers_invalid(office: Office) -> list[StoredNumber]:
    """The office's stores and open merchant applications whose numbers fail SPEC 2.1, stores
    first, each in number order. Decided applications are history and left out."""
    found = []
    sources = (
        (Store, Store.objects.filter(office=office)),
        (
            MerchantApplication,
            MerchantApplication.objects.filter(office=office, status__in=APPLICATION_OPEN_STATUSES),
        ),
    )
    for model, queryset in sources:
        rows = queryset.order_by("business_number", "pk").values_list(
            "pk", "business_number", "trade_name", "status"
        )
        for pk, number, name, status in rows.iterator(chunk_size=5_000):
            fault = _fault(number)
            if fault:
                label = dict(model._meta.get_field("status").flatchoices).get(status, status)
                found.append(StoredNumber(model, pk, number, name, str(label), fault))
    return found
