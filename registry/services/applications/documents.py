"""The documents a merchant sends with an application: stored under a random name, and removed
again when the transaction that wrote them rolls back."""

import contextlib
from collections.abc import Iterable

from django.core.files.storage import default_storage

from core.documents import document_name, original_name
from registry.models import ApplicationDocument, MerchantApplication


def document_save(
    application: MerchantApplication, upload, kind: str, content_type: str, saved: list[str]
) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        kind=kind,
        content_type=content_type,
        size=upload.size,
        original_name=original_name(upload),
    )
    upload.seek(0)
    document.file.save(document_name(content_type), upload, save=False)
    saved.append(document.file.name)
    document.save()
    return document


def storage_cleanup(names: Iterable[str]) -> None:
    """Files written before a rollback would be orphans holding personal data: remove them."""
    for name in names:
        with contextlib.suppress(OSError):  # already gone: nothing else to undo
            default_storage.delete(name)
