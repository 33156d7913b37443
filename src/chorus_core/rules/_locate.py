"""Source locations of rule findings: from a model path to the element of the document.

A finding of the EN 16931 layer names a model path (``lines[1].net_amount``).  When the input
was a document, :func:`locate` adds where the term sits in it: the term of the path (the BT id
recorded on the model field), its XPath in the binding table
(:func:`chorus_core.formats.mapping.xpaths`), and the element that carries it (the only one, or
the one of the path's repeated group), as an XPath with positions and a line number.  A term
absent from the document (a rule asking for a missing term) has no element: it is left as is.

>>> term_of("lines[1].net_amount"), term_of("seller.postal_address.country_code")
('BT-131', 'BT-40')
>>> term_of("seller.electronic_address.scheme_id"), term_of("vat_breakdown")
('BT-34-1', 'BG-23')
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from lxml import etree
from pydantic import BaseModel, Field

from chorus_core.errors import Finding
from chorus_core.model import Invoice
from chorus_core.model.terms import _inner_model, _meta

__all__ = ["RuleFinding", "locate", "term_of"]

_STEP = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


class RuleFinding(Finding):
    """A rule finding on a document: also where the term sits in it, when it is there."""

    source: str | None = Field(default=None, description="XPath of the element, with positions")
    line: int | None = Field(default=None, description="line of the element in the document")


@functools.cache
def term_of(path: str) -> str | None:
    """The BT or BG id of the last step of a model path (None when it has none)."""
    cls: type[BaseModel] | None = Invoice
    term: str | None = None
    sub: dict[str, str] = {}
    for step in path.split("."):
        match = _STEP.fullmatch(step)
        if match is None or cls is None or match[1] not in cls.model_fields:
            return None
        name = match[1]
        field = cls.model_fields[name]
        extra = _meta(field)
        own = extra.get("bt")
        term = sub.get(name) or (own if isinstance(own, str) else None)
        nested = extra.get("sub")
        sub = {k: v for k, v in nested.items() if isinstance(v, str)} \
            if isinstance(nested, dict) else {}
        cls = _inner_model(field.annotation)
    return term


@functools.cache
def _xpaths(format: str, root_tag: str) -> dict[str, tuple[etree.XPath, ...]]:
    """Each carried term's XPath alternatives in ``format``, compiled with its prefixes."""
    from chorus_core.formats import FORMATS
    from chorus_core.formats.mapping import xpaths

    namespaces = {prefix: uri for uri, prefix in FORMATS[format].SYNTAX.names.items() if prefix}
    return {term: tuple(etree.XPath(a, namespaces=namespaces) for a in text.split(" | "))
            for term, text in xpaths(format, root_tag if format == "ubl" else None).items()}


def _element(root: etree._Element, format: str, path: str,
             seen: dict[str, list[Any]]) -> Any:
    term = term_of(path)
    if term is None:
        return None
    if term not in seen:  # each term's elements are looked up once per document
        exprs = _xpaths(format, str(root.tag)).get(term, ())
        seen[term] = [m for expr in exprs for m in expr(root)]  # type: ignore[union-attr]
    matches = seen[term]
    if len(matches) == 1:
        return matches[0]
    indexes = re.findall(r"\[(\d+)\]", path)
    if len(indexes) == 1 and int(indexes[0]) < len(matches):
        return matches[int(indexes[0])]
    return None


def locate(findings: Iterable[Finding], root: etree._Element, format: str) -> list[Finding]:
    """``findings`` with the source XPath and line of their term added where it is found."""
    tree = root.getroottree()
    seen: dict[str, list[Any]] = {}
    out: list[Finding] = []
    for f in findings:
        node = _element(root, format, f.path, seen) if f.path else None
        if isinstance(node, etree._ElementUnicodeResult):  # an attribute: its element
            node = node.getparent()
        if isinstance(node, etree._Element):
            out.append(RuleFinding(**f.model_dump(), source=tree.getpath(node),
                                   line=node.sourceline))
        else:
            out.append(f)
    return out
