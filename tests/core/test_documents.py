"""Documents are recognised by their first bytes (PDF, JPEG, PNG), never by their names, and
uploads stop being read once they pass 5 MB."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory

from core import documents
from tests.registry.test_application_support import EXE, JPEG, PDF, PNG


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (PDF, "application/pdf"),
        (b"\xef\xbb\xbf\r\n%PDF-1.7\n", "application/pdf"),  # a little junk before the header
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rXXXX", None),  # PNG signature without its IHDR
        (EXE, None),
        (b"GIF89a\x01\x00", None),
        (b"<html><script>alert(1)</script>", None),
        (b"PK\x03\x04", None),  # a zip (or a .docx)
        (b"", None),
    ],
)
def test_the_content_type_comes_from_the_first_bytes(head, expected):
    assert documents.sniff(head) == expected


def test_a_pdf_header_after_the_first_kilobyte_is_not_a_pdf():
    assert documents.sniff(b" " * 1100 + PDF) is None


def named(content: bytes, name: str) -> ContentFile:
    return ContentFile(content, name=name)


def test_document_check_accepts_each_type_whatever_the_name():
    assert documents.document_check(named(PNG, "scan.pdf")) == "image/png"
    assert documents.document_check(named(JPEG, "photo")) == "image/jpeg"
    assert documents.document_check(named(PDF, "x.exe")) == "application/pdf"


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "required"),
        (ContentFile(b"", name="empty.pdf"), "file_empty"),
        (ContentFile(EXE, name="setup.pdf"), "file_type"),
        (ContentFile(PDF + b"0" * (5 * 1024 * 1024), name="big.pdf"), "file_too_large"),
        (documents.TooLarge("huge.pdf"), "file_too_large"),
    ],
)
def test_document_check_refusals_carry_codes(upload, code):
    with pytest.raises(ValidationError) as caught:
        documents.document_check(upload)
    assert caught.value.code == code


def test_exactly_5_mb_is_accepted():
    exact = PDF + b"0" * (5 * 1024 * 1024 - len(PDF))
    assert documents.document_check(named(exact, "x.pdf")) == "application/pdf"


def test_stored_names_are_random_with_the_real_extension():
    names = {documents.document_name("image/jpeg") for _ in range(50)}
    assert len(names) == 50 and all(n.endswith(".jpg") and len(n) == 36 for n in names)


def test_the_original_name_is_kept_without_folders():
    assert (
        documents.original_name(named(PDF, "C:\\Users\\me\\사업자등록증.pdf")) == "사업자등록증.pdf"
    )
    assert documents.original_name(named(PDF, "../../etc/passwd")) == "passwd"


def test_the_upload_handler_stops_reading_past_the_limit():
    request = RequestFactory().post("/")
    handler = documents.SizeLimitUploadHandler(request, limit=10)
    handler.new_file("document", "big.pdf", "application/pdf", 100)

    assert handler.receive_data_chunk(b"12345", 0) == b"12345"
    with pytest.raises(SkipFile):
        handler.receive_data_chunk(b"678901", 5)
    assert request.golmok_too_large["document"].golmok_too_large
