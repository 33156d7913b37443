"""Syntax rules: the UBL-* and CII-* rules of the official EN 16931 Schematron, on the XML tree.

The EN 16931 validation artefacts check each syntax binding with rules of their own, beside
the business rules: cardinalities that the XSD leaves open (``UBL-SR-*``, ``CII-SR-*``),
data-type restrictions (``UBL-DT-*``, ``CII-DT-*``: two decimals in an amount, a mime code on
a binary object, YYYYMMDD dates) — those are *fatal* — and the elements and attributes that
EN 16931 does not use, which "should not be present" (``UBL-CR-*``, most ``CII-SR-*``) —
*warnings*.  :func:`check` runs them on a parsed document, with the ids, flags and messages of
the official XSLT.

The rules are data, generated from the official Schematron by ``tools/gen_syntax_rules.py``
into :mod:`chorus_core.rules._syntax_data` (the package never reads the artefacts at run
time).  Their XPath 2.0 tests are rewritten to XPath 1.0 and compiled once with lxml; as in
Schematron, a node is checked by the first rule whose context matches it.  Most tests are not
run as XPath at all: a "should not be present" test ``not(P)`` becomes a path in a trie of
tags walked from the context node (only a path actually found is then checked), the contexts
that match on a name suffix (``…Amount``, ``…ID``) and the ``not(//P)`` tests share one pass
over the document, and the remaining tests of a context are one XPath evaluation.

Findings are in the layer ``syntax``: severity ``fatal`` (policy *refused at deposit* by
default: Chorus Pro refuses a structured invoice that fails the EN 16931 validation,
``research/chorus-rules.md`` §4.3, "format/XSD errors"; the ``policy`` argument changes it) or
``warning`` (policy *none*).  ``path`` is the location of the
offending element, with the usual prefixes (``/ubl:Invoice/cac:InvoiceLine[2]/…``).
:data:`SYNTAX_RULES` lists every id once.

More information:

* CEN/TC 434 validation artefacts 1.3.16, ``{ubl,cii}/schematron/*/EN16931-*-syntax.sch``
* ``research/en16931.md`` §5 (the UBL-CR rules list every UBL element that is not allowed)

>>> from lxml import etree
>>> ok = etree.fromstring(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
...     b'Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:'
...     b'CommonBasicComponents-2"><cbc:ID>1</cbc:ID></Invoice>')
>>> check(ok, "ubl")
[]
>>> bad = etree.fromstring(b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:'
...     b'Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:'
...     b'CommonBasicComponents-2"><cbc:PayableAmount>1.005</cbc:PayableAmount></Invoice>')
>>> [(f.code, f.severity.value, f.path) for f in check(bad, "ubl")]
[('UBL-DT-01', 'fatal', '/ubl:Invoice/cbc:PayableAmount')]
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final, NamedTuple

from lxml import etree

from chorus_core.errors import Finding, Policy, Severity, UsageError

from . import _syntax_data as data

__all__ = ["LAYER", "SYNTAXES", "SYNTAX_RULES", "SyntaxRule", "check"]

LAYER: Final = "syntax"
"""The layer of every finding of :func:`check`."""
SYNTAXES: Final = ("ubl", "cii")
"""The syntaxes :func:`check` knows."""


class SyntaxRule(NamedTuple):
    """One syntax rule of the official Schematron: id, syntax, flag, terms and messages."""

    code: str
    syntax: str
    severity: Severity
    bt: tuple[str, ...]
    policy: Policy
    message_en: str
    message_fr: str


def _rule(code: str, syntax: str, flag: str, message_en: str, message_fr: str,
          bt: tuple[str, ...]) -> SyntaxRule:
    fatal = flag == "fatal"
    return SyntaxRule(code, syntax, Severity.FATAL if fatal else Severity.WARNING, bt,
                      Policy.REFUSED_AT_DEPOSIT if fatal else Policy.NONE,
                      message_en, message_fr)


def _registry() -> dict[str, SyntaxRule]:
    found: dict[str, SyntaxRule] = {}
    for syntax, rules in (("ubl", data.RULES_UBL), ("cii", data.RULES_CII)):
        for _context, asserts in rules:
            for code, flag, _test, en, fr, bt in asserts:
                found.setdefault(code, _rule(code, syntax, flag, en, fr, bt))
    return dict(sorted(found.items()))


SYNTAX_RULES: Final[dict[str, SyntaxRule]] = _registry()
"""Every UBL-* and CII-* rule, by id (an id used by several asserts is listed once)."""


class _Assert(NamedTuple):
    rule: SyntaxRule
    test: etree.XPath
    message_en: str
    message_fr: str


class _Trie:
    """The forbidden paths of one rule, by tag: reaching a node triggers its asserts."""

    __slots__ = ("attrs", "children", "hits")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.attrs: dict[str, list[int]] = {}
        self.hits: list[int] = []

    def walk(self, element: etree._Element, out: set[int]) -> None:
        if self.hits:
            out.update(self.hits)
        if self.attrs:
            attrib = element.attrib
            if attrib:
                for name in attrib:
                    hits = self.attrs.get(name)  # type: ignore[arg-type]
                    if hits is not None:
                        out.update(hits)
        children = self.children
        if children:
            for child in element:
                sub = children.get(child.tag)
                if sub is not None:
                    sub.walk(child, out)


class _Part(NamedTuple):
    """One path of a context union: tags from the node up, anchored at the root or not."""

    chain: tuple[str, ...]
    anchored: bool
    predicate: etree.XPath | None  # on the node itself (a predicate of the last step)


class _Compiled(NamedTuple):
    context: etree.XPath | None  # None: matched in the document pass (suffix or parts)
    suffix: tuple[str | None, str] | None  # (namespace or None, local-name suffix)
    parts: tuple[_Part, ...]  # the context as tag chains, when it is a union of plain paths
    candidate: etree.XPath | None  # the rest of the context predicate, on a suffix candidate
    asserts: tuple[_Assert, ...]  # in Schematron order
    exists: frozenset[int]  # asserts that fail as soon as their trie node is reached
    trie: _Trie
    always: tuple[int, ...]  # asserts evaluated on every context node…
    verdicts: etree.XPath | None  # …all at once: a string of 0/1, one per assert


_Kind = tuple[tuple[int, ...], tuple[tuple[int, _Part], ...]]


class _Syntax(NamedTuple):
    rules: tuple[_Compiled, ...]
    anywhere: _Trie  # the not(//P) tests of every rule, hits coded rule * _SPAN + assert
    anywhere_exact: frozenset[int]  # coded hits that fail as soon as they are reached
    prefixes: dict[str, str]  # namespace URI → usual prefix, for the finding paths
    kinds: dict[str, _Kind]  # cache of _kind() by tag (bounded: documents may hold any tag)


_SPAN = 10_000  # more asserts than any rule has
_KINDS_CACHED = 4096

_STEP = re.compile(r"(\w+):([\w.-]+)(\[.*\])?")
_ATTR_STEP = re.compile(r"@([\w.-]+)")
_SUFFIX_CONTEXT = re.compile(
    r"//(?:(\w+):)?\*\[(substring\(name\(\), string-length\(name\(\)\) - \d+\) "
    r"= '([\w.-]+)')( and .*)?\]")


def _split_path(path: str) -> list[str] | None:
    steps, depth, current = [], 0, ""
    for ch in path:
        depth += (ch == "[") - (ch == "]")
        if ch == "/" and depth == 0:
            steps.append(current)
            current = ""
        else:
            current += ch
    steps.append(current)
    return steps if all(steps) else None


def _trigger(test: str) -> tuple[str, bool] | None:
    """``(P, exact)`` when ``test`` passes whenever the location path ``P`` is empty.

    ``exact``: the test is ``not(P)`` with a predicate-free ``P``, so it fails exactly when
    ``P`` is reached.  Shapes: ``not(P)`` and ``not(P) or …``.
    """
    if not test.startswith("not("):
        return None
    depth, end = 0, 3
    for end in range(3, len(test)):  # find the parenthesis closing "not("
        depth += (test[end] == "(") - (test[end] == ")")
        if depth == 0:
            break
    inner, rest = test[4:end], test[end + 1:]
    if rest and not rest.startswith(" or "):
        return None
    return inner, not rest and "[" not in inner


def _parts(context: str, ns: dict[str, str]) -> tuple[_Part, ...] | None:
    """``//a/b | /c/d[p]`` as tag chains; None when a part is not such a plain path."""
    out = []
    for part in (p.strip() for p in re.split(r"\|(?![^\[]*\])", context)):
        anchored = not part.startswith("//")
        steps = _split_path(part.lstrip("/"))
        if steps is None:
            return None
        chain, predicate = [], None
        for k, step in enumerate(steps):
            m = _STEP.fullmatch(step)
            if m is None or m[1] not in ns or (m[3] and k < len(steps) - 1):
                return None
            chain.append(f"{{{ns[m[1]]}}}{m[2]}")
            if m[3]:
                predicate = etree.XPath(f"boolean(self::{m[1]}:{m[2]}{m[3]})", namespaces=ns)
        out.append(_Part(tuple(reversed(chain)), anchored, predicate))
    return tuple(out)


