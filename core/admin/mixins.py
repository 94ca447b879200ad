"""The admin kit every app's admin shares: the office wall, service refusals, fast counts, and
personal data masked and logged by the one rule of core.personal.

The wall (SPEC 1) is enforced in one place for lists, change pages, history pages, foreign-key
and many-to-many choices, list filters and autocompletes: a staff user only ever meets rows of
their own office, and opening another office's row by URL finds nothing. Personal data (SPEC 5)
is masked in the same place on change pages, history lists and history versions for a role
that may not see it, and every such page is written to the access log.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, transaction
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.template_utils import HistoricalRecordContextHelper

from core.admin.offices import OfficeCodeFilter
from core.admin.related import record_links, related_panels
from core.audit import personal_shown
from core.forms import service_errors_to_form
from core.personal import mask, may_see_personal, personal_fields
from core.walls import object_office_id, office_wall


class ServiceRefused(Exception):
    """A service refused the admin's save; the form is shown again with its messages."""

    def __init__(self, error: ValidationError):
        super().__init__(error)
        self.error = error


class ServiceErrorsForm:
    """Mixed into admin model forms: shows a refusal caught while saving, on a second pass."""

    service_errors: ValidationError | None = None

    def clean(self):
        cleaned = super().clean()
        if self.service_errors is not None:
            service_errors_to_form(self, self.service_errors)
        return cleaned


class EstimatedCountPaginator(Paginator):
    """A paginator that never counts a whole large table.

    Unfiltered lists take the planner's row estimate (pg_class.reltuples), which costs nothing;
    filtered lists and small tables get a real count.
    """

    exact_below = 20_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = _estimated_rows(queryset)
            if estimate is not None and estimate >= self.exact_below:
                return estimate
        return super().count


def _estimated_rows(queryset: QuerySet) -> int | None:
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    # -1 means the table was never analysed: no estimate to trust.
    return int(row[0]) if row and row[0] is not None and row[0] >= 0 else None


class OfficeRelatedFilter(admin.RelatedFieldListFilter):
    """A foreign-key or many-to-many list filter offering only the user's office's rows."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin) or ()
        related = office_wall(field.related_model._default_manager.all(), request.user)
        if ordering:
            related = related.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in related]


class AnnotatedChangeList(ChangeList):
    """Lets the admin add the list's own joins and annotations to the filtered queryset only."""

    def get_queryset(self, request, exclude_parameters=None):
        # Annotate before filtering and ordering so columns can be sorted by annotations.
        root = self.root_queryset
        self.root_queryset = self.model_admin.changelist_queryset(request, root)
        try:
            return super().get_queryset(request, exclude_parameters)
        finally:
            self.root_queryset = root


MASKED_PREFIX = "masked_"


def masked_display(model, field: str, kind: str):
    """A read-only admin column showing one personal field masked."""

    def display(obj):
        return mask(kind, getattr(obj, field, "")) or "-"

    display.short_description = capfirst(model._meta.get_field(field).verbose_name)
    return display


class MaskedHistoryContextHelper(HistoricalRecordContextHelper):
    """The history list's changes with personal data masked, for a role that may not see it."""

    def prepare_delta_change_value(self, change, value):
        kind = personal_fields(self.model).get(change.field)
        if kind is not None:
            return mask(kind, value)
        return super().prepare_delta_change_value(change, value)


