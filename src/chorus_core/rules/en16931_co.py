"""EN 16931 conditions BR-CO-03…BR-CO-26: totals, VAT identifiers and mutual exclusions.

The totals rules compute with :class:`~decimal.Decimal` and the XPath rounding of the official
Schematron (``round(x * 100) div 100``, halves towards positive infinity), so a sum that the
XSLT accepts is accepted here.  BR-CO-05…08 ("reason code and reason shall indicate the same
type") are ``true()`` in the official artefacts: they never fire, here either.  BR-CO-25 was
withdrawn in 1.3.16.

More information:

* EN 16931-1:2017, clause 6.4 (business rules, "conditions")
* ``eInvoicing-EN16931-1.3.16/ubl/schematron/UBL/EN16931-UBL-model.sch``

>>> from decimal import Decimal
>>> from chorus_core.examples import sample_invoice
>>> inv = sample_invoice()
>>> list(br_co_10.check(inv))
[]
>>> totals = inv.totals.model_copy(update={"sum_of_line_net_amounts": Decimal("1.00")})
>>> list(br_co_10.check(inv.model_copy(update={"totals": totals})))
['totals.sum_of_line_net_amounts']
"""

from __future__ import annotations

from collections.abc import Iterator

from chorus_core.model import Invoice
from chorus_core.model import codelists as cl
from chorus_core.model.totals import _sum

from ._engine import Rule, rule, xround, xround2

__all__ = ["RULES"]

#: ISO 3166-1 alpha-2 prefixes accepted by BR-CO-09: the country codes of BR-CL-14 (with 1A for
#: Kosovo and XI) plus EL for Greece.
VAT_PREFIXES = cl.COUNTRY_CODES | {"EL"}


@rule("BR-CO-03", "fatal", ("BT-7", "BT-8"),
      "Value added tax point date (BT-7) and Value added tax point date code (BT-8) are mutually "
      "exclusive.",
      "La date d'exigibilité de la TVA (BT-7) et son code (BT-8) s'excluent mutuellement.")
def br_co_03(inv: Invoice) -> Iterator[str]:
    if inv.value_added_tax_point_date is not None \
            and inv.value_added_tax_point_date_code is not None:
        yield "value_added_tax_point_date_code"


@rule("BR-CO-04", "fatal", ("BG-25", "BT-151"),
      "Each Invoice line (BG-25) shall be categorized with an Invoiced item VAT category code "
      "(BT-151).",
      "Chaque ligne de facture (BG-25) doit porter un code de catégorie de TVA (BT-151).")
