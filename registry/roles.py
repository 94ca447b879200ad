"""The role groups of SPEC 1 and the permissions each one holds.

Groups are kept in step with this table after every migrate (and by `manage.py sync_roles`), so
a new permission reaches its role without anyone editing groups by hand. Codenames of apps that
have not landed yet are skipped until they exist.
"""

from django.utils.translation import gettext_lazy as _

CLERK = "clerk"
SUPERVISOR = "supervisor"
HOTLINE_OPERATOR = "hotline_operator"
CASHBACK_MANAGER = "cashback_manager"
AUDITOR = "auditor"
# Not a person: the payment operator's system, which posts and cancels payments by API.
PAYMENT_OPERATOR = "payment_operator"

ROLE_LABELS = {
    CLERK: _("Clerk"),
    SUPERVISOR: _("Supervisor"),
    HOTLINE_OPERATOR: _("Hotline operator"),
    CASHBACK_MANAGER: _("Cashback manager"),
    AUDITOR: _("Auditor"),
    PAYMENT_OPERATOR: _("Payment operator (system)"),
}

_REGISTRY_WORK = [
    "registry.view_office",
    "registry.view_dong",
    "registry.view_restrictedbusinesstype",
    "registry.add_district",
    "registry.change_district",
    "registry.view_district",
    "registry.add_districtattachment",
    "registry.change_districtattachment",
    "registry.view_districtattachment",
    "registry.delete_districtattachment",
    "registry.add_store",
    "registry.change_store",
    "registry.view_store",
    "registry.view_contact",
    "registry.add_membership",
    "registry.change_membership",
    "registry.view_membership",
    "registry.add_affiliateregistration",
    "registry.change_affiliateregistration",
    "registry.view_affiliateregistration",
    "registry.add_importjob",
    "registry.view_importjob",
    "registry.change_merchantapplication",
    "registry.view_merchantapplication",
    "registry.view_applicationdocument",
]
# Reading the registry does not include unmasked contacts: only roles that call merchants get those.
_REGISTRY_READ = [p for p in _REGISTRY_WORK if ".view_" in p and p != "registry.view_contact"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    CLERK: [
        *_REGISTRY_WORK,
        "registry.change_office",
        "registry.add_restrictedbusinesstype",
        "registry.change_restrictedbusinesstype",
        "registry.delete_restrictedbusinesstype",
    ],
    SUPERVISOR: [
        *_REGISTRY_READ,
        "cashback.view_campaign",
        "cashback.view_payment",
        "hotline.view_case",
        "hotline.change_case",
        "hotline.assign_case",
        "hotline.add_timelineentry",
        "hotline.view_timelineentry",
        "hotline.add_hotlinesettings",
        "hotline.change_hotlinesettings",
        "hotline.view_hotlinesettings",
        "hotline.add_closedday",
        "hotline.change_closedday",
        "hotline.delete_closedday",
        "hotline.view_closedday",
    ],
    HOTLINE_OPERATOR: [
        "registry.view_store",
        "registry.view_contact",
        "registry.view_district",
        "registry.view_dong",
        "hotline.add_case",
        "hotline.change_case",
        "hotline.view_case",
        "hotline.add_timelineentry",
        "hotline.view_timelineentry",
        "hotline.view_hotlinesettings",
        "hotline.view_closedday",
    ],
    CASHBACK_MANAGER: [
        "registry.view_store",
        "registry.view_district",
        "registry.view_affiliateregistration",
        "cashback.add_campaign",
        "cashback.change_campaign",
        "cashback.view_campaign",
        "cashback.view_payment",
        "cashback.view_ledgerentry",
        "cashback.view_campaignweek",
        "cashback.change_campaignweek",
        "cashback.add_payoutbatch",
        "cashback.change_payoutbatch",
        "cashback.view_payoutbatch",
    ],
    PAYMENT_OPERATOR: [
        "cashback.view_campaign",
        "cashback.add_payment",
        "cashback.change_payment",
        "cashback.view_payment",
    ],
    AUDITOR: [
        *_REGISTRY_READ,
        "registry.view_contact",
        "registry.view_accesslog",
        "registry.view_user",
        "cashback.view_campaign",
        "cashback.view_payment",
        "hotline.view_case",
        "hotline.view_timelineentry",
    ],
}


def roles_sync() -> None:
    """Create the role groups and give each exactly the permissions of the table."""
    from django.contrib.auth.models import Group, Permission

    wanted = {code for codes in ROLE_PERMISSIONS.values() for code in codes}
    by_code = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in={code.split(".", 1)[1] for code in wanted}
        )
    }
    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set([by_code[code] for code in codes if code in by_code])


def roles_sync_after_migrate(**kwargs) -> None:
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions of every app must exist before the groups can hold them.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    roles_sync()
