"""Attachment packing: strict base64, single-entry ZIP and gzip, safe against bombs.

The PES formats embed files twice wrapped: a Chorus Pro pivot ``PJ/Contenu`` is base64 of a ZIP
holding exactly one file named ``NomPJ``; a PES_PJ ``Fichier`` is base64 of a gzip stream.  These
helpers unwrap them under the :class:`~chorus_core.limits.Limits` in force: base64 is decoded
strictly (no junk character silently skipped), a ZIP must hold exactly one entry that is not an
archive itself, and every decompression is streamed in 64 KiB chunks, stopping as soon as the
output exceeds ``max_unpacked_bytes`` or ``max_compression_ratio`` times the input (a bomb is
never decompressed whole).  Every failure is an :class:`~chorus_core.errors.AttachmentError`
whose ``reason`` says why.  The writers are deterministic (fixed timestamps, fixed header bytes),
so that unwrapping and wrapping again gives the same bytes.

More information:

* RFC 4648 §4 (base64), RFC 1952 (gzip), PKWARE APPNOTE.TXT (ZIP)
* ``research/pes-pivot.md`` §4 and ``research/pes-v2-asap.md`` §6 (how PES packs attachments)

>>> name, content = unzip_single(zip_single("facture.pdf", b"%PDF-1.7"))
>>> name, content
('facture.pdf', b'%PDF-1.7')
>>> gunzip(b64decode(b64encode(gzip_bytes(b"<PES_Facture/>"))))
b'<PES_Facture/>'
>>> b64decode("SGVs!!bG8=@@")
Traceback (most recent call last):
...
chorus_core.errors.AttachmentError: not base64: character '!' at offset 4 [base64]
"""

from __future__ import annotations

import binascii
import io
import re
import struct
import zipfile
import zlib

from ..errors import AttachmentError, UsageError
from ..limits import Limits, current_limits

__all__ = ["b64decode", "b64encode", "gunzip", "gzip_bytes", "unzip_single", "zip_single"]

_CHUNK = 64 * 1024
_RATIO_FLOOR = 1 << 20  # the ratio is checked once the output exceeds 1 MiB
_WHITESPACE = b" \t\r\n"
_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=\s]")
_ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CENTRAL_ENTRY = b"PK\x01\x02"
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no flags, mtime 0, OS ?
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# what a crafted archive makes zipfile and zlib raise, besides BadZipFile
_CORRUPT = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            ValueError, struct.error, OverflowError, IndexError, KeyError, UnicodeDecodeError,
            NotImplementedError)


def _as_bytes(data: object, argument: str) -> bytes:
    if isinstance(data, bytes | bytearray | memoryview):
        return bytes(data)
    raise UsageError(f"{argument}: expected bytes, got {type(data).__name__}",
                     f"{argument} : des octets sont attendus, et non un {type(data).__name__}",
                     argument=argument)


def b64encode(data: bytes) -> str:
    """``data`` in base64 (RFC 4648, padded, no line breaks).

    >>> b64encode(b"Hello")
    'SGVsbG8='
    """
    return binascii.b2a_base64(_as_bytes(data, "data"), newline=False).decode("ascii")


def b64decode(text: str | bytes, *, limits: Limits | None = None) -> bytes:
    """Decode strict base64: the alphabet, padding only at the end, whitespace allowed.

    Line breaks, spaces and tabs (MIME lines, indentation) are ignored; any other character,
    missing or misplaced padding, or a decoded size over ``Limits.max_attachment_bytes`` is an
    :class:`~chorus_core.errors.AttachmentError`.

    >>> b64decode("SGVs\\r\\n bG8=")
    b'Hello'
    >>> b64decode("SGVsbG8")
    Traceback (most recent call last):
    ...
    chorus_core.errors.AttachmentError: not base64: Incorrect padding [base64]
    """
    limits = limits or current_limits()
    if isinstance(text, str):
        try:
            raw = text.encode("ascii")
        except UnicodeEncodeError as exc:
            raise AttachmentError(
                f"not base64: character {text[exc.start]!r} at offset {exc.start}",
                reason="base64") from None
    else:
        raw = _as_bytes(text, "text")
    clean = raw.translate(None, _WHITESPACE)
    size = len(clean) // 4 * 3 - clean[-2:].count(b"=")
    if size > limits.max_attachment_bytes:
        raise AttachmentError(
            f"attachment of {size} bytes exceeds Limits.max_attachment_bytes "
            f"({limits.max_attachment_bytes})", reason="size")
    try:
        return binascii.a2b_base64(clean, strict_mode=True)
    except binascii.Error as exc:
        junk = _NOT_BASE64.search(raw)  # for the message only: where the first junk is
        reason = (f"character {chr(raw[junk.start()])!r} at offset {junk.start()}" if junk
                  else str(exc))
        raise AttachmentError(f"not base64: {reason}", reason="base64") from None


