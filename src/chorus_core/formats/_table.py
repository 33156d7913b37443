"""The binding table: every EN 16931 term, its place in the canonical model and in each syntax.

``bindings.csv`` (package data) has one row per term of :data:`chorus_core.model.TERMS`: its
id, its value kind and one cell per syntax column (``ubl``, ``ubl_credit_note`` — empty when
equal to ``ubl`` —, ``cii``).  The model path and the cardinality are not repeated there: they
come from the model's own field metadata (``bt("BT-…")``) and from ``TERMS``, joined here into a
tree of :class:`Term` nodes, so that each fact is declared once.

A cell is a path in a deliberately small language, relative to the element of the term's
parent (its group, or the identifier a scheme belongs to):

* ``cac:Party/cbc:Name``: child steps; ``.`` the parent's element itself; ``..`` one up; a
  leading ``/`` starts from the document root; ``{HS}`` an abbreviation of the syntax;
* ``[cbc:ChargeIndicator='true']`` on a step: a predicate on a child (or ``@attribute``) value;
  it tells candidates apart when reading and is written as a fixed value;
* ``@unitCode``: an attribute of the element;
* ``+`` after a step: where a repeating term repeats (by default its last step); on a term that
  does not repeat, a distinct element the writer does not share with others;
* ``!`` after the last step: inside an element that repeats for another term (one UBL
  ``cac:PaymentMeans`` per credit transfer), written in the first instance only;
* ``=0`` after the last step: the placeholder the XSD forces when the model has no value
  (written, and read back as absent);
* ``a | b``: alternatives, all read, the first written unless a hook chooses;
* ``~name``: a named hook of the syntax for what a path cannot say (a ``#CODE#`` note prefix, a
  code translation, the choice between ``ram:ID`` and ``ram:GlobalID``, …);
* ``- reason``: not carried by the syntax, with the reason.

>>> table = load()
>>> table.terms["BT-10"].path
'buyer_reference'
>>> table.terms["BT-46-1"].path, table.terms["BT-46-1"].parent.id
('buyer.identifier.scheme_id', 'BT-46')
>>> table.cells["BT-10"]["cii"]
'{HA}/ram:BuyerReference'
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..model import Invoice
from ..model.terms import _has_terms, _inner_model, _leaf_ids, _meta

__all__ = ["COLUMNS", "KINDS", "Cell", "Step", "Table", "Term", "load", "parse_cell"]

COLUMNS = ("ubl", "ubl_credit_note", "cii", "pes_pivot", "pes_asap")
"""The syntax columns of the table."""

KINDS = frozenset({
    "group", "id", "text", "code", "amount", "price", "quantity", "percent", "date", "binary",
})
"""Value kinds: a group, an identifier with its scheme sub-terms, or a scalar kind."""


@dataclass(eq=False)
class Term:
    """One business term or group, placed in the canonical model."""

    id: str
    kind: str
    attribute: str
    """Attribute name in the parent's model object (``value`` for an identifier's value)."""
    parent: Term | None
    repeats: bool
    """The model holds a tuple of these (a ``0..n``/``1..n`` group or term)."""
    children: list[Term] = field(default_factory=list)
    path: str = ""
    """Path in the canonical model without positions (``lines.item.name``)."""
    self_value: bool = False
    """An identifier's ``value``: the term's text sits in the identifier's own element."""

    def __repr__(self) -> str:
        return f"Term({self.id!r}, {self.path!r})"


@dataclass(frozen=True)
class Step:
    """One step of a path: a Clark name (or ``@attr`` / ``..``) with its decorations."""

    tag: str
    predicate: tuple[tuple[str, ...], str] | None = None
    repeat: bool = False
    once: bool = False


@dataclass(frozen=True)
class Cell:
    """A parsed cell: alternatives of absolute step tuples, a hook, a default, or not carried."""

    alternatives: tuple[tuple[Step, ...], ...] = ()
    hook: str | None = None
    default: str | None = None
    reason: str | None = None
    """Why the syntax does not carry the term (``None`` when it does)."""

    @property
    def carried(self) -> bool:
        """False for a ``- reason`` cell."""
        return self.reason is None


@dataclass
class Table:
    """The loaded table: the term tree and the raw cells by term id and column."""

    root: Term
    terms: dict[str, Term]
    cells: dict[str, dict[str, str]]
    kinds: dict[str, str]


