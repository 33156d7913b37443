"""The one entry of every reader: a document as bytes, XML text, a Factur-X PDF or a parsed root.

The readers of every format, :func:`~chorus_core.formats.detect_format`,
:func:`~chorus_core.formats.convert`, :func:`~chorus_core.formats.validate_xsd` and
:func:`chorus_core.validate` take their input through :func:`parse_document`, so that a PDF, a
path passed by mistake or a wrong type gets the same answer everywhere.
"""

from __future__ import annotations

import os
import re

from lxml import etree

from ..errors import UsageError
from ..xml import parse_xml

__all__ = ["PDF_MAGIC", "is_pdf", "parse_document"]

PDF_MAGIC = b"%PDF-"
"""The header of a PDF."""
_MAGIC_WINDOW = 1024  # PDF readers accept the header anywhere in the first 1024 bytes


def is_pdf(data: bytes | bytearray | memoryview) -> bool:
    """True when ``data`` starts like a PDF: ``%PDF-`` within its first 1024 bytes.

    As PDF readers do, a little junk before the header is allowed, but not the start of an
    XML document (``<``, after a byte order mark and whitespace).

    >>> is_pdf(b"%PDF-1.7\\n"), is_pdf(b"\\r\\n%PDF-1.4"), is_pdf(b"<a>%PDF-</a>")
    (True, True, False)
    """
    head = bytes(data[: _MAGIC_WINDOW + len(PDF_MAGIC)])
    return PDF_MAGIC in head and not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def parse_document(data: object) -> etree._Element:
    """The root element of a document given as bytes, str or a Factur-X / ZUGFeRD PDF.

    Bytes starting like a PDF (``%PDF-`` in the first 1024 bytes) are searched for the
    embedded invoice XML (:func:`chorus_core.formats.facturx.extract`); other bytes and XML
    text are parsed with the hardened parser.  A ``str`` that looks like a file path, or a
    :class:`pathlib.Path`, is a :class:`~chorus_core.errors.UsageError`: the library reads no
    file, the caller passes the file's bytes.

    >>> parse_document(b"<a/>").tag
    'a'
    >>> parse_document("invoices/FA-2026-0042.xml")
    Traceback (most recent call last):
    ...
    chorus_core.errors.UsageError: data looks like a file path, not a document: read the ...
    """
    if isinstance(data, etree._Element):
        return data
    if isinstance(data, os.PathLike) or (isinstance(data, str) and _looks_like_path(data)):
        raise UsageError(
            "data looks like a file path, not a document: read the file's bytes "
            "(Path(p).read_bytes())",
            "data ressemble à un chemin de fichier, pas à un document : lire les octets du "
            "fichier (Path(p).read_bytes())",
            argument="data",
        )
    if isinstance(data, str) and data[:_MAGIC_WINDOW].lstrip("\ufeff \t\r\n").startswith(
            "%PDF-"):  # the head only: a large XML text is not copied
        raise UsageError(
            "data is a PDF read as text: pass the file's bytes (Path(p).read_bytes())",
            "data est un PDF lu comme du texte : passer les octets du fichier "
            "(Path(p).read_bytes())",
            argument="data",
        )
    if not isinstance(data, (bytes, bytearray, memoryview, str)):
        raise UsageError(
            f"data must be bytes or str (an XML document), not {type(data).__name__}",
            f"data doit être bytes ou str (un document XML), pas {type(data).__name__}",
            argument="data",
        )
    if isinstance(data, str):
        return parse_xml(data)
    raw = bytes(data)
    if is_pdf(raw):
        from . import facturx  # imports the CII format: loaded when a PDF comes

        _, raw = facturx.extract(raw)
    return parse_xml(raw)


_PATH_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}$")


def _looks_like_path(text: str) -> bool:
    # not XML (no markup at all), one line, and a path's shape: a separator or a suffix
    if len(text) > 4096:  # a document, not a path: decided before copying anything
        return False
    stripped = text.strip("\ufeff \t\r\n")
    if (not stripped or "\n" in stripped
            or any(c in stripped for c in "<>\x00")):
        return False
    return ("/" in stripped or "\\" in stripped
            or _PATH_SUFFIX.search(stripped) is not None)