class _Inflater:
    """Deflate data decompressed on demand, ``read(n)`` at a time, 64 KiB of input at a time.

    ``consumed`` counts the compressed bytes used so far, for a ratio checked as it goes.  With
    ``gzip``, the members of a multi-member stream follow one another.
    """

    def __init__(self, data: memoryview, *, gzip: bool):
        self._data = data
        self._gzip = gzip
        self._wbits = 31 if gzip else -15
        self._decompressor = zlib.decompressobj(self._wbits)
        self._fed = 0  # input handed to zlib; its unconsumed tail is kept apart
        self._tail = b""

    @property
    def consumed(self) -> int:
        return self._fed - len(self._tail)

    def read(self, size: int) -> bytes:
        while True:
            if self._decompressor.eof:
                # the next member starts where this one ended
                self._fed -= len(self._decompressor.unused_data)
                self._tail = b""
                if not self._gzip or self._fed >= len(self._data):
                    return b""
                if bytes(self._data[self._fed : self._fed + 2]) != _GZIP_MAGIC:
                    raise AttachmentError("junk after the gzip stream", reason="corrupt")
                self._decompressor = zlib.decompressobj(self._wbits)
            piece: bytes | memoryview = self._tail
            if not piece:
                piece = self._data[self._fed : self._fed + _CHUNK]
                self._fed += len(piece)
            chunk = self._decompressor.decompress(piece, size)
            self._tail = self._decompressor.unconsumed_tail
            if chunk:
                return chunk
            if not piece and not self._decompressor.eof:
                raise AttachmentError("truncated compressed stream", reason="corrupt")


def _drain(source: _Inflater, limits: Limits, what: str, *, nested: bool = True) -> bytes:
    # decompress chunk by chunk, stopping at the first chunk over a limit
    out = bytearray()
    while chunk := source.read(_CHUNK):
        if not nested and not out and chunk.startswith(_ZIP_SIGNATURES):
            raise AttachmentError(f"{what} is itself a ZIP archive", reason="nested")
        out += chunk
        if len(out) > limits.max_unpacked_bytes:
            raise AttachmentError(
                f"{what} exceeds Limits.max_unpacked_bytes ({limits.max_unpacked_bytes}) "
                "once decompressed", reason="size")
        if len(out) > max(_RATIO_FLOOR, limits.max_compression_ratio * source.consumed):
            raise AttachmentError(
                f"{what} decompresses to more than Limits.max_compression_ratio "
                f"({limits.max_compression_ratio}) times its size", reason="ratio")
    return bytes(out)


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (not name or name.endswith("/") or parts[0] == "" or ".." in parts
            or (len(name) > 1 and name[1] == ":"))


