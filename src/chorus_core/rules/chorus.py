"""Chorus Pro profile: the rules Chorus Pro applies on top of EN 16931 (codes CHORUS-PROFILE-0xx).

Chorus Pro accepts EN 16931 invoices (UBL, CII) with a few rules of its own: an invoice
number is present, the invoice is not dated after its deposit, only some document types are
accepted, amounts have at most two decimals, the cadre de facturation (BT-23) is one of the
live cadres A1…A25 (A11 was withdrawn), the buyer is identified by a valid SIRET, the
routing references, the buyer name and item identifiers fit their lengths, and an invoice to
the State carries a code service and an engagement number (outside works cadres).
:func:`check` returns these findings in the layer ``chorus``, followed by the deposit limits of
:func:`~chorus_core.directory.check_deposit` (layer ``routing``: invoice number at most 20
characters and not the deposit date, attachment sizes, names and extensions) and, given a
:class:`~chorus_core.directory.Directory`, the routing findings of
:func:`~chorus_core.directory.check_routing`.  A root cause both the profile and the routing
checks see (missing or invalid SIRET, over-long code service or engagement, State without code
service or engagement) is reported once, by the profile.

Each rule is listed in :data:`PROFILE_RULES` with its severity, terms, disposition and the
section of ``research/chorus-rules.md`` (or ``research/en16931.md``) it comes from.  All but
two are refused at deposit (Chorus Pro rejects the flow, no invoice is created); the two
warnings (works cadre, direct debit) carry no disposition.

Not checked: the validator of cadres A9/A12 (``codeStructureValideur`` is not an EN 16931
term) and the uniqueness of the invoice number per supplier and year (``check_deposit`` takes
the numbers already deposited; the profile has no history).

More information:

* ``research/chorus-rules.md`` §0, §4, §5 and §9 (pivot V2_02 lengths, cadres, invoice number)
* ``research/en16931.md`` §4.2 (the Chorus Pro CIUS notes per business term)

>>> import datetime
>>> from chorus_core.examples import sample_invoice
>>> check(sample_invoice(), today=datetime.date(2026, 11, 2))
[]
>>> bad = sample_invoice().model_copy(update={"invoice_type_code": "751"})
>>> [(f.code, f.policy.value) for f in check(bad, today=datetime.date(2026, 11, 2))]
[('CHORUS-PROFILE-010', 'refused_at_deposit')]
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Final

from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import siret as fr_siret

from chorus_core.directory import (
    CODE_SERVICE_MAX_LENGTH,
    ENGAGEMENT_MAX_LENGTH,
    Directory,
    check_deposit,
    check_routing,
)
from chorus_core.errors import Finding, FindingRule, Policy, Severity, UsageError
from chorus_core.model import Invoice
from chorus_core.model.routing import CADRES, STATE_SIRET, routing_of

from ._engine import decimals

__all__ = [
    "ACCEPTED_TYPE_CODES",
    "BUYER_NAME_MAX_LENGTH",
    "INVOICE_API_CADRES",
    "ITEM_IDENTIFIER_MAX_LENGTH",
    "LAYER",
    "MARCHE_MAX_LENGTH",
    "PROFILE_RULES",
    "WITHDRAWN_CADRES",
    "ProfileRule",
    "check",
]

LAYER: Final = "chorus"
"""The layer of the profile's own findings (routing and deposit findings keep ``routing``)."""
MARCHE_MAX_LENGTH: Final = 50
"""Longest contract reference, the numéro de marché (BT-12), in the pivot V2_02."""
BUYER_NAME_MAX_LENGTH: Final = 99
"""Longest buyer name (BT-44) in the Chorus Pro notes of the Factur-X data model."""
ITEM_IDENTIFIER_MAX_LENGTH: Final = 40
"""Longest item standard identifier (BT-157) in the same notes."""
ACCEPTED_TYPE_CODES: Final = frozenset({"380", "381", "384", "386", "389"})
"""UNTDID 1001 document types (BT-3) Chorus Pro accepts in UBL and CII."""
WITHDRAWN_CADRES: Final = frozenset(c.code for c in CADRES.values() if c.withdrawn)
"""Cadres no longer accepted (A11, absent from the pivot since V1_22)."""
INVOICE_API_CADRES: Final = frozenset(
    c.code for c in CADRES.values() if c.accepted_by_invoice_api)
