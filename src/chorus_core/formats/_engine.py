"""The binding engine: compiles the binding table, once per syntax, into a reader and a writer.

The reader walks the document once, dispatching each element by tag to the table's bindings
(``tag → candidates`` dicts, predicates telling candidates apart), and builds the nested dict
of the canonical model; everything the model does not hold is recorded as :class:`Unread`
(an element outside EN 16931, an attribute, a second value of a ``0..1`` term, a foreign
``currencyID``, a time zone, a fixed value that differs from the syntax's).  The writer walks a
plan tree in XSD element order (``_xsd_order.py``) and pulls each value from the model; it
records what it could not write, so that a conversion's loss report needs no second read.

One value policy for every syntax lives here: amounts, quantities and rates in the xs:decimal
lexical form only, strict base64, element text as its whole string value (comments and
processing instructions inside a value do not cut it).

>>> from chorus_core.formats import ubl
>>> reading = ubl.SYNTAX.read(ubl.parse(b'''<Invoice
...   xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
...   <cbc:ID>F-<!-- -->1</cbc:ID><cbc:UBLVersionID>2.1</cbc:UBLVersionID></Invoice>'''))
>>> reading.invoice.invoice_number
'F-1'
>>> [u.path for u in reading.unread]
['/Invoice/cbc:UBLVersionID']
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lxml import etree
from pydantic import BaseModel, ValidationError

from ..errors import (
    AttachmentError,
    ConversionError,
    IncompleteInvoiceError,
    ReadError,
    UsageError,
)
from ..model import LENIENT, Invoice
from ..xml.escape import escape_attr, escape_text
from ..xml.packing import b64decode
from ._table import Cell, Step, Term, load, parse_cell

__all__ = ["Hook", "Reading", "Syntax", "Unread", "Written", "reached_paths"]

Element = etree._Element
Dict = dict[str, Any]

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NUMBER_KINDS = frozenset({"amount", "price", "quantity", "percent"})
_CURRENCY_KINDS = frozenset({"amount", "price"})
_TEXT_KINDS = frozenset({"text", "code"})
_MISSING = object()
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"


@dataclass(frozen=True, slots=True)
class Unread:
    """Something of the source document the canonical model does not hold.

    ``path`` locates it in the document, ``bt`` names the term it belongs to (or the group it
    sits in), ``value`` is what was there and ``reason`` says why it was not taken.
    """

    path: str
    bt: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        term = f" [{self.bt}]" if self.bt else ""
        return f"{self.path}{term}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Reading:
    """A read document: the invoice and everything of the source it does not hold."""

    invoice: Invoice
    unread: tuple[Unread, ...]


@dataclass(frozen=True, slots=True)
class Written:
    """A written document and what the target did not carry as the model held it.

    ``missing`` lists ``(bt, model path, value)`` of values not written, ``changed`` the values
    written differently (a placeholder, a computed BT-110) as ``(bt, path, before, after)``.
    """

    data: bytes
    missing: tuple[tuple[str, str, Any], ...]
    changed: tuple[tuple[str, str, Any, Any], ...]


class Hook:
    """A named hook of a syntax, for the few cases a path cannot say.  Override what applies."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: dict[Term, Dict]
             ) -> None:
        """Store the values of ``el`` (its text) for ``leaves``."""
        reader.store(leaves[0], reader.convert(leaves[0], el), el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: dict[Term, Any]
              ) -> tuple[str | None, str]:
        """Text and extra attributes of the element for ``leaves`` (``None``: no value)."""
        return writer.text_of(leaves[0], ctx), ""

    def choose(self, writer: _Writer, leaf: _Leaf, ctx: dict[Term, Any]) -> int:
        """Which alternative of ``leaf``'s cell is written for the current instance."""
        return 0


# ---------------------------------------------------------------- compiled forms


@dataclass(eq=False)
class _Leaf:
    term: Term
    kind: str
    hook: Hook | None
    default: str | None
    alt: int
    steps: tuple[Step, ...]


@dataclass(eq=False)
class _RNode:
    tag: str
    term: Term | None
    predicate: tuple[tuple[str, ...], str] | None = None
    children: dict[str, list[_RNode]] = field(default_factory=dict)
    text: list[_Leaf] = field(default_factory=list)
    attrs: dict[str, list[_Leaf]] = field(default_factory=dict)
    opens: list[Term] = field(default_factory=list)
    consumed_tags: set[str] = field(default_factory=set)
    consumed_attrs: set[str] = field(default_factory=set)
    anchored: bool = False
    consumed_ready: bool = False
    origin: Term | None = None
    simple: bool = False
    """A plain text leaf: one binding, no hook, placeholder, attribute binding or child."""
    single: dict[str, _RNode] = field(default_factory=dict)
    """The children that are the only candidate for their tag (the fast dispatch)."""


@dataclass(eq=False)
class _WNode:
    tag: str
    qname: str
    predicate: tuple[tuple[str, ...], str] | None = None
    distinct: bool = False
    children: list[_WNode] = field(default_factory=list)
    text: list[_Leaf] = field(default_factory=list)
    attrs: dict[str, list[_Leaf]] = field(default_factory=dict)
    scope: Term | None = None
    required: bool = False
    fixed: bool = False
    fixed_text: str | None = None
    fixed_attrs: dict[str, str] = field(default_factory=dict)
    single: bool = False
    """The XSD lets this element occur once: a repeating scope writes its first instance only."""
    anchored: bool = False
    fixed_ready: bool = False
    origin: Term | None = None
    once: Term | None = None
    """Written in the first instance of an enclosing repeating element only (``!``)."""
    once_attrs: set[str] = field(default_factory=set)
    gate: Term | None = None
    """A term whose absence empties this element (the deepest term above all its values)."""
    simple: bool = False
    """A plain leaf: one value, no hook, attribute, child, placeholder or first-only rule."""


def _tag_of(clark: str, prefixes: dict[str, str]) -> str:
    if not clark.startswith("{"):
        return clark
    ns, _, local = clark[1:].partition("}")
    prefix = prefixes.get(ns)
    if prefix is None:
        return clark
    return f"{prefix}:{local}" if prefix else local


