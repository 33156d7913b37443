"""User code against the public API, checked by ``mypy --strict`` in CI (never executed).

If a public signature loses or changes its types, this file stops type-checking.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import chorus_core
from chorus_core import (
    Action,
    Actor,
    Conversion,
    Directory,
    Finding,
    History,
    Invoice,
    Report,
    Routing,
    check_routing,
    convert,
    detect_format,
    read,
    routing_of,
    with_totals,
    write,
)
from chorus_core.model import InvoiceLine, PriceDetails, lenient
from chorus_core.workflow import PaymentDelay, payment_delay


def convert_for_chorus(data: bytes) -> tuple[bytes, list[str]]:
    """Convert to CII and list the lost terms."""
    result: Conversion = convert(data, to="cii")
    return result.data, [loss.bt for loss in result.losses]


def route(data: bytes, directory: Directory) -> list[Finding]:
    """Read any supported format and check its routing."""
    fmt: str = detect_format(data)
    invoice: Invoice = read(data, format=fmt)
    routing: Routing = routing_of(invoice)
    report: Report = check_routing(routing, directory, on=date(2026, 1, 1))
    return list(report.findings)


def build() -> bytes:
    """Build an invoice by hand and write it as UBL."""
    line = InvoiceLine(invoiced_quantity=Decimal("2"),
                       price_details=PriceDetails(net_price=Decimal("9.90")))
    invoice = with_totals(Invoice(invoice_number="F-1", lines=(line,)))
    loaded: Invoice = lenient(Invoice, invoice_currency_code="EURO")
    assert loaded.invoice_currency_code == "EURO"
    return write(invoice, "ubl")


def follow(history: History, today: date) -> int | None:
    """Deposit, then how many days of the payment delay are left."""
    history = chorus_core.apply(history, Action.DEPOSIT, Actor.SUPPLIER, today)
    delay: PaymentDelay = payment_delay(history, today)
    return delay.days_left
