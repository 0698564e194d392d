"""Every upload is checked here, by what the file contains (never by its name alone or the
browser's claim): size, type, and for Word files what the archive holds.

A .docx is a zip archive. It is opened and refused when it carries macros or other
executable parts (vbaProject.bin, ActiveX and OLE binaries), relationships to outside
content (TargetMode="External": remote templates and tracking images are fetched when the
file is opened), too many entries, or more unpacked data than UPLOAD_MAX_UNPACKED_BYTES (a
"zip bomb"). The unpacked size is measured by decompressing, so sizes that an archive's
directory under-states are caught too."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Collection
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"

# The content type each accepted name ending must hold.
SUFFIXES = {
    ".pdf": PDF,
    ".jpg": JPEG,
    ".jpeg": JPEG,
    ".png": PNG,
    ".webp": WEBP,
    ".txt": TEXT,
    ".csv": TEXT,
    ".docx": DOCX,
    ".zip": ZIP,  # a zip of CSV files (the roster import): check_csv_zip
}
IMAGE_FORMATS = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP}
# Macro projects (vbaProject.bin, vbaData.xml), ActiveX controls and embedded OLE programs
# (.bin parts): a plain .docx has none of them.
EXECUTABLE_PART = re.compile(r"(vbaproject\.bin|vbadata\.xml|\.bin|\.exe|\.dll|\.js|\.vbs)$|(^|/)activex/")
EXTERNAL_TARGET = re.compile(rb"""TargetMode\s*=\s*["']External["']""", re.IGNORECASE)
MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)
CHUNK = 64 * 1024


def check_size(upload, limit: int | None = None) -> None:
    limit = limit or settings.MAX_UPLOAD_BYTES
    if upload.size == 0:
        raise ValidationError(f"“{upload.name}” is empty (0 bytes).", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"“{upload.name}” is too large ({filesizeformat(upload.size)}); the limit is "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )


def validate_upload(
    upload, *, accept: Collection[str], by_name: bool = True, max_bytes: int | None = None
) -> str:
    """Check an upload and return its content type, judged by its content.

    `accept` lists the allowed name endings (".pdf", ".docx", ...). With `by_name`, the name
    must end in one of them and the content must be what that ending says; without it (a
    photo from a phone camera may be called anything) the content alone must be one of them.
    Raises ValidationError with a message a person can act on. `max_bytes`: a larger limit
    than MAX_UPLOAD_BYTES for one kind of upload (a district's roster)."""
    allowed = {SUFFIXES[s] for s in accept}
    check_size(upload, max_bytes)
    suffix = Path(upload.name).suffix.lower()
    if by_name and suffix not in accept:
        raise ValidationError(
            f"This kind of file cannot be attached here (“{upload.name}”). Allowed: {_listed(accept)}.",
            code="wrong_name",
        )
    found = identify(upload, zip_of_csv=".zip" in accept and suffix != ".docx")
    expected = SUFFIXES[suffix] if by_name else None
    if found is None or found not in allowed or (expected is not None and found != expected):
        raise ValidationError(
            f"“{upload.name}” does not contain what its name says"
            + (f" ({suffix})" if by_name else "")
            + f". Upload the original file: {_listed(accept)}.",
            code="wrong_type",
        )
    return found


def _listed(accept: Collection[str]) -> str:
    return ", ".join(sorted(accept))


def identify(upload, *, zip_of_csv: bool = False) -> str | None:
    """The content type the file's bytes show, or None. A zip is a .docx, or with
    `zip_of_csv` a zip of CSV files; one that fails the checks raises ValidationError."""
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        if zip_of_csv:
            check_csv_zip(upload)
            return ZIP
        check_docx(upload)
        return DOCX
    image = _image_format(upload)
    if image is not None:
        return image
    return TEXT if _is_text(head) else None


def _image_format(upload) -> str | None:
    try:
        with Image.open(upload) as image:
            found = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return IMAGE_FORMATS.get(found or "")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the 2 KB window is still text.
        if exc.start < len(head) - 4:
            return False
    return b"\x00" not in head