def br_co_04(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        if line.vat_information is None or not line.vat_information.category_code:
            yield f"lines[{i}].vat_information.category_code"


def _never(inv: Invoice) -> Iterator[str]:
    return iter(())


br_co_05 = rule(
    "BR-CO-05", "fatal", ("BG-20", "BT-97", "BT-98"),
    "Document level allowance reason code (BT-98) and Document level allowance reason (BT-97) "
    "shall indicate the same type of allowance.",
    "Le code de motif (BT-98) et le motif (BT-97) d'une remise au niveau du document doivent "
    "indiquer le même type de remise.")(_never)
br_co_06 = rule(
    "BR-CO-06", "fatal", ("BG-21", "BT-104", "BT-105"),
    "Document level charge reason code (BT-105) and Document level charge reason (BT-104) shall "
    "indicate the same type of charge.",
    "Le code de motif (BT-105) et le motif (BT-104) d'une charge au niveau du document doivent "
    "indiquer le même type de charge.")(_never)
br_co_07 = rule(
    "BR-CO-07", "fatal", ("BG-27", "BT-139", "BT-140"),
    "Invoice line allowance reason code (BT-140) and Invoice line allowance reason (BT-139) shall "
    "indicate the same type of allowance reason.",
    "Le code de motif (BT-140) et le motif (BT-139) d'une remise de ligne doivent indiquer le "
    "même type de remise.")(_never)
br_co_08 = rule(
    "BR-CO-08", "fatal", ("BG-28", "BT-144", "BT-145"),
    "Invoice line charge reason code (BT-145) and Invoice line charge reason (BT-144) shall "
    "indicate the same type of charge reason.",
    "Le code de motif (BT-145) et le motif (BT-144) d'une charge de ligne doivent indiquer le "
    "même type de charge.")(_never)


@rule("BR-CO-09", "fatal", ("BT-31", "BT-48", "BT-63"),
      "The Seller VAT identifier (BT-31), the Seller tax representative VAT identifier (BT-63) "
      "and the Buyer VAT identifier (BT-48) shall have a prefix in accordance with ISO code ISO "
      "3166-1 alpha-2 by which the country of issue may be identified. Nevertheless, Greece may "
      "use the prefix ‘EL’.",
      "Les numéros de TVA du vendeur (BT-31), du représentant fiscal (BT-63) et de l'acheteur "
      "(BT-48) doivent commencer par le code pays ISO 3166-1 alpha-2 du pays d'émission (EL "
      "pour la Grèce).")
def br_co_09(inv: Invoice) -> Iterator[str]:
    # UBL: an empty identifier passes (its empty prefix is "contained" in the list).
    for path, value in _vat_ids(inv):
        if value and value[:2] not in VAT_PREFIXES:
            yield path


#: The CII binding's list: AN (former Netherlands Antilles) in, SS (South Sudan) out.
CII_VAT_PREFIXES = (VAT_PREFIXES - {"SS"}) | {"AN"}


def _cii_co_09(inv: Invoice) -> Iterator[str]:
    for path, value in _vat_ids(inv):
        if value[:2] not in CII_VAT_PREFIXES:
            yield path


br_co_09 = br_co_09.variant("cii", _cii_co_09)


def _vat_ids(inv: Invoice) -> list[tuple[str, str]]:
    ids = (
        ("seller.vat_identifier", inv.seller.vat_identifier if inv.seller else None),
        ("buyer.vat_identifier", inv.buyer.vat_identifier if inv.buyer else None),
        ("seller_tax_representative.vat_identifier",
         inv.seller_tax_representative.vat_identifier if inv.seller_tax_representative else None),
    )
    return [(path, value) for path, value in ids if value is not None]


@rule("BR-CO-10", "fatal", ("BT-106", "BT-131"),
      "Sum of Invoice line net amount (BT-106) = Σ Invoice line net amount (BT-131).",
      "La somme des montants nets des lignes (BT-106) doit être égale à Σ montant net de ligne "
      "(BT-131).")
def br_co_10(inv: Invoice) -> Iterator[str]:
    t = inv.totals
    if t is None:
        return
    expected = xround2(_sum(line.net_amount for line in inv.lines))
    if t.sum_of_line_net_amounts is None or t.sum_of_line_net_amounts != expected:
        yield "totals.sum_of_line_net_amounts"


@rule("BR-CO-11", "fatal", ("BT-92", "BT-107"),
      "Sum of allowances on document level (BT-107) = Σ Document level allowance amount (BT-92).",
      "La somme des remises au niveau du document (BT-107) doit être égale à Σ montant de remise "
      "(BT-92).")
def br_co_11(inv: Invoice) -> Iterator[str]:
    t = inv.totals
    if t is None:
        return
    if t.sum_of_allowances is None:
        if inv.allowances:
            yield "totals.sum_of_allowances"
    elif t.sum_of_allowances != xround2(_sum(a.amount for a in inv.allowances)):
        yield "totals.sum_of_allowances"


@rule("BR-CO-12", "fatal", ("BT-99", "BT-108"),
      "Sum of charges on document level (BT-108) = Σ Document level charge amount (BT-99).",
      "La somme des charges au niveau du document (BT-108) doit être égale à Σ montant de charge "
      "(BT-99).")
def br_co_12(inv: Invoice) -> Iterator[str]:
    t = inv.totals
    if t is None:
        return
    if t.sum_of_charges is None:
        if inv.charges:
            yield "totals.sum_of_charges"
    elif t.sum_of_charges != xround2(_sum(c.amount for c in inv.charges)):
        yield "totals.sum_of_charges"


@rule("BR-CO-13", "fatal", ("BT-106", "BT-107", "BT-108", "BT-109"),
      "Invoice total amount without VAT (BT-109) = Σ Invoice line net amount (BT-131) - Sum of "
      "allowances on document level (BT-107) + Sum of charges on document level (BT-108).",
      "Le montant total hors TVA (BT-109) doit être égal à Σ montant net de ligne (BT-131) - "
      "somme des remises (BT-107) + somme des charges (BT-108).")
def br_co_13(inv: Invoice) -> Iterator[str]:
    t = inv.totals
    if t is None:
        return
    if t.total_without_vat is None or t.sum_of_line_net_amounts is None:
        yield "totals.total_without_vat"
        return
    if t.sum_of_allowances is None and t.sum_of_charges is None:
        expected = t.sum_of_line_net_amounts
    else:
        expected = xround2(t.sum_of_line_net_amounts - (t.sum_of_allowances or 0)
                           + (t.sum_of_charges or 0))
    if t.total_without_vat != expected:
        yield "totals.total_without_vat"


@rule("BR-CO-14", "fatal", ("BT-110", "BT-117"),
      "Invoice total VAT amount (BT-110) = Σ VAT category tax amount (BT-117).",
      "Le montant total de TVA (BT-110) doit être égal à Σ montant de TVA par catégorie "
      "(BT-117).")
def br_co_14(inv: Invoice) -> Iterator[str]:
    if not inv.vat_breakdown:
        return
    total = inv.totals.total_vat_amount if inv.totals else None
    # No BT-110: CII has no amount to compare (an O-only invoice may leave it out); BR-CO-15
    # says whether the totals still add up.
    if total is not None and total != xround2(_sum(b.tax_amount for b in inv.vat_breakdown)):
        yield "totals.total_vat_amount"


def _cii_co_14(inv: Invoice) -> Iterator[str]:
    # CII: BT-110 (in the invoice currency) equals the rounded Σ BT-117, breakdowns or not.
    total = inv.totals.total_vat_amount if inv.totals else None
    if total is not None and total != xround2(_sum(b.tax_amount for b in inv.vat_breakdown)):
        yield "totals.total_vat_amount"


br_co_14 = br_co_14.variant("cii", _cii_co_14)


@rule("BR-CO-15", "fatal", ("BT-109", "BT-110", "BT-112"),
      "Invoice total amount with VAT (BT-112) = Invoice total amount without VAT (BT-109) + "
      "Invoice total VAT amount (BT-110).",
      "Le montant total TVA comprise (BT-112) doit être égal au montant total hors TVA (BT-109) "
      "+ le montant total de TVA (BT-110).")
def br_co_15(inv: Invoice) -> Iterator[str]:
    if inv.invoice_currency_code is None:
        return
    t = inv.totals
    if t is None or t.total_with_vat is None or t.total_without_vat is None:
        yield "totals.total_with_vat"
    elif t.total_vat_amount is None:
        # CII accepts an invoice without BT-110 when BT-112 = BT-109 (no VAT at all).
        if t.total_with_vat != t.total_without_vat:
            yield "totals.total_vat_amount"
    elif t.total_with_vat != xround2(t.total_without_vat + t.total_vat_amount):
        yield "totals.total_with_vat"


def _ubl_co_15(inv: Invoice) -> Iterator[str]:
    # UBL: exactly one TaxTotal/TaxAmount in the document currency is required.
    t = inv.totals
    if inv.invoice_currency_code is not None and (t is None or t.total_vat_amount is None):
        yield "totals.total_vat_amount"
    else:
        yield from br_co_15.check(inv)


br_co_15 = br_co_15.variant("ubl", _ubl_co_15)


@rule("BR-CO-16", "fatal", ("BT-112", "BT-113", "BT-114", "BT-115"),
      "Amount due for payment (BT-115) = Invoice total amount with VAT (BT-112) -Paid amount "
      "(BT-113) +Rounding amount (BT-114).",
      "Le montant à payer (BT-115) doit être égal au montant total TVA comprise (BT-112) - "
      "montant payé (BT-113) + arrondi (BT-114).")
def br_co_16(inv: Invoice) -> Iterator[str]:
    t = inv.totals
    if t is None:
        return
    due, total = t.amount_due_for_payment, t.total_with_vat
    if due is None or total is None:
        yield "totals.amount_due_for_payment"
        return
    paid, rounding = t.paid_amount, t.rounding_amount
    left = due if rounding is None else xround2(due - rounding)
    right = total if paid is None else xround2(total - paid)
    if (due != total) if rounding is None and paid is None else (left != right):
        yield "totals.amount_due_for_payment"


@rule("BR-CO-17", "fatal", ("BT-116", "BT-117", "BT-119"),
      "VAT category tax amount (BT-117) = VAT category taxable amount (BT-116) x (VAT category "
      "rate (BT-119) / 100), rounded to two decimals.",
      "Le montant de TVA par catégorie (BT-117) doit être égal à la base d'imposition (BT-116) "
      "x (taux (BT-119) / 100), arrondi à deux décimales.")
def br_co_17(inv: Invoice) -> Iterator[str]:
    # Tolerance of one unit as in the official XSLT (UBL: strict bounds, CII: inclusive).
    for i, b in enumerate(inv.vat_breakdown):
        tax, base, rate = b.tax_amount, b.taxable_amount, b.rate
        if tax is None:
            yield f"vat_breakdown[{i}].tax_amount"
            continue
        if rate is None or xround(rate) == 0:
            ok = xround(tax) == 0
        elif base is None:
            ok = False
        else:
            expected = xround2(abs(base) * (rate / 100))
            ok = abs(tax) - 1 < expected < abs(tax) + 1
        if not ok:
            yield f"vat_breakdown[{i}].tax_amount"


def _cii_co_17(inv: Invoice) -> Iterator[str]:
    # CII: the one-unit bounds are included.
    for i, b in enumerate(inv.vat_breakdown):
        tax, base, rate = b.tax_amount, b.taxable_amount, b.rate
        if tax is None:
            ok = False
        elif rate is None or xround(rate) == 0:
            ok = xround(tax) == 0
        else:
            expected = xround2(abs(base) * (rate / 100)) if base is not None else None
            ok = expected is not None and abs(tax) - 1 <= expected <= abs(tax) + 1
        if not ok:
            yield f"vat_breakdown[{i}].tax_amount"


br_co_17 = br_co_17.variant("cii", _cii_co_17)


@rule("BR-CO-18", "fatal", ("BG-23",),
      "An Invoice shall at least have one VAT breakdown group (BG-23).",
      "Une facture doit avoir au moins une ventilation de TVA (BG-23).")
def br_co_18(inv: Invoice) -> Iterator[str]:
    if not inv.vat_breakdown:
        yield "vat_breakdown"


@rule("BR-CO-19", "fatal", ("BG-14", "BT-73", "BT-74"),
      "If Invoicing period (BG-14) is used, the Invoicing period start date (BT-73) or the "
      "Invoicing period end date (BT-74) shall be filled, or both.",
      "Si la période de facturation (BG-14) est utilisée, sa date de début (BT-73) ou de fin "
      "(BT-74) doit être renseignée, ou les deux.")
def br_co_19(inv: Invoice) -> Iterator[str]:
    p = inv.invoicing_period
    if p is not None and p.start_date is None and p.end_date is None:
        yield "invoicing_period"


@rule("BR-CO-20", "fatal", ("BG-26", "BT-134", "BT-135"),
      "If Invoice line period (BG-26) is used, the Invoice line period start date (BT-134) or "
      "the Invoice line period end date (BT-135) shall be filled, or both.",
      "Si la période de ligne (BG-26) est utilisée, sa date de début (BT-134) ou de fin "
      "(BT-135) doit être renseignée, ou les deux.")
def br_co_20(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        p = line.period
        if p is not None and p.start_date is None and p.end_date is None:
            yield f"lines[{i}].period"


@rule("BR-CO-21", "fatal", ("BG-20", "BT-97", "BT-98"),
      "Each Document level allowance (BG-20) shall contain a Document level allowance reason "
      "(BT-97) or a Document level allowance reason code (BT-98), or both.",
      "Chaque remise au niveau du document (BG-20) doit contenir un motif (BT-97) ou un code de "
      "motif (BT-98), ou les deux.")
def br_co_21(inv: Invoice) -> Iterator[str]:
    for i, a in enumerate(inv.allowances):
        if a.reason is None and a.reason_code is None:
            yield f"allowances[{i}].reason"


@rule("BR-CO-22", "fatal", ("BG-21", "BT-104", "BT-105"),
      "Each Document level charge (BG-21) shall contain a Document level charge reason (BT-104) "
      "or a Document level charge reason code (BT-105), or both.",
      "Chaque charge au niveau du document (BG-21) doit contenir un motif (BT-104) ou un code de "
      "motif (BT-105), ou les deux.")
def br_co_22(inv: Invoice) -> Iterator[str]:
    for i, c in enumerate(inv.charges):
        if c.reason is None and c.reason_code is None:
            yield f"charges[{i}].reason"


@rule("BR-CO-23", "fatal", ("BG-27", "BT-139", "BT-140"),
      "Each Invoice line allowance (BG-27) shall contain an Invoice line allowance reason "
      "(BT-139) or an Invoice line allowance reason code (BT-140), or both.",
      "Chaque remise de ligne (BG-27) doit contenir un motif (BT-139) ou un code de motif "
      "(BT-140), ou les deux.")
def br_co_23(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, a in enumerate(line.allowances):
            if a.reason is None and a.reason_code is None:
                yield f"lines[{i}].allowances[{j}].reason"


@rule("BR-CO-24", "fatal", ("BG-28", "BT-144", "BT-145"),
      "Each Invoice line charge (BG-28) shall contain an Invoice line charge reason (BT-144) or "
      "an Invoice line charge reason code (BT-145), or both.",
      "Chaque charge de ligne (BG-28) doit contenir un motif (BT-144) ou un code de motif "
      "(BT-145), ou les deux.")
def br_co_24(inv: Invoice) -> Iterator[str]:
    for i, line in enumerate(inv.lines):
        for j, c in enumerate(line.charges):
            if c.reason is None and c.reason_code is None:
                yield f"lines[{i}].charges[{j}].reason"


@rule("BR-CO-26", "fatal", ("BT-29", "BT-30", "BT-31"),
      "In order for the buyer to automatically identify a supplier, the Seller identifier "
      "(BT-29), the Seller legal registration identifier (BT-30) and/or the Seller VAT "
      "identifier (BT-31) shall be present.",
      "Pour que l'acheteur identifie automatiquement le fournisseur, l'identifiant du vendeur "
      "(BT-29), son identifiant légal (BT-30) et/ou son numéro de TVA (BT-31) doivent être "
      "présents.")
def br_co_26(inv: Invoice) -> Iterator[str]:
    s = inv.seller
    if s is None:
        return
    legal = s.legal_registration_identifier
    if s.vat_identifier is None and not any(i.value is not None for i in s.identifiers) \
            and (legal is None or legal.value is None):
        yield "seller.identifiers"


RULES: tuple[Rule, ...] = (
    br_co_03, br_co_04, br_co_05, br_co_06, br_co_07, br_co_08, br_co_09, br_co_10, br_co_11,
    br_co_12, br_co_13, br_co_14, br_co_15, br_co_16, br_co_17, br_co_18, br_co_19, br_co_20,
    br_co_21, br_co_22, br_co_23, br_co_24, br_co_26,
)
"""The 23 rules of this family, in id order."""
