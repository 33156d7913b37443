"""Validation: the EN 16931 business rules on the canonical model, in layers, and the registry.

:data:`FAMILIES` is the explicit registry (family name → module; nothing registers itself on
import) and :data:`RULES` indexes its 223 rules by official id.  :func:`validate` runs, in order,
the layers XSD (official schemas, when found), syntax (``rules.syntax``, on the XML tree),
EN 16931 (the rules below, on the model) and Chorus Pro (``rules.chorus``, profile
``"chorus"``); the report lists every layer, run or skipped with the reason.

Dispositions: with the ``chorus`` profile a fatal EN 16931 finding means the deposit is refused
(:attr:`~chorus_core.errors.Policy.REFUSED_AT_DEPOSIT`: Chorus Pro runs the same rules at
deposit); with the ``en16931`` profile it means the invoice is to be rejected
(:attr:`~chorus_core.errors.Policy.REJECT`).  Warnings carry no disposition.

More information:

* EN 16931-1:2017, clause 6.4; validation artefacts 1.3.16 (CEN/TC 434)
* ``docs/validation.md`` (the rule list, generated from this registry)

>>> from chorus_core.examples import sample_invoice
>>> report = validate(sample_invoice())
>>> report.ok, [(la.name, la.ran) for la in report.layers]
(True, [('xsd', False), ('syntax', False), ('en16931', True), ('chorus', False)])
>>> bad = sample_invoice().model_copy(update={"invoice_number": None})
>>> [(f.code, f.path, f.policy.value) for f in validate(bad, profile="chorus").by_layer("en16931")]
[('BR-02', 'invoice_number', 'refused_at_deposit')]
"""

from __future__ import annotations

import datetime
import functools
from decimal import Context, localcontext
from types import ModuleType
from typing import Literal

from lxml import etree

from chorus_core.directory import Directory
from chorus_core.errors import (
    Finding,
    Layer,
    Policy,
    ReadError,
    Report,
    SchemaNotFoundError,
    Severity,
    UnknownFormatError,
    UsageError,
)
from chorus_core.limits import current_limits
from chorus_core.model import Invoice

from . import (
    chorus,
    en16931_cl,
    en16931_co,
    en16931_core,
    en16931_dec,
    en16931_vat,
    official,
    syntax,
)
from ._engine import Check, Rule
from ._locate import RuleFinding, locate

__all__ = [
    "FAMILIES",
    "LAYERS",
    "LIMIT_CODE",
    "PROFILES",
    "RULES",
    "UNREAD_CODE",
    "Rule",
    "RuleFinding",
    "check_en16931",
    "validate",
]

FAMILIES: dict[str, ModuleType] = {
    "core": en16931_core,  # BR-01…BR-65
    "co": en16931_co,  # BR-CO-03…BR-CO-26
    "vat": en16931_vat,  # BR-S/Z/E/AE/IC/G/O/AF/AG/B
    "cl": en16931_cl,  # BR-CL-01…BR-CL-26
    "dec": en16931_dec,  # BR-DEC-01…BR-DEC-28
}
"""Family name → module holding its ``RULES`` tuple (the explicit registry)."""

RULES: dict[str, Rule] = {r.id: r for module in FAMILIES.values() for r in module.RULES}
"""Official rule id → :class:`Rule`, every EN 16931 business rule of the artefacts 1.3.16."""

LAYERS = ("xsd", "syntax", "en16931", "chorus")
"""The validation layers, in the order they run and are reported."""

Profile = Literal["en16931", "chorus"]
PROFILES: tuple[str, ...] = ("en16931", "chorus")
"""``en16931``: the European norm alone; ``chorus``: EN 16931 plus the Chorus Pro profile."""

_POLICY = {"en16931": Policy.REJECT, "chorus": Policy.REFUSED_AT_DEPOSIT}


LIMIT_CODE = "CHORUS-RULES-001"
"""The closing finding of the EN 16931 layer when it found more than ``Limits.max_findings``."""

UNREAD_CODE = "CHORUS-RULES-002"
"""The finding of a document that parses but cannot be read into the canonical model (a value
outside its type's lexical space, such as an amount ``1e3``): the XSD and syntax layers report
on it, the EN 16931 and Chorus Pro layers are skipped with the reason."""