@dataclass
class Syntax:
    """A syntax descriptor: one column of the table plus what the paths cannot say.

    ``columns`` maps each root element (a Clark name) to its table column; ``prefixes`` the
    prefixes used in the table and written out (``None`` for the root's default namespace);
    ``date`` is ``"iso"`` (xs:date) or ``"102"`` (CII ``udt:DateTimeString format="102"``).
    """

    name: str
    columns: dict[str, str]
    prefixes: dict[str, str]
    namespaces: dict[str, str | None]
    abbreviations: dict[str, str]
    date: str
    hooks: dict[str, Hook]
    order: dict[str, dict[str, tuple[tuple[str, bool, bool], ...]]]
    root_for: Callable[[Invoice], str]
    amount_currency: bool = False
    """Amounts carry ``@currencyID`` (BT-5): UBL requires it, CII forbids it (CII-DT-031)."""
    _compiled: dict[str, tuple[_RNode, _WNode]] = field(default_factory=dict)
    _cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    _fast: dict[str, Callable[[_Writer], str]] = field(default_factory=dict)

    @functools.cached_property
    def names(self) -> dict[str, str]:
        """Namespace → prefix as written (``""`` for the root's default namespace)."""
        return {ns: (p or "") for ns, p in self.namespaces.items()}

    # -- compilation

    def compiled(self, column: str) -> tuple[_RNode, _WNode]:
        """The reader trie and the writer plan of ``column`` (compiled once)."""
        found = self._compiled.get(column)
        if found is None:
            found = self._compiled[column] = self._compile(column)
        return found

    def cells(self, column: str) -> dict[str, Cell]:
        """Every term's parsed cell in ``column`` (paths absolute from the root).

        A term below an identifier with alternatives (``ram:ID | ram:GlobalID``) gets one
        alternative per alternative of its parent, and the parent's hook chooses for both.
        """
        found = self._cells.get(column)
        if found is not None:
            return found
        table = load()
        cells: dict[str, Cell] = {}
        elements: dict[str, tuple[tuple[Step, ...], ...]] = {"": ((),)}
        hooks: dict[str, str | None] = {"": None}

        def visit(term: Term) -> None:
            for child in term.children:
                if child.self_value:
                    cells.setdefault(child.id, cells[term.id])
                    continue
                raw = table.cells[child.id]
                text = raw[column] or raw[column.split("_", 1)[0]]
                if text.startswith("~"):
                    text = ". " + text
                bases = elements[term.id]
                parsed = [parse_cell(text, base, self.prefixes, self.abbreviations)
                          for base in bases]
                first = parsed[0]
                alternatives = tuple(a for cell in parsed for a in cell.alternatives)
                hook = first.hook
                if hook is None and len(bases) > 1:
                    hook = hooks[term.id]
                cell = Cell(alternatives, hook, first.default, first.reason)
                cells[child.id] = cell
                elements[child.id] = alternatives or ((),)
                hooks[child.id] = hook
                visit(child)

        visit(table.root)
        self._cells[column] = cells
        return cells

    def _compile(self, column: str) -> tuple[_RNode, _WNode]:
        table = load()
        cells = self.cells(column)
        rroot = _RNode("", table.root)
        wroot = _WNode("", "")

        def leaf_of(term: Term, cell: Cell, alt: int, steps: tuple[Step, ...]) -> _Leaf:
            hook = self.hooks[cell.hook] if cell.hook else None
            return _Leaf(term, term.kind, hook, cell.default, alt, steps)

        def visit(term: Term) -> None:
            for child in term.children:
                cell = cells[child.id]
                kind = child.kind
                if kind in ("group", "id"):
                    if cell.alternatives:
                        for steps in cell.alternatives:
                            self._place_group(rroot, wroot, child, steps)
                    visit(child)
                    continue
                for alt, steps in enumerate(cell.alternatives):
                    self._place_leaf(rroot, wroot, leaf_of(child, cell, alt, steps), steps)

        visit(table.root)
        _consume_predicate_attributes(rroot)
        _gates(wroot, table.root)
        _mark_simple(wroot)
        _mark_simple_reader(rroot)
        root_tag = next(tag for tag, col in self.columns.items() if col == column)
        self._order(wroot, _tag_of(root_tag, self.names), column)
        return rroot, wroot

    @staticmethod
    def _match(cands: list[Any], step: Step, anchored: bool, origin: Term | None) -> Any:
        """The candidate ``step`` continues, or ``None`` to create one.

        Steps match on tag and predicate.  A step without predicate may continue the only
        candidate of a sibling term (``cac:TaxCategory/cbc:Percent`` of BT-96 after
        ``cac:TaxCategory[…]/cbc:ID`` of BT-95, both in BG-20), unless it anchors a term's own
        element (BG-24 beside BT-18's ``[cbc:DocumentTypeCode='130']``).
        """
        for cand in cands:
            if cand.predicate == step.predicate:
                return cand
        if (len(cands) == 1 and step.predicate is None and not anchored
                and cands[0].origin is origin):
            return cands[0]
        return None

    def _rwalk(self, root: _RNode, steps: tuple[Step, ...], term: Term,
               anchor: bool = True) -> _RNode:
        node = root
        last = len(steps) - 1
        for index, step in enumerate(steps):
            candidates = node.children.setdefault(step.tag, [])
            anchored = anchor and index == last
            match = self._match(candidates, step, anchored, term.parent)
            if match is None:
                match = _RNode(step.tag, term, step.predicate, origin=term.parent)
                candidates.append(match)
            if anchored:
                match.anchored = True
            if match.predicate is not None and not match.consumed_ready:
                match.consumed_ready = True
                self._consume(match, match.predicate)
            # candidates with a predicate are tried first, the one without is the fallback
            candidates.sort(key=lambda c: c.predicate is None)
            node = match
        return node

    @staticmethod
    def _consume(node: _RNode, predicate: tuple[tuple[str, ...], str]) -> None:
        first = predicate[0][0]
        if first.startswith("@"):
            node.consumed_attrs.add(first[1:])
        else:
            node.consumed_tags.add(first)

    def _wwalk(self, root: _WNode, steps: tuple[Step, ...], origin: Term | None,
               anchor: bool = True) -> _WNode:
        node = root
        last = len(steps) - 1
        for index, step in enumerate(steps):
            node = self._wchild(node, step, origin, anchor and index == last)
        return node

    def _wchild(self, node: _WNode, step: Step, origin: Term | None, anchored: bool = False
                ) -> _WNode:
        for cand in node.children:
            if cand.fixed and cand.tag == step.tag and cand.fixed_text is None:
                cand.fixed = False  # a predicate's element that also carries a term
                return cand
        cands = [c for c in node.children if c.tag == step.tag and not c.distinct
                 and not c.fixed and (not step.repeat or c.scope is not None)]
        match = self._match(cands, step, anchored, origin)
        if match is not None:
            if match.predicate is not None and not match.fixed_ready:
                match.fixed_ready = True
                self._fixed(match, match.predicate)
            match.anchored = match.anchored or anchored
            return match  # type: ignore[no-any-return]
        child = _WNode(step.tag, _tag_of(step.tag, self.names), step.predicate,
                       distinct=step.repeat and any(c.tag == step.tag for c in node.children),
                       anchored=anchored, origin=origin)
        node.children.append(child)
        if step.predicate is not None:
            child.fixed_ready = True
            self._fixed(child, step.predicate)
        return child

    def _fixed(self, node: _WNode, predicate: tuple[tuple[str, ...], str]) -> None:
        path, value = predicate
        target = node
        for part in path[:-1]:
            target = self._fixed_child(target, part)
        last = path[-1]
        if last.startswith("@"):
            target.fixed_attrs[last[1:]] = value
        else:
            self._fixed_child(target, last).fixed_text = value

    def _fixed_child(self, node: _WNode, tag: str) -> _WNode:
        for cand in node.children:
            if cand.tag == tag and not cand.distinct:
                return cand
        child = _WNode(tag, _tag_of(tag, self.names), fixed=True)
        node.children.append(child)
        return child

    def _place_group(self, rroot: _RNode, wroot: _WNode, term: Term, steps: tuple[Step, ...]
                     ) -> None:
        if not steps:
            return
        at = len(steps) - 1
        for index, step in enumerate(steps):
            if step.repeat:
                at = index
        if term.repeats:
            self._rwalk(rroot, steps[: at + 1], term).opens.append(term)
            self._rwalk(rroot, steps, term)
            parent = self._wwalk(wroot, steps[:at], term.parent, anchor=False)
            scope = self._wchild(parent, dataclasses.replace(steps[at], repeat=False),
                                 term.parent, True)
            if scope.scope is not None and scope.scope is not term:
                scope = _WNode(steps[at].tag, _tag_of(steps[at].tag, self.names),
                               steps[at].predicate, distinct=True)
                parent.children.append(scope)
                predicate = steps[at].predicate
                if predicate is not None:
                    self._fixed(scope, predicate)
            scope.scope = term
            if steps[at + 1:]:
                self._wwalk(scope, steps[at + 1:], term.parent)
        else:
            self._rwalk(rroot, steps, term)
            node = self._wwalk(wroot, steps, term.parent)
            if steps[-1].once:
                node.once = term

    def _place_leaf(self, rroot: _RNode, wroot: _WNode, leaf: _Leaf, steps: tuple[Step, ...]
                    ) -> None:
        last = steps[-1] if steps else None
        if last is not None and last.tag.startswith("@"):
            rnode = self._rwalk(rroot, steps[:-1], leaf.term, anchor=False)
            rnode.attrs.setdefault(last.tag[1:], []).append(leaf)
            wnode = self._wwalk(wroot, steps[:-1], leaf.term.parent, anchor=False)
            wnode.attrs.setdefault(last.tag[1:], []).append(leaf)
            if last.once:
                wnode.once_attrs.add(last.tag[1:])
            return
        rnode = self._rwalk(rroot, steps, leaf.term)
        rnode.text.append(leaf)
        if last is not None and last.repeat and not leaf.term.repeats:
            parent = self._wwalk(wroot, steps[:-1], leaf.term.parent, anchor=False)
            wnode = _WNode(last.tag, _tag_of(last.tag, self.names), last.predicate,
                           distinct=True)
            parent.children.append(wnode)
        else:
            wnode = self._wwalk(wroot, steps, leaf.term.parent)
        if last is not None and last.once:
            wnode.once = leaf.term
        wnode.text.append(leaf)

    def _order(self, node: _WNode, path: str, column: str) -> None:
        """Sort children in XSD order; mark those the XSD requires or lets repeat."""
        order = self.order.get(column, {})
        ranks: dict[str, int] = {}
        required: set[str] = set()
        many: set[str] = set()
        for index, (tag, req, repeats) in enumerate(order.get(path, ())):
            ranks.setdefault(tag, index)
            if req:
                required.add(tag)
            if repeats:
                many.add(tag)
        position = {id(c): i for i, c in enumerate(node.children)}
        node.children.sort(key=lambda c: (ranks.get(c.qname, len(ranks)), position[id(c)]))
        seen: set[str] = set()
        for child in node.children:
            if child.qname in required and child.qname not in seen and not child.fixed:
                child.required = True
                seen.add(child.qname)
            child.single = child.qname not in many
            self._order(child, f"{path}/{child.qname}", column)

    def fast_writer(self, column: str) -> Callable[[_Writer], str]:
        """The plan of ``column`` compiled into Python source (see ``_codegen``), once."""
        found = self._fast.get(column)
        if found is None:
            from ._codegen import compile_writer

            _, wroot = self.compiled(column)
            found = self._fast[column] = compile_writer(self, wroot, load().root)
        return found

    # -- reading and writing

    def read(self, root: Element) -> Reading:
        """Read a parsed document of this syntax into the model, with what it did not take."""
        column = self.columns[root.tag]
        rroot, _ = self.compiled(column)
        reader = _Reader(self, root)
        data = reader.run(rroot)
        try:
            invoice = Invoice.model_validate(data, context=LENIENT)
        except ValidationError as exc:  # pragma: no cover - the reader converts values itself
            first = exc.errors()[0]
            raise ReadError(first["msg"], path=".".join(str(p) for p in first["loc"])) from None
        return Reading(invoice, tuple(reader.unread))

    def write(self, invoice: Invoice, *, draft: bool = False, report: bool = True,
              interpret: bool = False) -> Written:
        """Write ``invoice``; raise :class:`IncompleteInvoiceError` for missing required terms.

        With ``draft=True`` the values the XSD requires are left out instead (the document is
        then not schema-valid).  ``report=False`` skips listing what was not written;
        ``interpret=True`` walks the plan instead of running its compiled form (the same bytes).
        """
        if not isinstance(invoice, Invoice):
            raise UsageError(
                f"invoice must be a chorus_core Invoice, not {type(invoice).__name__}",
                f"invoice doit être une Invoice de chorus_core, pas {type(invoice).__name__}",
                argument="invoice",
            )
        root_tag = self.root_for(invoice)
        column = self.columns[root_tag]
        _, wroot = self.compiled(column)
        writer = _Writer(self, invoice, draft)
        fast = None if interpret else self.fast_writer(column)
        body = writer.run(wroot, root_tag, fast)
        if writer.missing_required and not draft:
            terms = sorted(set(writer.missing_required), key=_term_key)
            raise IncompleteInvoiceError(terms, self.name)
        missing = writer.unwritten() if report else ()
        return Written(body.encode("utf-8"), tuple(missing), tuple(writer.changed))


