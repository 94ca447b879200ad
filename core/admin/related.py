"""Links between records in the admin: panels of related rows, and links to the rows pointed at.

A lower floor's change page cannot import the floors above it (registry never imports hotline or
cashback), yet a clerk opening a store wants its hotline cases and its payments. So the app
that owns the rows registers a panel for the other app's model (`register_panel(Store,
RelatedPanel(...))`, from its own admin module), and the core admin mixin renders whatever is
registered for the model of the page.

A panel narrows its rows with the very list filter its "see all" link applies to the
changelist, starting from the queryset that changelist starts from (its admin's, behind the
office wall), so the panel's count is the count of the list it links to. It is shown only to
users who may view that list and hold the panel's own permission, and costs two queries
whatever the number of rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin.sites import NotRegistered
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import gettext, ngettext_lazy

from core.numbers import is_row_id
from core.walls import office_wall


class ObjectFilter(admin.SimpleListFilter):
    """A changelist filter by one related row's id (`?store=12`), for links from other pages.

    Listing every store as a choice would run to thousands, so the sidebar offers none; once a
    link has chosen one, the sidebar names it, so the reader sees what the list is narrowed to
    and can clear it. An id that is not a number, or not of the user's office, lists nothing.
    Subclasses name the foreign key (`field_name`), the parameter and the title.
    """

    field_name = ""

    def lookups(self, request, model_admin):
        value = self.value()
        if not value:
            return []
        return [(value, self.chosen_label(request, model_admin, value))]

    def chosen_label(self, request, model_admin, value: str) -> str:
        related = model_admin.model._meta.get_field(self.field_name).related_model
        found = None
        if is_row_id(value):
            found = office_wall(related._default_manager.filter(pk=int(value)), request.user)
            found = found.first()
        return str(found) if found is not None else gettext("Not found in your office")

    def queryset(self, request, queryset):
        value = self.value()
        return self.narrow(queryset, value) if value else queryset

    @classmethod
    def narrow(cls, queryset: QuerySet, value: str) -> QuerySet:
        """The rows of the related row `value` (its id as text): what the filter leaves."""
        if not is_row_id(value):
            return queryset.none()
        return queryset.filter(**{f"{cls.field_name}_id": int(value)})


@dataclass(frozen=True)
class RelatedPanel:
    """Rows of `model` that belong to one record of another model, shown on that record's page.

    `list_filter` is the filter of `model`'s changelist that narrows it to the record: a list
    filter with a `parameter_name` and a classmethod `narrow(queryset, value)`, given the
    record's id as text. `permission` is needed besides viewing `model` in the admin (by
    default nothing more). The panel shows the `shown` first rows in `order_by`, each as
    `describe(row)`, linked to its change page, under `count_text` (a `ngettext_lazy` choosing
    by `count`, showing `shown`, the count with thousands separators).
    """

    key: str
    title: str
    model: type[Model]
    list_filter: type
    order_by: tuple[str, ...]
    describe: Callable[[Model], str] = str
    permission: str = ""
    shown: int = 5
    count_text: str = ngettext_lazy("%(shown)s record in all", "%(shown)s records in all", "count")


@dataclass(frozen=True)
class PanelRow:
    text: str
    url: str


@dataclass(frozen=True)
class ShownPanel:
    """A panel as one user sees it on one page."""

    key: str
    title: str
    count: int
    count_text: str
    rows: list[PanelRow] = field(default_factory=list)
    list_url: str = ""


_PANELS: dict[str, dict[str, RelatedPanel]] = {}


def register_panel(parent: type[Model], panel: RelatedPanel) -> None:
    """Show `panel` on the change page of every `parent` row (again under its key: replaced)."""
    _PANELS.setdefault(parent._meta.label, {})[panel.key] = panel


def panels_for(parent: type[Model]) -> list[RelatedPanel]:
    return list(_PANELS.get(parent._meta.label, {}).values())


def _changelist_admin(request, admin_site, model: type[Model]):
    """The admin of `model` when the user may open its changelist, else None."""
    try:
        model_admin = admin_site.get_model_admin(model)
    except NotRegistered:
        return None
    return model_admin if model_admin.has_view_or_change_permission(request) else None


def _admin_url(admin_site, model: type[Model], view: str, *args) -> str:
    opts = model._meta
    return reverse(f"{admin_site.name}:{opts.app_label}_{opts.model_name}_{view}", args=args)


def related_panels(request, obj: Model, admin_site) -> list[ShownPanel]:
    """The panels registered for `obj`'s model that this user may see, with their rows."""
    shown = []
    for panel in panels_for(type(obj)):
        if panel.permission and not request.user.has_perm(panel.permission):
            continue
        model_admin = _changelist_admin(request, admin_site, panel.model)
        if model_admin is None:
            continue
        value = str(obj.pk)
        rows = panel.list_filter.narrow(model_admin.get_queryset(request), value)
        count = rows.count()
        first = list(rows.order_by(*panel.order_by)[: panel.shown]) if count else []
        list_url = _admin_url(admin_site, panel.model, "changelist")
        shown.append(
            ShownPanel(
                key=panel.key,
                title=str(panel.title),
                count=count,
                count_text=panel.count_text % {"count": count, "shown": f"{count:,}"},
                rows=[
                    PanelRow(
                        text=panel.describe(row),
                        url=_admin_url(admin_site, panel.model, "change", row.pk),
                    )
                    for row in first
                ],
                list_url=f"{list_url}?{urlencode({panel.list_filter.parameter_name: value})}",
            )
        )
    return shown


@dataclass(frozen=True)
class RecordLink:
    """A row this record points at: its label, its name, and its change page when allowed."""

    label: str
    text: str
    url: str | None


def record_links(request, obj: Model, field_names: tuple[str, ...], admin_site) -> list[RecordLink]:
    """Links to the rows `obj` points at through `field_names`, for those that are set.

    A row is linked only when the user may open its change page (its admin's permission and
    office wall); otherwise its name is shown without a link.
    """
    links = []
    for name in field_names:
        target = getattr(obj, name, None)
        if target is None:
            continue
        url = None
        try:
            target_admin = admin_site.get_model_admin(type(target))
        except NotRegistered:
            target_admin = None
        if target_admin is not None and target_admin.has_view_or_change_permission(request, target):
            url = _admin_url(admin_site, type(target), "change", target.pk)
        label = obj._meta.get_field(name).verbose_name
        links.append(RecordLink(label=str(label), text=str(target), url=url))
    return links