"""Cadres of simple invoices (``soumettreFacture``): A1, A2, A9, A12."""

_R, _N = Policy.REFUSED_AT_DEPOSIT, Policy.NONE
_E, _W = Severity.ERROR, Severity.WARNING


ProfileRule = FindingRule
"""One Chorus Pro profile rule (a :class:`~chorus_core.errors.FindingRule`, ``source`` given)."""


_RULES: tuple[ProfileRule, ...] = (
    ProfileRule("CHORUS-PROFILE-001", _E, ("BT-1",), _R,
                "Numéro de facture absent",
                "Invoice number missing",
                "chorus-rules.md §9 (pivot V2_02: DonneesFacture/Id)"),
    ProfileRule("CHORUS-PROFILE-004", _E, ("BT-2",), _R,
                "Date de facture {issued} postérieure à la date de dépôt {today}",
                "Invoice date {issued} is after the deposit date {today}",
                "en16931.md §4.2 (BT-2: must be ≤ the deposit date)"),
    ProfileRule("CHORUS-PROFILE-010", _E, ("BT-3",), _R,
                "Type de document {code!r} non accepté par Chorus Pro "
                "(380, 381, 384, 386 ou 389)",
                "Document type {code!r} is not accepted by Chorus Pro "
                "(380, 381, 384, 386 or 389)",
                "en16931.md §4.2 (BT-3, Factur-X note); chorus-rules.md §5 (invoice types)"),
    ProfileRule("CHORUS-PROFILE-020", _E, ("BG-22",), _R,
                "Montant {value} avec plus de deux décimales ({term})",
                "Amount {value} has more than two decimals ({term})",
                "en16931.md §4.2 (amounts: 19 positions, ≤ 2 decimals)"),
    ProfileRule("CHORUS-PROFILE-030", _E, ("BT-23",), _R,
                "Cadre de facturation {cadre!r} inconnu (A1 à A25)",
                "Unknown cadre de facturation {cadre!r} (A1 to A25)",
                "chorus-rules.md §5 (cadres); en16931.md §4.2 (BT-23)"),
    ProfileRule("CHORUS-PROFILE-031", _E, ("BT-23",), _R,
                "Cadre de facturation A11 retiré depuis le pivot V1_22",
                "Cadre de facturation A11 was withdrawn in pivot V1_22",
                "chorus-rules.md §9 (Cadres: A11 absent from V1_22 and V2_02)"),
    ProfileRule("CHORUS-PROFILE-032", _W, ("BT-23",), _N,
                "Cadre {cadre} : circuit travaux ou frais de justice, non accepté par le dépôt "
                "de factures simples (A1, A2, A9, A12)",
                "Cadre {cadre} is a works or justice-fee channel, not accepted for simple "
                "invoices (A1, A2, A9, A12)",
                "chorus-rules.md §0.6 and §5 (soumettreFacture takes A1, A2, A9, A12)"),
    ProfileRule("CHORUS-PROFILE-040", _E, ("BT-46",), _R,
                "SIRET du destinataire absent",
                "Buyer SIRET missing",
                "en16931.md §4.2 (the buyer identifier is mandatory and always a SIRET); "
                "chorus-rules.md §4.1"),
    ProfileRule("CHORUS-PROFILE-041", _E, ("BT-46",), _R,
                "SIRET du destinataire {siret!r} mal formé (14 chiffres attendus)",
                "Buyer SIRET {siret!r} is malformed (14 digits expected)",
                "chorus-rules.md §4.1 (SIRET syntax)"),
    ProfileRule("CHORUS-PROFILE-042", _E, ("BT-46",), _R,
                "SIRET du destinataire {siret!r} : clé de contrôle invalide",
                "Buyer SIRET {siret!r} fails its check digits",
                "chorus-rules.md §4.1 (Luhn, La Poste exception)"),
    ProfileRule("CHORUS-PROFILE-050", _E, ("BT-10",), _R,
                "Code service trop long ({length} caractères, 100 au plus)",
                "Code service too long ({length} characters, at most 100)",
                "chorus-rules.md §9 (pivot V2_02: CodeService ≤ 100)"),
    ProfileRule("CHORUS-PROFILE-051", _E, ("BT-13",), _R,
                "Numéro d'engagement trop long ({length} caractères, 50 au plus)",
                "Engagement number too long ({length} characters, at most 50)",
                "chorus-rules.md §9 (pivot V2_02: NumeroEngagement ≤ 50)"),
    ProfileRule("CHORUS-PROFILE-052", _E, ("BT-12",), _R,
                "Numéro de marché trop long ({length} caractères, 50 au plus)",
                "Contract reference (numéro de marché) too long ({length} characters, at most 50)",
                "chorus-rules.md §9 (pivot V2_02: NumeroMarche ≤ 50)"),
    ProfileRule("CHORUS-PROFILE-053", _E, ("BT-10",), _R,
                "Facture à l'État (SIRET 11000201100044) sans code service",
                "Invoice to the State (SIRET 11000201100044) without a code service",
                "chorus-rules.md §4.2 (State) and §9 (service and engagement mandatory)"),
    ProfileRule("CHORUS-PROFILE-054", _E, ("BT-13",), _R,
                "Facture à l'État (SIRET 11000201100044) sans numéro d'engagement",
                "Invoice to the State (SIRET 11000201100044) without an engagement number",
                "chorus-rules.md §4.2 (State) and §9 (service and engagement mandatory)"),
    ProfileRule("CHORUS-PROFILE-055", _E, ("BT-44",), _R,
                "Nom de l'acheteur trop long ({length} caractères, 99 au plus)",
                "Buyer name too long ({length} characters, at most 99)",
                "en16931.md §4.2 (BT-44: ≤ 99 characters, Chorus Pro CIUS note)"),
    ProfileRule("CHORUS-PROFILE-056", _E, ("BT-157",), _R,
                "Identifiant standard d'article trop long ({length} caractères, 40 au plus)",
                "Item standard identifier too long ({length} characters, at most 40)",
                "en16931.md §4.2 (BT-157: ≤ 40 characters, Chorus Pro CIUS note)"),
    ProfileRule("CHORUS-PROFILE-060", _W, ("BG-19",), _N,
                "Prélèvement (BG-19) non utilisé par Chorus Pro",
                "Direct debit (BG-19) is not used by Chorus Pro",
                "en16931.md §4.2 (BG-19: not used by Chorus Pro)"),
)