def _ancestors(term: Term) -> list[Term]:
    chain = []
    node: Term | None = term
    while node is not None:
        chain.append(node)
        node = node.parent
    return chain[::-1]


def _common(a: Term | None, b: Term, root: Term) -> Term:
    if a is None:
        return b
    common = root
    for x, y in zip(_ancestors(a), _ancestors(b), strict=False):
        if x is not y:
            break
        common = x
    return common


def _gates(node: _WNode, root: Term) -> Term | None:
    """Set each node's gate: the deepest term above every value (and scope) of its subtree;
    a subtree with a writing hook (a computed BT-110…) or nothing to write gets none."""
    lca: Term | None = None
    for leaf in [*node.text, *(leaf for leaves in node.attrs.values() for leaf in leaves)]:
        owner = leaf.term.parent if leaf.hook is None else root
        lca = _common(lca, owner if owner is not None else root, root)
    if node.scope is not None and node.scope.parent is not None:
        lca = _common(lca, node.scope.parent, root)
    for child in node.children:
        below = _gates(child, root)
        if below is not None:
            lca = _common(lca, below, root)
    node.gate = lca if lca is not None and lca is not root else None
    return lca if lca is not None else (None if node.fixed else root)


def _mark_simple(node: _WNode) -> None:
    for child in node.children:
        leaf = child.text[0] if len(child.text) == 1 else None
        child.simple = (leaf is not None and leaf.hook is None and leaf.default is None
                        and not child.attrs and not child.children and not child.fixed_attrs
                        and child.once is None and child.scope is None and not child.fixed)
        _mark_simple(child)


