"""Private file storage: files the application serves itself, after checking who asks.

Exported lists hold personal data, so they are kept apart from the uploads (`MEDIA_ROOT`) in a
folder of their own (`STORAGES["exports"]`) that no web server serves, and their storage has no
URL to give: a file is reached only through a view that checks its owner.
"""

from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk without a public address."""

    def url(self, name):
        raise NotImplementedError(
            "Private files have no public URL: serve them through a view that checks the user."
        )


def export_storage() -> Storage:
    """Where exported lists are kept (the `exports` entry of STORAGES)."""
    return storages["exports"]
