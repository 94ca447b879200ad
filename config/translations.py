"""Django's own strings that its Korean catalogue does not translate yet (Django 6.1), or
translates in words a district office would not use.

Named here so that `makemessages` keeps them in the project's catalogue, which Django reads
before its own: clerks then never meet an English word in the admin's chrome.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_GAPS = (
    gettext_noop("- Select an option -"),
    gettext_noop("No %s matches the given query."),
    gettext_noop("“%(value)s” is not a valid binary value."),
    gettext_noop('The app "%s" could not be found.'),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Logout"),
    # Django's Korean reads "관리자 계정의 사용자 이름와 …": a wrong particle, and staff are not
    # all administrators.
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that "
        "both fields may be case-sensitive."
    ),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)