def _unreadable(exc: ReadError, policy: Policy) -> Finding:
    return Finding(
        code=UNREAD_CODE, severity=Severity.FATAL, bt=(exc.bt,) if exc.bt else (), path=exc.path,
        message_en=f"the document cannot be read into the EN 16931 model: {exc}",
        message_fr=f"le document ne peut pas être lu dans le modèle EN 16931 : {exc}",
        policy=policy, layer="en16931")


_ARITHMETIC = Context(prec=80, traps=[])
"""The rules' arithmetic: exact to 80 digits (xs:decimal has no 28-digit cap), and never
raising: an amount past that or past the exponent range gives NaN or Infinity, and the rule's
comparison fails (a finding) instead of a decimal exception escaping."""


def check_en16931(invoice: Invoice, *, policy: Policy = Policy.REJECT,
                  binding: str | None = None, limit: int | None = None) -> list[Finding]:
    """Run every EN 16931 business rule on ``invoice``; fatal findings carry ``policy``.

    ``binding`` (``"ubl"`` or ``"cii"``) is the syntax the invoice was read from: where the
    official bindings of a rule differ, that syntax's meaning applies (default: UBL's).  At
    most ``limit`` findings are returned (default: ``max_findings`` of the limits in force);
    one closing :data:`LIMIT_CODE` finding then counts the others, which are not built.

    >>> from chorus_core.examples import sample_invoice
    >>> check_en16931(sample_invoice())
    []
    >>> bad = sample_invoice().model_copy(update={"invoice_number": None, "seller": None})
    >>> [f.code for f in check_en16931(bad, limit=1)]
    ['BR-02', 'CHORUS-RULES-001']
    """
    if limit is None:
        limit = current_limits().max_findings
    found: list[Finding] = []
    rest = 0
    rest_fatal = False
    with localcontext(_ARITHMETIC):
        for r, check in _plan(binding):
            for path in check(invoice):
                if len(found) < limit:
                    found.append(r.finding(path, layer="en16931", policy=policy))
                else:
                    rest += 1
                    rest_fatal = rest_fatal or r.flag == "fatal"
    if rest:
        found.append(Finding(
            code=LIMIT_CODE, severity=Severity.FATAL if rest_fatal else Severity.WARNING,
            message_en=f"{rest} more EN 16931 findings left out (max_findings = {limit})",
            message_fr=f"{rest} autres constats EN 16931 omis (max_findings = {limit})",
            policy=policy if rest_fatal else Policy.NONE, layer="en16931"))
    return found


@functools.cache
def _plan(binding: str | None) -> tuple[tuple[Rule, Check], ...]:
    """Each rule with the check that applies to ``binding``, resolved once."""
    return tuple((r, r.check_for(binding)) for r in RULES.values())


def _format_of(root: etree._Element) -> str:
    from chorus_core.formats import FORMATS

    for name, module in FORMATS.items():
        if module.detect(root):
            return name
    raise UnknownFormatError(f"not a supported invoice format: root element is "
                             f"{etree.QName(root).localname}")