PROFILE_RULES: Final[dict[str, ProfileRule]] = {r.code: r for r in _RULES}
"""Every Chorus Pro profile rule, by code."""

# Routing findings whose root cause the profile already reports (see the module docstring).
_SAME_CAUSE: Final = frozenset({
    "CHORUS-ROUTING-001", "CHORUS-ROUTING-002", "CHORUS-ROUTING-003",  # 040, 041, 042
    "CHORUS-ROUTING-024", "CHORUS-ROUTING-033",  # 050, 051
    "CHORUS-ROUTING-040", "CHORUS-ROUTING-041",  # 053, 054
})


def _finding(rule_code: str, path: str | None = None, bt: tuple[str, ...] | None = None,
             **context: Any) -> Finding:
    return PROFILE_RULES[rule_code].finding(layer=LAYER, path=path, bt=bt or None, **context)


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _amounts(invoice: Invoice) -> Iterator[tuple[str, str, Decimal | None]]:
    """Every EN 16931 *Amount* of ``invoice``: (term, model path, value); not unit prices."""
    totals = invoice.totals
    if totals is not None:
        for name, term in (
            ("sum_of_line_net_amounts", "BT-106"), ("sum_of_allowances", "BT-107"),
            ("sum_of_charges", "BT-108"), ("total_without_vat", "BT-109"),
            ("total_vat_amount", "BT-110"),
            ("total_vat_amount_in_accounting_currency", "BT-111"),
            ("total_with_vat", "BT-112"), ("paid_amount", "BT-113"),
            ("rounding_amount", "BT-114"), ("amount_due_for_payment", "BT-115"),
        ):
            yield term, f"totals.{name}", getattr(totals, name)
    for i, a in enumerate(invoice.allowances):
        yield "BT-92", f"allowances[{i}].amount", a.amount
        yield "BT-93", f"allowances[{i}].base_amount", a.base_amount
    for i, c in enumerate(invoice.charges):
        yield "BT-99", f"charges[{i}].amount", c.amount
        yield "BT-100", f"charges[{i}].base_amount", c.base_amount
    for i, v in enumerate(invoice.vat_breakdown):
        yield "BT-116", f"vat_breakdown[{i}].taxable_amount", v.taxable_amount
        yield "BT-117", f"vat_breakdown[{i}].tax_amount", v.tax_amount
    for i, line in enumerate(invoice.lines):
        yield "BT-131", f"lines[{i}].net_amount", line.net_amount
        for j, la in enumerate(line.allowances):
            yield "BT-136", f"lines[{i}].allowances[{j}].amount", la.amount
            yield "BT-137", f"lines[{i}].allowances[{j}].base_amount", la.base_amount
        for j, lc in enumerate(line.charges):
            yield "BT-141", f"lines[{i}].charges[{j}].amount", lc.amount
            yield "BT-142", f"lines[{i}].charges[{j}].base_amount", lc.base_amount


