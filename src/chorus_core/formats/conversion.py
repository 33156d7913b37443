"""Conversion between formats, with a loss report by business term.

:func:`detect_format` names the syntax of a document, :func:`read` and :func:`write` go through
the registry :data:`chorus_core.formats.FORMATS`, and :func:`convert` turns a document into
another syntax and says exactly what the target did not keep.

The loss report is computed, not declared: the source is read into the canonical model, the
target bytes are read back, and the two models are compared term by term
(:func:`chorus_core.model.term_values`).  Every term present in the source that the target does
not carry is a ``dropped`` loss, every value the target carries differently is ``changed``, and
a term that appears only in the target is ``added``.  So the report cannot drift from the
writers: what it lists is what a receiver of the target bytes will read.

>>> ubl = b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
...   <cbc:ID>F-1</cbc:ID><cbc:BuyerReference>SERVICE-1</cbc:BuyerReference></Invoice>'''
>>> detect_format(ubl)
'ubl'
>>> result = convert(ubl, to="cii")
>>> (result.source_format, result.target_format, result.losses)
('ubl', 'cii', ())
>>> read(result.data).buyer_reference
'SERVICE-1'
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

from lxml import etree

from ..errors import UnknownFormatError
from ..model import TERMS, Invoice, term_values
from ..xml import parse_xml
from . import FORMATS
from ._marked import marked_invoices

__all__ = [
    "Conversion",
    "Loss",
    "convert",
    "detect_format",
    "diff_terms",
    "ignored_elements",
    "read",
    "write",
]

LossKind = Literal["dropped", "changed", "added"]


@dataclass(frozen=True, slots=True)
class Loss:
    """One business term the target does not carry as the source did.

    ``path`` is the location in the canonical model (``lines[0].item.name``); ``source`` and
    ``target`` are the values before and after (``None`` when absent).
    """

    bt: str
    path: str
    kind: LossKind
    source: Any
    target: Any

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
        return (
            f"{self.bt} ({self.name}) {self.kind} at {self.path}: "
            f"{self.source!r} -> {self.target!r}"
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


def _module(name: str) -> ModuleType:
    try:
        return FORMATS[name]
    except KeyError:
        raise UnknownFormatError(
            f"unknown format {name!r}; known formats: {', '.join(sorted(FORMATS))}"
        ) from None


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


def detect_format(data: bytes | str) -> str:
    """Name of the format of ``data`` (a key of :data:`~chorus_core.formats.FORMATS`).

    Raises :class:`~chorus_core.errors.UnknownFormatError` when no format recognises the root
    and :class:`~chorus_core.errors.MalformedXMLError` for malformed XML.

    >>> detect_format(b"<Invoice/>")
    Traceback (most recent call last):
    ...
    chorus_core.errors.UnknownFormatError: not a supported document: root element Invoice ...
    """
    return _detect(parse_xml(data))


def read(data: bytes | str, format: str | None = None) -> Invoice:
    """Read ``data`` into the canonical model, detecting the format unless ``format`` is given.

    The document is parsed once, with the hardened parser.
    """
    root = parse_xml(data)
    module = _module(format if format is not None else _detect(root))
    invoice: Invoice = module.read(root)
    return invoice


def write(invoice: Invoice, format: str) -> bytes:
    """Write ``invoice`` in ``format`` (``"ubl"``, ``"cii"``)."""
    data: bytes = _module(format).write(invoice)
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
    # walk only the top-level fields that differ (a lossy conversion usually touches few)
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


def convert(data: bytes | str, to: str, *, source: str | None = None) -> Conversion:
    """Convert ``data`` to the format ``to`` and report every term the target loses.

    ``source`` names the source format when known (detected otherwise).  The report compares
    the model read from ``data`` with the model read back from the target bytes, so it is
    exact for every term of EN 16931 (see :func:`diff_terms`).
    """
    root = parse_xml(data)
    source_format = source if source is not None else _detect(root)
    invoice: Invoice = _module(source_format).read(root)
    target = _module(to)
    out: bytes = target.write(invoice)
    losses = diff_terms(invoice, target.read(out))
    return Conversion(data=out, source_format=source_format, target_format=to, losses=losses)


# ---------------------------------------------------------------- what a reader ignores


def _collect(el: etree._Element, path: tuple[str, ...], paths: set[tuple[str, ...]]) -> None:
    for child in el:
        if isinstance(child.tag, str):
            here = (*path, child.tag)
            paths.add(here)
            _collect(child, here, paths)


@functools.cache
def _mapped_paths(format: str) -> frozenset[tuple[str, ...]]:
    """Element paths (Clark names below the root) the format maps: those its writer emits."""
    paths: set[tuple[str, ...]] = set()
    writer = _module(format).write
    for invoice in marked_invoices():
        _collect(parse_xml(writer(invoice)), (), paths)
    return frozenset(paths)


def ignored_elements(data: bytes | str, format: str | None = None) -> tuple[str, ...]:
    """Elements of ``data`` that no business term is read from, as XPath-like paths.

    Extensions, elements outside EN 16931 (``cbc:UBLVersionID``, a second price base
    quantity…) and misplaced elements are listed, outermost first; nothing else a reader drops
    silently.  The mapped elements are derived from the format's writer (an invoice with every
    term is written), so the list cannot drift from the formats.

    >>> ignored_elements(b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    ...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
    ...   <cbc:UBLVersionID>2.1</cbc:UBLVersionID><cbc:ID>F-1</cbc:ID></Invoice>''')
    ('/Invoice/cbc:UBLVersionID',)
    """
    root = parse_xml(data)
    known = _mapped_paths(format if format is not None else _detect(root))
    found: list[str] = []

    def walk(el: etree._Element, path: tuple[str, ...], shown: str) -> None:
        children = [c for c in el if isinstance(c.tag, str)]
        totals = Counter(c.tag for c in children)  # one pass: 5,000 lines stay linear
        seen: Counter[str] = Counter()
        for child in children:
            here = (*path, child.tag)
            qname = etree.QName(child)
            step = f"{child.prefix}:{qname.localname}" if child.prefix else qname.localname
            seen[child.tag] += 1
            if totals[child.tag] > 1:
                step += f"[{seen[child.tag]}]"
            if here in known:
                walk(child, here, f"{shown}/{step}")
            else:
                found.append(f"{shown}/{step}")

    name = etree.QName(root).localname
    walk(root, (), f"/{root.prefix}:{name}" if root.prefix else f"/{name}")
    return tuple(found)
