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
from collections.abc import Callable

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
            ValueError, struct.error, OverflowError, IndexError, KeyError, UnicodeDecodeError)


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


def _drain(read: Callable[[int], bytes], compressed: int, limits: Limits, what: str) -> bytes:
    # decompress chunk by chunk, stopping at the first chunk over a limit
    out = bytearray()
    ratio_cap = max(_RATIO_FLOOR, limits.max_compression_ratio * max(compressed, 1))
    while chunk := read(_CHUNK):
        out += chunk
        if len(out) > limits.max_unpacked_bytes:
            raise AttachmentError(
                f"{what} exceeds Limits.max_unpacked_bytes ({limits.max_unpacked_bytes}) "
                "once decompressed", reason="size")
        if len(out) > ratio_cap:
            raise AttachmentError(
                f"{what} decompresses more than Limits.max_compression_ratio "
                f"({limits.max_compression_ratio}) times its {compressed} bytes", reason="ratio")
    return bytes(out)


def _unsafe_name(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (not name or name.endswith("/") or parts[0] == "" or ".." in parts
            or (len(name) > 1 and name[1] == ":"))


def unzip_single(
    data: bytes, *, expected_name: str | None = None, limits: Limits | None = None
) -> tuple[str, bytes]:
    """The name and content of the one entry of the ZIP archive ``data``.

    Refused, with the ``reason`` of the :class:`~chorus_core.errors.AttachmentError`: more
    entries than ``Limits.max_zip_entries`` (counted before the archive is opened) or not
    exactly one (``entries``); a name other than ``expected_name``, absolute or with ``..``
    (``name``); encryption or a method other than stored and deflate (``method``); an entry
    that is itself a ZIP (``nested``); an entry over ``max_unpacked_bytes`` (``size``) or
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
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            entries = archive.infolist()
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
            with archive.open(entry) as stream:
                head = stream.read(4)
                if head.startswith(_ZIP_SIGNATURES):
                    raise AttachmentError(
                        f"ZIP entry {name!r} is itself a ZIP archive", reason="nested")
                body = _drain(stream.read, entry.compress_size, limits, f"ZIP entry {name!r}")
    except AttachmentError:
        raise
    except _CORRUPT as exc:
        raise AttachmentError(f"broken ZIP archive: {exc}", reason="corrupt") from None
    return name, head + body


def zip_single(name: str, data: bytes) -> bytes:
    """A ZIP archive holding ``data`` as its one entry ``name``, byte for byte reproducible.

    Deflate at level 9, timestamp 1980-01-01 00:00, Unix permissions 0644, no comment: the
    same ``name`` and ``data`` always give the same archive.

    >>> zip_single("a.pdf", b"x") == zip_single("a.pdf", b"x")
    True
    """
    if not isinstance(name, str) or _unsafe_name(name):
        raise UsageError(f"name: a relative file name is expected, got {name!r}",
                         f"name : un nom de fichier relatif est attendu, et non {name!r}",
                         argument="name")
    content = _as_bytes(data, "data")
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
    # ISIZE, the size of the last member modulo 2**32, is a lower bound of the output
    if len(raw) >= 18 and struct.unpack("<I", raw[-4:])[0] > limits.max_unpacked_bytes:
        raise AttachmentError(
            f"gzip stream declares more than Limits.max_unpacked_bytes "
            f"({limits.max_unpacked_bytes})", reason="size")
    members = _GzipMembers(raw)
    try:
        return _drain(members.read, len(raw), limits, "gzip stream")
    except zlib.error as exc:
        raise AttachmentError(f"broken gzip stream: {exc}", reason="corrupt") from None


class _GzipMembers:
    """A ``read(n)`` over the concatenated members of a gzip stream."""

    def __init__(self, raw: bytes):
        self._decompressor = zlib.decompressobj(wbits=31)
        self._pending = raw

    def read(self, size: int) -> bytes:
        while True:
            chunk = self._decompressor.decompress(self._pending, size)
            self._pending = self._decompressor.unconsumed_tail
            if chunk:
                return chunk
            if self._decompressor.eof:
                rest = self._decompressor.unused_data
                if not rest:
                    return b""
                if not rest.startswith(_GZIP_MAGIC):
                    raise AttachmentError("junk after the gzip stream", reason="corrupt")
                self._decompressor = zlib.decompressobj(wbits=31)
                self._pending = rest
            elif not self._pending:
                raise AttachmentError("truncated gzip stream", reason="corrupt")


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