def _mark_simple_reader(node: _RNode) -> None:
    node.single = {tag: c[0] for tag, c in node.children.items() if len(c) == 1}
    for candidates in node.children.values():
        for child in candidates:
            leaf = child.text[0] if len(child.text) == 1 else None
            child.simple = (leaf is not None and leaf.hook is None and leaf.default is None
                            and leaf.kind in _TEXT_KINDS and not child.attrs
                            and not child.children and not child.opens
                            and not child.consumed_tags and not child.consumed_attrs)
            _mark_simple_reader(child)


def _consume_predicate_attributes(node: _RNode) -> None:
    """A predicate on a child's attribute (``[ram:ID/@schemeID='VA']``) consumes it there."""
    for candidates in node.children.values():
        for child in candidates:
            if child.predicate is not None:
                path = child.predicate[0]
                if len(path) == 2 and path[1].startswith("@"):
                    for grandchild in child.children.get(path[0], ()):
                        grandchild.consumed_attrs.add(path[1][1:])
            _consume_predicate_attributes(child)


def _term_key(term: str) -> tuple[int, int, str]:
    kind, _, rest = term.partition("-")
    number, _, sub = rest.partition("-")
    return (0 if kind == "BT" else 1, int(number) if number.isdigit() else 0, sub)


def reached_paths(column: str) -> set[tuple[str, ...]]:
    """Every element path (Clark names from the root) the table reaches in ``column``."""
    from . import FORMATS

    for module in FORMATS.values():
        syntax: Syntax = module.SYNTAX
        if column in syntax.columns.values():
            root_tag = next(t for t, c in syntax.columns.items() if c == column)
            _, wroot = syntax.compiled(column)
            found: set[tuple[str, ...]] = set()
            stack: list[tuple[_WNode, tuple[str, ...]]] = [(wroot, (root_tag,))]
            while stack:
                node, path = stack.pop()
                found.add(path)
                stack.extend((child, (*path, child.tag)) for child in node.children)
            return found
    raise KeyError(column)


# ---------------------------------------------------------------- reading


def _full_text(el: Element) -> str:
    """The whole text of a leaf element: its text and the tails of whatever sits inside it
    (comments and PIs do not cut a value; an element inside it is reported apart)."""
    if len(el) == 0:
        text = el.text
        return "" if text is None else text
    parts = [el.text or ""]
    parts.extend(child.tail or "" for child in el)
    return "".join(parts)


