"""The mapping of every EN 16931 term in every syntax, read from the binding table.

:func:`xpaths` gives, per format, the XPath where each term is written (from the root, ``/*``
for a root in the default namespace, with the syntax's prefixes); :func:`markdown` renders the
whole table for ``docs/mapping.md`` (a test regenerates it and fails when the page is stale).

>>> xpaths("cii")["BT-10"]
'/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerReference'
>>> xpaths("ubl")["BT-31"]
"/*/cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"
"""

from __future__ import annotations

from ..model import TERMS
from ._engine import Syntax, _tag_of
from ._table import Cell, Step, load

__all__ = ["markdown", "xpaths"]


def _syntax(format: str) -> Syntax:
    from . import FORMATS

    syntax: Syntax = FORMATS[format].SYNTAX
    return syntax


def _xpath(steps: tuple[Step, ...], names: dict[str, str], root: str) -> str:
    parts = [root]
    for step in steps:
        tag = step.tag if step.tag.startswith("@") else _tag_of(step.tag, names)
        if step.predicate is not None:
            path, value = step.predicate
            inner = "/".join(p if p.startswith("@") else _tag_of(p, names) for p in path)
            tag += f"[{inner}='{value}']"
        parts.append(tag)
    return "/".join(parts)


def _cell_text(cell: Cell, names: dict[str, str], root: str) -> str:
    if not cell.carried:
        return f"not carried: {cell.reason}"
    text = " | ".join(_xpath(alt, names, root) for alt in cell.alternatives)
    if cell.hook:
        text += f" (hook {cell.hook})"
    return text


def xpaths(format: str, root_tag: str | None = None) -> dict[str, str]:
    """Term id → XPath of its element (or attribute) in ``format``, alternatives joined by
    `` | `` (for UBL, ``root_tag`` chooses the CreditNote column)."""
    syntax = _syntax(format)
    tag = root_tag if root_tag is not None else next(iter(syntax.columns))
    column = syntax.columns[tag]
    names = syntax.names
    local = _tag_of(tag, names)
    root = "/" + (local if ":" in local else "*")  # a root in the default namespace: /*
    out: dict[str, str] = {}
    for term, cell in syntax.cells(column).items():
        if cell.carried and cell.alternatives:
            out[term] = " | ".join(_xpath(alt, names, root) for alt in cell.alternatives)
    return out


def markdown() -> str:
    """The page ``docs/mapping.md``: every term, its model path and its place in each syntax."""
    from . import FORMATS

    table = load()
    columns: list[tuple[str, str, dict[str, Cell], dict[str, str], str]] = []
    for name, module in FORMATS.items():
        syntax: Syntax = module.SYNTAX
        for root_tag, column in syntax.columns.items():
            local = root_tag.partition("}")[2]
            label = name if len(syntax.columns) == 1 else f"{name} {local}"
            columns.append((label, column, syntax.cells(column), syntax.names,
                            "/" + _tag_of(root_tag, syntax.names)))
    lines = [
        "# Mapping of the EN 16931 terms",
        "",
        "Generated from the binding table (`src/chorus_core/formats/bindings.csv`) by",
        "`chorus_core.formats.mapping.markdown()`; `tests/formats/test_table.py` fails when this",
        "page is stale (`CHORUS_UPDATE_DOCS=1` rewrites it).  One row per business term or group:",
        "its id, name, kind, path in the canonical model, then its XPath in each syntax.  A",
        "*hook* is named where a path alone cannot say it (see the format module's docstring).",
        "",
    ]
    header = "| Term | Name | Kind | Model | " + " | ".join(c[0] for c in columns) + " |"
    lines.append(header)
    lines.append("|" + "---|" * (4 + len(columns)))
    for term_id in TERMS:
        term = table.terms[term_id]
        cells = []
        for _label, _column, parsed, names, root in columns:
            cell = parsed.get(term_id)
            text = _cell_text(cell, names, root) if cell is not None else ""
            cells.append(f"`{text}`" if text else "")
        name = TERMS[term_id].name_en.replace("|", "/")
        row = [term_id, name, table.kinds[term_id], f"`{term.path}`", *cells]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines) + "\n"
