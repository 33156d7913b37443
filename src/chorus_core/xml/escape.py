"""Escaping of text for the string-building writers (UBL, CII).

The writers build documents as text, which is several times faster than building lxml trees;
every value goes through :func:`escape_text` or :func:`escape_attr`, which also refuse the
characters XML 1.0 cannot carry at all.

>>> escape_text("Dupont & Fils <SARL>")
'Dupont &amp; Fils &lt;SARL&gt;'
>>> escape_attr('a "b"\\tc')
'a &quot;b&quot;&#9;c'
>>> escape_text("bell\\x07")
Traceback (most recent call last):
...
chorus_core.errors.ConversionError: character U+0007 cannot be written in XML (in 'bell\\x07')
"""

from __future__ import annotations

import re

from ..errors import ConversionError

__all__ = ["escape_attr", "escape_text"]

_INVALID_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def escape_text(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` and CR for element content; refuse characters XML forbids."""
    # isprintable is the cheap first test: tabs and line breaks are not printable but allowed
    if not text.isprintable():
        bad = _INVALID_XML_CHAR.search(text)
        if bad is not None:
            raise ConversionError(
                f"character U+{ord(bad.group()):04X} cannot be written in XML (in {text[:40]!r})"
            )
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:  # a bare CR would be normalised away by any parser
        text = text.replace("\r", "&#13;")
    return text


def escape_attr(text: str) -> str:
    """Escape for a double-quoted attribute value (quotes, tabs and line breaks too)."""
    text = escape_text(text)
    if '"' in text:
        text = text.replace('"', "&quot;")
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "&#10;").replace("\t", "&#9;")
    return text
