"""UN/CEFACT Cross Industry Invoice D16B (CII): reader and writer of the canonical model.

Work in progress: ``detect`` is final, ``read``/``write`` land next.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..errors import UnknownFormatError
from ..model import Invoice

__all__ = ["NAME", "NAMESPACE", "detect", "read", "write"]

NAME = "cii"
"""Registry name of the format."""

NAMESPACE = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
"""Namespace of the ``rsm:CrossIndustryInvoice`` root."""

_ROOT = f"{{{NAMESPACE}}}CrossIndustryInvoice"


def detect(root: etree._Element) -> bool:
    """True when ``root`` is a CII D16B ``rsm:CrossIndustryInvoice`` element."""
    return bool(root.tag == _ROOT)


def read(data: bytes | str | etree._Element) -> Invoice:
    """Read a CII document into the canonical model (not implemented yet)."""
    raise UnknownFormatError("CII reader not implemented yet")


def write(invoice: Invoice) -> bytes:
    """Write ``invoice`` as CII D16B (not implemented yet)."""
    raise NotImplementedError
    _: Any = invoice
