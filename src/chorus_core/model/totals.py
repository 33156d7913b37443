"""Document totals (BG-22) and VAT breakdown (BG-23) computed from lines, allowances and charges.

The calculation follows EN 16931-1 §6.5 and the BR-CO rules, with the rounding the business
rules expect: every amount is rounded to two decimals, half away from zero.

* BT-131 line net amount = quantity × (net price ÷ base quantity) + line charges − line
  allowances (BR-CO-… / BR-DEC-23), rounded;
* BT-106 = Σ BT-131 (BR-CO-10); BT-107 = Σ BT-92 (BR-CO-11); BT-108 = Σ BT-99 (BR-CO-12);
* BT-109 = BT-106 − BT-107 + BT-108 (BR-CO-13);
* BT-116 per (category, rate) = Σ line net + Σ charges − Σ allowances of that pair (BR-S-08…);
* BT-117 = BT-116 × BT-119 ÷ 100, rounded (BR-CO-17); 0 for categories without VAT;
* BT-110 = Σ BT-117 (BR-CO-14); BT-112 = BT-109 + BT-110 (BR-CO-15);
* BT-115 = BT-112 − BT-113 + BT-114 (BR-CO-16).

Every calculation runs in a local decimal context of 80 significant digits that traps
overflow and invalid operations, whatever the caller's context: a value too large to compute
with (an amount that needs more than 80 digits once rounded to the cent, ``1e999999 ×
1e999999``) raises :class:`~chorus_core.errors.CalculationError` naming the business term being
computed, never a bare :mod:`decimal` exception and never a NaN total.

More information:

* EN 16931-1:2017 §6.5 (calculations), BR-CO-10 … BR-CO-17

>>> from decimal import Decimal as D
>>> from chorus_core.model import Invoice, InvoiceLine, PriceDetails, LineVatInformation
>>> line = InvoiceLine(identifier="1", invoiced_quantity=D("3"), invoiced_quantity_unit_code="C62",
...                    price_details=PriceDetails(net_price=D("10.005")),
...                    vat_information=LineVatInformation(category_code="S", rate=D("20")))
>>> inv = with_totals(Invoice(lines=(line,)))
>>> inv.lines[0].net_amount, inv.totals.total_vat_amount, inv.totals.amount_due_for_payment
(Decimal('30.02'), Decimal('6.00'), Decimal('36.02'))
>>> huge = line.model_copy(update={"invoiced_quantity": D("1e308")})
>>> with_totals(Invoice(lines=(huge,)))
Traceback (most recent call last):
...
chorus_core.errors.CalculationError: line net amount too large to compute ... [BT-131] at lines[0]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)

from ..errors import CalculationError
from .invoice import DocumentTotals, Invoice, InvoiceLine, VatBreakdown

__all__ = [
    "VAT_FREE_CATEGORIES",
    "compute_totals",
    "compute_vat_breakdown",
    "line_net_amount",
    "round_amount",
    "with_totals",
]

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_DIGITS = 80
# traps what would give a wrong or non-finite total; inexact results are rounded at 80 digits
_CONTEXT = Context(prec=_DIGITS, rounding=ROUND_HALF_UP,
                   traps=[InvalidOperation, Overflow, DivisionByZero])

_TERMS = {
    "BT-106": "sum of line net amounts", "BT-107": "sum of allowances",
    "BT-108": "sum of charges", "BT-109": "total without VAT", "BT-110": "total VAT amount",
    "BT-112": "total with VAT", "BT-115": "amount due for payment",
    "BT-116": "VAT category taxable amount", "BT-117": "VAT category tax amount",
    "BT-131": "line net amount",
}

VAT_FREE_CATEGORIES = frozenset({"E", "AE", "K", "G", "O", "Z"})
"""VAT categories whose tax amount is always zero (exempt, reverse charge, export, …)."""


@contextmanager
def _computing(bt: str | None, path: str | None = None) -> Iterator[None]:
    # the local context, and a typed error naming the term instead of a decimal exception
    try:
        with localcontext(_CONTEXT):
            yield
    except DecimalException as exc:
        what = _TERMS.get(bt or "", "amount")
        raise CalculationError(
            f"{what} too large to compute ({_DIGITS} significant digits at most, "
            f"{type(exc).__name__})", bt=bt, path=path) from None


def _round(value: Decimal) -> Decimal:
    if not value.is_finite():  # a quiet NaN would not signal
        raise InvalidOperation(value)
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def round_amount(value: Decimal) -> Decimal:
    """Round to two decimals, half away from zero (the EN 16931 rounding of amounts).

    Raises :class:`~chorus_core.errors.CalculationError` for a value that is not finite or
    needs more than 80 digits.

    >>> round_amount(Decimal("2.345")), round_amount(Decimal("-2.345"))
    (Decimal('2.35'), Decimal('-2.35'))
    """
    with _computing(None):
        return _round(value)


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    return sum((v for v in values if v is not None), _ZERO)


def line_net_amount(line: InvoiceLine) -> Decimal:
    """BT-131 computed from quantity, net price, base quantity, line allowances and charges.

    Missing quantity or price count as zero (the rules report them).  Raises
    :class:`~chorus_core.errors.CalculationError` (BT-131) for values too large to compute with.
    """
    return _line_net(line, None)


def _line_net(line: InvoiceLine, path: str | None) -> Decimal:
    with _computing("BT-131", path):
        quantity = line.invoiced_quantity or _ZERO
        price = line.price_details
        net_price = price.net_price if price and price.net_price is not None else _ZERO
        base = price.base_quantity if price and price.base_quantity else Decimal(1)
        gross = quantity * net_price / base
        return _round(
            gross + _sum(c.amount for c in line.charges) - _sum(a.amount for a in line.allowances)
        )


def _key(category: str | None, rate: Decimal | None) -> tuple[str, Decimal | None]:
    # rates compare numerically: 20 and 20.00 are the same breakdown
    return (category or "", rate.normalize() if rate is not None else None)


def compute_vat_breakdown(invoice: Invoice) -> tuple[VatBreakdown, ...]:
    """BG-23: one breakdown per (VAT category, rate), in order of first appearance.

    Line net amounts are taken as stated when present (BT-131), computed otherwise.  Exemption
    reasons (BT-120/BT-121) of an existing breakdown with the same key are kept.  Raises
    :class:`~chorus_core.errors.CalculationError` (BT-131, BT-116 or BT-117) for values too
    large to compute with.
    """
    taxable: dict[tuple[str, Decimal | None], Decimal] = {}
    rates: dict[tuple[str, Decimal | None], Decimal | None] = {}

    def add(category: str | None, rate: Decimal | None, amount: Decimal, path: str) -> None:
        with _computing("BT-116", path):
            key = _key(category, rate)
            taxable[key] = taxable.get(key, _ZERO) + amount
            rates.setdefault(key, rate)

    for i, line in enumerate(invoice.lines):
        vat = line.vat_information
        net = line.net_amount if line.net_amount is not None else _line_net(line, f"lines[{i}]")
        add(vat.category_code if vat else None, vat.rate if vat else None, net, f"lines[{i}]")
    for i, charge in enumerate(invoice.charges):
        add(charge.vat_category_code, charge.vat_rate, charge.amount or _ZERO, f"charges[{i}]")
    for i, allowance in enumerate(invoice.allowances):
        add(allowance.vat_category_code, allowance.vat_rate, -(allowance.amount or _ZERO),
            f"allowances[{i}]")

    with _computing("BT-116", "vat_breakdown"):
        existing = {_key(b.category_code, b.rate): b for b in invoice.vat_breakdown}
    out = []
    for n, (key, total) in enumerate(taxable.items()):
        category, _ = key
        rate = rates[key]
        with _computing("BT-116", f"vat_breakdown[{n}]"):
            base = _round(total)
        with _computing("BT-117", f"vat_breakdown[{n}]"):
            tax = _ZERO if category in VAT_FREE_CATEGORIES or rate is None else _round(
                base * rate / Decimal(100))
        old = existing.get(key)
        out.append(
            VatBreakdown.model_construct(
                taxable_amount=base,
                tax_amount=tax,
                category_code=category or None,
                rate=rate,
                exemption_reason=old.exemption_reason if old else None,
                exemption_reason_code=old.exemption_reason_code if old else None,
            )
        )
    return tuple(out)


def compute_totals(
    invoice: Invoice, breakdown: tuple[VatBreakdown, ...] | None = None
) -> DocumentTotals:
    """BG-22 from the lines, allowances, charges and VAT breakdown of ``invoice``.

    Paid amount (BT-113), rounding amount (BT-114) and the VAT total in accounting currency
    (BT-111) are inputs, kept from ``invoice.totals``.  Raises
    :class:`~chorus_core.errors.CalculationError` naming the term (BT-106 … BT-117, BT-131)
    for values too large to compute with.
    """
    if breakdown is None:
        breakdown = compute_vat_breakdown(invoice)
    nets = [
        line.net_amount if line.net_amount is not None else _line_net(line, f"lines[{i}]")
        for i, line in enumerate(invoice.lines)
    ]
    old = invoice.totals
    paid = old.paid_amount if old else None
    rounding = old.rounding_amount if old else None
    with _computing("BT-106", "totals"):
        line_total = _sum(nets)
    with _computing("BT-107", "totals"):
        allowances = _sum(a.amount for a in invoice.allowances)
    with _computing("BT-108", "totals"):
        charges = _sum(c.amount for c in invoice.charges)
    with _computing("BT-109", "totals"):
        without_vat = line_total - allowances + charges
    with _computing("BT-110", "totals"):
        vat = _sum(b.tax_amount for b in breakdown)
    with _computing("BT-112", "totals"):
        with_vat = without_vat + vat
    with _computing("BT-115", "totals"):
        due = with_vat - (paid or _ZERO) + (rounding or _ZERO)
    return DocumentTotals.model_construct(
        sum_of_line_net_amounts=line_total,
        sum_of_allowances=allowances if invoice.allowances else None,
        sum_of_charges=charges if invoice.charges else None,
        total_without_vat=without_vat,
        total_vat_amount=vat,
        total_vat_amount_in_accounting_currency=(
            old.total_vat_amount_in_accounting_currency if old else None
        ),
        total_with_vat=with_vat,
        paid_amount=paid,
        rounding_amount=rounding,
        amount_due_for_payment=due,
    )


def with_totals(invoice: Invoice) -> Invoice:
    """Return a copy of ``invoice`` whose line net amounts, VAT breakdown and totals are computed.

    Line net amounts already present are recomputed too, so the result is always consistent.
    Raises :class:`~chorus_core.errors.CalculationError` naming the term and its place (e.g.
    ``BT-131`` at ``lines[3]``) when a value is too large to compute with; nothing else.
    """
    lines = tuple(
        line.model_copy(update={"net_amount": _line_net(line, f"lines[{i}]")})
        for i, line in enumerate(invoice.lines)
    )
    invoice = invoice.model_copy(update={"lines": lines})
    breakdown = compute_vat_breakdown(invoice)
    return invoice.model_copy(
        update={"vat_breakdown": breakdown, "totals": compute_totals(invoice, breakdown)}
    )