CONTAINER_SUFFIXES = (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp")
"""Document formats that are ZIP files (OOXML, OpenDocument; MIME codes BR-CL-24 allows): an
entry with such a name may be a ZIP; it is returned as it is, never unpacked."""


def unzip_single(
    data: bytes, *, expected_name: str | None = None, limits: Limits | None = None
) -> tuple[str, bytes]:
    """The name and content of the one entry of the ZIP archive ``data``.

    Refused, with the ``reason`` of the :class:`~chorus_core.errors.AttachmentError`: more
    entries than ``Limits.max_zip_entries`` (counted before the archive is opened) or not
    exactly one (``entries``); a name other than ``expected_name``, absolute or with ``..``
    (``name``); encryption or a method other than stored and deflate (``method``); an entry
    that is itself a ZIP (``nested``), unless its name is that of a ZIP-based document
    (:data:`CONTAINER_SUFFIXES`: .docx, .xlsx, .ods…), returned as bytes and never opened; an
    entry over ``max_unpacked_bytes`` (``size``) or
    ``max_compression_ratio`` (``ratio``), checked while decompressing; a broken archive
    (``corrupt``).

    >>> unzip_single(zip_single("a.pdf", b"1"), expected_name="b.pdf")
    Traceback (most recent call last):
    ...
    chorus_core.errors.AttachmentError: ZIP entry 'a.pdf' where 'b.pdf' was expected [name]
    """
    limits = limits or current_limits()
    raw = _as_bytes(data, "data")
    # each central directory entry starts with this signature: an upper bound of the entries
    if raw.count(_CENTRAL_ENTRY) > limits.max_zip_entries:
        raise AttachmentError(
            f"ZIP of more than Limits.max_zip_entries ({limits.max_zip_entries}) entries",
            reason="entries")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:  # reads the central directory only
            entries = archive.infolist()
    except _CORRUPT as exc:
        raise AttachmentError(f"broken ZIP archive: {exc}", reason="corrupt") from None
    if len(entries) != 1:
        raise AttachmentError(
            f"ZIP of {len(entries)} entries where one was expected", reason="entries")
    (entry,) = entries
    name = entry.filename
    if expected_name is not None and name != expected_name:
        raise AttachmentError(
            f"ZIP entry {name!r} where {expected_name!r} was expected", reason="name")
    if _unsafe_name(name):
        raise AttachmentError(f"unsafe ZIP entry name {name!r}", reason="name")
    if entry.flag_bits & 0x1:
        raise AttachmentError(f"ZIP entry {name!r} is encrypted", reason="method")
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise AttachmentError(
            f"ZIP entry {name!r} uses compression method {entry.compress_type} "
            "(stored or deflate expected)", reason="method")
    if entry.file_size > limits.max_unpacked_bytes:
        raise AttachmentError(
            f"ZIP entry {name!r} declares {entry.file_size} bytes, over "
            f"Limits.max_unpacked_bytes ({limits.max_unpacked_bytes})", reason="size")
    compressed = _entry_data(raw, entry)
    container = name.lower().endswith(CONTAINER_SUFFIXES)  # may itself be a ZIP
    if entry.compress_type == zipfile.ZIP_STORED:
        content = bytes(compressed)
    else:
        try:
            content = _drain(_Inflater(compressed, gzip=False), limits, f"ZIP entry {name!r}",
                             nested=container)
        except zlib.error as exc:
            raise AttachmentError(f"broken ZIP entry {name!r}: {exc}", reason="corrupt") from None
    if content.startswith(_ZIP_SIGNATURES) and not container:
        raise AttachmentError(f"ZIP entry {name!r} is itself a ZIP archive", reason="nested")
    if len(content) != entry.file_size or zlib.crc32(content) != entry.CRC:
        raise AttachmentError(
            f"ZIP entry {name!r} does not match its size or CRC-32", reason="corrupt")
    return name, content


def _entry_data(raw: bytes, entry: zipfile.ZipInfo) -> memoryview:
    # the local header: signature, then the lengths of the name and extra field at 26 and 28
    start = entry.header_offset
    header = raw[start : start + 30]
    if len(header) < 30 or not header.startswith(_ZIP_SIGNATURES[0]):
        raise AttachmentError("broken ZIP archive: bad local header", reason="corrupt")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_length + extra_length
    if begin + entry.compress_size > len(raw):
        raise AttachmentError("broken ZIP archive: truncated entry", reason="corrupt")
    return memoryview(raw)[begin : begin + entry.compress_size]


def zip_single(name: str, data: bytes) -> bytes:
    """A ZIP archive holding ``data`` as its one entry ``name``, byte for byte reproducible.

    Deflate at level 9, timestamp 1980-01-01 00:00, Unix permissions 0644, no comment: the
    same ``name`` and ``data`` always give the same archive.

    >>> zip_single("a.pdf", b"x") == zip_single("a.pdf", b"x")
    True

    What :func:`unzip_single` would refuse as a nested ZIP is refused here too: a ZIP entry
    whose own bytes are a ZIP archive must be named as a ZIP-based document (``.xlsx``…).
    """
    if not isinstance(name, str) or _unsafe_name(name):
        raise UsageError(f"name: a relative file name is expected, got {name!r}",
                         f"name : un nom de fichier relatif est attendu, et non {name!r}",
                         argument="name")
    content = _as_bytes(data, "data")
    if content.startswith(_ZIP_SIGNATURES) and not name.lower().endswith(CONTAINER_SUFFIXES):
        raise AttachmentError(f"{name!r} is itself a ZIP archive: a ZIP inside the ZIP is "
                              "read back only under a ZIP-based document's name", reason="nested")
    entry = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.create_system = 3
    entry.external_attr = 0o100644 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(entry, content, compresslevel=9)
    return buffer.getvalue()


def gunzip(data: bytes, *, limits: Limits | None = None) -> bytes:
    """The decompressed content of the gzip stream ``data`` (several members are joined).

    Refused, with the ``reason`` of the :class:`~chorus_core.errors.AttachmentError`: output
    over ``Limits.max_unpacked_bytes`` (``size``) or ``max_compression_ratio`` times the input
    (``ratio``), checked while decompressing; anything but gzip, a truncated stream or trailing
    junk (``corrupt``).

    >>> gunzip(b"PK\\x03\\x04")
    Traceback (most recent call last):
    ...
    chorus_core.errors.AttachmentError: not a gzip stream [corrupt]
    """
    limits = limits or current_limits()
    raw = _as_bytes(data, "data")
    if not raw.startswith(_GZIP_MAGIC):
        raise AttachmentError("not a gzip stream", reason="corrupt")
    try:
        return _drain(_Inflater(memoryview(raw), gzip=True), limits, "gzip stream")
    except zlib.error as exc:
        raise AttachmentError(f"broken gzip stream: {exc}", reason="corrupt") from None


def gzip_bytes(data: bytes) -> bytes:
    """``data`` as one gzip member, byte for byte reproducible (mtime 0, level 9, OS unknown).

    >>> gzip_bytes(b"") == gzip_bytes(b"") and gunzip(gzip_bytes(b"abc")) == b"abc"
    True
    """
    content = _as_bytes(data, "data")
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = compressor.compress(content) + compressor.flush()
    trailer = struct.pack("<II", zlib.crc32(content), len(content) & 0xFFFFFFFF)
    return _GZIP_HEADER + body + trailer