def _expand(path: str) -> list[str]:
    """``(a|b)/c`` as ``a/c`` and ``b/c``; any other path as itself."""
    m = re.fullmatch(r"\(([^()]+)\)(/.*)", path)
    return [p.strip() + m[2] for p in m[1].split("|")] if m else [path]


def _add(trie: _Trie, path: str, index: int, ns: dict[str, str]) -> bool:
    """Put assert ``index`` at the end of ``path`` (or at its first predicate) in ``trie``."""
    steps = _split_path(path)
    if steps is None:
        return False
    node = trie
    for k, step in enumerate(steps):
        last = k == len(steps) - 1
        if last and (a := _ATTR_STEP.fullmatch(step)):
            node.attrs.setdefault(a[1], []).append(index)
            return True
        m = _STEP.fullmatch(step)
        if m is None or m[1] not in ns:
            return False
        node = node.children.setdefault(f"{{{ns[m[1]]}}}{m[2]}", _Trie())
        if m[3] or last:
            node.hits.append(index)
            return True
    return False  # pragma: no cover - the loop always returns on its last step


@functools.cache
def _compiled(syntax: str) -> _Syntax:
    rules, ns = ((data.RULES_UBL, data.NAMESPACES_UBL) if syntax == "ubl"
                 else (data.RULES_CII, data.NAMESPACES_CII))
    out = []
    anywhere, anywhere_exact = _Trie(), set()
    for r, (context, raw) in enumerate(rules):
        asserts, exists, always = [], set(), []
        trie = _Trie()
        for index, (code, _flag, test, en, fr, _bt) in enumerate(raw):
            asserts.append(_Assert(SYNTAX_RULES[code],
                                   etree.XPath(f"boolean({test})", namespaces=ns), en, fr))
            trigger = _trigger(test)
            if (trigger is not None and trigger[0].startswith("//")
                    and "//" not in trigger[0][2:]
                    and _add(anywhere, trigger[0][2:], r * _SPAN + index, ns)):
                if trigger[1]:
                    anywhere_exact.add(r * _SPAN + index)
            elif trigger is not None and all(
                    _add(trie, path, index, ns) for path in _expand(trigger[0])):
                if trigger[1]:
                    exists.add(index)
            else:
                always.append(index)
        suffix = candidate = None
        parts: tuple[_Part, ...] | None = None
        select: etree.XPath | None = etree.XPath(context, namespaces=ns)
        if (m := _SUFFIX_CONTEXT.fullmatch(context)) is not None:
            suffix = (ns[m[1]] if m[1] else None, m[3])
            if m[4]:  # more than the suffix to check
                candidate = etree.XPath(f"boolean(self::{m[1] + ':' if m[1] else ''}*[{m[2]}"
                                        f"{m[4]}])", namespaces=ns)
            select = None
        elif (parts := _parts(context, ns)) is not None:
            select = None
        tests = [f"number(boolean({raw[i][2]}))" for i in always]
        verdicts = (etree.XPath(f"concat({', '.join(tests)}, '')", namespaces=ns)
                    if tests else None)
        out.append(_Compiled(select, suffix, parts or (), candidate, tuple(asserts),
                             frozenset(exists), trie, tuple(always), verdicts))
    prefixes = {uri: prefix for prefix, uri in ns.items() if prefix not in ("re", "xs")}
    return _Syntax(tuple(out), anywhere, frozenset(anywhere_exact), prefixes, {})


