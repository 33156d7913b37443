"""UN/CEFACT Cross Industry Invoice D16B (CII) ↔ the canonical model.

The EN 16931 CII binding (``rsm:CrossIndustryInvoice``), as sent to Chorus Pro in flow E1
("CII 16B") and embedded in Factur-X, is the ``cii`` column of the binding table
(``bindings.csv``, see :mod:`chorus_core.formats._table`); this module holds the descriptor,
the abbreviations of the column (``{HA}``, ``{HD}``, ``{HS}``: the header trade agreement,
delivery and settlement) and the hooks:

* ``scheme_global_id``: an identifier with a scheme is a ``ram:GlobalID@schemeID`` (EN 16931
  forbids ``@schemeID`` on ``ram:ID``), one without a ``ram:ID``;
* ``vat_point_code``: BT-8 is UNTDID 2005 in the model (3, 35, 432, as UBL) and UNTDID 2475 in
  CII (5, 29, 72);
* ``tax_total``: ``ram:TaxTotalAmount`` twice, told apart by ``@currencyID`` (BT-110 in BT-5,
  BT-111 in BT-6);
* ``tax_currency``: BT-6 equal to BT-5 is left out (CII's BR-53 forbids it; reported);
* ``gross_price``: a discount (BT-147) without gross price (BT-148) is written with the gross
  price BT-146 + BT-147, since ``ram:ChargeAmount`` is mandatory there (reported as added).

Credit notes have no root of their own in CII: the type code (BT-3, e.g. ``381``) says so.

More information:

* UN/CEFACT CII D16B, ``CrossIndustryInvoice_100pD16B.xsd``
* https://github.com/ConnectingEurope/eInvoicing-EN16931 (CII examples and Schematron)

>>> from chorus_core.model import Invoice
>>> data = write(Invoice(invoice_number="F-1", invoice_type_code="381"), draft=True)
>>> read(data).invoice_type_code
'381'
>>> write(Invoice(invoice_number="F-1"))
Traceback (most recent call last):
...
chorus_core.errors.IncompleteInvoiceError: cannot write a valid cii document: the XSD ...
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from ..xml.escape import escape_attr
from ._engine import Hook, Reading, Syntax, Unread, Written, _Leaf, _Reader, _Writer
from ._formats import Descriptor
from ._xsd_order import ORDER

__all__ = [
    "DESCRIPTOR",
    "NAMESPACE",
    "QDT",
    "RAM",
    "ROOT",
    "RSM",
    "SYNTAX",
    "UDT",
    "VAT_POINT_DATE_CODE_FROM_CII",
    "VAT_POINT_DATE_CODE_TO_CII",
    "Reading",
    "Written",
    "detect",
    "parse",
    "read",
    "read_report",
    "write",
    "write_report",
]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
NAMESPACE = RSM
ROOT = "{" + RSM + "}CrossIndustryInvoice"

VAT_POINT_DATE_CODE_TO_CII: dict[str, str] = {"3": "5", "35": "29", "432": "72"}
"""BT-8: the model holds UNTDID 2005 (as UBL); CII carries UNTDID 2475."""

VAT_POINT_DATE_CODE_FROM_CII: dict[str, str] = {v: k for k, v in VAT_POINT_DATE_CODE_TO_CII.items()}
"""BT-8: UNTDID 2475 (CII ``ram:DueDateTypeCode``) back to UNTDID 2005; others kept as read."""

Element = etree._Element


class _SchemeGlobalId(Hook):
    """``ram:GlobalID@schemeID`` for an identifier with a scheme, ``ram:ID`` without.

    ``ram:ID`` must precede ``ram:GlobalID``: to keep the model's order of repeated
    identifiers (BT-29), one without scheme that follows one with a scheme is written as a
    ``ram:GlobalID`` without ``@schemeID`` (read back the same).
    """

    def choose(self, writer: _Writer, leaf: _Leaf, ctx: Any) -> int:
        composite = leaf.term.parent
        assert composite is not None and composite.parent is not None
        ident = writer.instance(composite, ctx)
        if ident is None:
            return 0
        if ident.scheme_id is not None:
            return 1
        owner = writer.instance(composite.parent, ctx)
        siblings = getattr(owner, composite.attribute, ()) if owner is not None else ()
        if isinstance(siblings, tuple):
            for other in siblings:
                if other is ident:
                    break
                if other.scheme_id is not None:
                    return 1
        return 0


class _VatPointCode(Hook):
    """BT-8 between UNTDID 2005 (model) and UNTDID 2475 (CII)."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        text = reader.convert(leaves[0], el)
        reader.store(leaves[0], VAT_POINT_DATE_CODE_FROM_CII.get(text, text), el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        text = writer.text_of(leaves[0], ctx)
        return (None if text is None else VAT_POINT_DATE_CODE_TO_CII.get(text, text)), ""


class _TaxTotal(Hook):
    """BT-110 and BT-111 in ``ram:TaxTotalAmount``, told apart by ``@currencyID``."""

    def read(self, reader: _Reader, el: Element, leaves: list[_Leaf], open_: Any) -> None:
        main, accounting = sorted(leaves, key=lambda leaf: leaf.term.id != "BT-110")
        value = reader.convert(main, el)
        currency = el.get("currencyID")
        bt5 = reader.data.get("invoice_currency_code")
        bt6 = reader.data.get("vat_accounting_currency_code")
        totals = reader.resolve(main.term.parent, open_)  # type: ignore[arg-type]
        if currency is not None and currency == bt6 and currency != bt5:
            reader.store(accounting, value, el, open_)
        elif "total_vat_amount" not in totals:
            reader.store(main, value, el, open_)
            if currency is not None and bt5 is not None and currency != bt5:
                reader.unread.append(Unread(
                    reader.path(el) + "/@currencyID", "BT-110", currency,
                    f"currencyID {currency!r} differs from the invoice currency (BT-5)"))
        else:
            reader.store(accounting, value, el, open_)

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        (leaf,) = leaves
        invoice = writer.invoice
        code = (invoice.vat_accounting_currency_code if leaf.term.id == "BT-111"
                else invoice.invoice_currency_code)
        text = writer.text_of(leaf, ctx)
        return text, ("" if code is None else f' currencyID="{escape_attr(code)}"')


class _TaxCurrency(Hook):
    """BT-6 is left out when equal to BT-5 (BR-53 of the CII syntax forbids it)."""

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        invoice = writer.invoice
        if invoice.vat_accounting_currency_code == invoice.invoice_currency_code:
            return None, ""
        return writer.text_of(leaves[0], ctx), ""


class _GrossPrice(Hook):
    """BT-148 absent beside a discount (BT-147): written as BT-146 + BT-147 (the XSD requires
    ``ram:ChargeAmount`` in the gross price), reported as added."""

    def write(self, writer: _Writer, leaves: list[_Leaf], ctx: Any) -> tuple[str | None, str]:
        leaf = leaves[0]
        text = writer.text_of(leaf, ctx)
        if text is not None:
            return text, ""
        price = writer.instance(leaf.term.parent, ctx)  # type: ignore[arg-type]
        if price is None or price.price_discount is None or price.net_price is None:
            return None, ""
        gross = price.net_price + price.price_discount
        writer.changed.append((leaf.term.id, writer.path_of(price, leaf.term), None, gross))
        return writer.format(leaf, gross), ""


SYNTAX = Syntax(
    name="cii",
    columns={ROOT: "cii"},
    prefixes={"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT},
    namespaces={RSM: "rsm", RAM: "ram", UDT: "udt", QDT: "qdt"},
    abbreviations={
        "HA": "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement",
        "HD": "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery",
        "HS": "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement",
    },
    date="102",
    hooks={
        "scheme_global_id": _SchemeGlobalId(),
        "vat_point_code": _VatPointCode(),
        "tax_total": _TaxTotal(),
        "tax_currency": _TaxCurrency(),
        "gross_price": _GrossPrice(),
    },
    order=ORDER,
    root_for=lambda invoice: ROOT,
)
"""The CII syntax: its table column, namespaces, abbreviations and hooks."""

_STANDARD = "CII/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd"

DESCRIPTOR = Descriptor(
    name="cii",
    title="UN/CEFACT CII D16B CrossIndustryInvoice",
    syntax=SYNTAX,
    schemas={
        ROOT: ("CrossIndustryInvoice_100pD16B.xsd", (
            "CrossIndustryInvoice_100pD16B.xsd",
            _STANDARD,
            "uncoupled clm/" + _STANDARD,
            "cii-d16b/uncoupled clm/" + _STANDARD,
        )),
    },
)
"""What the registry, the XSD validation and the docs need to know of CII."""

detect = DESCRIPTOR.detect
parse = DESCRIPTOR.parse
read = DESCRIPTOR.read
read_report = DESCRIPTOR.read_report
write = DESCRIPTOR.write
write_report = DESCRIPTOR.write_report