class _Reader:
    """One pass over a document; builds the nested dict of the canonical model."""

    def __init__(self, syntax: Syntax, root: Element) -> None:
        self.syntax = syntax
        self.root_el = root
        self.data: Dict = {}
        self.unread: list[Unread] = []
        self.amounts: list[tuple[Element, str, _Leaf]] = []
        self._positions: dict[Any, Any] = {}
        self.opened: list[Dict] = []
        self.stores = 0
        """Values stored so far: an element that opened a group and stored nothing still
        counts as a group (an allowance with only its charge indicator), not as nothing."""
        self.keep: set[int] = set()
        self.table_root = load().root

    def run(self, rroot: _RNode) -> Dict:
        root = self.root_el
        for name in root.attrib:
            if isinstance(name, str) and not name.startswith(_XSI):
                self._unread(root, None, root.get(name), "attribute not carried", attr=name)
        self.visit(root, rroot, {})
        self._check_currencies()
        if any(not instance for instance in self.opened):  # rare: an element with no value
            return _prune(self.data, self.keep) or {}
        return self.data

    def visit(self, el: Element, node: _RNode, open_: dict[Term, Dict]) -> None:
        single = node.single
        for child in el:
            cnode = single.get(child.tag)
            if cnode is None:
                candidates = node.children.get(child.tag)
                if candidates is None:
                    self.stray(el, node, child)
                    continue
                cnode = self._pick(candidates, child)
            elif cnode.predicate is not None:
                self._check_predicate(child, cnode)
            inner = open_
            opened: list[Dict] = []
            if cnode.opens:
                inner = dict(open_)
                for term in cnode.opens:
                    parent = self.resolve(term.parent, inner)  # type: ignore[arg-type]
                    instance: Dict = {}
                    parent.setdefault(term.attribute, []).append(instance)
                    inner[term] = instance
                    self.opened.append(instance)
                    opened.append(instance)
            elif cnode.simple:  # the hot path: a plain text leaf, inlined
                text = child.text if len(child) == 0 else _full_text(child)
                if child.attrib:
                    self._attributes(child, cnode, inner)
                term = cnode.text[0].term
                target = open_.get(term.parent)  # type: ignore[arg-type]
                if target is None:
                    target = self.resolve(term.parent, open_)  # type: ignore[arg-type]
                name = term.attribute
                value = "" if text is None else text
                if name not in target:
                    target[name] = value
                    self.stores += 1
                elif target[name] != value:
                    self._unread(child, term.id, value,
                                 "second value of a term the model holds once")
                if len(child):  # elements inside a text value: none is a term, each reported
                    self.visit(child, cnode, open_)
                continue
            before = self.stores
            if child.attrib:
                self._attributes(child, cnode, inner)
            if cnode.text:
                leaves = cnode.text
                hook = leaves[0].hook
                if hook is not None:
                    hook.read(self, child, leaves, inner)
                else:
                    self.store(leaves[0], self.convert(leaves[0], child), child, inner)
            if len(child):
                self.visit(child, cnode, inner)
            if opened and self.stores == before:  # an empty group: kept as a group
                self.keep.update(id(instance) for instance in opened)

    def stray(self, parent: Element, node: _RNode, child: Element) -> None:
        """A child of ``parent`` that no binding of ``node`` takes: reported, unless it is a
        comment, a processing instruction or the fixed child of a predicate."""
        tag = child.tag
        if not isinstance(tag, str):
            return
        if tag in node.consumed_tags:
            return  # the fixed child of a predicate, checked where the predicate is
        self._unread(child, node.term, None, "no EN 16931 term of this syntax here")

    def _pick(self, candidates: list[_RNode], el: Element) -> _RNode:
        for cand in candidates:
            if cand.predicate is None or _predicate_value(el, cand.predicate[0]) == (
                    cand.predicate[1]):
                return cand
        fallback = candidates[-1]  # the last candidate of the table, reported
        self._check_predicate(el, fallback)
        return fallback

    def _check_predicate(self, el: Element, node: _RNode) -> None:
        if node.predicate is None:
            return
        path, expected = node.predicate
        actual = _predicate_value(el, path)
        if actual is not None and actual != expected:
            self._unread(el, node.term, actual,
                         f"{'/'.join(_tag_of(p, self.syntax.names) for p in path)} is "
                         f"{actual!r}; this syntax carries only {expected!r}")

    def _attributes(self, el: Element, node: _RNode, open_: dict[Term, Dict]) -> None:
        for key, raw in el.attrib.items():
            name, value = str(key), str(raw)
            leaves = node.attrs.get(name)
            if leaves is not None:
                self.store(leaves[0], value, el, open_, attr=name)
            elif name in node.consumed_attrs or name.startswith(_XSI):
                continue
            elif name == "currencyID" and node.text and node.text[0].kind in _CURRENCY_KINDS:
                if node.text[0].hook is None:  # a hook (BT-110/BT-111) checks its own
                    self.amounts.append((el, value, node.text[0]))
            elif name == "format" and node.text and node.text[0].kind == "date":
                continue  # read by the date policy
            else:
                self._unread(el, node.term, value, "attribute not carried", attr=name)

    def resolve(self, term: Term, open_: dict[Term, Dict]) -> Dict:
        """The dict of ``term``'s current instance, created on first use for a single group."""
        found = open_.get(term)
        if found is not None:
            return found
        if term.parent is None:
            return self.data
        parent = self.resolve(term.parent, open_)
        if term.repeats:
            items = parent.setdefault(term.attribute, [])
            if not items:
                items.append({})
            last: Dict = items[-1]
            return last
        inner = parent.get(term.attribute)
        if inner is None:
            inner = parent[term.attribute] = {}
        open_[term] = inner  # a single group: the same dict for the whole context
        return inner

    def store(self, leaf: _Leaf, value: Any, el: Element, open_: dict[Term, Dict],
              attr: str | None = None) -> None:
        """Store ``value`` for ``leaf``; a second, different value is reported, not kept."""
        if value is None:
            return
        if leaf.default is not None and value == self._default(leaf):
            return  # the XSD placeholder: absent in the model
        if attr is not None and leaf.kind not in _TEXT_KINDS:
            value = self.convert_text(leaf, value, el)  # one value policy, attributes included
        term = leaf.term
        target = self.resolve(term.parent, open_)  # type: ignore[arg-type]
        name = term.attribute
        if name in target:
            if target[name] != value:
                self._unread(el, term.id, str(value),
                             "second value of a term the model holds once", attr=attr)
            return
        target[name] = value
        self.stores += 1

    def _default(self, leaf: _Leaf) -> Any:
        assert leaf.default is not None
        if leaf.kind in _NUMBER_KINDS:
            return Decimal(leaf.default)
        return leaf.default

    def convert(self, leaf: _Leaf, el: Element) -> Any:
        """The value of ``el`` for ``leaf``'s kind, by the one value policy."""
        return self.convert_text(leaf, _full_text(el), el)

    def convert_text(self, leaf: _Leaf, text: str, el: Element) -> Any:
        """``text`` (an element's or an attribute's) as a value of ``leaf``'s kind."""
        kind = leaf.kind
        if kind in _NUMBER_KINDS:
            return self.number(leaf, text, el)
        if kind == "date":
            return self.date(leaf, text, el)
        if kind == "binary":
            return self.binary(leaf, text, el)
        return text

    def number(self, leaf: _Leaf, text: str, el: Element) -> Decimal:
        """A decimal in the xs:decimal lexical form (no exponent, ``_``, inner space, NaN)."""
        stripped = text.strip(" \t\r\n")
        if not _DECIMAL.fullmatch(stripped) or len(stripped) > 200:
            shown = stripped if len(stripped) <= 40 else stripped[:40] + "…"
            raise ReadError(f"{shown!r} is not a decimal number (xs:decimal)",
                            path=self.path(el), bt=leaf.term.id)
        return Decimal(stripped)

    def date(self, leaf: _Leaf, text: str, el: Element) -> date:
        """A date by the syntax's policy (xs:date, or CII format 102)."""
        stripped = text.strip(" \t\r\n")
        try:
            if self.syntax.date == "102":
                fmt = el.get("format")
                if fmt is not None and fmt != "102":
                    raise ReadError(f"date format {fmt!r} is not supported (only 102)",
                                    path=self.path(el), bt=leaf.term.id)
                if not re.fullmatch(r"[0-9]{8}", stripped):
                    raise ValueError
                return date(int(stripped[:4]), int(stripped[4:6]), int(stripped[6:]))
            match = re.fullmatch(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?",
                                 stripped)
            if match is None:
                raise ValueError
            if match[2]:
                self._unread(el, leaf.term.id, match[2], "time zone of a date not carried")
            return date.fromisoformat(match[1])
        except ValueError:
            form = "YYYYMMDD" if self.syntax.date == "102" else "YYYY-MM-DD"
            raise ReadError(f"{stripped!r} is not a date ({form})", path=self.path(el),
                            bt=leaf.term.id) from None

    def binary(self, leaf: _Leaf, text: str, el: Element) -> bytes:
        """Strict base64 (white space between groups allowed, nothing else)."""
        try:
            return b64decode(text)
        except AttachmentError as exc:
            raise ReadError(f"the attached document cannot be decoded: {exc}",
                            path=self.path(el), bt=leaf.term.id) from None

    def _check_currencies(self) -> None:
        currency = self.data.get("invoice_currency_code")
        for el, value, leaf in self.amounts:
            if value != currency:
                self._unread(el, leaf.term.id, value,
                             f"currencyID {value!r} differs from the invoice currency (BT-5)",
                             attr="currencyID")

    def _unread(self, el: Element, term: Term | str | None, value: str | None, reason: str,
                attr: str | None = None) -> None:
        bt = term.id if isinstance(term, Term) else term
        path = self.path(el) + (f"/@{attr}" if attr else "")
        self.unread.append(Unread(path, bt or None, value, reason))

    def _position(self, parent: Element, node: Element) -> tuple[int, int]:
        """1-based position of ``node`` among its same-tag siblings, and their count.

        Computed once per parent (a document of 10,000 unknown siblings stays linear).
        """
        table = self._positions.get(parent)
        if table is None:
            counts: dict[Any, int] = {}
            table = {}
            for child in parent:
                counts[child.tag] = counts.get(child.tag, 0) + 1
                table[child] = counts[child.tag]
            table["counts"] = counts
            self._positions[parent] = table
        return table[node], table["counts"][node.tag]

    def path(self, el: Element) -> str:
        """XPath-like location of ``el`` with the syntax's prefixes and positions."""
        names = self.syntax.names
        steps = []
        node: Element | None = el
        while node is not None:
            tag = node.tag
            if not isinstance(tag, str):
                step = "?"
            else:
                step = _tag_of(tag, names)
                if step.startswith("{"):  # a namespace outside the syntax: its own prefix
                    local = step.partition("}")[2]
                    step = f"{node.prefix}:{local}" if node.prefix else local
            parent = node.getparent()
            if parent is not None:
                position, count = self._position(parent, node)
                if count > 1:
                    step += f"[{position}]"
            steps.append(step)
            node = parent
        return "/" + "/".join(reversed(steps))