def _kind(compiled: _Syntax, qname: etree.QName) -> _Kind:
    """The suffix contexts and the context parts an element of this name may match."""
    suffixed = tuple(
        i for i, r in enumerate(compiled.rules) if r.suffix is not None
        and qname.localname.endswith(r.suffix[1])
        and (r.suffix[0] is None or qname.namespace == r.suffix[0]))
    tagged = tuple((i, part) for i, r in enumerate(compiled.rules) for part in r.parts
                   if part.chain[0] == qname.text)
    return suffixed, tagged


def _matches(element: etree._Element, part: _Part) -> bool:
    current = element
    for tag in part.chain[1:]:
        parent = current.getparent()
        if parent is None or parent.tag != tag:
            return False
        current = parent
    if part.anchored and current.getparent() is not None:
        return False
    return part.predicate is None or bool(part.predicate(element))


def _document_pass(root: etree._Element, compiled: _Syntax) -> tuple[
        dict[int, list[Any]], set[int]]:
    """One pass over the document.

    Returns the nodes (or, for a name-suffix context with more to check, the candidates) of
    each context matched here, in document order, and the coded hits
    of the ``not(//P)`` tests (the ``//P`` paths found anywhere).
    """
    rules, anywhere, kinds = compiled.rules, compiled.anywhere, compiled.kinds
    found: dict[int, list[Any]] = {i: [] for i, r in enumerate(rules) if r.context is None}
    hits: set[int] = set()
    starts, attrs = anywhere.children, anywhere.attrs
    for element in root.iter(etree.Element):
        tag = element.tag
        kind = kinds.get(tag)
        if kind is None:
            kind = _kind(compiled, etree.QName(element))
            if len(kinds) < _KINDS_CACHED:
                kinds[str(tag)] = kind
        suffixed, tagged = kind
        for i in suffixed:
            found[i].append(element)
        for i, part in tagged:
            if _matches(element, part):
                nodes = found[i]
                if not nodes or nodes[-1] is not element:
                    nodes.append(element)
        if attrs and element.attrib:
            for name in element.attrib:
                if name in attrs:
                    hits.update(attrs[name])
        sub = starts.get(tag)
        if sub is not None:
            sub.walk(element, hits)
    return found, hits


