"""Marked invoices: every term holds a distinct value, to learn from a writer where terms go.

Writing such an invoice and matching each element of the output to the term whose value it
carries gives, for any format, the element path → BT table (:mod:`chorus_core.formats.xsd`
names the term of an XSD error with it) and the set of element paths the format maps
(:func:`chorus_core.formats.conversion.ignored_elements` reports the others).  Both are derived
from the writer, so they cannot drift from it.

>>> invoice = marked_invoices()[0]
>>> invoice.invoice_number, invoice.invoice_type_code
('M1X', '380')
>>> forms(invoice.invoice_issue_date)
('2001-01-03', '20010103')
"""

from __future__ import annotations

import base64
import functools
import itertools
import types
import typing
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from ..model import LENIENT, Identifier, Invoice

__all__ = ["forms", "marked_invoices"]


def _sample(annotation: Any, counter: Iterator[int], schemes: bool) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Union or origin is types.UnionType:
        return _sample(next(a for a in args if a is not type(None)), counter, schemes)
    if origin is typing.Annotated:
        return _sample(args[0], counter, schemes)
    if origin is tuple:
        return (_sample(args[0], counter, schemes),)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        values = {name: _sample(field.annotation, counter, schemes)
                  for name, field in annotation.model_fields.items()}
        if annotation is Identifier and not schemes:
            values["scheme_id"] = None
        return values
    n = next(counter)
    if annotation is Decimal:
        return Decimal(1000 + n)
    if annotation is date:
        return date(2001, 1, 1) + timedelta(days=n)
    if annotation is bytes:
        return f"M{n}X".encode()
    return f"M{n}X"


@functools.cache
def marked_invoices() -> tuple[Invoice, ...]:
    """Invoices and credit notes whose every term holds a distinct value.

    Two variants of each: identifiers with a scheme and without one (some syntaxes place them
    differently, CII ``ram:GlobalID`` vs ``ram:ID``).
    """
    out = []
    for schemes in (True, False):
        data = _sample(Invoice, itertools.count(1), schemes)
        for type_code in ("380", "381"):
            out.append(Invoice.model_validate({**data, "invoice_type_code": type_code},
                                              context=LENIENT))
    return tuple(out)


def forms(value: Any) -> tuple[str, ...]:
    """The texts a value may be written as (UBL and CII date forms, base64)."""
    if isinstance(value, Decimal):
        return (format(value, "f"),)
    if isinstance(value, date):
        return (value.isoformat(), value.strftime("%Y%m%d"))
    if isinstance(value, bytes):
        return (base64.b64encode(value).decode("ascii"),)
    return (str(value),)