def check_docx(upload) -> None:
    """Open the Word file as a zip and refuse what should not be in a document."""
    name = upload.name
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
                raise ValidationError(
                    f"“{name}” holds {len(entries)} parts; a document has at most "
                    f"{settings.UPLOAD_MAX_ARCHIVE_ENTRIES}. Save it again from Word, or as a PDF.",
                    code="too_many_entries",
                )
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "word/document.xml" not in names:
                raise ValidationError(f"“{name}” is not a Word document.", code="wrong_type")
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise ValidationError(
                        f"“{name}” is protected by a password. Upload it without the password.",
                        code="encrypted",
                    )
                if EXECUTABLE_PART.search(entry.filename.lower()):
                    raise _macro_error(name)
            if MACRO_CONTENT_TYPE.search(_read(archive, "[Content_Types].xml", name)[1]):
                raise _macro_error(name)
            unpacked = 0
            for entry in entries:
                rels = entry.filename.lower().endswith(".rels")
                size, data = _read(archive, entry.filename, name, already=unpacked, keep=rels)
                unpacked += size
                if rels and EXTERNAL_TARGET.search(data):
                    raise ValidationError(
                        f"“{name}” links to content outside the file (an external relationship: a "
                        "remote template, image or link that Word fetches when the file is opened). "
                        "Remove the links or upload a PDF instead.",
                        code="external_relationship",
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
        raise ValidationError(
            f"“{name}” is damaged and cannot be opened as a Word document.", code="damaged"
        ) from None
    finally:
        upload.seek(0)


def check_csv_zip(upload) -> None:
    """A zip of CSV files (a OneRoster export): only .csv entries (folders allowed), at most
    UPLOAD_MAX_ARCHIVE_ENTRIES of them, no password, and no more than
    ROSTER_MAX_UNPACKED_BYTES once unpacked (measured by decompressing)."""
    name = upload.name
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = [entry for entry in archive.infolist() if not entry.is_dir()]
            if len(entries) > settings.UPLOAD_MAX_ARCHIVE_ENTRIES:
                raise ValidationError(
                    f"“{name}” holds {len(entries)} files; at most {settings.UPLOAD_MAX_ARCHIVE_ENTRIES}.",
                    code="too_many_entries",
                )
            unpacked = 0
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise ValidationError(
                        f"“{name}” is protected by a password. Upload it without the password.",
                        code="encrypted",
                    )
                if not entry.filename.lower().endswith(".csv"):
                    raise ValidationError(
                        f"“{name}” holds “{entry.filename}”, which is not a CSV file: zip the CSV "
                        "files only.",
                        code="not_csv",
                    )
                size, _data = _read(
                    archive,
                    entry.filename,
                    name,
                    already=unpacked,
                    keep=False,
                    limit=settings.ROSTER_MAX_UNPACKED_BYTES,
                )
                unpacked += size
            if not entries:
                raise ValidationError(f"“{name}” holds no CSV files.", code="empty")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, RuntimeError, NotImplementedError):
        raise ValidationError(
            f"“{name}” is damaged and cannot be opened as a zip file.", code="damaged"
        ) from None
    finally:
        upload.seek(0)


def _macro_error(name: str) -> ValidationError:
    return ValidationError(
        f"“{name}” contains macros or other program code. Save it as a plain .docx (Word "
        "document, no macros) or as a PDF, and upload that.",
        code="macros",
    )


def _read(
    archive: zipfile.ZipFile,
    part: str,
    name: str,
    *,
    already: int = 0,
    keep: bool = True,
    limit: int | None = None,
):
    """(unpacked size, bytes) of a part, decompressed chunk by chunk, stopping as soon as
    everything read so far passes the unpacked-size limit: what the archive's directory
    claims is not trusted. Bytes are kept only when asked (the small XML parts we search)."""
    limit = limit or settings.UPLOAD_MAX_UNPACKED_BYTES
    kept = bytearray()
    total = already
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > limit:
                raise ValidationError(
                    f"“{name}” unpacks to more than {filesizeformat(limit)}, more than such a file "
                    "needs (a compressed “zip bomb” looks like this). Upload a smaller file.",
                    code="too_large_unpacked",
                )
            if keep:
                kept += chunk
    return total - already, bytes(kept)