class _Locator:
    """Paths like ``/ubl:Invoice/cac:InvoiceLine[2]/cbc:Note``, sibling positions cached.

    Positions are counted once per parent, so a document with many findings among many
    siblings costs linear time, not quadratic.
    """

    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.positions: dict[etree._Element, dict[etree._Element, str]] = {}

    def _position(self, parent: etree._Element, child: etree._Element) -> str:
        known = self.positions.get(parent)
        if known is None:
            counts: dict[object, int] = {}
            for c in parent:
                counts[c.tag] = counts.get(c.tag, 0) + 1
            seen: dict[object, int] = {}
            known = {}
            for c in parent:
                if counts[c.tag] > 1:
                    seen[c.tag] = seen.get(c.tag, 0) + 1
                    known[c] = f"[{seen[c.tag]}]"
            self.positions[parent] = known
        return known.get(child, "")

    def path(self, node: etree._Element) -> str:
        steps = []
        current: etree._Element | None = node
        while current is not None:
            qname = etree.QName(current)
            prefix = self.prefixes.get(qname.namespace or "")
            name = f"{prefix}:{qname.localname}" if prefix else qname.localname
            parent = current.getparent()
            if parent is not None:
                name += self._position(parent, current)
            steps.append(name)
            current = parent
        return "/" + "/".join(reversed(steps))


