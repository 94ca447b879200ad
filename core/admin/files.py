"""Private files (documents sent with applications) opened by staff through the admin."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext

from core.audit import access_log
from core.choices import AccessAction


def private_file_response(*, request, record, document, detail: str, name_stem: str):
    """Open `document` (a row with `file` and `content_type`) of `record` for the user: the
    opening is written to the access log against the record, the file is sent under a name
    made of `name_stem` and the document's id (never the name the sender gave it), and no
    cache keeps it. A missing row or file is a 404."""
    if document is None:
        raise Http404(gettext("No such document."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(gettext("The file is missing from storage.")) from missing
    access_log(user=request.user, action=AccessAction.VIEW, obj=record, detail=detail)
    extension = document.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=document.content_type,
        filename=f"{name_stem}-{document.pk}.{extension}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
