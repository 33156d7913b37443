"""Conversion between formats, with a loss report by business term.

:func:`detect_format` names the syntax of a document, :func:`read` and :func:`write` go through
the registry :data:`chorus_core.formats.FORMATS`, and :func:`convert` turns a document into
another syntax and says exactly what the target did not keep.

The loss report is declared, not re-read: the reader lists what of the source the model does not
hold (kind ``unread``: an element outside EN 16931, a second copy of a ``0..1`` term, a foreign
``currencyID``…), and the writer lists what the target did not write (``dropped``) or wrote
differently (``changed``, ``added``: a placeholder the XSD forces, a computed BT-110).  The tests
check this declared report against the difference between the source model and the model read
back from the target bytes (:func:`diff_terms`), on generated and corpus documents.

>>> ubl = b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
...   <cbc:ID>F-1</cbc:ID><cbc:BuyerReference>SERVICE-1</cbc:BuyerReference></Invoice>'''
>>> detect_format(ubl)
'ubl'
>>> result = convert(ubl, to="cii", draft=True)
>>> (result.source_format, result.target_format)
('ubl', 'cii')
>>> read(result.data).buyer_reference
'SERVICE-1'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from lxml import etree

from ..errors import UnknownFormatError, UsageError
from ..model import TERMS, Invoice, term_values
from . import FORMATS
from ._engine import Reading, Unread
from ._input import parse_document

__all__ = [
    "Conversion",
    "Loss",
    "convert",
    "detect_format",
    "diff_terms",
    "ignored_elements",
    "parse_document",
    "read",
    "read_report",
    "write",
]

LossKind = Literal["dropped", "changed", "added", "unread"]


@dataclass(frozen=True, slots=True)
class Loss:
    """One business term the target does not carry as the source did.

    ``path`` is the location in the canonical model (``lines[0].item.name``), or in the source
    document for an ``unread`` loss (``/Invoice/cbc:UBLVersionID``); ``source`` and ``target``
    are the values before and after (``None`` when absent); ``reason`` says why, when known.
    """

    bt: str
    path: str
    kind: LossKind
    source: Any
    target: Any
    reason: str | None = None

    @property
    def name(self) -> str:
        """English name of the business term (EN 16931)."""
        term = TERMS.get(self.bt)
        return term.name_en if term else self.bt

    @property
    def name_fr(self) -> str:
        """French label of the business term.

        >>> Loss("BT-10", "buyer_reference", "dropped", "S", None).name_fr
        "Référence de l'acheteur (code service)"
        """
        term = TERMS.get(self.bt)
        return term.name_fr if term else self.bt

    def __str__(self) -> str:
        head = f"{self.bt} ({self.name})" if self.bt else "(no term)"
        if self.kind == "unread":
            value = "" if self.source is None else f" {self.source!r}"
            return f"{head} unread at {self.path}:{value} {self.reason}"
        why = f" ({self.reason})" if self.reason else ""
        return (
            f"{head} {self.kind} at {self.path}: "
            f"{self.source!r} -> {self.target!r}{why}"
        )


@dataclass(frozen=True, slots=True)
class Conversion:
    """The result of :func:`convert`: the target bytes and what the target lost."""

    data: bytes
    source_format: str
    target_format: str
    losses: tuple[Loss, ...]

    @property
    def lossless(self) -> bool:
        """True when the target carries every term of the source unchanged."""
        return not self.losses

    def __repr__(self) -> str:
        return (f"Conversion({self.source_format!r} -> {self.target_format!r}, "
                f"{len(self.data)} bytes, {len(self.losses)} losses)")

    def _repr_html_(self) -> str:
        """The notebook view (Jupyter): source and target, size, and the loss table."""
        from .._html import conversion_html

        return conversion_html(self)


def _module(name: object, argument: str = "format") -> ModuleType:
    if not isinstance(name, str):
        raise UsageError(
            f"{argument} must be a format name (str), not {type(name).__name__}",
            f"{argument} doit être un nom de format (str), pas {type(name).__name__}",
            argument=argument,
        )
    module = FORMATS.get(name.lower())
    if module is None:
        raise UnknownFormatError(
            f"unknown format {name!r}; known formats: {', '.join(sorted(FORMATS))}"
        )
    return module


_root = parse_document


def _detect(root: etree._Element) -> str:
    for name, module in FORMATS.items():
        if module.detect(root):
            return name
    qname = etree.QName(root)
    where = f" in namespace {qname.namespace}" if qname.namespace else " (no namespace)"
    raise UnknownFormatError(
        f"not a supported document: root element {qname.localname}{where}; "
        f"supported: {', '.join(FORMATS)}"
    )


def detect_format(data: bytes | str | etree._Element) -> str:
    """Name of the format of ``data`` (a key of :data:`~chorus_core.formats.FORMATS`).

    Like every function of this module, it takes bytes, XML text, a Factur-X PDF or a root
    already parsed by :func:`parse_document` (parse once, then detect, read or convert it).

    Raises :class:`~chorus_core.errors.UnknownFormatError` when no format recognises the root
    and :class:`~chorus_core.errors.MalformedXMLError` for malformed XML.

    >>> detect_format(b"<Invoice/>")
    Traceback (most recent call last):
    ...
    chorus_core.errors.UnknownFormatError: not a supported document: root element Invoice ...
    """
    return _detect(_root(data))


def read_report(data: bytes | str | etree._Element, format: str | None = None) -> Reading:
    """Read ``data`` with everything of the source the canonical model does not hold.

    >>> reading = read_report(b'''<Invoice
    ...   xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    ...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
    ...   <cbc:ID>F-1</cbc:ID><cbc:DueDate>2026-01-31</cbc:DueDate>
    ...   <cbc:DueDate>2026-02-28</cbc:DueDate></Invoice>''')
    >>> reading.invoice.payment_due_date
    datetime.date(2026, 1, 31)
    >>> print(reading.unread[0])
    /Invoice/cbc:DueDate[2] [BT-9]: second value of a term the model holds once
    """
    root = _root(data)
    module = _module(format) if format is not None else FORMATS[_detect(root)]
    reading: Reading = module.read_report(root)
    return reading


def read(data: bytes | str | etree._Element, format: str | None = None) -> Invoice:
    """Read ``data`` into the canonical model, detecting the format unless ``format`` is given.

    The document is parsed once, with the hardened parser; see :func:`read_report` for what
    the model does not hold.
    """
    return read_report(data, format).invoice


def write(invoice: Invoice, format: str, *, draft: bool = False) -> bytes:
    """Write ``invoice`` in ``format`` (``"ubl"``, ``"cii"``).

    Raises :class:`~chorus_core.errors.IncompleteInvoiceError` when the invoice lacks what the
    format's XSD requires, unless ``draft``.
    """
    module = _module(format)
    if not isinstance(invoice, Invoice):
        raise UsageError(
            f"invoice must be a chorus_core Invoice, not {type(invoice).__name__}",
            f"invoice doit être une Invoice de chorus_core, pas {type(invoice).__name__}",
            argument="invoice",
        )
    data: bytes = module.write(invoice, draft=draft)
    return data


def diff_terms(before: Invoice, after: Invoice) -> tuple[Loss, ...]:
    """Compare two invoices term by term: what ``after`` dropped, changed or added.

    >>> from chorus_core.model import Invoice
    >>> for loss in diff_terms(Invoice(invoice_number="1", buyer_reference="S"),
    ...                        Invoice(invoice_number="2")):
    ...     print(loss)
    BT-1 (Invoice number) changed at invoice_number: '1' -> '2'
    BT-10 (Buyer reference) dropped at buyer_reference: 'S' -> None
    """
    if before == after:  # the usual case, decided by pydantic without walking the terms
        return ()
    cls = type(before)
    source: dict[tuple[str, str], Any] = {}
    target: dict[tuple[str, str], Any] = {}
    for name in cls.model_fields:
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            source.update(_values(term_values(cls.model_construct(**{name: old}))))
            target.update(_values(term_values(cls.model_construct(**{name: new}))))
    losses: list[Loss] = []
    for (bt, path), value in source.items():
        if (bt, path) not in target:
            losses.append(Loss(bt, path, "dropped", value, None))
        elif target[bt, path] != value:
            losses.append(Loss(bt, path, "changed", value, target[bt, path]))
    for (bt, path), value in target.items():
        if (bt, path) not in source:
            losses.append(Loss(bt, path, "added", None, value))
    return tuple(losses)


def _values(items: Iterable[tuple[str, str, Any]]) -> dict[tuple[str, str], Any]:
    return {(bt, path): value for bt, path, value in items}


def _unread_loss(item: Unread) -> Loss:
    return Loss(item.bt or "", item.path, "unread", item.value, None, item.reason)


def convert(data: bytes | str | etree._Element, to: str, *, source: str | None = None,
            draft: bool = False) -> Conversion:
    """Convert ``data`` to the format ``to`` and report every term the target loses.

    ``source`` names the source format when known (detected otherwise).  The report lists what
    the reader did not take from the source (``unread``) and what the writer did not carry
    (``dropped``, ``changed``, ``added``); see the module docstring.  ``draft`` writes a target
    whose XSD-required terms are missing (see :func:`write`).
    """
    target = _module(to, "to")
    root = _root(data)
    if source is not None:
        _module(source, "source")
        source_format = source.lower()
    else:
        source_format = _detect(root)
    reading: Reading = FORMATS[source_format].read_report(root)
    written = target.write_report(reading.invoice, draft=draft)
    losses = [_unread_loss(item) for item in reading.unread]
    losses.extend(Loss(bt, path, "dropped", value, None) for bt, path, value in written.missing)
    for bt, path, before, after in written.changed:
        kind: LossKind = "added" if before is None else "dropped" if after is None else "changed"
        losses.append(Loss(bt, path, kind, before, after))
    return Conversion(data=written.data, source_format=source_format,
                      target_format=to.lower(), losses=tuple(losses))


def ignored_elements(data: bytes | str, format: str | None = None) -> tuple[str, ...]:
    """Elements and attributes of ``data`` that no business term is read from, as paths.

    Extensions, elements outside EN 16931 (``cbc:UBLVersionID``…), misplaced elements, second
    copies of a ``0..1`` term: see :func:`read_report` for the reasons.

    >>> ignored_elements(b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    ...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
    ...   <cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>F-1</cbc:ID></Invoice>''')
    ('/Invoice/cbc:UBLVersionID',)
    """
    return tuple(item.path for item in read_report(data, format).unread)