_BOOLEAN = {"1": "true", "0": "false", "true": "true", "false": "false"}


def _predicate_value(el: Element, path: tuple[str, ...]) -> str | None:
    value = _raw_predicate_value(el, path)
    return None if value is None else _BOOLEAN.get(value, value)


def _raw_predicate_value(el: Element, path: tuple[str, ...]) -> str | None:
    node: Element | None = el
    for part in path:
        if node is None:
            return None
        if part.startswith("@"):
            return node.get(part[1:])
        found = None
        for child in node:
            if child.tag == part:
                found = child
                break
        node = found
    return None if node is None else _full_text(node).strip()


def _prune(value: Any, keep: set[int]) -> Any:
    """Drop the empty dicts and lists of a reading, except the groups in ``keep``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            pruned = _prune(item, keep)
            if pruned is not None:
                out[key] = pruned
        return out if out or id(value) in keep else None
    if isinstance(value, list):
        items = [p for p in (_prune(i, keep) for i in value) if p is not None]
        return items or None
    return value


# ---------------------------------------------------------------- writing


def _number(value: Decimal) -> str:
    return format(value, "f")


class _Writer:
    """Walks the plan of one syntax over one invoice, appending escaped text."""

    def __init__(self, syntax: Syntax, invoice: Invoice, draft: bool) -> None:
        self.syntax = syntax
        self.invoice = invoice
        self.draft = draft
        self.root_term = load().root
        self.written: set[tuple[int, str]] = set()
        self.missing_required: list[str] = []
        self.changed: list[tuple[str, str, Any, Any]] = []
        self.stack: list[tuple[Term, int]] = []
        self.openings: dict[_WNode, str] = {}

    def run(self, wroot: _WNode, root_tag: str, fast: Callable[[_Writer], str] | None = None
            ) -> str:
        if fast is not None:
            parts = [fast(self)]
        else:
            ctx: dict[Term, Any] = {self.root_term: self.invoice}
            parts = [self.element_content(wroot, ctx, True)[0] or ""]
        qname = _tag_of(root_tag, self.syntax.names)
        root_ns = root_tag[1:].partition("}")[0]
        declarations = "".join(
            f' xmlns="{ns}"' if prefix is None else f' xmlns:{prefix}="{ns}"'
            for ns, prefix in self.syntax.namespaces.items()
            if prefix is not None or ns == root_ns
        )
        return (f"<?xml version='1.0' encoding='UTF-8'?>\n<{qname}{declarations}>"
                f"{parts[0]}</{qname}>")

    # values

    def instance(self, term: Term, ctx: dict[Term, Any]) -> Any:
        """The model object of ``term`` in the current context (``None`` when absent).

        Resolved single groups are remembered in ``ctx`` (valid for the whole context).
        """
        found = ctx.get(term, _MISSING)
        if found is not _MISSING:
            return found
        parent = self.instance(term.parent, ctx)  # type: ignore[arg-type]
        found = None if parent is None or isinstance(parent, tuple) else getattr(
            parent, term.attribute)
        ctx[term] = found
        return found

    def value(self, leaf: _Leaf, ctx: dict[Term, Any]) -> Any:
        owner = self.instance(leaf.term.parent, ctx)  # type: ignore[arg-type]
        if owner is None or isinstance(owner, tuple):
            return None
        value = getattr(owner, leaf.term.attribute)
        if value is not None:
            if leaf.hook is not None:
                if leaf.alt != leaf.hook.choose(self, leaf, ctx):
                    return None
            elif leaf.alt:
                return None  # alternatives are all read; the first is written
            self.written.add((id(owner), leaf.term.attribute))
        return value

    def format(self, leaf: _Leaf, value: Any) -> str:
        """The lexical form of ``value`` for ``leaf``'s kind in this syntax."""
        kind = leaf.kind
        if kind in _NUMBER_KINDS:
            return _number(value)
        if kind == "date":
            if self.syntax.date == "102":
                return f"{value.year:04d}{value.month:02d}{value.day:02d}"
            return str(value.isoformat())
        if kind == "binary":
            return base64.b64encode(value).decode("ascii")
        return str(value)

    def text_of(self, leaf: _Leaf, ctx: dict[Term, Any]) -> str | None:
        """The formatted value of ``leaf`` in ``ctx`` (``None`` when absent)."""
        value = self.value(leaf, ctx)
        if value is None:
            return None
        if leaf.default is not None and self.format(leaf, value) == leaf.default:
            self.changed.append((leaf.term.id, self.leaf_path(leaf, ctx), value, None))
        return self.format(leaf, value)

    def path_of(self, owner: Any, term: Term) -> str:
        """Model path of ``term`` in ``owner`` (computed only for a reported change)."""
        found = _object_path(self.invoice, owner, "") if owner is not None else None
        if found is None:
            return term.path
        return f"{found}.{term.attribute}" if found else term.attribute

    def leaf_path(self, leaf: _Leaf, ctx: dict[Term, Any]) -> str:
        """Model path of ``leaf`` in the current context."""
        return self.path_of(self.instance(leaf.term.parent, ctx), leaf.term)  # type: ignore[arg-type]

    # elements

    def emit(self, node: _WNode, ctx: dict[Term, Any], forced: bool) -> str | None:
        scope = node.scope
        if scope is None:
            return self.element(node, ctx, forced)
        parent = self.instance(scope.parent, ctx)  # type: ignore[arg-type]
        items = getattr(parent, scope.attribute) if parent is not None else ()
        if not items:
            out = self.element(node, {**ctx, scope: None}, False)
            if out is None and forced:
                self.missing_required.append(scope.id)
            return out
        parts: list[str] = []
        text = node.text[0] if node.text else None
        for index, item in enumerate(items):
            inner = {**ctx, scope: item}
            if text is not None and text.hook is not None and (
                    text.hook.choose(self, text, inner) != text.alt):
                continue  # the hook writes this instance in another alternative
            if node.single and parts:
                break  # the XSD allows one: the other instances are reported as unwritten
            self.stack.append((scope, index))
            try:
                out = self.element(node, inner, True)
            finally:
                self.stack.pop()
            if out is not None:
                parts.append(out)
        return "".join(parts) or None

    def repeated(self, term: Term) -> bool:
        """True inside a second instance of a repeating element of another term (``!``)."""
        return any(index and not _under(term, scope) for scope, index in self.stack)

    def element(self, node: _WNode, ctx: dict[Term, Any], forced: bool) -> str | None:
        if node.once is not None and self.stack and self.repeated(node.once):
            return None
        gate = node.gate
        if gate is not None and not forced and self.instance(gate, ctx) is None:
            return None  # nothing of this element's terms is in the model
        text, attrs = self.element_content(node, ctx, forced)
        if text is None and (not forced or node.text):
            return None
        qname = node.qname
        return f"<{qname}{attrs}>{text or ''}</{qname}>"

    def element_content(self, node: _WNode, ctx: dict[Term, Any], forced: bool
                        ) -> tuple[str | None, str]:
        """Content and attributes of ``node``; content ``None`` when it has nothing to say."""
        text: str | None = None
        extra = ""
        if node.text:
            leaves = node.text
            hook = leaves[0].hook
            if hook is not None:
                text, extra = hook.write(self, leaves, ctx)
            else:
                text = self.text_of(leaves[0], ctx)
            if text is None and forced and leaves[0].default is not None:
                text = leaves[0].default  # the placeholder the XSD forces; read back as absent
            if text is not None:
                text = self._escape(text, leaves[0])
            elif leaves[0].kind not in _TEXT_KINDS:
                # an empty number, date or binary cannot be read back: the element is left out
                # (its attributes stay unwritten and are reported)
                if forced and not self.draft:
                    self.missing_required.append(leaves[0].term.id)
                return None, ""
        attrs = []
        for name, leaves in node.attrs.items():
            value = None
            if name in node.once_attrs and self.stack and self.repeated(leaves[0].term):
                continue
            for leaf in leaves:
                value = self.value(leaf, ctx)
                if value is not None:
                    value = self.format(leaf, value)
                    break
            if value is not None:
                attrs.append(f' {name}="{self._escape_attr(value, leaves[0])}"')
        if node.text and text is not None and not extra:
            extra = self._value_attribute(node.text[0].kind)
        parts: list[str | None] = []
        has = text is not None or bool(attrs)
        for child in node.children:
            if child.fixed:
                parts.append(None)
                continue
            if child.simple:  # the hot path: a plain leaf, inlined
                leaf = child.text[0]
                term = leaf.term
                owner = ctx.get(term.parent, _MISSING)  # type: ignore[arg-type]
                if owner is _MISSING:
                    owner = self.instance(term.parent, ctx)  # type: ignore[arg-type]
                value = None if owner is None else getattr(owner, term.attribute)
                if value is None or leaf.alt:
                    parts.append(None)
                    continue
                self.written.add((id(owner), term.attribute))
                open_tag = self.opening(child)
                text_value = self._escape(self.format(leaf, value), leaf)
                parts.append(f"{open_tag}{text_value}</{child.qname}>")
                has = True
                continue
            out = self.emit(child, ctx, False)
            parts.append(out)
            if out is not None:
                has = True
        if not has and not forced:
            return None, ""
        if node.text and text is None:
            leaf = node.text[0]
            if not has:  # forced: the XSD requires this value
                if not self.draft:
                    self.missing_required.append(leaf.term.id)
                return None, ""  # a draft leaves it out
            # attributes without their element's text: written empty, read back as ''
            self.changed.append((leaf.term.id, self.leaf_path(leaf, ctx), None, ""))
            text = ""
        chain = len(node.children) == 1 and forced and not has
        for index, child in enumerate(node.children):
            if parts[index] is None and (child.required or child.fixed or chain):
                parts[index] = fixed_xml(child) if child.fixed else self.emit(child, ctx, True)
        fixed = "".join(f' {k}="{escape_attr(v)}"' for k, v in node.fixed_attrs.items())
        body = (text or "") + "".join(p for p in parts if p)
        return body, "".join(attrs) + extra + fixed

    def opening(self, node: _WNode) -> str:
        """The start tag of a plain leaf, with the currency or date format it carries."""
        found = self.openings.get(node)
        if found is None:
            extra = self._value_attribute(node.text[0].kind)
            found = self.openings[node] = f"<{node.qname}{extra}>"
        return found

    def _value_attribute(self, kind: str) -> str:
        """The attribute a value of ``kind`` carries in this syntax: an amount's
        ``currencyID`` (BT-5), a CII date's ``format="102"``; else nothing."""
        if kind in _CURRENCY_KINDS and self.syntax.amount_currency:
            currency = self.invoice.invoice_currency_code
            return "" if currency is None else f' currencyID="{escape_attr(currency)}"'
        if kind == "date" and self.syntax.date == "102":
            return ' format="102"'
        return ""

    def _escape(self, text: str, leaf: _Leaf) -> str:
        try:
            return escape_text(text)
        except ConversionError as exc:
            raise ConversionError(f"{exc} [{leaf.term.id}]") from None

    def _escape_attr(self, text: str, leaf: _Leaf) -> str:
        try:
            return escape_attr(text)
        except ConversionError as exc:
            raise ConversionError(f"{exc} [{leaf.term.id}]") from None

    def unwritten(self) -> list[tuple[str, str, Any]]:
        """Every value of the invoice the writer did not write."""
        written = self.written
        out = []
        for bt, path, (owner, name, value) in _walk_values(self.invoice, load().root, ""):
            if (id(owner), name) not in written:
                out.append((bt, path, value))
        return out


