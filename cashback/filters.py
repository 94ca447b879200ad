"""FilterSets of cashback, shared by the dashboard's figures and the lists they link to."""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from cashback.choices import PayoutStatus
from cashback.models import PayoutBatch


class PayoutBatchFilterSet(filters.FilterSet):
    office = filters.CharFilter(
        field_name="week__campaign__office__code",
        label=_("office"),
        help_text=_("The office's five-digit administrative code."),
    )
    status = filters.MultipleChoiceFilter(choices=PayoutStatus.choices, label=_("status"))
    campaign = filters.CharFilter(field_name="week__campaign__code", label=_("campaign"))

    class Meta:
        model = PayoutBatch
        fields = ["office", "status", "campaign"]
