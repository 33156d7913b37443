"""The hardened XML parser used by every reader.

No entity expansion, no DTD loading, no network, a size cap, and every failure turned into a
:class:`~chorus_core.errors.MalformedXMLError` with line and column.  A document that declares a
DTD (``<!DOCTYPE``) is refused outright: no invoice format needs one, and it is the vector of
entity bombs and external entities.

>>> parse_xml(b"<a><b>1</b></a>").tag
'a'
>>> parse_xml(b"<a><b></a>")
Traceback (most recent call last):
...
chorus_core.errors.MalformedXMLError: Opening and ending tag mismatch: ... (line 1, column 11)
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ..errors import MalformedXMLError

__all__ = ["MAX_DOCUMENT_BYTES", "parse_xml", "serialize"]

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
"""Largest document accepted by :func:`parse_xml` (200 MiB; Chorus Pro caps files at 100 MB)."""

_POSITION = re.compile(r",? line \d+, column \d+$")

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    # lifts libxml2's 10 MB text-node limit (attachments up to Chorus Pro's 100 MB); the
    # document size cap above and the DTD/entity refusal still bound the work
    huge_tree=True,
    remove_comments=False,
    remove_pis=False,
)


def parse_xml(data: bytes | str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> etree._Element:
    """Parse ``data`` with the hardened parser and return the root element.

    Raises :class:`~chorus_core.errors.MalformedXMLError` for malformed XML, a DTD, an entity
    declaration, an oversized document or a non-bytes/str argument.
    """
    if isinstance(data, str):
        # an XML declaration with an encoding is refused by lxml for str input: go through bytes
        data = data.encode("utf-8") if not data.lstrip().startswith("<?xml") else (
            _reencode(data)
        )
    if not isinstance(data, bytes | bytearray | memoryview):
        raise MalformedXMLError(f"expected bytes or str, got {type(data).__name__}")
    data = bytes(data)
    if len(data) > max_bytes:
        raise MalformedXMLError(f"document of {len(data)} bytes exceeds the {max_bytes} limit")
    if not data or data.isspace():  # isspace does not copy the document, strip would
        raise MalformedXMLError("empty document")
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _POSITION.sub("", str(exc.msg or exc))
        raise MalformedXMLError(message, line=line, column=column) from None
    except (ValueError, etree.LxmlError) as exc:
        raise MalformedXMLError(str(exc)) from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise MalformedXMLError("DTD and entity declarations are not allowed")
    if root.tag is etree.Entity or not isinstance(root.tag, str):
        raise MalformedXMLError("the document has no element root")
    return root


def _reencode(text: str) -> bytes:
    # drop the declaration (its encoding no longer applies to a str) and encode as UTF-8
    end = text.find("?>")
    return text[end + 2 :].encode("utf-8") if end != -1 else text.encode("utf-8")


def serialize(root: etree._Element, *, encoding: str = "UTF-8") -> bytes:
    """Serialize ``root`` with an XML declaration in ``encoding``."""
    return etree.tostring(root, xml_declaration=True, encoding=encoding)  # type: ignore[return-value]