def _check_cadre(invoice: Invoice) -> Iterator[Finding]:
    process = invoice.process_control
    cadre = _blank(process.business_process_type if process else None)
    if cadre is None:
        return  # A1 applies (chorus-rules.md §5; en16931.md §4.2)
    path = "process_control.business_process_type"
    if cadre in WITHDRAWN_CADRES:
        yield _finding("CHORUS-PROFILE-031", path)
    elif cadre not in CADRES:
        yield _finding("CHORUS-PROFILE-030", path, cadre=cadre)
    elif cadre not in INVOICE_API_CADRES:
        yield _finding("CHORUS-PROFILE-032", path, cadre=cadre)


def _check_routing_terms(invoice: Invoice) -> Iterator[Finding]:
    routing = routing_of(invoice)
    siret = _blank(routing.buyer_siret)
    siret_path = {"BT-46": "buyer.identifier", "BT-47": "buyer.legal_registration_identifier",
                  "BT-49": "buyer.electronic_address"}.get(routing.buyer_siret_term or "")
    if siret is None:
        yield _finding("CHORUS-PROFILE-040", "buyer")
    else:
        try:
            fr_siret.validate(siret)
        except InvalidChecksum:
            yield _finding("CHORUS-PROFILE-042", siret_path, siret=siret)
        except ValidationError:
            yield _finding("CHORUS-PROFILE-041", siret_path, siret=siret)
    code = _blank(routing.code_service)
    engagement = _blank(routing.engagement)
    marche = _blank(routing.marche)
    if code is not None and len(code) > CODE_SERVICE_MAX_LENGTH:
        yield _finding("CHORUS-PROFILE-050", "buyer_reference", length=len(code))
    if engagement is not None and len(engagement) > ENGAGEMENT_MAX_LENGTH:
        yield _finding("CHORUS-PROFILE-051", "purchase_order_reference", length=len(engagement))
    if marche is not None and len(marche) > MARCHE_MAX_LENGTH:
        yield _finding("CHORUS-PROFILE-052", "contract_reference", length=len(marche))
    cadre = CADRES.get(routing.cadre)
    works = cadre is not None and cadre.works
    if siret is not None and fr_siret.compact(siret) == STATE_SIRET and not works:
        if code is None:
            yield _finding("CHORUS-PROFILE-053", "buyer_reference")
        if engagement is None:
            yield _finding("CHORUS-PROFILE-054", "purchase_order_reference")


