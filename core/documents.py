"""Uploaded documents recognised by their content: PDF, JPEG or PNG, at most 5 MB.

Every public form and admin page that takes documents checks them here.

The name and the browser's declared type say nothing: a renamed executable is refused and a
photo called "scan.pdf" is taken for what it is. Each accepted document is stored under a new
random name with the extension of its real type.
"""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import models
from django.utils.translation import gettext as _

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


class DocumentType(models.TextChoices):
    """The only contents accepted, recognised by their first bytes, never by the file name."""

    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


# The first bytes of each accepted type (PNG: its 8-byte signature, then the IHDR chunk).
_SIGNATURES = (
    (DocumentType.PDF, b"%PDF-", 0),
    (DocumentType.JPEG, b"\xff\xd8\xff", 0),
    (DocumentType.PNG, b"\x89PNG\r\n\x1a\n", 0),
)
_EXTENSIONS = {DocumentType.PDF: ".pdf", DocumentType.JPEG: ".jpg", DocumentType.PNG: ".png"}
# PDFs may start with a few bytes of junk before the header; readers accept up to 1 KB of it.
_PDF_HEADER_WINDOW = 1024


def sniff(head: bytes) -> str | None:
    """The accepted content type the bytes begin with, or None."""
    for content_type, signature, _offset in _SIGNATURES:
        if content_type == DocumentType.PDF:
            if signature in head[:_PDF_HEADER_WINDOW]:
                return content_type
        elif head.startswith(signature):
            if content_type == DocumentType.PNG and head[12:16] != b"IHDR":
                return None
            return content_type
    return None


def document_check(upload) -> str:
    """Check an uploaded file; return its real content type or raise a ValidationError.

    `upload` is any Django File (an UploadedFile from a form, a ContentFile in the demo).
    """
    if upload is None:
        raise ValidationError(_("Attach the business registration certificate."), code="required")
    size = upload.size or 0
    if getattr(upload, "golmok_too_large", False) or size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than 5 MB. Send a smaller scan or photo."), code="file_too_large"
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    upload.seek(0)
    head = upload.read(_PDF_HEADER_WINDOW)
    upload.seek(0)
    content_type = sniff(head)
    if content_type is None:
        raise ValidationError(_("Send the document as a PDF, JPEG or PNG file."), code="file_type")
    return content_type


def document_name(content_type: str) -> str:
    """A fresh random file name with the extension of the real content type."""
    return secrets.token_hex(16) + _EXTENSIONS[DocumentType(content_type)]


def original_name(upload) -> str:
    """The name the merchant's device gave the file, kept for the clerk, shortened and cleaned."""
    name = str(getattr(upload, "name", "") or "").replace("\x00", "")
    return name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][-150:]


class TooLarge:
    """Stands in for a file the upload handler stopped reading: the form names it too large."""

    golmok_too_large = True
    size = DOCUMENT_MAX_BYTES + 1

    def __init__(self, name: str):
        self.name = name


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, instead of spooling it whole.

    The skipped file is remembered on the request so the form can say it was too large rather
    than missing.
    """

    def __init__(self, request=None, limit: int = DOCUMENT_MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            too_large = getattr(self.request, "golmok_too_large", {})
            too_large[self.field_name] = TooLarge(self.file_name or "")
            self.request.golmok_too_large = too_large
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file