class OfficeWallMixin:
    """The office wall for a ModelAdmin (SPEC 1).

    `office_field` is the path from the row to its office ("office", "store__office"); "" is the
    Office admin itself. New rows of models with their own office get the user's office; a
    superuser chooses one. Saves that go through services raise `ServiceRefused`, and the page
    comes back with the service's message under the right field.
    """

    office_field = "office"
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        # Each personal field gets a masked read-only twin ("masked_phone") that the change
        # and version pages show instead of the field to a role that may not see it.
        for field, kind in personal_fields(model).items():
            setattr(self, MASKED_PREFIX + field, masked_display(model, field, kind))

    # --- personal data (core.personal) ---------------------------------------------------

    def personal_visible(self, request) -> bool:
        return may_see_personal(request.user)

    def personal_swap(self, request) -> dict[str, str]:
        """Personal fields → their masked twins, for a role that may not see them."""
        if self.personal_visible(request):
            return {}
        return {field: MASKED_PREFIX + field for field in personal_fields(self.model)}

    def personal_logged(self, request, obj, face: str) -> None:
        personal_shown(
            user=request.user,
            objects=[obj],
            face=face,
            masked=not self.personal_visible(request),
            single=True,
        )

    def get_historical_record_context_helper(self, request, historical_record):
        if self.personal_visible(request):
            return super().get_historical_record_context_helper(request, historical_record)
        return MaskedHistoryContextHelper(self.model, historical_record)

    # --- the wall -----------------------------------------------------------------------

    def get_queryset(self, request):
        return office_wall(super().get_queryset(request), request.user, self.office_field)

    def in_office(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        office_id = getattr(request.user, "office_id", None)
        return bool(office_id) and object_office_id(obj, self.office_field) == office_id

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_office(request, obj)

    def get_list_filter(self, request):
        list_filter = super().get_list_filter(request)
        if request.user.is_superuser and self.office_field:
            return (OfficeCodeFilter, *list_filter)
        return list_filter

    def has_add_permission(self, request):
        # A staff account not yet given an office has nowhere to put a new row.
        user = request.user
        return super().has_add_permission(request) and (
            user.is_superuser or bool(getattr(user, "office_id", None))
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_office(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_office(request, obj)

    def get_field_queryset(self, db, db_field, request):
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        return office_wall(queryset, request.user)

    def get_object_in_office(self, request, object_id):
        """The row for an object view, or 404: another office's row is never found."""
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404(_("No such record in your office."))
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object_in_office(request, object_id)
        response = super().history_view(request, object_id, extra_context)
        self.personal_logged(request, obj, _("history"))
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object_in_office(request, object_id)
        if request.method != "GET" and settings.SIMPLE_HISTORY_REVERT_DISABLED:
            # A version page is for reading: with reverting off, a POST must not save the old
            # version's form past the services' own pages.
            raise PermissionDenied
        response = super().history_form_view(request, object_id, version_id, extra_context)
        # The version shown holds the personal data of its day, which may differ from today's.
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        version = history.filter(history_id=version_id).first()
        self.personal_logged(
            request,
            version.instance if version is not None else obj,
            _("history version %(version)s") % {"version": version_id},
        )
        return response

    # --- the office of new rows ---------------------------------------------------------

    def owns_office_field(self) -> bool:
        return self.office_field == "office"

    def get_fieldsets(self, request, obj=None):
        # `add_fieldsets` is not defined here, so Django's UserAdmin keeps its own.
        if obj is None and getattr(self, "add_fieldsets", None):
            fieldsets = self.add_fieldsets
        else:
            fieldsets = super().get_fieldsets(request, obj)
        if not self.owns_office_field():
            return self.personal_fieldsets(request, obj, fieldsets)
        # Staff never choose an office: theirs is implied. Superusers see or pick it first.
        fieldsets = [
            (title, {**options, "fields": [f for f in options["fields"] if f != "office"]})
            for title, options in fieldsets
        ]
        if request.user.is_superuser and fieldsets:
            title, options = fieldsets[0]
            fieldsets[0] = (title, {**options, "fields": ["office", *options["fields"]]})
        return self.personal_fieldsets(request, obj, fieldsets)

    def personal_fieldsets(self, request, obj, fieldsets):
        """A record's page (or a version of it) with personal fields masked for a role that
        may not see them; a new record's empty form has nothing to mask."""
        swap = self.personal_swap(request) if obj is not None else {}
        if not swap:
            return fieldsets
        return [
            (title, {**options, "fields": [swap.get(f, f) for f in options["fields"]]})
            for title, options in fieldsets
        ]

    # Rows never move between offices; the User admin lets superusers move people.
    office_editable_by_superuser = False

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        movable = self.office_editable_by_superuser and request.user.is_superuser
        if (
            obj is not None
            and self.owns_office_field()
            and not movable
            and "office" not in readonly
        ):
            readonly = ("office", *readonly)
        return (*readonly, *(MASKED_PREFIX + field for field in personal_fields(self.model)))

    def office_for(self, request, form) -> Model:
        """The office a new row belongs to: the user's, or the superuser's choice."""
        if request.user.is_superuser:
            office = form.cleaned_data.get("office")
            if office is None:
                raise ServiceRefused(
                    ValidationError({"office": _("Choose the office this record belongs to.")})
                )
            return office
        return request.user.office

    # --- saves through services ---------------------------------------------------------

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        errors = getattr(request, "_golmok_service_errors", None)
        if errors is None:
            return form
        return type(form)(form.__name__, (ServiceErrorsForm, form), {"service_errors": errors})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The save was rolled back with the transaction; show the form again with the
            # service's message, keeping what the clerk typed.
            request._golmok_service_errors = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    @staticmethod
    def adopt(target: Model, saved: Model) -> None:
        """Make the admin's unsaved instance the row a service saved (for redirects, logs)."""
        target.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
        target._state.adding = False
        target._state.db = saved._state.db

    # --- lists --------------------------------------------------------------------------

    def get_changelist(self, request, **kwargs):
        return AnnotatedChangeList

    def changelist_queryset(self, request, queryset: QuerySet) -> QuerySet:
        """Joins and annotations the list columns need; the change page does without them."""
        return queryset

    # --- object-level views (buttons on the change page) --------------------------------

    object_views: tuple[tuple[str, str], ...] = ()  # (url part, method name)
    # Django looks for admin/<app>/change_form.html; the buttons' template lives under core
    # and serves the other apps' admins too.
    change_form_template = "admin/core/change_form.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        custom = [
            path(
                f"<path:object_id>/{part}/",
                self.admin_site.admin_view(getattr(self, method)),
                name=f"{info[0]}_{info[1]}_{part.replace('-', '_')}",
            )
            for part, method in self.object_views
        ]
        return custom + super().get_urls()

    def object_url(self, obj, part: str) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(
            f"{self.admin_site.name}:{info[0]}_{info[1]}_{part.replace('-', '_')}",
            args=[obj.pk],
        )

    def change_url(self, obj) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"{self.admin_site.name}:{info[0]}_{info[1]}_change", args=[obj.pk])

    def object_buttons(self, request, obj) -> list[dict]:
        """Buttons shown on the change page: dicts with url, label and optional `post`."""
        return []

    # The rows a record points at that its change page links to ("store", "district").
    linked_fields: tuple[str, ...] = ()
    # Records changed only by the decisions behind the page's buttons: no save buttons.
    decisions_only = False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk:
            context["object_buttons"] = self.object_buttons(request, obj)
            # Rows of other apps about this record, and the records it points at.
            context["related_panels"] = related_panels(request, obj, self.admin_site)
            context["record_links"] = record_links(
                request, obj, self.linked_fields, self.admin_site
            )
        if change and obj is not None:
            if self.decisions_only:
                context.update(
                    show_save=False, show_save_and_continue=False, show_save_and_add_another=False
                )
            if request.method == "GET":
                self.personal_logged(request, obj, _("change page"))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def object_view_allowed(self, request, obj, permission: str = "change") -> None:
        checker = getattr(self, f"has_{permission}_permission")
        if not checker(request, obj):
            raise PermissionDenied

    def render_object_form(self, request, obj, *, title, form, submit_label, **context):
        """The small admin page behind an object button: a form and what the clerk must know."""
        return TemplateResponse(
            request,
            "admin/core/object_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": title,
                "form": form,
                "media": self.media + form.media,
                "submit_label": submit_label,
                "change_url": self.change_url(obj),
                **context,
            },
        )

    def render_confirmation(
        self, request, obj, *, title, question, facts, warning, confirm_label
    ) -> TemplateResponse:
        """The "are you sure?" page before a step that cannot be undone: the facts of what it
        acts on, what will happen, a button that sends `confirmed=yes` back and a way out."""
        return TemplateResponse(
            request,
            "admin/core/confirm_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": obj,
                "title": title,
                "question": question,
                "facts": facts,
                "warning": warning,
                "confirm_label": confirm_label,
                "change_url": self.change_url(obj),
            },
        )

    @staticmethod
    def confirmed(request) -> bool:
        """Whether the request is the "yes" of a confirmation page."""
        return request.method == "POST" and request.POST.get("confirmed") == "yes"

    decision_check_title = ""

    def decision_check_lines(self, obj) -> list:
        """The pass/fail lines a decision page shows beside its form."""
        return []

    def decision_view(
        self, request, object_id, *, form_class, title, submit, call, done, lines, initial=None
    ):
        """A decision behind a button on the change page: one form, one service call.

        `call(obj, cleaned_data)` runs the service; a refusal stays on the form and nothing is
        written. `done(obj)` is the message shown after success.
        """
        obj = self.get_object_in_office(request, object_id)
        self.object_view_allowed(request, obj)
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
        else:
            form = form_class(initial=initial(obj) if initial else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            if self.run_service(request, form, lambda: call(obj, data)):
                self.message_user(request, done(obj), messages.SUCCESS)
                return redirect(self.change_url(obj))
        return self.render_object_form(
            request,
            obj,
            title=title,
            form=form,
            submit_label=submit,
            check_lines=self.decision_check_lines(obj) if lines else None,
            check_title=self.decision_check_title,
        )

    def run_service(self, request, form, call) -> bool:
        """Call one service; a refusal goes onto the form and nothing is written."""
        try:
            call()
        except ValidationError as error:
            service_errors_to_form(form, error)
            return False
        return True

    def refusal_message(self, request, error: ValidationError) -> None:
        self.message_user(request, " ".join(error.messages), messages.ERROR)


class BulkActionMixin:
    """Admin actions that ask for one input (a reason, a date) on an intermediate page.

    All selected rows go through the service in one transaction, each in its own savepoint: a
    row the service refuses for its own state is skipped and named; a refusal of the input
    itself (an empty reason) writes nothing and shows the form again with the message.
    """

    def bulk_action(
        self, request, queryset, *, title, form_class, call, done_message, form_kwargs=None
    ):
        form_kwargs = form_kwargs or {}
        if "apply" in request.POST:
            form = form_class(request.POST, **form_kwargs)
            if form.is_valid() and self._bulk_apply(request, queryset, form, call, done_message):
                return None
        else:
            form = form_class(**form_kwargs)
        return TemplateResponse(
            request,
            "admin/core/bulk_action.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "form": form,
                "media": self.media + form.media,
                "objects": list(queryset[:200]),
                "count": queryset.count(),
                "action": request.POST.get("action", ""),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _bulk_apply(self, request, queryset, form, call, done_message) -> bool:
        done, failures = 0, []
        try:
            with transaction.atomic():
                for obj in queryset:
                    try:
                        with transaction.atomic():
                            call(obj, form.cleaned_data)
                    except ValidationError as error:
                        if hasattr(error, "error_dict") and set(error.error_dict) & set(
                            form.fields
                        ):
                            raise ServiceRefused(error) from error
                        failures.append((obj, error))
                    else:
                        done += 1
        except ServiceRefused as refusal:
            service_errors_to_form(form, refusal.error)
            return False
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        for obj, error in failures[:20]:
            self.message_user(
                request,
                _("%(record)s: %(reason)s") % {"record": obj, "reason": " ".join(error.messages)},
                messages.ERROR,
            )
        if len(failures) > 20:
            self.message_user(
                request,
                _("%(count)s more records were not changed.") % {"count": len(failures) - 20},
                messages.ERROR,
            )
        return True


class ReadOnlyMixin:
    """Rows nobody adds, changes or deletes by hand (payments and the ledger, memberships, the
    access log, export jobs): they are written only by the services. After OfficeWallMixin in
    the bases, whose checks end here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
