"""Django's own strings that its Korean catalogue does not translate yet (Django 6.1).

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
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
)