def _walk(cls: type[Any], parent: Term, terms: dict[str, Term], prefix: str) -> None:
    for name, info in cls.model_fields.items():
        meta = _meta(info)
        if "bt" not in meta:
            continue
        inner = _inner_model(info.annotation)
        repeats = typing_is_tuple(info.annotation)
        term = Term(meta["bt"], "", name, parent, repeats, path=prefix + name)
        parent.children.append(term)
        terms[term.id] = term
        if inner is None:
            continue
        if _has_terms(inner):
            _walk(inner, term, terms, term.path + ".")
            continue
        for sub, sub_id in _leaf_ids(term.id, meta.get("sub", {}), inner).items():
            if sub_id == term.id:  # the identifier's own value
                child = Term(term.id, "", sub, term, False, path=f"{term.path}.{sub}",
                             self_value=True)
                term.children.append(child)
                continue
            child = Term(sub_id, "", sub, term, False, path=f"{term.path}.{sub}")
            term.children.append(child)
            terms[sub_id] = child


def typing_is_tuple(annotation: Any) -> bool:
    """True when a field annotation is a tuple (a repeating term or group)."""
    import types
    import typing

    origin = typing.get_origin(annotation)
    if origin is tuple:
        return True
    if origin in (typing.Union, types.UnionType):
        return any(typing_is_tuple(a) for a in typing.get_args(annotation))
    return False


@functools.cache
def load() -> Table:
    """Load ``bindings.csv`` and join it with the model (cached: the table is immutable)."""
    text = resources.files("chorus_core.formats").joinpath("bindings.csv").read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    root = Term("", "group", "", None, False)
    terms: dict[str, Term] = {}
    _walk(Invoice, root, terms, "")
    cells: dict[str, dict[str, str]] = {}
    kinds: dict[str, str] = {}
    for row in rows:
        term_id = row["term"]
        kinds[term_id] = row["kind"]
        cells[term_id] = {column: row[column].strip() for column in COLUMNS}
        term = terms.get(term_id)
        if term is not None:
            term.kind = row["kind"]
            for child in term.children:
                if child.self_value:
                    child.kind = "text"
    return Table(root, terms, cells, kinds)


# ---------------------------------------------------------------- the path language

_STEP = re.compile(
    r"(?P<tag>\.\.|\.|@?[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)"
    r"(?:\[(?P<pred>[^\]=]+)='(?P<value>[^']*)'\])?(?P<plus>\+)?(?P<once>!)?"
)


def _clark(name: str, prefixes: dict[str, str]) -> str:
    prefix, sep, local = name.partition(":")
    if not sep:
        return name
    return "{" + prefixes[prefix] + "}" + local


def _split(path: str) -> list[str]:
    """Split a path on ``/`` outside predicates."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(path):
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        elif char == "/" and depth == 0:
            parts.append(path[start:index])
            start = index + 1
    parts.append(path[start:])
    return parts


def _steps(path: str, prefixes: dict[str, str]) -> list[Step]:
    steps = []
    for part in _split(path):
        match = _STEP.fullmatch(part)
        if match is None:
            raise ValueError(f"bad step {part!r} in {path!r}")
        tag = match["tag"]
        predicate = None
        if match["pred"] is not None:
            pred_steps = tuple(
                s if s.startswith("@") else _clark(s, prefixes) for s in match["pred"].split("/")
            )
            predicate = (pred_steps, match["value"])
        steps.append(Step(tag if tag.startswith((".", "@")) else _clark(tag, prefixes),
                          predicate, bool(match["plus"]), bool(match["once"])))
    return steps


def parse_cell(
    text: str,
    base: tuple[Step, ...],
    prefixes: dict[str, str],
    abbreviations: dict[str, str],
) -> Cell:
    """Parse one cell relative to ``base`` (the parent's element steps from the root).

    >>> from chorus_core.formats import ubl
    >>> cell = parse_cell("cac:Price/cbc:BaseQuantity/@unitCode", (), ubl.SYNTAX.prefixes, {})
    >>> [step.tag.rsplit("}", 1)[-1] for step in cell.alternatives[0]]
    ['Price', 'BaseQuantity', '@unitCode']
    """
    text = text.strip()
    if text.startswith("-"):
        return Cell(reason=text[1:].strip() or "not carried")
    hook = None
    if "~" in text:
        text, _, hook = text.partition("~")
        text, hook = text.strip(), hook.strip()
    default = None
    alternatives = []
    for alternative in (a.strip() for a in text.split("|")) if text else ():
        for key, value in abbreviations.items():
            alternative = alternative.replace("{" + key + "}", value)
        last = _split(alternative)[-1]
        if "=" in last.rpartition("]")[2]:
            alternative, _, default = alternative.rpartition("=")
        absolute = alternative.startswith("/")
        steps = list(() if absolute else base)
        for step in _steps(alternative.lstrip("/"), prefixes):
            if step.tag == ".":
                continue
            if step.tag == "..":
                steps.pop()
                continue
            steps.append(step)
        alternatives.append(tuple(steps))
    return Cell(tuple(alternatives), hook, default)
