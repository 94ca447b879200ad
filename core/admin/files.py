"""Private files (documents sent with applications) opened by staff through the admin."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext

from core.audit import access_log
from core.choices import AccessAction
from core.documents import sniff


def private_file_response(
    *, request, record, document, detail: str, name_stem: str, file_field: str = "file"
):
    """Open `document`'s file (its field `file_field`) of `record` for the user: the opening is
    written to the access log against the record, the file is sent as the type its content
    shows under a name made of `name_stem` and the document's id (never the name the sender
    gave it), and no cache keeps it. A missing row or file is a 404."""
    stored = getattr(document, file_field, None) if document is not None else None
    if not stored:
        raise Http404(gettext("No such document."))
    try:
        handle = stored.open("rb")
    except FileNotFoundError as missing:
        raise Http404(gettext("The file is missing from storage.")) from missing
    content_type = getattr(document, "content_type", "") or sniff(handle.read(1024)) or ""
    handle.seek(0)
    access_log(user=request.user, action=AccessAction.VIEW, obj=record, detail=detail)
    extension = stored.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        content_type=content_type or "application/octet-stream",
        filename=f"{name_stem}-{document.pk}.{extension}",
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
