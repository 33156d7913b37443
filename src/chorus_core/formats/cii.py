"""UN/CEFACT Cross Industry Invoice D16B (CII): reader and writer of the canonical model.

The EN 16931 CII binding (``rsm:CrossIndustryInvoice``, namespace :data:`NAMESPACE`), as sent
to Chorus Pro in flow E1 ("CII 16B") and embedded in Factur-X.  :func:`read` turns a document
into a :class:`~chorus_core.model.Invoice` on the lenient path (invalid codes are kept as read,
the rules report them); :func:`write` emits the elements in the order of the D16B XSD.

Choices worth knowing:

* **Credit notes** have no root of their own in CII: the type code (BT-3, e.g. ``381``) says
  so, and amounts are written with the signs they have in the model.
* **Chorus Pro placements**: code service BT-10 ``ram:BuyerReference``, engagement BT-13
  ``ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID``, marché BT-12
  ``ram:ContractReferencedDocument/ram:IssuerAssignedID``, cadre BT-23
  ``ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID``.  A party identifier with a
  scheme (the buyer SIRET, BT-46 scheme ``0009``) is written as ``ram:GlobalID@schemeID``
  (EN 16931 forbids ``@schemeID`` on ``ram:ID``); one without a scheme as ``ram:ID``.  BT-47
  goes to ``ram:SpecifiedLegalOrganization/ram:ID@schemeID``, BT-49 to
  ``ram:URIUniversalCommunication/ram:URIID@schemeID``.
* **BT-17, BT-18 and BG-24** share ``ram:AdditionalReferencedDocument``, told apart by
  ``ram:TypeCode`` 50, 130 and 916 (a document without type code is read as BG-24).
* **BT-8** is held as UNTDID 2005 in the model (3, 35, 432) and written as UNTDID 2475
  (5, 29, 72), the list CII uses.
* **BT-149** (price base quantity) is read from the net price (from the gross price when the net
  price has none) and written on the net price only.
* **BT-84** is written as ``ram:IBANID``; ``ram:ProprietaryID`` is read as BT-84 as well.
* **Attachments** (BT-125) are base64 in the document and exact bytes in the model.

What D16B cannot carry: only the first preceding invoice reference (BG-3) has a place
(``ram:InvoiceReferencedDocument`` is ``0..1``).

More information:

* UN/CEFACT CII D16B (SCRDM subset), ``CrossIndustryInvoice_100pD16B.xsd``
* EN 16931-1 and CEN/TS 16931-3-3 (CII syntax binding)
* ``../shared/research/en16931.md`` §4.2 (Chorus Pro placements)

>>> from chorus_core.model import Invoice
>>> inv = Invoice(invoice_number="F-1", invoice_type_code="381", invoice_currency_code="EUR")
>>> data = write(inv)
>>> data[:38]
b"<?xml version='1.0' encoding='UTF-8'?>"
>>> back = read(data)
>>> back.invoice_number, back.is_credit_note
('F-1', True)
>>> try:
...     read(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>")
... except Exception as exc:
...     print(type(exc).__name__, "-", exc)
UnknownFormatError - not a CII D16B document: root is {urn:oasis:...}Invoice
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ..errors import ReadError, UnknownFormatError
from ..model import LENIENT, Invoice
from ..model.invoice import (
    Address,
    Contact,
    DocumentAllowance,
    DocumentCharge,
    Identifier,
    InvoiceLine,
    LineAllowance,
    LineCharge,
)
from ..xml import parse_xml
from ._cii_table import (
    ADDRESS,
    ALLOWANCE_CHARGE,
    HEADER_TOTALS,
    QDT,
    RAM,
    RSM,
    UDT,
    VAT_BREAKDOWN,
    VAT_POINT_DATE_CODE_FROM_CII,
    VAT_POINT_DATE_CODE_TO_CII,
    Row,
)

__all__ = ["NAME", "NAMESPACE", "detect", "read", "write"]

NAME = "cii"
"""Registry name of the format."""

NAMESPACE = RSM
"""Namespace of the ``rsm:CrossIndustryInvoice`` root."""

_ROOT = f"{{{RSM}}}CrossIndustryInvoice"
_NSMAP = {"rsm": RSM, "ram": RAM, "udt": UDT, "qdt": QDT}

_R = f"{{{RAM}}}"
_X = f"{{{RSM}}}"
_U = f"{{{UDT}}}"
_Q = f"{{{QDT}}}"

_NUMBER = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)\s*\Z")

def detect(root: etree._Element) -> bool:
    """True when ``root`` is a CII D16B ``rsm:CrossIndustryInvoice`` element.

    >>> from chorus_core.xml import parse_xml
    >>> detect(parse_xml(f"<rsm:CrossIndustryInvoice xmlns:rsm='{NAMESPACE}'/>"))
    True
    >>> detect(parse_xml("<CrossIndustryInvoice xmlns='urn:oasis:names:specification:ubl:x'/>"))
    False
    """
    return bool(root.tag == _ROOT)


# ====================================================================================== reading


def _path(el: etree._Element) -> str:
    return str(el.getroottree().getpath(el))


def _text(el: etree._Element) -> str:
    text = el.text
    return "" if text is None else text


def _decimal(el: etree._Element, bt: str) -> Decimal:
    text = el.text
    if text is None or not _NUMBER.match(text):
        raise ReadError(f"{text!r} is not a number", path=_path(el), bt=bt)
    try:
        return Decimal(text.strip())
    except InvalidOperation:  # pragma: no cover - the pattern already refuses these
        raise ReadError(f"{text!r} is not a number", path=_path(el), bt=bt) from None


def _date_string(el: etree._Element, bt: str) -> date:
    # el is a DateTimeString / DateString; format 102 is CCYYMMDD (ISO dates tolerated)
    text = (el.text or "").strip()
    digits = text.replace("-", "") if len(text) == 10 else text
    try:
        if len(digits) != 8 or not digits.isdigit():
            raise ValueError(text)
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ReadError(f"{text!r} is not a date (format 102, CCYYMMDD)", path=_path(el),
                        bt=bt) from None


def _date(el: etree._Element, bt: str) -> date | None:
    # el is a ram:…DateTime / ram:TaxPointDate holding one udt/qdt date string
    for child in el:
        if isinstance(child.tag, str):
            return _date_string(child, bt)
    return None


def _leaves(el: etree._Element, rows: dict[str, Row], out: dict[str, Any]) -> None:
    for child in el:
        row = rows.get(child.tag)
        if row is None or row.field in out:
            continue
        if row.kind == "amount":
            out[row.field] = _decimal(child, row.bt)
        elif row.kind == "date":
            out[row.field] = _date(child, row.bt)
        else:
            out[row.field] = _text(child)


def _by_tag(rows: tuple[Row, ...]) -> dict[str, Row]:
    return {_R + row.element: row for row in rows}


_ADDRESS = _by_tag(ADDRESS)
_HEADER_TOTALS = _by_tag(HEADER_TOTALS)
_ALLOWANCE_CHARGE = _by_tag(ALLOWANCE_CHARGE)
_VAT_BREAKDOWN = _by_tag(VAT_BREAKDOWN)


def _first_text(el: etree._Element, tag: str) -> str | None:
    for child in el:
        if child.tag == tag:
            return _text(child)
    return None


def _identifier(el: etree._Element, scheme_attr: str = "schemeID") -> dict[str, Any]:
    ident: dict[str, Any] = {"value": _text(el)}
    scheme = el.get(scheme_attr)
    if scheme is not None:
        ident["scheme_id"] = scheme
    return ident


def _address(el: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    _leaves(el, _ADDRESS, out)
    return out


def _contact(el: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    department = None
    for child in el:
        tag = child.tag
        if tag == _R + "PersonName":
            out["point"] = _text(child)
        elif tag == _R + "DepartmentName":
            department = _text(child)
        elif tag == _R + "TelephoneUniversalCommunication":
            number = _first_text(child, _R + "CompleteNumber")
            if number is not None:
                out["telephone"] = number
        elif tag == _R + "EmailURIUniversalCommunication":
            uri = _first_text(child, _R + "URIID")
            if uri is not None:
                out["email"] = uri
    if "point" not in out and department is not None:
        out["point"] = department  # BT-41/BT-56 may sit in DepartmentName
    return out


class _Party:
    """What a ``ram:…TradeParty`` carries, before it is given a role."""

    __slots__ = ("address", "contact", "description", "ids", "legal", "name", "tax", "trading",
                 "uri")

    def __init__(self, el: etree._Element) -> None:
        self.ids: list[dict[str, Any]] = []
        self.name: str | None = None
        self.description: str | None = None
        self.legal: dict[str, Any] | None = None
        self.trading: str | None = None
        self.contact: dict[str, Any] | None = None
        self.address: dict[str, Any] | None = None
        self.uri: dict[str, Any] | None = None
        self.tax: list[tuple[str | None, str]] = []
        for child in el:
            tag = child.tag
            if tag == _R + "ID" or tag == _R + "GlobalID":
                self.ids.append(_identifier(child))
            elif tag == _R + "Name":
                self.name = _text(child)
            elif tag == _R + "Description":
                if self.description is None:
                    self.description = _text(child)
            elif tag == _R + "SpecifiedLegalOrganization":
                for sub in child:
                    if sub.tag == _R + "ID":
                        self.legal = _identifier(sub)
                    elif sub.tag == _R + "TradingBusinessName":
                        self.trading = _text(sub)
            elif tag == _R + "DefinedTradeContact":
                if self.contact is None:
                    self.contact = _contact(child)
            elif tag == _R + "PostalTradeAddress":
                self.address = _address(child)
            elif tag == _R + "URIUniversalCommunication":
                for sub in child:
                    if sub.tag == _R + "URIID" and self.uri is None:
                        self.uri = _identifier(sub)
            elif tag == _R + "SpecifiedTaxRegistration":
                for sub in child:
                    if sub.tag == _R + "ID":
                        self.tax.append((sub.get("schemeID"), _text(sub)))

    def put(self, out: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            out[key] = value

    def vat(self) -> str | None:
        for scheme, value in self.tax:
            if scheme != "FC":
                return value
        return None

    def seller(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.put(out, "name", self.name)
        self.put(out, "trading_name", self.trading)
        if self.ids:
            out["identifiers"] = self.ids  # BT-29, every ram:ID and ram:GlobalID
        self.put(out, "legal_registration_identifier", self.legal)
        self.put(out, "vat_identifier", self.vat())  # BT-31, schemeID VA
        for scheme, value in self.tax:  # BT-32, schemeID FC
            if scheme == "FC":
                out["tax_registration_identifier"] = value
                break
        self.put(out, "additional_legal_information", self.description)
        self.put(out, "electronic_address", self.uri)
        self.put(out, "postal_address", self.address)
        self.put(out, "contact", self.contact)
        return out

    def buyer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.put(out, "name", self.name)
        self.put(out, "trading_name", self.trading)
        if self.ids:
            out["identifier"] = self.ids[0]  # BT-46 (the Chorus Pro SIRET, scheme 0009)
        self.put(out, "legal_registration_identifier", self.legal)
        self.put(out, "vat_identifier", self.vat())
        self.put(out, "electronic_address", self.uri)
        self.put(out, "postal_address", self.address)
        self.put(out, "contact", self.contact)
        return out

    def payee(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.put(out, "name", self.name)
        if self.ids:
            out["identifier"] = self.ids[0]  # BT-60
        self.put(out, "legal_registration_identifier", self.legal)  # BT-61
        return out

    def tax_representative(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        self.put(out, "name", self.name)
        self.put(out, "vat_identifier", self.vat())  # BT-63
        self.put(out, "postal_address", self.address)
        return out


def _allowance_charge(el: etree._Element, document_level: bool) -> tuple[bool, dict[str, Any]]:
    out: dict[str, Any] = {}
    is_charge = False
    for child in el:
        tag = child.tag
        if tag == _R + "ChargeIndicator":
            indicator = _first_text(child, _U + "Indicator")
            is_charge = (indicator or "").strip().lower() in ("true", "1")
        elif tag == _R + "CategoryTradeTax" and document_level:
            for sub in child:
                if sub.tag == _R + "CategoryCode":
                    out["vat_category_code"] = _text(sub)
                elif sub.tag == _R + "RateApplicablePercent":
                    out["vat_rate"] = _decimal(sub, "BT-103" if is_charge else "BT-96")
        else:
            row = _ALLOWANCE_CHARGE.get(tag)
            if row is not None and row.field not in out:
                if row.kind == "amount":
                    out[row.field] = _decimal(child, row.bt)
                else:
                    out[row.field] = _text(child)
    return is_charge, out


def _referenced_id(el: etree._Element) -> str | None:
    return _first_text(el, _R + "IssuerAssignedID")


class _Reader:
    """Reads one document into the nested dicts of the canonical model."""

    def __init__(self) -> None:
        self.inv: dict[str, Any] = {}
        self.payment: dict[str, Any] = {}
        self.direct_debit: dict[str, Any] = {}
        self.tax_currency: str | None = None
        self.invoice_currency: str | None = None

    def read(self, root: etree._Element) -> dict[str, Any]:
        inv = self.inv
        for child in root:
            tag = child.tag
            if tag == _X + "ExchangedDocumentContext":
                self.context(child)
            elif tag == _X + "ExchangedDocument":
                self.document(child)
            elif tag == _X + "SupplyChainTradeTransaction":
                self.transaction(child)
        if self.direct_debit:
            self.payment["direct_debit"] = self.direct_debit
        if self.payment:
            inv["payment_instructions"] = self.payment
        return inv

    def context(self, el: etree._Element) -> None:
        control: dict[str, Any] = {}
        for child in el:
            if child.tag == _R + "BusinessProcessSpecifiedDocumentContextParameter":
                value = _first_text(child, _R + "ID")  # BT-23, the Chorus Pro cadre
                if value is not None:
                    control.setdefault("business_process_type", value)
            elif child.tag == _R + "GuidelineSpecifiedDocumentContextParameter":
                value = _first_text(child, _R + "ID")  # BT-24
                if value is not None:
                    control.setdefault("specification_identifier", value)
        if control:
            self.inv["process_control"] = control

    def document(self, el: etree._Element) -> None:
        inv = self.inv
        notes = []
        for child in el:
            tag = child.tag
            if tag == _R + "ID":
                inv["invoice_number"] = _text(child)  # BT-1
            elif tag == _R + "TypeCode":
                inv["invoice_type_code"] = _text(child)  # BT-3
            elif tag == _R + "IssueDateTime":
                inv["invoice_issue_date"] = _date(child, "BT-2")
            elif tag == _R + "IncludedNote":  # BG-1
                note: dict[str, Any] = {}
                contents = []
                for sub in child:
                    if sub.tag == _R + "Content":
                        contents.append(_text(sub))
                    elif sub.tag == _R + "SubjectCode":
                        note["subject_code"] = _text(sub)  # BT-21
                if contents:
                    note["note"] = "\n".join(contents)  # BT-22
                notes.append(note)
        if notes:
            inv["notes"] = notes

    def transaction(self, el: etree._Element) -> None:
        lines = []
        for child in el:
            tag = child.tag
            if tag == _R + "IncludedSupplyChainTradeLineItem":
                lines.append(self.line(child))
            elif tag == _R + "ApplicableHeaderTradeAgreement":
                self.agreement(child)
            elif tag == _R + "ApplicableHeaderTradeDelivery":
                self.delivery(child)
            elif tag == _R + "ApplicableHeaderTradeSettlement":
                self.settlement(child)
        if lines:
            self.inv["lines"] = lines

    # ------------------------------------------------------------------ header agreement

    def agreement(self, el: etree._Element) -> None:
        inv = self.inv
        documents = []
        for child in el:
            tag = child.tag
            if tag == _R + "BuyerReference":
                inv["buyer_reference"] = _text(child)  # BT-10, the Chorus Pro code service
            elif tag == _R + "SellerTradeParty":
                inv["seller"] = _Party(child).seller()  # BG-4
            elif tag == _R + "BuyerTradeParty":
                inv["buyer"] = _Party(child).buyer()  # BG-7
            elif tag == _R + "SellerTaxRepresentativeTradeParty":
                inv["seller_tax_representative"] = _Party(child).tax_representative()  # BG-11
            elif tag == _R + "SellerOrderReferencedDocument":
                self.put("sales_order_reference", _referenced_id(child))  # BT-14
            elif tag == _R + "BuyerOrderReferencedDocument":
                self.put("purchase_order_reference", _referenced_id(child))  # BT-13
            elif tag == _R + "ContractReferencedDocument":
                self.put("contract_reference", _referenced_id(child))  # BT-12
            elif tag == _R + "AdditionalReferencedDocument":
                document = self.additional_document(child)
                if document is not None:
                    documents.append(document)
            elif tag == _R + "SpecifiedProcuringProject":
                self.put("project_reference", _first_text(child, _R + "ID"))  # BT-11
        if documents:
            inv["supporting_documents"] = documents

    def put(self, key: str, value: Any) -> None:
        if value is not None:
            self.inv[key] = value

    def additional_document(self, el: etree._Element) -> dict[str, Any] | None:
        type_code = _first_text(el, _R + "TypeCode")
        if type_code is not None:
            type_code = type_code.strip()
        if type_code == "50":  # BT-17 tender or lot reference
            if "tender_or_lot_reference" not in self.inv:
                self.put("tender_or_lot_reference", _referenced_id(el))
            return None
        if type_code == "130":  # BT-18 invoiced object identifier, BT-18-1 its scheme
            if "invoiced_object_identifier" not in self.inv:
                ident: dict[str, Any] = {}
                for child in el:
                    if child.tag == _R + "IssuerAssignedID":
                        ident["value"] = _text(child)
                    elif child.tag == _R + "ReferenceTypeCode":
                        ident["scheme_id"] = _text(child)
                self.inv["invoiced_object_identifier"] = ident
            return None
        document: dict[str, Any] = {}  # BG-24 (TypeCode 916, or none)
        for child in el:
            tag = child.tag
            if tag == _R + "IssuerAssignedID":
                document["reference"] = _text(child)  # BT-122
            elif tag == _R + "URIID":
                document["external_location"] = _text(child)  # BT-124
            elif tag == _R + "Name":
                document.setdefault("description", _text(child))  # BT-123
            elif tag == _R + "AttachmentBinaryObject" and "attached_document" not in document:
                document["attached_document"] = _binary(child)  # BT-125
                mime = child.get("mimeCode")
                if mime is not None:
                    document["mime_code"] = mime  # BT-125-1
                filename = child.get("filename")
                if filename is not None:
                    document["filename"] = filename  # BT-125-2
        return document

    # ------------------------------------------------------------------ header delivery

    def delivery(self, el: etree._Element) -> None:
        delivery: dict[str, Any] = {}
        for child in el:
            tag = child.tag
            if tag == _R + "ShipToTradeParty":
                party = _Party(child)
                if party.name is not None:
                    delivery["party_name"] = party.name  # BT-70
                if party.ids:
                    delivery["location_identifier"] = party.ids[0]  # BT-71
                if party.address is not None:
                    delivery["address"] = party.address  # BG-15
            elif tag == _R + "ActualDeliverySupplyChainEvent":
                for sub in child:
                    if sub.tag == _R + "OccurrenceDateTime":
                        delivery["actual_delivery_date"] = _date(sub, "BT-72")
            elif tag == _R + "DespatchAdviceReferencedDocument":
                self.put("despatch_advice_reference", _referenced_id(child))  # BT-16
            elif tag == _R + "ReceivingAdviceReferencedDocument":
                self.put("receiving_advice_reference", _referenced_id(child))  # BT-15
        if delivery:
            self.inv["delivery"] = delivery

    # ------------------------------------------------------------------ header settlement

    def settlement(self, el: etree._Element) -> None:
        inv = self.inv
        payment = self.payment
        breakdown = []
        allowances: list[dict[str, Any]] = []
        charges: list[dict[str, Any]] = []
        preceding = []
        transfers: list[dict[str, Any]] = []
        terms: list[str] = []
        totals_el = None
        for child in el:
            tag = child.tag
            if tag == _R + "CreditorReferenceID":
                self.direct_debit["bank_assigned_creditor_identifier"] = _text(child)  # BT-90
            elif tag == _R + "PaymentReference":
                payment.setdefault("remittance_information", _text(child))  # BT-83
            elif tag == _R + "TaxCurrencyCode":
                self.tax_currency = inv["vat_accounting_currency_code"] = _text(child)  # BT-6
            elif tag == _R + "InvoiceCurrencyCode":
                self.invoice_currency = inv["invoice_currency_code"] = _text(child)  # BT-5
            elif tag == _R + "PayeeTradeParty":
                inv["payee"] = _Party(child).payee()  # BG-10
            elif tag == _R + "SpecifiedTradeSettlementPaymentMeans":
                self.payment_means(child, transfers)
            elif tag == _R + "ApplicableTradeTax":
                breakdown.append(self.vat_breakdown(child))
            elif tag == _R + "BillingSpecifiedPeriod":
                inv["invoicing_period"] = _period(child, "BT-73", "BT-74")  # BG-14
            elif tag == _R + "SpecifiedTradeAllowanceCharge":
                is_charge, item = _allowance_charge(child, document_level=True)
                (charges if is_charge else allowances).append(item)
            elif tag == _R + "SpecifiedTradePaymentTerms":
                for sub in child:
                    if sub.tag == _R + "Description":
                        terms.append(_text(sub))  # BT-20
                    elif sub.tag == _R + "DueDateDateTime":
                        if "payment_due_date" not in inv:
                            inv["payment_due_date"] = _date(sub, "BT-9")
                    elif sub.tag == _R + "DirectDebitMandateID":
                        self.direct_debit.setdefault(
                            "mandate_reference_identifier", _text(sub))  # BT-89
            elif tag == _R + "SpecifiedTradeSettlementHeaderMonetarySummation":
                totals_el = child
            elif tag == _R + "InvoiceReferencedDocument":  # BG-3
                reference: dict[str, Any] = {}
                for sub in child:
                    if sub.tag == _R + "IssuerAssignedID":
                        reference["reference"] = _text(sub)  # BT-25
                    elif sub.tag == _R + "FormattedIssueDateTime":
                        reference["issue_date"] = _date(sub, "BT-26")
                preceding.append(reference)
            elif (tag == _R + "ReceivableSpecifiedTradeAccountingAccount"
                  and "buyer_accounting_reference" not in inv):
                self.put("buyer_accounting_reference", _first_text(child, _R + "ID"))  # BT-19
        if totals_el is not None:
            inv["totals"] = self.totals(totals_el)
        if transfers:
            payment["credit_transfers"] = transfers
        if terms:
            inv["payment_terms"] = "\n".join(terms)
        if breakdown:
            inv["vat_breakdown"] = breakdown
        if allowances:
            inv["allowances"] = allowances
        if charges:
            inv["charges"] = charges
        if preceding:
            inv["preceding_invoice_references"] = preceding

    def payment_means(self, el: etree._Element, transfers: list[dict[str, Any]]) -> None:
        payment = self.payment
        transfer: dict[str, Any] = {}
        for child in el:
            tag = child.tag
            if tag == _R + "TypeCode":
                payment.setdefault("payment_means_type_code", _text(child))  # BT-81
            elif tag == _R + "Information":
                payment.setdefault("payment_means_text", _text(child))  # BT-82
            elif tag == _R + "ApplicableTradeSettlementFinancialCard":  # BG-18
                card: dict[str, Any] = {}
                for sub in child:
                    if sub.tag == _R + "ID":
                        card["primary_account_number"] = _text(sub)  # BT-87
                    elif sub.tag == _R + "CardholderName":
                        card["holder_name"] = _text(sub)  # BT-88
                payment.setdefault("payment_card", card)
            elif tag == _R + "PayerPartyDebtorFinancialAccount":
                iban = _first_text(child, _R + "IBANID")
                if iban is not None:
                    self.direct_debit.setdefault("debited_account_identifier", iban)  # BT-91
            elif tag == _R + "PayeePartyCreditorFinancialAccount":  # BG-17
                for sub in child:
                    if sub.tag == _R + "IBANID" or sub.tag == _R + "ProprietaryID":
                        transfer.setdefault("account_identifier", _text(sub))  # BT-84
                    elif sub.tag == _R + "AccountName":
                        transfer["account_name"] = _text(sub)  # BT-85
            elif tag == _R + "PayeeSpecifiedCreditorFinancialInstitution":
                bic = _first_text(child, _R + "BICID")
                if bic is not None:
                    transfer["service_provider_identifier"] = bic  # BT-86
        if transfer:
            transfers.append(transfer)

    def vat_breakdown(self, el: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in el:
            tag = child.tag
            if tag == _R + "TaxPointDate":
                if "value_added_tax_point_date" not in self.inv:
                    self.inv["value_added_tax_point_date"] = _date(child, "BT-7")
            elif tag == _R + "DueDateTypeCode":
                if "value_added_tax_point_date_code" not in self.inv:
                    code = _text(child)
                    self.inv["value_added_tax_point_date_code"] = (
                        VAT_POINT_DATE_CODE_FROM_CII.get(code.strip(), code))  # BT-8
            else:
                row = _VAT_BREAKDOWN.get(tag)
                if row is not None and row.field not in out:
                    out[row.field] = (
                        _decimal(child, row.bt) if row.kind == "amount" else _text(child))
        return out

    def totals(self, el: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in el:
            row = _HEADER_TOTALS.get(child.tag)
            if row is None:
                continue
            if row.field == "total_vat_amount":
                # BT-110 in the invoice currency, BT-111 in the VAT accounting currency
                currency = child.get("currencyID")
                in_tax_currency = (
                    currency is not None and currency == self.tax_currency
                    and currency != self.invoice_currency
                )
                if in_tax_currency or "total_vat_amount" in out:
                    if "total_vat_amount_in_accounting_currency" not in out:
                        out["total_vat_amount_in_accounting_currency"] = _decimal(child, "BT-111")
                    continue
            if row.field not in out:
                out[row.field] = _decimal(child, row.bt)
        return out

    # ------------------------------------------------------------------ lines

    def line(self, el: etree._Element) -> dict[str, Any]:
        line: dict[str, Any] = {}
        for child in el:
            tag = child.tag
            if tag == _R + "AssociatedDocumentLineDocument":
                for sub in child:
                    if sub.tag == _R + "LineID":
                        line["identifier"] = _text(sub)  # BT-126
                    elif sub.tag == _R + "IncludedNote" and "note" not in line:
                        contents = [_text(c) for c in sub if c.tag == _R + "Content"]
                        if contents:
                            line["note"] = "\n".join(contents)  # BT-127
            elif tag == _R + "SpecifiedTradeProduct":
                line["item"] = _item(child)  # BG-31
            elif tag == _R + "SpecifiedLineTradeAgreement":
                _line_agreement(child, line)
            elif tag == _R + "SpecifiedLineTradeDelivery":
                for sub in child:
                    if sub.tag == _R + "BilledQuantity":
                        line["invoiced_quantity"] = _decimal(sub, "BT-129")
                        unit = sub.get("unitCode")
                        if unit is not None:
                            line["invoiced_quantity_unit_code"] = unit  # BT-130
            elif tag == _R + "SpecifiedLineTradeSettlement":
                _line_settlement(child, line)
        return line


def _binary(el: etree._Element) -> bytes:
    text = "".join((el.text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ReadError("the attachment is not valid base64", path=_path(el),
                        bt="BT-125") from None


def _period(el: etree._Element, start_bt: str, end_bt: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in el:
        if child.tag == _R + "StartDateTime":
            out["start_date"] = _date(child, start_bt)
        elif child.tag == _R + "EndDateTime":
            out["end_date"] = _date(child, end_bt)
    return out


def _item(el: etree._Element) -> dict[str, Any]:
    item: dict[str, Any] = {}
    attributes = []
    classifications = []
    for child in el:
        tag = child.tag
        if tag == _R + "GlobalID":
            item["standard_identifier"] = _identifier(child)  # BT-157
        elif tag == _R + "SellerAssignedID":
            item["seller_identifier"] = _text(child)  # BT-155
        elif tag == _R + "BuyerAssignedID":
            item["buyer_identifier"] = _text(child)  # BT-156
        elif tag == _R + "Name":
            item.setdefault("name", _text(child))  # BT-153
        elif tag == _R + "Description":
            item["description"] = _text(child)  # BT-154
        elif tag == _R + "ApplicableProductCharacteristic":  # BG-32
            attribute: dict[str, Any] = {}
            for sub in child:
                if sub.tag == _R + "Description":
                    attribute.setdefault("name", _text(sub))  # BT-160
                elif sub.tag == _R + "Value":
                    attribute.setdefault("value", _text(sub))  # BT-161
            attributes.append(attribute)
        elif tag == _R + "DesignatedProductClassification":
            for sub in child:
                if sub.tag == _R + "ClassCode":  # BT-158, -1 listID, -2 listVersionID
                    code: dict[str, Any] = {"value": _text(sub)}
                    if sub.get("listID") is not None:
                        code["scheme_id"] = sub.get("listID")
                    if sub.get("listVersionID") is not None:
                        code["scheme_version_id"] = sub.get("listVersionID")
                    classifications.append(code)
        elif tag == _R + "OriginTradeCountry":
            country = _first_text(child, _R + "ID")
            if country is not None:
                item["country_of_origin"] = country  # BT-159
    if attributes:
        item["attributes"] = attributes
    if classifications:
        item["classification_identifiers"] = classifications
    return item


def _line_agreement(el: etree._Element, line: dict[str, Any]) -> None:
    price: dict[str, Any] = {}
    gross_base: tuple[Decimal, str | None] | None = None
    for child in el:
        tag = child.tag
        if tag == _R + "BuyerOrderReferencedDocument":
            reference = _first_text(child, _R + "LineID")
            if reference is not None:
                line["purchase_order_line_reference"] = reference  # BT-132
        elif tag == _R + "GrossPriceProductTradePrice":
            for sub in child:
                if sub.tag == _R + "ChargeAmount":
                    price.setdefault("gross_price", _decimal(sub, "BT-148"))
                elif sub.tag == _R + "BasisQuantity":
                    gross_base = (_decimal(sub, "BT-149"), sub.get("unitCode"))
                elif sub.tag == _R + "AppliedTradeAllowanceCharge":
                    for leaf in sub:
                        if leaf.tag == _R + "ActualAmount":
                            price.setdefault("price_discount", _decimal(leaf, "BT-147"))
        elif tag == _R + "NetPriceProductTradePrice":
            for sub in child:
                if sub.tag == _R + "ChargeAmount":
                    price.setdefault("net_price", _decimal(sub, "BT-146"))
                elif sub.tag == _R + "BasisQuantity":
                    price["base_quantity"] = _decimal(sub, "BT-149")
                    unit = sub.get("unitCode")
                    if unit is not None:
                        price["base_quantity_unit_code"] = unit  # BT-150
    if "base_quantity" not in price and gross_base is not None:
        price["base_quantity"] = gross_base[0]
        if gross_base[1] is not None:
            price["base_quantity_unit_code"] = gross_base[1]
    if price:
        line["price_details"] = price  # BG-29


def _line_settlement(el: etree._Element, line: dict[str, Any]) -> None:
    allowances: list[dict[str, Any]] = []
    charges: list[dict[str, Any]] = []
    for child in el:
        tag = child.tag
        if tag == _R + "ApplicableTradeTax" and "vat_information" not in line:  # BG-30
            vat: dict[str, Any] = {}
            for sub in child:
                if sub.tag == _R + "CategoryCode":
                    vat["category_code"] = _text(sub)  # BT-151
                elif sub.tag == _R + "RateApplicablePercent":
                    vat["rate"] = _decimal(sub, "BT-152")
            line["vat_information"] = vat
        elif tag == _R + "BillingSpecifiedPeriod":
            line["period"] = _period(child, "BT-134", "BT-135")  # BG-26
        elif tag == _R + "SpecifiedTradeAllowanceCharge":  # BG-27 / BG-28
            is_charge, item = _allowance_charge(child, document_level=False)
            (charges if is_charge else allowances).append(item)
        elif tag == _R + "SpecifiedTradeSettlementLineMonetarySummation":
            for sub in child:
                if sub.tag == _R + "LineTotalAmount":
                    line["net_amount"] = _decimal(sub, "BT-131")
        elif tag == _R + "AdditionalReferencedDocument" and "object_identifier" not in line:
            ident: dict[str, Any] = {}  # BT-128 (TypeCode 130), BT-128-1
            for sub in child:
                if sub.tag == _R + "IssuerAssignedID":
                    ident["value"] = _text(sub)
                elif sub.tag == _R + "ReferenceTypeCode":
                    ident["scheme_id"] = _text(sub)
            line["object_identifier"] = ident
        elif tag == _R + "ReceivableSpecifiedTradeAccountingAccount":
            account = _first_text(child, _R + "ID")
            if account is not None and "buyer_accounting_reference" not in line:
                line["buyer_accounting_reference"] = account  # BT-133
    if allowances:
        line["allowances"] = allowances
    if charges:
        line["charges"] = charges


def read(data: bytes | str | etree._Element) -> Invoice:
    """Read a CII D16B document (bytes, str or a parsed root) into the canonical model.

    Lenient: missing terms stay ``None`` and invalid codes are kept as read.  Raises
    :class:`~chorus_core.errors.MalformedXMLError` for bad XML,
    :class:`~chorus_core.errors.UnknownFormatError` when the root is not
    ``rsm:CrossIndustryInvoice`` in the CII namespace, and
    :class:`~chorus_core.errors.ReadError` (with path and BT) for a number, date or
    attachment that cannot be represented.

    >>> from chorus_core.formats._cii_table import RAM
    >>> inv = read(f'''<rsm:CrossIndustryInvoice xmlns:rsm="{NAMESPACE}" xmlns:ram="{RAM}">
    ...   <rsm:ExchangedDocument><ram:ID>F-7</ram:ID><ram:TypeCode>999</ram:TypeCode>
    ...   </rsm:ExchangedDocument></rsm:CrossIndustryInvoice>''')
    >>> inv.invoice_number, inv.invoice_type_code
    ('F-7', '999')
    """
    root = data if isinstance(data, etree._Element) else parse_xml(data)
    if root.tag != _ROOT:
        raise UnknownFormatError(f"not a CII D16B document: root is {root.tag}")
    fields = _Reader().read(root)
    try:
        return Invoice.model_validate(fields, context=LENIENT)
    except ValidationError as exc:  # pragma: no cover - the reader already refuses these
        error = exc.errors()[0]
        raise ReadError(error["msg"], path=".".join(str(p) for p in error["loc"])) from None


# ====================================================================================== writing


def _number(value: Decimal) -> str:
    return format(value, "f")


class _Writer:
    """Builds the element tree of one invoice, in D16B XSD order."""

    def __init__(self, invoice: Invoice) -> None:
        self.inv = invoice

    def build(self) -> etree._Element:
        inv = self.inv
        root = etree.Element(_ROOT, nsmap=_NSMAP)
        self.context(etree.SubElement(root, _X + "ExchangedDocumentContext"))
        self.document(etree.SubElement(root, _X + "ExchangedDocument"))
        transaction = etree.SubElement(root, _X + "SupplyChainTradeTransaction")
        for line in inv.lines:
            self.line(etree.SubElement(transaction, _R + "IncludedSupplyChainTradeLineItem"), line)
        self.agreement(etree.SubElement(transaction, _R + "ApplicableHeaderTradeAgreement"))
        self.delivery(etree.SubElement(transaction, _R + "ApplicableHeaderTradeDelivery"))
        self.settlement(etree.SubElement(transaction, _R + "ApplicableHeaderTradeSettlement"))
        return root

    def context(self, el: etree._Element) -> None:
        control = self.inv.process_control
        if control is None:
            return
        if control.business_process_type is not None:  # BT-23, Chorus Pro cadre
            parameter = etree.SubElement(
                el, _R + "BusinessProcessSpecifiedDocumentContextParameter")
            _leaf(parameter, "ID", control.business_process_type)
        if control.specification_identifier is not None:  # BT-24
            parameter = etree.SubElement(el, _R + "GuidelineSpecifiedDocumentContextParameter")
            _leaf(parameter, "ID", control.specification_identifier)

    def document(self, el: etree._Element) -> None:
        inv = self.inv
        _leaf(el, "ID", inv.invoice_number)  # BT-1
        _leaf(el, "TypeCode", inv.invoice_type_code)  # BT-3 (credit notes: 381, …)
        _date_leaf(el, "IssueDateTime", inv.invoice_issue_date)  # BT-2
        for note in inv.notes:  # BG-1
            included = etree.SubElement(el, _R + "IncludedNote")
            _leaf(included, "Content", note.note)
            _leaf(included, "SubjectCode", note.subject_code)

    # ------------------------------------------------------------------ header agreement

    def agreement(self, el: etree._Element) -> None:
        inv = self.inv
        _leaf(el, "BuyerReference", inv.buyer_reference)  # BT-10, code service
        seller = inv.seller
        if seller is not None:  # BG-4
            party = etree.SubElement(el, _R + "SellerTradeParty")
            _party_ids(party, seller.identifiers)
            _leaf(party, "Name", seller.name)
            _leaf(party, "Description", seller.additional_legal_information)  # BT-33
            _legal(party, seller.legal_registration_identifier, seller.trading_name)
            _contact_el(party, seller.contact)
            _address_el(party, seller.postal_address)
            _uri(party, seller.electronic_address)
            _tax_registration(party, seller.vat_identifier, "VA")
            _tax_registration(party, seller.tax_registration_identifier, "FC")
        buyer = inv.buyer
        if buyer is not None:  # BG-7
            party = etree.SubElement(el, _R + "BuyerTradeParty")
            _party_ids(party, () if buyer.identifier is None else (buyer.identifier,))
            _leaf(party, "Name", buyer.name)
            _legal(party, buyer.legal_registration_identifier, buyer.trading_name)
            _contact_el(party, buyer.contact)
            _address_el(party, buyer.postal_address)
            _uri(party, buyer.electronic_address)
            _tax_registration(party, buyer.vat_identifier, "VA")
        representative = inv.seller_tax_representative
        if representative is not None:  # BG-11
            party = etree.SubElement(el, _R + "SellerTaxRepresentativeTradeParty")
            _leaf(party, "Name", representative.name)
            _address_el(party, representative.postal_address)
            _tax_registration(party, representative.vat_identifier, "VA")
        _referenced(el, "SellerOrderReferencedDocument", inv.sales_order_reference)  # BT-14
        _referenced(el, "BuyerOrderReferencedDocument", inv.purchase_order_reference)  # BT-13
        _referenced(el, "ContractReferencedDocument", inv.contract_reference)  # BT-12
        for document in inv.supporting_documents:  # BG-24, TypeCode 916
            ref = etree.SubElement(el, _R + "AdditionalReferencedDocument")
            _leaf(ref, "IssuerAssignedID", document.reference)
            _leaf(ref, "URIID", document.external_location)
            _leaf(ref, "TypeCode", "916")
            _leaf(ref, "Name", document.description)
            if document.attached_document is not None:
                binary = _leaf(ref, "AttachmentBinaryObject",
                               base64.b64encode(document.attached_document).decode("ascii"))
                if document.mime_code is not None:
                    binary.set("mimeCode", document.mime_code)
                if document.filename is not None:
                    binary.set("filename", document.filename)
        if inv.tender_or_lot_reference is not None:  # BT-17, TypeCode 50
            ref = etree.SubElement(el, _R + "AdditionalReferencedDocument")
            _leaf(ref, "IssuerAssignedID", inv.tender_or_lot_reference)
            _leaf(ref, "TypeCode", "50")
        invoiced_object = inv.invoiced_object_identifier
        if invoiced_object is not None:  # BT-18, TypeCode 130, BT-18-1 ReferenceTypeCode
            ref = etree.SubElement(el, _R + "AdditionalReferencedDocument")
            _leaf(ref, "IssuerAssignedID", invoiced_object.value)
            _leaf(ref, "TypeCode", "130")
            _leaf(ref, "ReferenceTypeCode", invoiced_object.scheme_id)
        if inv.project_reference is not None:  # BT-11; Name is mandatory in D16B
            project = etree.SubElement(el, _R + "SpecifiedProcuringProject")
            _leaf(project, "ID", inv.project_reference)
            _leaf(project, "Name", "Project reference")

    # ------------------------------------------------------------------ header delivery

    def delivery(self, el: etree._Element) -> None:
        inv = self.inv
        delivery = inv.delivery
        if delivery is not None:  # BG-13
            if (delivery.party_name is not None or delivery.location_identifier is not None
                    or delivery.address is not None):
                party = etree.SubElement(el, _R + "ShipToTradeParty")
                location = delivery.location_identifier
                _party_ids(party, () if location is None else (location,))  # BT-71
                _leaf(party, "Name", delivery.party_name)  # BT-70
                _address_el(party, delivery.address)  # BG-15
            if delivery.actual_delivery_date is not None:  # BT-72
                event = etree.SubElement(el, _R + "ActualDeliverySupplyChainEvent")
                _date_leaf(event, "OccurrenceDateTime", delivery.actual_delivery_date)
        _referenced(el, "DespatchAdviceReferencedDocument", inv.despatch_advice_reference)
        _referenced(el, "ReceivingAdviceReferencedDocument", inv.receiving_advice_reference)

    # ------------------------------------------------------------------ header settlement

    def settlement(self, el: etree._Element) -> None:
        inv = self.inv
        payment = inv.payment_instructions
        direct_debit = payment.direct_debit if payment is not None else None
        if direct_debit is not None:  # BT-90
            _leaf(el, "CreditorReferenceID", direct_debit.bank_assigned_creditor_identifier)
        if payment is not None:
            _leaf(el, "PaymentReference", payment.remittance_information)  # BT-83
        _leaf(el, "TaxCurrencyCode", inv.vat_accounting_currency_code)  # BT-6
        _leaf(el, "InvoiceCurrencyCode", inv.invoice_currency_code)  # BT-5
        payee = inv.payee
        if payee is not None:  # BG-10
            party = etree.SubElement(el, _R + "PayeeTradeParty")
            _party_ids(party, () if payee.identifier is None else (payee.identifier,))
            _leaf(party, "Name", payee.name)
            _legal(party, payee.legal_registration_identifier, None)
        if payment is not None:
            self.payment_means(el)
        for index, vat in enumerate(inv.vat_breakdown):  # BG-23
            self.vat_breakdown(el, vat, first=index == 0)
        period = inv.invoicing_period
        if period is not None:  # BG-14
            _period_el(el, period.start_date, period.end_date)
        for allowance in inv.allowances:  # BG-20
            _allowance_charge_el(el, allowance, False, document_level=True)
        for charge in inv.charges:  # BG-21
            _allowance_charge_el(el, charge, True, document_level=True)
        mandate = direct_debit.mandate_reference_identifier if direct_debit else None
        if inv.payment_terms is not None or inv.payment_due_date is not None or mandate:
            terms = etree.SubElement(el, _R + "SpecifiedTradePaymentTerms")
            _leaf(terms, "Description", inv.payment_terms)  # BT-20
            _date_leaf(terms, "DueDateDateTime", inv.payment_due_date)  # BT-9
            _leaf(terms, "DirectDebitMandateID", mandate)  # BT-89
        if inv.totals is not None:  # BG-22
            self.totals(
                etree.SubElement(el, _R + "SpecifiedTradeSettlementHeaderMonetarySummation"))
        if inv.preceding_invoice_references:  # BG-3: D16B carries only the first one
            preceding = inv.preceding_invoice_references[0]
            ref = etree.SubElement(el, _R + "InvoiceReferencedDocument")
            _leaf(ref, "IssuerAssignedID", preceding.reference)  # BT-25
            if preceding.issue_date is not None:  # BT-26
                formatted = etree.SubElement(ref, _R + "FormattedIssueDateTime")
                _date_string_el(formatted, _Q + "DateTimeString", preceding.issue_date)
        if inv.buyer_accounting_reference is not None:  # BT-19
            account = etree.SubElement(el, _R + "ReceivableSpecifiedTradeAccountingAccount")
            _leaf(account, "ID", inv.buyer_accounting_reference)

    def payment_means(self, el: etree._Element) -> None:
        payment = self.inv.payment_instructions
        assert payment is not None
        transfers = payment.credit_transfers or (None,)
        first = True
        for transfer in transfers:  # one ram:SpecifiedTradeSettlementPaymentMeans per BG-17
            if not first and transfer is None:  # pragma: no cover - defensive
                continue
            means = etree.SubElement(el, _R + "SpecifiedTradeSettlementPaymentMeans")
            _leaf(means, "TypeCode", payment.payment_means_type_code)  # BT-81
            if first:
                _leaf(means, "Information", payment.payment_means_text)  # BT-82
                card = payment.payment_card
                if card is not None:  # BG-18
                    financial_card = etree.SubElement(
                        means, _R + "ApplicableTradeSettlementFinancialCard")
                    _leaf(financial_card, "ID", card.primary_account_number)  # BT-87
                    _leaf(financial_card, "CardholderName", card.holder_name)  # BT-88
                debit = payment.direct_debit
                if debit is not None and debit.debited_account_identifier is not None:  # BT-91
                    account = etree.SubElement(means, _R + "PayerPartyDebtorFinancialAccount")
                    _leaf(account, "IBANID", debit.debited_account_identifier)
            if transfer is not None:
                if transfer.account_identifier is not None or transfer.account_name is not None:
                    account = etree.SubElement(means, _R + "PayeePartyCreditorFinancialAccount")
                    # BT-84 is written as IBANID (ProprietaryID is read as BT-84 too)
                    _leaf(account, "IBANID", transfer.account_identifier)
                    _leaf(account, "AccountName", transfer.account_name)  # BT-85
                if transfer.service_provider_identifier is not None:  # BT-86
                    institution = etree.SubElement(
                        means, _R + "PayeeSpecifiedCreditorFinancialInstitution")
                    _leaf(institution, "BICID", transfer.service_provider_identifier)
            first = False

    def vat_breakdown(self, parent: etree._Element, vat: Any, *, first: bool) -> None:
        inv = self.inv
        el = etree.SubElement(parent, _R + "ApplicableTradeTax")
        rows = VAT_BREAKDOWN
        _row_leaf(el, rows[0], vat)  # CalculatedAmount, BT-117
        _leaf(el, "TypeCode", "VAT")
        for row in rows[1:-1]:
            _row_leaf(el, row, vat)
        # BT-7 and BT-8 go in the first breakdown only (CII-SR-461: one TaxPointDate)
        if first and inv.value_added_tax_point_date is not None:
            point = etree.SubElement(el, _R + "TaxPointDate")
            _date_string_el(point, _U + "DateString", inv.value_added_tax_point_date)
        code = inv.value_added_tax_point_date_code
        if first and code is not None:  # BT-8, UNTDID 2005 -> 2475
            _leaf(el, "DueDateTypeCode", VAT_POINT_DATE_CODE_TO_CII.get(code, code))
        _row_leaf(el, rows[-1], vat)  # RateApplicablePercent, BT-119

    def totals(self, el: etree._Element) -> None:
        inv = self.inv
        totals = inv.totals
        assert totals is not None
        for row in HEADER_TOTALS:
            if row.field == "total_vat_amount":
                if totals.total_vat_amount is not None:  # BT-110, in BT-5
                    amount = _leaf(el, "TaxTotalAmount", _number(totals.total_vat_amount))
                    if inv.invoice_currency_code is not None:
                        amount.set("currencyID", inv.invoice_currency_code)
                in_accounting = totals.total_vat_amount_in_accounting_currency
                if in_accounting is not None:  # BT-111, in BT-6
                    amount = _leaf(el, "TaxTotalAmount", _number(in_accounting))
                    if inv.vat_accounting_currency_code is not None:
                        amount.set("currencyID", inv.vat_accounting_currency_code)
            else:
                _row_leaf(el, row, totals)

    # ------------------------------------------------------------------ lines

    def line(self, el: etree._Element, line: InvoiceLine) -> None:
        document = etree.SubElement(el, _R + "AssociatedDocumentLineDocument")
        _leaf(document, "LineID", line.identifier)  # BT-126
        if line.note is not None:  # BT-127
            _leaf(etree.SubElement(document, _R + "IncludedNote"), "Content", line.note)
        item = line.item
        if item is not None:  # BG-31
            product = etree.SubElement(el, _R + "SpecifiedTradeProduct")
            standard = item.standard_identifier
            if standard is not None:  # BT-157
                gid = _leaf(product, "GlobalID", standard.value)
                if standard.scheme_id is not None:
                    gid.set("schemeID", standard.scheme_id)
            _leaf(product, "SellerAssignedID", item.seller_identifier)  # BT-155
            _leaf(product, "BuyerAssignedID", item.buyer_identifier)  # BT-156
            _leaf(product, "Name", item.name)  # BT-153
            _leaf(product, "Description", item.description)  # BT-154
            for attribute in item.attributes:  # BG-32
                characteristic = etree.SubElement(product, _R + "ApplicableProductCharacteristic")
                _leaf(characteristic, "Description", attribute.name)
                _leaf(characteristic, "Value", attribute.value)
            for code in item.classification_identifiers:  # BT-158
                classification = etree.SubElement(product, _R + "DesignatedProductClassification")
                class_code = _leaf(classification, "ClassCode", code.value)
                if code.scheme_id is not None:
                    class_code.set("listID", code.scheme_id)
                if code.scheme_version_id is not None:
                    class_code.set("listVersionID", code.scheme_version_id)
            if item.country_of_origin is not None:  # BT-159
                _leaf(etree.SubElement(product, _R + "OriginTradeCountry"), "ID",
                      item.country_of_origin)
        price = line.price_details
        if price is not None or line.purchase_order_line_reference is not None:
            agreement = etree.SubElement(el, _R + "SpecifiedLineTradeAgreement")
            if line.purchase_order_line_reference is not None:  # BT-132
                _leaf(etree.SubElement(agreement, _R + "BuyerOrderReferencedDocument"), "LineID",
                      line.purchase_order_line_reference)
            if price is not None:
                _prices(agreement, price)
        if line.invoiced_quantity is not None or line.invoiced_quantity_unit_code is not None:
            delivery = etree.SubElement(el, _R + "SpecifiedLineTradeDelivery")
            _quantity(delivery, "BilledQuantity", line.invoiced_quantity,
                      line.invoiced_quantity_unit_code)  # BT-129, BT-130
        settlement = etree.SubElement(el, _R + "SpecifiedLineTradeSettlement")
        vat = line.vat_information
        if vat is not None:  # BG-30
            tax = etree.SubElement(settlement, _R + "ApplicableTradeTax")
            _leaf(tax, "TypeCode", "VAT")
            _leaf(tax, "CategoryCode", vat.category_code)
            if vat.rate is not None:
                _leaf(tax, "RateApplicablePercent", _number(vat.rate))
        period = line.period
        if period is not None:  # BG-26
            _period_el(settlement, period.start_date, period.end_date)
        for allowance in line.allowances:  # BG-27
            _allowance_charge_el(settlement, allowance, False, document_level=False)
        for charge in line.charges:  # BG-28
            _allowance_charge_el(settlement, charge, True, document_level=False)
        if line.net_amount is not None:  # BT-131
            summation = etree.SubElement(
                settlement, _R + "SpecifiedTradeSettlementLineMonetarySummation")
            _leaf(summation, "LineTotalAmount", _number(line.net_amount))
        obj = line.object_identifier
        if obj is not None:  # BT-128, TypeCode 130, BT-128-1
            ref = etree.SubElement(settlement, _R + "AdditionalReferencedDocument")
            _leaf(ref, "IssuerAssignedID", obj.value)
            _leaf(ref, "TypeCode", "130")
            _leaf(ref, "ReferenceTypeCode", obj.scheme_id)
        if line.buyer_accounting_reference is not None:  # BT-133
            account = etree.SubElement(settlement, _R + "ReceivableSpecifiedTradeAccountingAccount")
            _leaf(account, "ID", line.buyer_accounting_reference)


def _leaf(parent: etree._Element, name: str, text: str | None) -> etree._Element:
    """Append ``ram:name`` with ``text``; nothing when ``text`` is None (returns the parent)."""
    if text is None:
        return parent
    el = etree.SubElement(parent, _R + name)
    el.text = text
    return el


def _amount_leaf(parent: etree._Element, name: str, value: Decimal | None) -> None:
    if value is not None:
        _leaf(parent, name, _number(value))


def _row_leaf(parent: etree._Element, row: Row, model: Any) -> None:
    value = getattr(model, row.field)
    if value is None:
        return
    if row.kind == "amount":
        _leaf(parent, row.element, _number(value))
    elif row.kind == "date":
        _date_leaf(parent, row.element, value)
    else:
        _leaf(parent, row.element, value)


def _date_string_el(parent: etree._Element, tag: str, value: date) -> None:
    string = etree.SubElement(parent, tag)
    string.set("format", "102")
    string.text = f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _date_leaf(parent: etree._Element, name: str, value: date | None) -> None:
    if value is not None:
        _date_string_el(etree.SubElement(parent, _R + name), _U + "DateTimeString", value)


def _quantity(parent: etree._Element, name: str, value: Decimal | None, unit: str | None) -> None:
    if value is None:
        return  # a unit alone has no place in CII
    el = _leaf(parent, name, _number(value))
    if unit is not None:
        el.set("unitCode", unit)


def _referenced(parent: etree._Element, name: str, reference: str | None) -> None:
    if reference is not None:
        _leaf(etree.SubElement(parent, _R + name), "IssuerAssignedID", reference)


def _party_ids(party: etree._Element, identifiers: tuple[Identifier, ...]) -> None:
    # ram:ID (no scheme) come before ram:GlobalID (with @schemeID) in the XSD
    for ident in identifiers:
        if ident.scheme_id is None:
            _leaf(party, "ID", ident.value if ident.value is not None else "")
    for ident in identifiers:
        if ident.scheme_id is not None:
            gid = _leaf(party, "GlobalID", ident.value if ident.value is not None else "")
            gid.set("schemeID", ident.scheme_id)


def _legal(party: etree._Element, ident: Identifier | None, trading_name: str | None) -> None:
    if ident is None and trading_name is None:
        return
    organization = etree.SubElement(party, _R + "SpecifiedLegalOrganization")
    if ident is not None:  # BT-30 / BT-47 / BT-61, @schemeID allowed here
        el = _leaf(organization, "ID", ident.value if ident.value is not None else "")
        if ident.scheme_id is not None:
            el.set("schemeID", ident.scheme_id)
    _leaf(organization, "TradingBusinessName", trading_name)  # BT-28 / BT-45


def _contact_el(party: etree._Element, contact: Contact | None) -> None:
    if contact is None:
        return
    el = etree.SubElement(party, _R + "DefinedTradeContact")
    _leaf(el, "PersonName", contact.point)
    if contact.telephone is not None:
        _leaf(etree.SubElement(el, _R + "TelephoneUniversalCommunication"), "CompleteNumber",
              contact.telephone)
    if contact.email is not None:
        _leaf(etree.SubElement(el, _R + "EmailURIUniversalCommunication"), "URIID",
              contact.email)


def _address_el(party: etree._Element, address: Address | None) -> None:
    if address is None:
        return
    el = etree.SubElement(party, _R + "PostalTradeAddress")
    for row in ADDRESS:
        _row_leaf(el, row, address)


def _uri(party: etree._Element, ident: Identifier | None) -> None:
    if ident is None:
        return
    communication = etree.SubElement(party, _R + "URIUniversalCommunication")
    el = _leaf(communication, "URIID", ident.value if ident.value is not None else "")
    if ident.scheme_id is not None:
        el.set("schemeID", ident.scheme_id)


def _tax_registration(party: etree._Element, value: str | None, scheme: str) -> None:
    if value is not None:
        registration = etree.SubElement(party, _R + "SpecifiedTaxRegistration")
        _leaf(registration, "ID", value).set("schemeID", scheme)


def _period_el(parent: etree._Element, start: date | None, end: date | None) -> None:
    period = etree.SubElement(parent, _R + "BillingSpecifiedPeriod")
    _date_leaf(period, "StartDateTime", start)
    _date_leaf(period, "EndDateTime", end)


def _allowance_charge_el(
    parent: etree._Element,
    item: DocumentAllowance | DocumentCharge | LineAllowance | LineCharge,
    is_charge: bool,
    *,
    document_level: bool,
) -> None:
    el = etree.SubElement(parent, _R + "SpecifiedTradeAllowanceCharge")
    indicator = etree.SubElement(el, _R + "ChargeIndicator")
    etree.SubElement(indicator, _U + "Indicator").text = "true" if is_charge else "false"
    for row in ALLOWANCE_CHARGE:
        _row_leaf(el, row, item)
    if document_level:
        assert isinstance(item, DocumentAllowance | DocumentCharge)
        tax = etree.SubElement(el, _R + "CategoryTradeTax")
        _leaf(tax, "TypeCode", "VAT")
        _leaf(tax, "CategoryCode", item.vat_category_code)
        if item.vat_rate is not None:
            _leaf(tax, "RateApplicablePercent", _number(item.vat_rate))


def _prices(agreement: etree._Element, price: Any) -> None:
    base = price.base_quantity
    unit = price.base_quantity_unit_code
    has_base = base is not None or unit is not None
    if price.gross_price is not None or price.price_discount is not None:  # BT-148, BT-147
        gross = etree.SubElement(agreement, _R + "GrossPriceProductTradePrice")
        _amount_leaf(gross, "ChargeAmount", price.gross_price)
        if price.price_discount is not None:
            applied = etree.SubElement(gross, _R + "AppliedTradeAllowanceCharge")
            indicator = etree.SubElement(applied, _R + "ChargeIndicator")
            etree.SubElement(indicator, _U + "Indicator").text = "false"
            _leaf(applied, "ActualAmount", _number(price.price_discount))
    if price.net_price is not None or has_base:  # BT-146, BT-149, BT-150
        net = etree.SubElement(agreement, _R + "NetPriceProductTradePrice")
        _amount_leaf(net, "ChargeAmount", price.net_price)
        if has_base:
            _quantity(net, "BasisQuantity", base, unit)


def write(invoice: Invoice) -> bytes:
    """Write ``invoice`` as a CII D16B document (UTF-8 bytes with an XML declaration).

    Elements follow the D16B XSD order; terms absent from the model are left out.

    >>> from chorus_core.model import Invoice, Buyer, Identifier
    >>> inv = Invoice(buyer=Buyer(identifier=Identifier(value="11000201100044", scheme_id="0009")))
    >>> b'<ram:GlobalID schemeID="0009">11000201100044</ram:GlobalID>' in write(inv)
    True
    """
    root = _Writer(invoice).build()
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