def check(root: etree._Element, format: str, *,
          policy: Policy = Policy.REFUSED_AT_DEPOSIT) -> list[Finding]:
    """Return the findings of the official syntax rules of ``format`` (``"ubl"`` or ``"cii"``).

    ``root`` is the root element of a parsed document.  Findings come in Schematron order.
    Fatal findings carry ``policy`` (default: refused at deposit, as in Chorus Pro; the
    ``en16931`` profile may pass ``Policy.REJECT``); warnings carry none.  Raises
    :class:`~chorus_core.errors.UsageError` for another format or a ``root`` that is not an
    element.

    >>> from lxml import etree
    >>> cii = etree.fromstring(b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:'
    ...     b'data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocumentContext/>'
    ...     b'</rsm:CrossIndustryInvoice>')
    >>> [(f.code, f.message_en) for f in check(cii, "cii")]  # no specification identifier
    [('CII-SR-009', 'GuidelineSpecifiedDocumentContextParameter must exist exactly once'),
     ('CII-SR-010', 'ID must exist exactly once')]
    """
    if format not in SYNTAXES:
        raise UsageError(f"format: unknown syntax {format!r}, expected 'ubl' or 'cii'",
                         f"format : syntaxe {format!r} inconnue, 'ubl' ou 'cii' attendu",
                         argument="format")
    if not isinstance(root, etree._Element):
        raise UsageError(
            f"root: expected a parsed lxml element, got {type(root).__name__}",
            f"root : un élément lxml analysé est attendu, pas {type(root).__name__}",
            argument="root")
    compiled = _compiled(format)
    rules, prefixes = compiled.rules, compiled.prefixes
    candidates, anywhere = _document_pass(root, compiled)
    seen: set[etree._Element] = set()
    locator = _Locator(prefixes)
    found: list[Finding] = []
    for r, rule in enumerate(rules):
        if rule.context is not None:
            selected = rule.context(root)
            assert isinstance(selected, list)
            nodes = [n for n in selected if isinstance(n, etree._Element)]
        elif rule.candidate is None:
            nodes = candidates[r]
        else:
            nodes = [n for n in candidates[r] if rule.candidate(n)]
        if not nodes:
            continue
        # the not(//P) hits of this rule: the same for every context node
        far = [(code - r * _SPAN, code in compiled.anywhere_exact) for code in anywhere
               if r * _SPAN <= code < (r + 1) * _SPAN]
        walk, exists, asserts, verdicts = rule.trie.walk, rule.exists, rule.asserts, rule.verdicts
        for node in nodes:
            if node in seen:
                continue
            seen.add(node)
            triggered: set[int] = set()
            walk(node, triggered)
            failing = ({i for i in triggered if i in exists or not asserts[i].test(node)}
                       if triggered else set())
            if far:
                failing.update(i for i, exact in far if exact or not asserts[i].test(node))
            if verdicts is not None:
                result = verdicts(node)
                assert isinstance(result, str)
                if "0" in result:
                    failing.update(i for i, v in zip(rule.always, result, strict=True)
                                   if v == "0")
            if failing:
                where = locator.path(node)
                found.extend(
                    Finding(code=a.rule.code, severity=a.rule.severity, bt=a.rule.bt,
                            path=where, message_fr=a.message_fr, message_en=a.message_en,
                            policy=policy if a.rule.severity is Severity.FATAL else Policy.NONE,
                            layer=LAYER)
                    for a in (asserts[i] for i in sorted(failing)))
    return found
