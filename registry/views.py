"""Staff-only pages the admin links to but does not host."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.audit import access_log
from core.choices import AccessAction
from core.walls import for_user
from registry.models import DistrictAttachment


@staff_member_required
def attachment_download(request, pk: int):
    """Serve one district document to staff of the district's office, and log the access.

    Documents (rosters, consent forms) hold personal data, so they are never served from a public
    URL: another office's document is not found, and each download is written to the access log.
    """
    if not (
        request.user.has_perm("registry.view_districtattachment")
        or request.user.has_perm("registry.view_district")
    ):
        raise PermissionDenied
    attachment = get_object_or_404(
        for_user(
            DistrictAttachment.objects.select_related("district"),
            request.user,
            "district__office",
        ),
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("The file is missing from storage.")) from missing
    access_log(user=request.user, action=AccessAction.VIEW, obj=attachment, detail=_("download"))
    return FileResponse(
        handle, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1]
    )