def validate(
    data_or_invoice: bytes | str | etree._Element | Invoice,
    profile: Profile = "en16931",
    directory: Directory | None = None,
    *,
    today: datetime.date | None = None,
    schema_dir: str | None = None,
    engine: Literal["native", "official"] = "native",
    artifacts_dir: str | None = None,
) -> Report:
    """Validate a document (bytes, text, a Factur-X PDF or a root parsed by
    :func:`~chorus_core.formats.parse_document`) or an :class:`Invoice`; return the layered
    report.

    A document is parsed once with the hardened parser and read leniently; an Invoice skips
    the XSD and syntax layers.  On a document, an EN 16931 finding whose term is in it is a
    :class:`RuleFinding` that also gives the element's XPath (``source``) and ``line``.
    ``directory`` adds the routing checks and ``today`` fixes the
    date of the Chorus Pro profile (both used by ``profile="chorus"`` only); ``schema_dir`` is
    passed to :func:`~chorus_core.formats.validate_xsd`.  ``engine="official"`` runs the
    official XSLT instead of the native syntax and EN 16931 layers (a document only; needs
    saxonche and ``artifacts_dir``, see :mod:`chorus_core.rules.official`).  A document that
    parses but holds a value the model cannot (an amount ``1e3``) gives an :data:`UNREAD_CODE`
    finding after the XSD and syntax layers, the other layers skipped with the reason.  Raises
    :class:`~chorus_core.errors.MalformedXMLError` or
    :class:`~chorus_core.errors.UnknownFormatError` when the bytes are not a document of a known
    format, :class:`~chorus_core.errors.UsageError` for an unknown profile or engine.

    >>> import chorus_core
    >>> from chorus_core.examples import sample_invoice
    >>> report = validate(chorus_core.write(sample_invoice(), "ubl"), profile="chorus")
    >>> [(la.name, la.ran) for la in report.layers][1:]
    [('syntax', True), ('en16931', True), ('chorus', True)]
    """
    if profile not in _POLICY:
        raise UsageError(f"unknown profile {profile!r}: one of {', '.join(PROFILES)}",
                         f"profil inconnu {profile!r} : {' ou '.join(PROFILES)}",
                         argument="profile")
    if engine not in ("native", "official"):
        raise UsageError(f"unknown engine {engine!r}: native or official",
                         f"moteur inconnu {engine!r} : native ou official", argument="engine")
    if engine == "official" and isinstance(data_or_invoice, Invoice):
        raise UsageError("engine='official' validates documents, not Invoice objects",
                         "engine='official' valide des documents, pas des objets Invoice",
                         argument="engine")
    findings: list[Finding] = []
    layers: list[Layer] = []
    official_en: list[Finding] | None = None
    binding: str | None = None
    root: etree._Element | None = None
    if isinstance(data_or_invoice, Invoice):
        invoice = data_or_invoice
        why = "the input is an Invoice, not a document"
        layers += [Layer(name="xsd", ran=False, reason=why),
                   Layer(name="syntax", ran=False, reason=why)]
    else:
        from chorus_core.formats import FORMATS, parse_document, validate_xsd

        root = parse_document(data_or_invoice)  # bytes, XML text or a Factur-X PDF
        fmt = _format_of(root)
        binding = fmt
        try:
            findings += validate_xsd(root, fmt, schema_dir).findings
            layers.append(Layer(name="xsd"))
        except SchemaNotFoundError as exc:
            layers.append(Layer(name="xsd", ran=False, reason=str(exc)))
        if engine == "official":
            official_syntax, official_en = official.check(
                root, fmt, artifacts_dir=artifacts_dir, policy=_POLICY[profile])
            findings += official_syntax
            layers.append(Layer(name="syntax"))
        elif fmt in ("ubl", "cii"):
            findings += syntax.check(root, fmt, policy=_POLICY[profile])
            layers.append(Layer(name="syntax"))
        else:
            layers.append(Layer(name="syntax", ran=False,
                                reason=f"no EN 16931 syntax rules for the {fmt} format"))
        try:
            invoice = FORMATS[fmt].read(root)
        except ReadError as exc:  # parsed, but a value the model cannot hold: reported
            findings.append(_unreadable(exc, _POLICY[profile]))
            why = f"the document could not be read into the model ({UNREAD_CODE})"
            layers += [Layer(name="en16931", ran=False, reason=why),
                       Layer(name="chorus", ran=False, reason=why)]
            return Report(findings=tuple(findings), layers=tuple(layers))
    if official_en is not None:
        found = official_en
    else:
        found = check_en16931(invoice, policy=_POLICY[profile], binding=binding)
    if official_en is None and root is not None and binding in ("ubl", "cii"):
        found = locate(found, root, binding)  # where each term sits in the document
    findings += found
    layers.append(Layer(name="en16931"))
    if profile == "chorus":
        findings += chorus.check(invoice, today=today, directory=directory)
        layers.append(Layer(name="chorus"))
    else:
        layers.append(Layer(name="chorus", ran=False,
                            reason="profile en16931: the Chorus Pro rules are not applied"))
    return Report(findings=tuple(findings), layers=tuple(layers))
