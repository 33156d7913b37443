"""Attachment packing: strict base64, single-entry ZIP and gzip, each refusal with its reason
(the bombs, measured in time and memory, are in tests/test_attacks.py)."""

from __future__ import annotations

import base64
import contextlib
import gzip
import io
import os
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.errors import AttachmentError, UsageError
from chorus_core.limits import Limits, using_limits
from chorus_core.xml.packing import (
    b64decode,
    b64encode,
    gunzip,
    gzip_bytes,
    unzip_single,
    zip_single,
)


def _zip(*entries: tuple[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("text", ["SGVs!!bG8=@@", "SGVsbG8=@", "SGVs bG8=é", "SGVs=bG8=",
                                  "SGVsbG8", "S", "SGVsbG8==", "=SGVsbG8"])
def test_base64_is_strict(text: str) -> None:
    """Junk characters, misplaced or missing padding: AttachmentError with reason base64."""
    with pytest.raises(AttachmentError) as info:
        b64decode(text)
    assert info.value.reason == "base64"


def test_base64_junk_is_located() -> None:
    """The message gives the first junk character and its offset in the text."""
    with pytest.raises(AttachmentError, match=r"character '!' at offset 4"):
        b64decode(b"SGVs!!bG8=@@")


def test_base64_allows_mime_line_breaks_and_indentation() -> None:
    """Line breaks every 76 characters and indentation are not junk."""
    blob = os.urandom(3000)
    mime = base64.encodebytes(blob).replace(b"\n", b"\r\n\t  ")
    assert b64decode(mime) == blob
    assert b64decode(mime.decode("ascii")) == blob


@given(st.binary(max_size=300))
def test_base64_round_trips(blob: bytes) -> None:
    """b64decode(b64encode(x)) == x, and b64encode agrees with the standard library."""
    assert b64encode(blob) == base64.b64encode(blob).decode("ascii")
    assert b64decode(b64encode(blob)) == blob


def test_base64_size_is_checked_before_decoding() -> None:
    """An attachment over max_attachment_bytes is refused from its length (reason size)."""
    text = b64encode(bytes(4000))
    assert len(b64decode(text, limits=Limits(max_attachment_bytes=4000))) == 4000
    with pytest.raises(AttachmentError) as info:
        b64decode(text, limits=Limits(max_attachment_bytes=3999))
    assert info.value.reason == "size"
    with using_limits(max_attachment_bytes=3999), pytest.raises(AttachmentError):
        b64decode(text)


def test_zip_single_round_trips_byte_for_byte() -> None:
    """zip_single is reproducible, and unzip then zip again gives the same archive."""
    blob = b"%" + os.urandom(5000) + bytes(5000)  # not a ZIP signature (refused as nested)
    archive = zip_single("facture.pdf", blob)
    assert zip_single("facture.pdf", blob) == archive
    assert unzip_single(archive) == ("facture.pdf", blob)
    assert zip_single(*unzip_single(archive)) == archive
    with zipfile.ZipFile(io.BytesIO(archive)) as check:  # an ordinary ZIP for other tools
        assert check.read("facture.pdf") == blob
        assert check.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_unzip_reads_stored_entries_and_checks_the_name() -> None:
    """A stored (uncompressed) entry reads; a name other than expected_name is refused."""
    archive = _zip(("PJ01.pdf", b"%PDF-1.7"), method=zipfile.ZIP_STORED)
    assert unzip_single(archive, expected_name="PJ01.pdf") == ("PJ01.pdf", b"%PDF-1.7")
    with pytest.raises(AttachmentError) as info:
        unzip_single(archive, expected_name="PJ02.pdf")
    assert info.value.reason == "name"


@pytest.mark.parametrize("entries", [(), (("a.pdf", b"1"), ("b.pdf", b"2"))])
def test_unzip_needs_exactly_one_entry(entries: tuple[tuple[str, bytes], ...]) -> None:
    """An empty archive or two files: reason entries."""
    with pytest.raises(AttachmentError) as info:
        unzip_single(_zip(*entries))
    assert info.value.reason == "entries"


def test_unzip_counts_entries_before_opening() -> None:
    """More entries than max_zip_entries are refused from the raw bytes."""
    archive = _zip(*((f"{i}.txt", b"x") for i in range(20)))
    with pytest.raises(AttachmentError, match="max_zip_entries") as info:
        unzip_single(archive)
    assert info.value.reason == "entries"


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "C:\\x.pdf", "dir/", "a/../b"])
def test_unzip_refuses_unsafe_names(name: str) -> None:
    """Absolute names, '..' components and directories: reason name."""
    with pytest.raises(AttachmentError) as info:
        unzip_single(_zip((name, b"x")))
    assert info.value.reason == "name"


def test_unzip_refuses_other_methods() -> None:
    """bzip2 or lzma entries are refused (reason method)."""
    with pytest.raises(AttachmentError) as info:
        unzip_single(_zip(("a.pdf", b"x" * 100), method=zipfile.ZIP_BZIP2))
    assert info.value.reason == "method"


def test_unzip_refuses_a_zip_inside() -> None:
    """An entry that is itself a ZIP, stored or deflated: reason nested."""
    inner = zip_single("a.pdf", b"x")
    for method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        with pytest.raises(AttachmentError) as info:
            unzip_single(_zip(("inner.zip", inner), method=method))
        assert info.value.reason == "nested"


