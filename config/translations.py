"""Django's and Django REST framework's own strings that their Korean catalogues do not
translate yet (Django 6.1, DRF 3.18), or translate in words a district office would not use.

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

# DRF's Korean leaves English words in its messages ("Datetime의 포멧이 잘못되었습니다",
# "blank", "null", "pk", "slug") or reads like a machine's: these answer API clients in plain
# Korean instead. Its "Not found" naming a model's English class name is replaced in the
# viewsets themselves (core.api.viewsets.OfficeScopedViewSet.not_found).
DRF_GAPS = (
    gettext_noop("Date has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Datetime has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Time has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Duration has wrong format. Use one of these formats instead: {format}."),
    gettext_noop("Datetime value out of range."),
    gettext_noop("Expected a date but got a datetime."),
    gettext_noop("Expected a datetime but got a date."),
    gettext_noop('Invalid datetime for the timezone "{timezone}".'),
    gettext_noop("This field may not be blank."),
    gettext_noop("This field may not be null."),
    gettext_noop("This field is required."),
    gettext_noop('Invalid pk "{pk_value}" - object does not exist.'),
    gettext_noop("Incorrect type. Expected pk value, received {data_type}."),
    gettext_noop("Object with {slug_name}={value} does not exist."),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop('Expected a dictionary of items but got type "{input_type}".'),
    gettext_noop("Invalid data. Expected a dictionary, but got {datatype}."),
    gettext_noop("This list may not be empty."),
    gettext_noop("This dictionary may not be empty."),
    gettext_noop("Must be a valid boolean."),
    gettext_noop('"{input}" is not a valid choice.'),
    gettext_noop("A valid integer is required."),
    gettext_noop("Ensure this field has no more than {max_length} characters."),
    gettext_noop("Ensure this value is less than or equal to {max_value}."),
    gettext_noop("Ensure this value is greater than or equal to {min_value}."),
    gettext_noop('Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.'),
    gettext_noop("Invalid page."),
    gettext_noop('Unsupported media type "{media_type}" in request.'),
    gettext_noop('Method "{method}" not allowed.'),
    gettext_noop("Authentication credentials were not provided."),
    gettext_noop("Incorrect authentication credentials."),
    gettext_noop("Extra Actions"),
)