def check(invoice: Invoice, *, today: datetime.date | None = None,
          directory: Directory | None = None) -> list[Finding]:
    """Return the Chorus Pro profile findings of ``invoice``, plus routing when ``directory``.

    ``today`` is the deposit date (default: today), against which the invoice date, the
    invoice number and the validity of services are checked.  Raises
    :class:`~chorus_core.errors.UsageError` when ``invoice`` is not an
    :class:`~chorus_core.model.Invoice`.

    >>> import datetime
    >>> from chorus_core.examples import sample_invoice
    >>> inv = sample_invoice().model_copy(update={"invoice_number": "20261102"})
    >>> [(f.code, f.layer) for f in check(inv, today=datetime.date(2026, 11, 2))]
    [('CHORUS-ROUTING-077', 'routing')]
    """
    if not isinstance(invoice, Invoice):
        raise UsageError(
            f"invoice: expected an Invoice, got {type(invoice).__name__} (read bytes first with "
            "chorus_core.read)",
            f"invoice : une Invoice est attendue, pas {type(invoice).__name__} (lire d'abord "
            "les octets avec chorus_core.read)",
            argument="invoice")
    today = today or datetime.date.today()
    found: list[Finding] = []
    if _blank(invoice.invoice_number) is None:
        found.append(_finding("CHORUS-PROFILE-001", "invoice_number"))
    issued = invoice.invoice_issue_date
    if issued is not None and issued > today:
        found.append(_finding("CHORUS-PROFILE-004", "invoice_issue_date",
                              issued=issued.isoformat(), today=today.isoformat()))
    type_code = _blank(invoice.invoice_type_code)
    if type_code is not None and type_code not in ACCEPTED_TYPE_CODES:
        found.append(_finding("CHORUS-PROFILE-010", "invoice_type_code", code=type_code))
    for term, path, value in _amounts(invoice):
        if value is not None and decimals(value) > 2:
            found.append(_finding("CHORUS-PROFILE-020", path, (term,), value=value, term=term))
    found += _check_cadre(invoice)
    found += _check_routing_terms(invoice)
    buyer_name = _blank(invoice.buyer.name if invoice.buyer else None)
    if buyer_name is not None and len(buyer_name) > BUYER_NAME_MAX_LENGTH:
        found.append(_finding("CHORUS-PROFILE-055", "buyer.name", length=len(buyer_name)))
    for i, line in enumerate(invoice.lines):
        standard = line.item.standard_identifier if line.item else None
        item_id = _blank(standard.value if standard else None)
        if item_id is not None and len(item_id) > ITEM_IDENTIFIER_MAX_LENGTH:
            found.append(_finding("CHORUS-PROFILE-056", f"lines[{i}].item.standard_identifier",
                                  length=len(item_id)))
    instructions = invoice.payment_instructions
    if instructions is not None and instructions.direct_debit is not None:
        found.append(_finding("CHORUS-PROFILE-060", "payment_instructions.direct_debit"))
    # number length, today's date as the number, attachments: the directory's deposit limits
    found += check_deposit(invoice, on=today)
    if directory is not None:
        found += (f for f in check_routing(invoice, directory, on=today)
                  if f.code not in _SAME_CAUSE)
    return found
