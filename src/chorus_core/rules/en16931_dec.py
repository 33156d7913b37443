"""EN 16931 decimal rules BR-DEC-01…BR-DEC-28: amounts carry at most two decimals.

The official rules count the decimals *as written* (``string-length(substring-after(., '.'))``);
the readers keep each :class:`~decimal.Decimal` as read, so ``10.000`` has three decimals here
too.  BR-DEC-13 and BR-DEC-15 (BT-110, BT-111) compare the value instead (``. = round(. * 100)
div 100`` in the CII binding): ``10.000`` passes them, ``10.001`` does not; their UBL binding
never fails (see :func:`_nothing`), and documents read from UBL get that reading.

More information:

* EN 16931-1:2017, clause 6.4 (business rules, decimals)
* ``eInvoicing-EN16931-1.3.16/cii/schematron/CII/EN16931-CII-model.sch``

>>> from decimal import Decimal
>>> from chorus_core.examples import sample_invoice
>>> inv = sample_invoice()
>>> list(br_dec_23.check(inv))
[]
>>> line = inv.lines[0].model_copy(update={"net_amount": Decimal("10.001")})
>>> list(br_dec_23.check(inv.model_copy(update={"lines": (line,)})))
['lines[0].net_amount']
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from chorus_core.model import Invoice

from ._engine import Check, Rule, decimals, rule, xround2

__all__ = ["RULES"]


def _too_many(value: Decimal | None) -> bool:
    return value is not None and decimals(value) > 2


def _each(group: str, field: str) -> Check:
    """``field`` of each member of the invoice's repeated ``group`` has at most two decimals."""
    def check(inv: Invoice) -> Iterator[str]:
        for i, member in enumerate(getattr(inv, group)):
            if _too_many(getattr(member, field)):
                yield f"{group}[{i}].{field}"
    return check


def _each_line(group: str, field: str) -> Check:
    """``field`` of each member of every line's ``group`` has at most two decimals."""
    def check(inv: Invoice) -> Iterator[str]:
        for i, line in enumerate(inv.lines):
            for j, member in enumerate(getattr(line, group)):
                if _too_many(getattr(member, field)):
                    yield f"lines[{i}].{group}[{j}].{field}"
    return check


