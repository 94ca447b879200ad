"""Campaigns and their weeks in the admin: terms until the first payment, budgets after it,
and the action that prepares the ended weeks' payout lists."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cashback import services
from cashback.choices import PayoutStatus
from cashback.models import Campaign, CampaignWeek
from cashback.selectors import campaign_has_payments
from core.admin.history import HistoryAdmin
from core.admin.mixins import OfficeWallMixin, ServiceRefused
from core.clock import local_today
from core.templatetags.golmok import won
from registry.choices import CertificateType


class CampaignForm(forms.ModelForm):
    methods = forms.MultipleChoiceField(
        label=_("certificate types that earn"),
        choices=CertificateType.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[CertificateType.CARD, CertificateType.MOBILE],
    )
    total_budget = forms.IntegerField(
        label=_("total budget (won)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty to take the sum of the weeks' budgets."),
    )

    class Meta:
        model = Campaign
        fields = [
            "office",
            "code",
            "name",
            "first_day",
            "last_day",
            "methods",
            "minimum",
            "rate_bp",
            "weekly_cap",
            "weekly_budget",
            "rounding_unit",
            "total_budget",
        ]


class CampaignWeekForm(forms.ModelForm):
    """A week's budget can be raised here until its payout is confirmed."""

    class Meta:
        model = CampaignWeek
        fields = ["budget"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.frozen_at is not None:
            self.fields["budget"].disabled = True


class CampaignWeekInline(admin.TabularInline):
    model = CampaignWeek
    form = CampaignWeekForm
    fields = [
        "number",
        "starts_on",
        "ends_on",
        "budget",
        "cap_won",
        "granted_won",
        "remaining_won",
        "exhausted_at",
        "frozen_at",
    ]
    readonly_fields = [
        "number",
        "starts_on",
        "ends_on",
        "cap_won",
        "granted_won",
        "remaining_won",
        "exhausted_at",
        "frozen_at",
    ]
    extra = 0
    can_delete = False
    ordering = ["number"]

    def has_add_permission(self, request, obj):
        return False

    @admin.display(description=_("cap per customer (won)"))
    def cap_won(self, week):
        return won(week.cap)

    @admin.display(description=_("granted (won)"))
    def granted_won(self, week):
        return won(week.granted)

    @admin.display(description=_("remaining"))
    def remaining_won(self, week):
        return won(week.remaining)


@admin.register(Campaign)
class CampaignAdmin(OfficeWallMixin, HistoryAdmin):
    form = CampaignForm
    list_display = [
        "code",
        "name",
        "office",
        "first_day",
        "last_day",
        "total_budget_won",
        "granted_won",
    ]
    list_filter = ["office"]
    search_fields = ["code", "name"]
    inlines = [CampaignWeekInline]
    actions = ["prepare_payouts"]
    fieldsets = [
        (None, {"fields": ["code", "name", "first_day", "last_day"]}),
        (
            _("Terms"),
            {
                "fields": [
                    "methods",
                    "minimum",
                    "rate_bp",
                    "rounding_unit",
                    "weekly_cap",
                    "weekly_budget",
                    "total_budget",
                ]
            },
        ),
    ]

    def changelist_queryset(self, request, queryset):
        return queryset.select_related("office").annotate(granted_sum=Sum("weeks__granted"))

    @admin.display(description=_("total budget (won)"), ordering="total_budget")
    def total_budget_won(self, campaign):
        return won(campaign.total_budget)

    @admin.display(description=_("granted (won)"))
    def granted_won(self, campaign):
        return won(getattr(campaign, "granted_sum", None) or 0)

    # Frozen terms are shown as words and won, not as raw values.
    FROZEN_DISPLAY = {
        "methods": "methods_label",
        "minimum": "minimum_won",
        "weekly_cap": "weekly_cap_won",
        "weekly_budget": "weekly_budget_won",
        "total_budget": "total_budget_won",
        "rounding_unit": "rounding_unit_won",
    }

    def _frozen(self, obj) -> bool:
        # Asked for the fieldsets and again for the read-only fields: one query per page.
        if obj is None:
            return False
        if not hasattr(obj, "_has_payments"):
            obj._has_payments = campaign_has_payments(obj)
        return obj._has_payments

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._frozen(obj):
            return fieldsets
        return [
            (
                title,
                {**options, "fields": [self.FROZEN_DISPLAY.get(f, f) for f in options["fields"]]},
            )
            for title, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if self._frozen(obj):
            # Declared on the form, so kept by Django even though the page shows them as text;
            # left in, the hidden `methods` would be required and no save could pass.
            for name in ("methods", "total_budget"):
                form.base_fields.pop(name, None)
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("code")
        if self._frozen(obj):
            readonly += ["first_day", "last_day", "rate_bp", *self.FROZEN_DISPLAY.values()]
        return readonly

    @admin.display(description=_("certificate types that earn"))
    def methods_label(self, campaign):
        return ", ".join(str(CertificateType(m).label) for m in campaign.methods)

    @admin.display(description=_("minimum payment (won)"))
    def minimum_won(self, campaign):
        return won(campaign.minimum)

    @admin.display(description=_("weekly cap per customer (won)"))
    def weekly_cap_won(self, campaign):
        return won(campaign.weekly_cap)

    @admin.display(description=_("default weekly budget (won)"))
    def weekly_budget_won(self, campaign):
        return won(campaign.weekly_budget)

    @admin.display(description=_("rounding unit (won)"))
    def rounding_unit_won(self, campaign):
        return won(campaign.rounding_unit)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        terms = {f: data[f] for f in services.TERMS if f in data and f != "week_overrides"}
        if not data.get("total_budget"):
            terms.pop("total_budget", None)
        try:
            if change:
                changed = {f: terms[f] for f in form.changed_data if f in terms}
                if "name" in form.changed_data:
                    changed["name"] = data["name"]
                saved = services.campaign_update(campaign=obj, user=request.user, **changed)
            else:
                saved = services.campaign_create(
                    office=self.office_for(request, form),
                    user=request.user,
                    code=data["code"],
                    name=data["name"],
                    **terms,
                )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        self.adopt(obj, saved)

    def save_formset(self, request, form, formset, change):
        """Week budgets: raised through the service; lowered only before any payment."""
        campaign = form.instance
        # The service writes the weeks; the admin's change message has nothing of its own.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        try:
            for week_form in formset.forms:
                if "budget" not in week_form.changed_data:
                    continue
                week, budget = week_form.instance, week_form.cleaned_data["budget"]
                if budget >= CampaignWeek.objects.get(pk=week.pk).budget:
                    services.campaign_budget_raise(
                        campaign=campaign, user=request.user, week=week.number, budget=budget
                    )
                else:
                    services.campaign_update(
                        campaign=campaign,
                        user=request.user,
                        week_overrides=self._overrides(campaign, week.number, budget),
                    )
        except ValidationError as error:
            raise ServiceRefused(error) from error
        except services.WeekFrozen as frozen:
            raise ServiceRefused(ValidationError(str(frozen))) from frozen

    @staticmethod
    def _overrides(campaign, number: int, budget: int) -> list[services.WeekOverride]:
        overrides = [
            services.WeekOverride(w.number, budget=w.budget, cap=w.cap)
            for w in campaign.weeks.all()
            if w.number != number
        ]
        cap = campaign.weeks.get(number=number).cap
        return [*overrides, services.WeekOverride(number, budget=budget, cap=cap)]

    @admin.action(
        description=_("Prepare payouts for weeks that have ended"), permissions=["change"]
    )
    def prepare_payouts(self, request, queryset):
        today, made, refused = local_today(), 0, []
        for campaign in queryset:
            for week in campaign.weeks.filter(ends_on__lt=today).exclude(
                payout__status=PayoutStatus.CONFIRMED
            ):
                try:
                    services.payout_prepare(week=week, user=request.user, today=today)
                    made += 1
                except ValidationError as error:
                    refused.append(" ".join(error.messages))
        self.message_user(
            request,
            gettext("%(count)s payout lists were prepared.") % {"count": made},
            messages.SUCCESS,
        )
        for message in refused:
            self.message_user(request, message, messages.ERROR)
