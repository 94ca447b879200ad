"""History pages in the user's language and time zone.

django-simple-history shows a change as the stored values: a status as its code (`applied →
designated`), a time as it is kept (in UTC, `2026-03-09 01:00:00+00:00`), a flag as True or
False. Every history page of the admin goes through `HistoryAdmin`, which shows them as the
admin's forms do: choices by their labels, times in Asia/Seoul, flags as 예 or 아니요. The page's
own words are the project's template (`templates/simple_history/object_history_list.html`).
"""

from datetime import date, datetime

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


def history_value(field: models.Field, value):
    """One stored value as a reader of the history page should see it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, list):
        return [history_value(field, item) for item in value] or EMPTY
    choices = dict(field.flatchoices) if field.choices else {}
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return date_format(moment, "Y-m-d H:i")
    if isinstance(value, date):
        return value.isoformat()
    return value


class LocalHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        prepared = super().prepare_delta_change_value(change, value)
        return history_value(self.model._meta.get_field(change.field), prepared)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history pages read like the rest of the admin."""

    def get_historical_record_context_helper(self, request, historical_record):
        return LocalHistoryHelper(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("History of %(record)s") % {"record": obj}