def _total(field: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if inv.totals is not None and _too_many(getattr(inv.totals, field)):
            yield f"totals.{field}"
    return check


def _total_value(field: str) -> Check:
    def check(inv: Invoice) -> Iterator[str]:
        if inv.totals is not None and _off_cents(getattr(inv.totals, field)):
            yield f"totals.{field}"
    return check


def _nothing(inv: Invoice) -> Iterator[str]:
    """The UBL binding of BR-DEC-13/15: its test compares ``@currencyID`` with a
    ``cbc:DocumentCurrencyCode`` child of the amount, which never exists, so it never fails."""
    return iter(())


def _off_cents(value: Decimal | None) -> bool:
    return value is not None and value != xround2(value)


def _cii_dec_13(inv: Invoice) -> Iterator[str]:
    # CII: passes when some TaxTotalAmount is in another currency than BT-5 (BT-111).
    t = inv.totals
    if t is None or not _off_cents(t.total_vat_amount):
        return
    other = t.total_vat_amount_in_accounting_currency is not None \
        and inv.vat_accounting_currency_code != inv.invoice_currency_code
    if not other:
        yield "totals.total_vat_amount"


def _cii_dec_15(inv: Invoice) -> Iterator[str]:
    # CII: with BT-6, some TaxTotalAmount in that currency must have at most two decimals; with
    # BT-6 and no BT-111 (and BT-6 other than BT-5) none is, so the rule fails.
    t = inv.totals
    code = inv.vat_accounting_currency_code
    if t is None or code is None or (t.total_vat_amount is None
                                     and t.total_vat_amount_in_accounting_currency is None):
        return
    candidates = [t.total_vat_amount_in_accounting_currency]
    if code == inv.invoice_currency_code:
        candidates.append(t.total_vat_amount)
    if not any(v is not None and not _off_cents(v) for v in candidates):
        yield "totals.total_vat_amount_in_accounting_currency"


br_dec_01 = rule(
    "BR-DEC-01", "fatal", ("BT-92",),
    "The allowed maximum number of decimals for the Document level allowance amount "
    "(BT-92) is 2.",
    "Le nombre maximal de décimales du montant de remise au niveau du document (BT-92) "
    "est 2.",
)(_each("allowances", "amount"))

br_dec_02 = rule(
    "BR-DEC-02", "fatal", ("BT-93",),
    "The allowed maximum number of decimals for the Document level allowance base amount "
    "(BT-93) is 2.",
    "Le nombre maximal de décimales du montant de base de remise au niveau du document "
    "(BT-93) est 2.",
)(_each("allowances", "base_amount"))

br_dec_05 = rule(
    "BR-DEC-05", "fatal", ("BT-99",),
    "The allowed maximum number of decimals for the Document level charge amount (BT-99) "
    "is 2.",
    "Le nombre maximal de décimales du montant de charge au niveau du document (BT-99) "
    "est 2.",
)(_each("charges", "amount"))

br_dec_06 = rule(
    "BR-DEC-06", "fatal", ("BT-100",),
    "The allowed maximum number of decimals for the Document level charge base amount "
    "(BT-100) is 2.",
    "Le nombre maximal de décimales du montant de base de charge au niveau du document "
    "(BT-100) est 2.",
)(_each("charges", "base_amount"))

br_dec_09 = rule(
    "BR-DEC-09", "fatal", ("BT-106",),
    "The allowed maximum number of decimals for the Sum of Invoice line net amount "
    "(BT-106) is 2.",
    "Le nombre maximal de décimales de la somme des montants nets des lignes (BT-106) est"
    " 2.",
)(_total("sum_of_line_net_amounts"))

br_dec_10 = rule(
    "BR-DEC-10", "fatal", ("BT-107",),
    "The allowed maximum number of decimals for the Sum of allowanced on document level "
    "(BT-107) is 2.",
    "Le nombre maximal de décimales de la somme des remises au niveau du document "
    "(BT-107) est 2.",
)(_total("sum_of_allowances"))

br_dec_11 = rule(
    "BR-DEC-11", "fatal", ("BT-108",),
    "The allowed maximum number of decimals for the Sum of charges on document level "
    "(BT-108) is 2.",
    "Le nombre maximal de décimales de la somme des charges au niveau du document "
    "(BT-108) est 2.",
)(_total("sum_of_charges"))

br_dec_12 = rule(
    "BR-DEC-12", "fatal", ("BT-109",),
    "The allowed maximum number of decimals for the Invoice total amount without VAT "
    "(BT-109) is 2.",
    "Le nombre maximal de décimales du montant total hors TVA (BT-109) est 2.",
)(_total("total_without_vat"))

br_dec_13 = rule(
    "BR-DEC-13", "fatal", ("BT-110",),
    "The allowed maximum number of decimals for the Invoice total VAT amount (BT-110) is "
    "2.",
    "Le nombre maximal de décimales du montant total de TVA (BT-110) est 2.",
)(_total_value("total_vat_amount")).variant("cii", _cii_dec_13).variant("ubl", _nothing)

br_dec_14 = rule(
    "BR-DEC-14", "fatal", ("BT-112",),
    "The allowed maximum number of decimals for the Invoice total amount with VAT "
    "(BT-112) is 2.",
    "Le nombre maximal de décimales du montant total TVA comprise (BT-112) est 2.",
)(_total("total_with_vat"))

br_dec_15 = rule(
    "BR-DEC-15", "fatal", ("BT-111",),
    "The allowed maximum number of decimals for the Invoice total VAT amount in "
    "accounting currency (BT-111) is 2.",
    "Le nombre maximal de décimales du montant total de TVA en devise de comptabilisation"
    " (BT-111) est 2.",
)(_total_value("total_vat_amount_in_accounting_currency")).variant(
    "cii", _cii_dec_15).variant("ubl", _nothing)

br_dec_16 = rule(
    "BR-DEC-16", "fatal", ("BT-113",),
    "The allowed maximum number of decimals for the Paid amount (BT-113) is 2.",
    "Le nombre maximal de décimales du montant payé (BT-113) est 2.",
)(_total("paid_amount"))

br_dec_17 = rule(
    "BR-DEC-17", "fatal", ("BT-114",),
    "The allowed maximum number of decimals for the Rounding amount (BT-114) is 2.",
    "Le nombre maximal de décimales du montant d'arrondi (BT-114) est 2.",
)(_total("rounding_amount"))

br_dec_18 = rule(
    "BR-DEC-18", "fatal", ("BT-115",),
    "The allowed maximum number of decimals for the Amount due for payment (BT-115) is 2.",
    "Le nombre maximal de décimales du montant à payer (BT-115) est 2.",
)(_total("amount_due_for_payment"))

br_dec_19 = rule(
    "BR-DEC-19", "fatal", ("BT-116",),
    "The allowed maximum number of decimals for the VAT category taxable amount (BT-116) "
    "is 2.",
    "Le nombre maximal de décimales de la base d'imposition par catégorie de TVA (BT-116)"
    " est 2.",
)(_each("vat_breakdown", "taxable_amount"))

br_dec_20 = rule(
    "BR-DEC-20", "fatal", ("BT-117",),
    "The allowed maximum number of decimals for the VAT category tax amount (BT-117) is "
    "2.",
    "Le nombre maximal de décimales du montant de TVA par catégorie (BT-117) est 2.",
)(_each("vat_breakdown", "tax_amount"))

br_dec_23 = rule(
    "BR-DEC-23", "fatal", ("BT-131",),
    "The allowed maximum number of decimals for the Invoice line net amount (BT-131) is "
    "2.",
    "Le nombre maximal de décimales du montant net de ligne (BT-131) est 2.",
)(_each("lines", "net_amount"))

br_dec_24 = rule(
    "BR-DEC-24", "fatal", ("BT-136",),
    "The allowed maximum number of decimals for the Invoice line allowance amount "
    "(BT-136) is 2.",
    "Le nombre maximal de décimales du montant de remise de ligne (BT-136) est 2.",
)(_each_line("allowances", "amount"))

br_dec_25 = rule(
    "BR-DEC-25", "fatal", ("BT-137",),
    "The allowed maximum number of decimals for the Invoice line allowance base amount "
    "(BT-137) is 2.",
    "Le nombre maximal de décimales du montant de base de remise de ligne (BT-137) est 2.",
)(_each_line("allowances", "base_amount"))

br_dec_27 = rule(
    "BR-DEC-27", "fatal", ("BT-141",),
    "The allowed maximum number of decimals for the Invoice line charge amount (BT-141) "
    "is 2.",
    "Le nombre maximal de décimales du montant de charge de ligne (BT-141) est 2.",
)(_each_line("charges", "amount"))

br_dec_28 = rule(
    "BR-DEC-28", "fatal", ("BT-142",),
    "The allowed maximum number of decimals for the Invoice line charge base amount "
    "(BT-142) is 2.",
    "Le nombre maximal de décimales du montant de base de charge de ligne (BT-142) est 2.",
)(_each_line("charges", "base_amount"))

RULES: tuple[Rule, ...] = (
    br_dec_01, br_dec_02, br_dec_05, br_dec_06, br_dec_09, br_dec_10, br_dec_11, br_dec_12,
    br_dec_13, br_dec_14, br_dec_15, br_dec_16, br_dec_17, br_dec_18, br_dec_19, br_dec_20,
    br_dec_23, br_dec_24, br_dec_25, br_dec_27, br_dec_28,
)
"""The 21 rules of this family, in id order."""
