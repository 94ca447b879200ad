"""The hotline's share of the office roles (registry.roles gathers every app's share)."""

from registry.roles import AUDITOR, CLERK, HOTLINE_OPERATOR, SUPERVISOR

ROLE_PERMISSIONS: dict[str, list[str]] = {
    # Clerks read the cases about the stores and districts they look after (onnuri
    # registrations, designations, refused certificates): the store's page links to them.
    CLERK: [
        "hotline.view_case",
        "hotline.view_timelineentry",
    ],
    SUPERVISOR: [
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
        "hotline.add_case",
        "hotline.change_case",
        "hotline.view_case",
        "hotline.add_timelineentry",
        "hotline.view_timelineentry",
        "hotline.view_hotlinesettings",
        "hotline.view_closedday",
    ],
    AUDITOR: [
        "hotline.view_case",
        "hotline.view_timelineentry",
    ],
}