def _walk_values(model: BaseModel, term: Term, prefix: str
                 ) -> Iterable[tuple[str, str, tuple[Any, str, Any]]]:
    for child in term.children:
        value = getattr(model, child.attribute)
        if value is None or value == ():
            continue
        if child.children:
            items = value if child.repeats else (value,)
            for index, item in enumerate(items):
                here = f"{prefix}{child.attribute}" + (f"[{index}]" if child.repeats else "")
                yield from _walk_values(item, child, here + ".")
        else:
            yield child.id, f"{prefix}{child.attribute}", (model, child.attribute, value)


def fixed_xml(node: _WNode) -> str:
    """A fixed element of a predicate (``ChargeIndicator``, ``TaxScheme/ID``, …) as written."""
    inner = "".join(fixed_xml(c) for c in node.children if c.fixed)
    text = escape_text(node.fixed_text) if node.fixed_text is not None else ""
    attrs = "".join(f' {k}="{escape_attr(v)}"' for k, v in node.fixed_attrs.items())
    return f"<{node.qname}{attrs}>{text}{inner}</{node.qname}>"


def _under(term: Term, scope: Term) -> bool:
    node: Term | None = term
    while node is not None:
        if node is scope:
            return True
        node = node.parent
    return False


def _object_path(model: Any, target: Any, prefix: str) -> str | None:
    """Path of the model object ``target`` inside ``model`` (found by identity)."""
    if model is target:
        return prefix.rstrip(".")
    if not isinstance(model, BaseModel):
        return None
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, tuple):
            for index, item in enumerate(value):
                found = _object_path(item, target, f"{prefix}{name}[{index}].")
                if found is not None:
                    return found
        elif isinstance(value, BaseModel):
            found = _object_path(value, target, f"{prefix}{name}.")
            if found is not None:
                return found
    return None


def plan_terms(plan: _WNode, top: str) -> Iterable[tuple[str, str]]:
    """``(element path, term id)`` for every element of a writer plan below ``top``."""

    def visit(node: _WNode, path: str, term: str | None) -> Iterable[tuple[str, str]]:
        for child in node.children:
            here = f"{path}/{child.qname}"
            bt = (child.text[0].term.id if child.text
                  else child.scope.id if child.scope is not None else term)
            if bt is not None:
                yield here, bt
            yield from visit(child, here, bt)

    return visit(plan, top, None)
