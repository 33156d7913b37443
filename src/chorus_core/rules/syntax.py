"""Syntax rules: the UBL-* and CII-* rules of the official EN 16931 Schematron, on the XML tree.

Skeleton; the full rule tables follow.

>>> from lxml import etree
>>> [f.code for f in check(etree.fromstring(b"<Invoice/>"), "ubl")]
[]
"""

from __future__ import annotations

from lxml import etree

from chorus_core.errors import Finding

__all__ = ["check"]


def check(root: etree._Element, format: str) -> list[Finding]:
    """Return the syntax findings of ``root``, a UBL (``"ubl"``) or CII (``"cii"``) document."""
    if format not in ("ubl", "cii"):
        raise ValueError(f"unknown syntax {format!r}: 'ubl' or 'cii'")
    return []
