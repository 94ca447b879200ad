"""The hotline's share of the office roles (registry.roles gathers every app's share)."""

from registry.roles import AUDITOR, HOTLINE_OPERATOR, SUPERVISOR

ROLE_PERMISSIONS: dict[str, list[str]] = {
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