def test_unzip_returns_a_zip_based_document_unopened() -> None:
    """An .xlsx entry (a ZIP container) is returned as its bytes; the same bytes named .pdf or
    .zip are refused as nested."""
    inner = zip_single("xl/workbook.xml", b"<workbook/>")
    assert unzip_single(_zip(("detail.xlsx", inner))) == ("detail.xlsx", inner)
    for name in ("detail.pdf", "detail.zip"):
        with pytest.raises(AttachmentError) as info:
            unzip_single(_zip((name, inner)))
        assert info.value.reason == "nested"


def test_unzip_detects_a_corrupted_entry() -> None:
    """A flipped byte in the data fails the CRC (or the inflate): reason corrupt."""
    archive = bytearray(zip_single("a.txt", b"hello world " * 50))
    archive[40] ^= 0xFF
    with pytest.raises(AttachmentError) as info:
        unzip_single(bytes(archive))
    assert info.value.reason == "corrupt"


@given(st.binary(max_size=200).filter(lambda b: not b.startswith(b"PK")), st.data())
def test_unzip_of_damaged_archives_gives_only_attachment_errors(
    blob: bytes, data: st.DataObject
) -> None:
    """Any truncation or byte flip of an archive reads or raises AttachmentError."""
    archive = bytearray(zip_single("a.bin", blob))
    for _ in range(data.draw(st.integers(1, 4))):
        archive[data.draw(st.integers(0, len(archive) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(archive)))
    with contextlib.suppress(AttachmentError):
        unzip_single(bytes(archive[:cut]))


def test_unzip_size_limit() -> None:
    """An entry over max_unpacked_bytes is refused (reason size)."""
    archive = zip_single("a.bin", b"%" + os.urandom(1999))
    assert len(unzip_single(archive, limits=Limits(max_unpacked_bytes=2000))[1]) == 2000
    with pytest.raises(AttachmentError) as info:
        unzip_single(archive, limits=Limits(max_unpacked_bytes=1999))
    assert info.value.reason == "size"


def test_gzip_bytes_is_reproducible_and_standard() -> None:
    """gzip_bytes has mtime 0 and fixed header bytes, and the standard library reads it."""
    blob = os.urandom(1000) + bytes(1000)
    packed = gzip_bytes(blob)
    assert packed == gzip_bytes(blob)
    assert packed[4:8] == b"\x00\x00\x00\x00"
    assert gzip.decompress(packed) == blob
    assert gunzip(packed) == blob
    assert gzip_bytes(gunzip(packed)) == packed


def test_gunzip_joins_members() -> None:
    """Several gzip members give their contents in order, as gzip(1) does."""
    assert gunzip(gzip_bytes(b"ab") + gzip.compress(b"cd", mtime=0)) == b"abcd"


@pytest.mark.parametrize("data", [b"", b"hello", gzip_bytes(b"x" * 100)[:-10],
                                  gzip_bytes(b"x") + b"junk", gzip_bytes(b"x")[:5]])
def test_gunzip_refuses_what_is_not_a_whole_gzip_stream(data: bytes) -> None:
    """Not gzip, truncated, or with junk after it: reason corrupt."""
    with pytest.raises(AttachmentError) as info:
        gunzip(data)
    assert info.value.reason == "corrupt"


def test_gunzip_ratio_is_checked_as_it_decompresses() -> None:
    """A stream whose header lies about its size is still stopped by the ratio (reason ratio)."""
    packed = bytearray(gzip_bytes(bytes(5_000_000)))
    packed[-4:] = (100).to_bytes(4, "little")  # ISIZE says 100 bytes
    with pytest.raises(AttachmentError) as info:
        gunzip(bytes(packed))
    assert info.value.reason == "ratio"
    assert len(gunzip(bytes(packed[:-4]) + (5_000_000).to_bytes(4, "little"),
                      limits=Limits(max_compression_ratio=10_000))) == 5_000_000


def test_gunzip_size_limit() -> None:
    """Output over max_unpacked_bytes: reason size."""
    packed = gzip_bytes(os.urandom(3000))
    assert len(gunzip(packed, limits=Limits(max_unpacked_bytes=3000))) == 3000
    with pytest.raises(AttachmentError) as info:
        gunzip(packed, limits=Limits(max_unpacked_bytes=2999))
    assert info.value.reason == "size"


def test_wrong_argument_types_are_usage_errors() -> None:
    """A str where bytes are expected names the argument."""
    with pytest.raises(UsageError) as info:
        gunzip("H4sI")  # type: ignore[arg-type]
    assert info.value.argument == "data"
    with pytest.raises(UsageError) as info:
        zip_single("../a.pdf", b"x")
    assert info.value.argument == "name"


def test_zip_refuses_to_write_what_unzip_refuses() -> None:
    """A ZIP archive named .pdf cannot be packed (its reader would refuse it as nested); named
    .xlsx it is packed and read back."""
    inner = zip_single("xl/workbook.xml", b"<workbook/>")
    with pytest.raises(AttachmentError) as info:
        zip_single("detail.pdf", inner)
    assert info.value.reason == "nested"
    assert unzip_single(zip_single("detail.xlsx", inner)) == ("detail.xlsx", inner)
