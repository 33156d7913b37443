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
Schematron, a node is checked by the first rule whose context matches it.  The "should not be
present" tests of one context are first evaluated as a single union, so a clean document costs
one XPath evaluation per context.

Findings are in the layer ``syntax``: severity ``fatal`` (policy *refused at deposit*: Chorus
Pro refuses a structured invoice that fails the EN 16931 validation, ``research/chorus-rules.md``
§4.3, "format/XSD errors") or ``warning`` (policy *none*).  ``path`` is the location of the
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
from typing import Final, NamedTuple

from lxml import etree

from chorus_core.errors import Finding, Policy, Severity

from . import _syntax_data as data

__all__ = ["LAYER", "SYNTAXES", "SYNTAX_RULES", "SyntaxRule", "check"]

LAYER: Final = "syntax"
SYNTAXES: Final = ("ubl", "cii")
"""The syntaxes :func:`check` knows."""

_BT = re.compile(r"\bB[TG]-\d+\b")
# a location path (predicates removed): the only shape that may be merged into one union
_PATH = re.compile(r"[\w:/@*.\-]+")
_PREDICATE = re.compile(r"\[[^\[\]]*\]")


class SyntaxRule(NamedTuple):
    """One syntax rule of the official Schematron: id, syntax, flag, terms and messages."""

    code: str
    syntax: str
    severity: Severity
    bt: tuple[str, ...]
    policy: Policy
    message_en: str
    message_fr: str


def _rule(code: str, syntax: str, flag: str, message_en: str, message_fr: str) -> SyntaxRule:
    fatal = flag == "fatal"
    return SyntaxRule(code, syntax, Severity.FATAL if fatal else Severity.WARNING,
                      tuple(dict.fromkeys(_BT.findall(message_en))),
                      Policy.REFUSED_AT_DEPOSIT if fatal else Policy.NONE,
                      message_en, message_fr)


def _registry() -> dict[str, SyntaxRule]:
    found: dict[str, SyntaxRule] = {}
    for syntax, rules in (("ubl", data.RULES_UBL), ("cii", data.RULES_CII)):
        for _context, asserts in rules:
            for code, flag, _test, en, fr in asserts:
                found.setdefault(code, _rule(code, syntax, flag, en, fr))
    return dict(sorted(found.items()))


SYNTAX_RULES: Final[dict[str, SyntaxRule]] = _registry()
"""Every UBL-* and CII-* rule, by id (an id used by several asserts is listed once)."""


class _Assert(NamedTuple):
    rule: SyntaxRule
    test: etree.XPath
    message_en: str
    message_fr: str


class _Compiled(NamedTuple):
    context: etree.XPath
    present: etree.XPath | None  # union of the "not(path)" tests: false when all of them pass
    every: tuple[_Assert, ...]  # in Schematron order
    other: tuple[_Assert, ...]  # the asserts outside the union, in order


def _negated_path(test: str) -> str | None:
    """``P`` when ``test`` is ``not(P)`` and ``P`` is a plain location path, else None."""
    if not (test.startswith("not(") and test.endswith(")")):
        return None
    inner = test[4:-1]
    bare = inner
    while _PREDICATE.search(bare):
        bare = _PREDICATE.sub("", bare)
    return inner if _PATH.fullmatch(bare) else None


@functools.cache
def _compiled(syntax: str) -> tuple[tuple[_Compiled, ...], dict[str, str]]:
    rules, ns = ((data.RULES_UBL, data.NAMESPACES_UBL) if syntax == "ubl"
                 else (data.RULES_CII, data.NAMESPACES_CII))
    out = []
    for context, asserts in rules:
        every, other, paths = [], [], []
        for code, _flag, test, en, fr in asserts:
            compiled = _Assert(SYNTAX_RULES[code], etree.XPath(f"boolean({test})", namespaces=ns),
                               en, fr)
            every.append(compiled)
            path = _negated_path(test)
            if path is None:
                other.append(compiled)
            else:
                paths.append(path)
        present = (etree.XPath(f"boolean({' | '.join(paths)})", namespaces=ns)
                   if paths else None)
        out.append(_Compiled(etree.XPath(context, namespaces=ns), present, tuple(every),
                             tuple(other)))
    prefixes = {uri: prefix for prefix, uri in ns.items() if prefix not in ("re", "xs")}
    return tuple(out), prefixes


def _path(node: etree._Element, prefixes: dict[str, str]) -> str:
    steps = []
    current: etree._Element | None = node
    while current is not None:
        qname = etree.QName(current)
        prefix = prefixes.get(qname.namespace or "")
        name = f"{prefix}:{qname.localname}" if prefix else qname.localname
        parent = current.getparent()
        if parent is not None:
            same = [c for c in parent if c.tag == current.tag]
            if len(same) > 1:
                name += f"[{same.index(current) + 1}]"
        steps.append(name)
        current = parent
    return "/" + "/".join(reversed(steps))


def check(root: etree._Element, format: str, *,
          policy: Policy = Policy.REFUSED_AT_DEPOSIT) -> list[Finding]:
    """Return the findings of the official syntax rules of ``format`` (``"ubl"`` or ``"cii"``).

    ``root`` is the root element of a parsed document.  Findings come in Schematron order.
    Fatal findings carry ``policy`` (default: refused at deposit, as in Chorus Pro; the
    ``en16931`` profile may pass ``Policy.REJECT``); warnings carry none.

    >>> from lxml import etree
    >>> cii = etree.fromstring(b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:'
    ...     b'data:standard:CrossIndustryInvoice:100"><rsm:ExchangedDocumentContext/>'
    ...     b'</rsm:CrossIndustryInvoice>')
    >>> [(f.code, f.message_en) for f in check(cii, "cii")]  # no specification identifier
    [('CII-SR-009', 'GuidelineSpecifiedDocumentContextParameter must exist exactly once'),
     ('CII-SR-010', 'ID must exist exactly once')]
    """
    if format not in SYNTAXES:
        raise ValueError(f"unknown syntax {format!r}: expected 'ubl' or 'cii'")
    rules, prefixes = _compiled(format)
    seen: set[etree._Element] = set()
    found: list[Finding] = []
    for rule in rules:
        nodes = rule.context(root)
        assert isinstance(nodes, list)
        for node in nodes:
            if not isinstance(node, etree._Element) or node in seen:
                continue
            seen.add(node)
            checks = rule.every if rule.present is not None and rule.present(node) else rule.other
            failed = [a for a in checks if not a.test(node)]
            if failed:
                where = _path(node, prefixes)
                found.extend(
                    Finding(code=a.rule.code, severity=a.rule.severity, bt=a.rule.bt,
                            path=where, message_fr=a.message_fr, message_en=a.message_en,
                            policy=policy if a.rule.severity is Severity.FATAL else Policy.NONE,
                            layer=LAYER)
                    for a in failed)
    return found
