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
  ``ram:URIUniversalCommunication/ram:URIID@schemeID``.  Seller identifiers (BT-29) keep their
  order: one without scheme that follows one with a scheme is a ``ram:GlobalID`` without
  ``@schemeID`` (``ram:ID`` must precede ``ram:GlobalID``).  The writer does not move a SIRET
  between these terms: it writes the model as it is, and the convention chorus_core builds
  (French reform, :mod:`chorus_core.model.routing`) has the buyer SIRET in BT-46.  All three
  conventions read back into their own terms, where
  :func:`~chorus_core.model.routing.find_buyer_siret` finds them.
* **BT-17, BT-18 and BG-24** share ``ram:AdditionalReferencedDocument``, told apart by
  ``ram:TypeCode`` 50, 130 and 916 (a document without type code is read as BG-24).
* **BT-8** is held as UNTDID 2005 in the model (3, 35, 432) and written as UNTDID 2475
  (5, 29, 72), the list CII uses.
* **BT-149** (price base quantity) is read from the net price (from the gross price when the net
  price has none) and written on the net price only.
* **BT-84** is written as ``ram:IBANID``; ``ram:ProprietaryID`` is read as BT-84 as well.
* **Attachments** (BT-125) are base64 in the document and exact bytes in the model.

What D16B cannot carry as the model holds it (a conversion's loss report shows these):

* only the first preceding invoice reference (BG-3): ``ram:InvoiceReferencedDocument`` is
  ``0..1``;
* a price discount (BT-147) without gross price (BT-148): the gross price is written as net
  price + discount, since ``ram:ChargeAmount`` is mandatory;
* BT-7 and BT-8 without any VAT breakdown (BG-23), where they live; they are written in the
  first breakdown only (CII-SR-461);
* a unit (BT-130, BT-150) without its quantity.

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
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from lxml import etree
from pydantic import ValidationError

from ..errors import ConversionError, ReadError, UnknownFormatError
from ..model import LENIENT, Invoice
from ..model.invoice import (
    Address,
    Contact,
    CreditTransfer,
    DocumentAllowance,
    DocumentCharge,
    Identifier,
    InvoiceLine,
    ItemInformation,
    LineAllowance,
    LineCharge,
    PaymentInstructions,
    PriceDetails,
    VatBreakdown,
)
from ..xml import parse_xml
from ..xml.escape import escape_attr, escape_text
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

_R = f"{{{RAM}}}"
_X = f"{{{RSM}}}"
_U = f"{{{UDT}}}"

# Clark names of the elements the reader compares against, built once
_rAccountName = _R + "AccountName"
_rActualAmount = _R + "ActualAmount"
_rActualDeliverySupplyChainEvent = _R + "ActualDeliverySupplyChainEvent"
_rAdditionalReferencedDocument = _R + "AdditionalReferencedDocument"
_rApplicableHeaderTradeAgreement = _R + "ApplicableHeaderTradeAgreement"
_rApplicableHeaderTradeDelivery = _R + "ApplicableHeaderTradeDelivery"
_rApplicableHeaderTradeSettlement = _R + "ApplicableHeaderTradeSettlement"
_rApplicableProductCharacteristic = _R + "ApplicableProductCharacteristic"
_rApplicableTradeSettlementFinancialCard = _R + "ApplicableTradeSettlementFinancialCard"
_rApplicableTradeTax = _R + "ApplicableTradeTax"
_rAppliedTradeAllowanceCharge = _R + "AppliedTradeAllowanceCharge"
_rAssociatedDocumentLineDocument = _R + "AssociatedDocumentLineDocument"
_rAttachmentBinaryObject = _R + "AttachmentBinaryObject"
_rBICID = _R + "BICID"
_rBasisQuantity = _R + "BasisQuantity"
_rBilledQuantity = _R + "BilledQuantity"
_rBillingSpecifiedPeriod = _R + "BillingSpecifiedPeriod"
_rBusinessProcessSpecifiedDocumentContextParameter = (
    _R + "BusinessProcessSpecifiedDocumentContextParameter")
_rBuyerAssignedID = _R + "BuyerAssignedID"
_rBuyerOrderReferencedDocument = _R + "BuyerOrderReferencedDocument"
_rBuyerReference = _R + "BuyerReference"
_rBuyerTradeParty = _R + "BuyerTradeParty"
_rCardholderName = _R + "CardholderName"
_rCategoryCode = _R + "CategoryCode"
_rCategoryTradeTax = _R + "CategoryTradeTax"
_rChargeAmount = _R + "ChargeAmount"
_rChargeIndicator = _R + "ChargeIndicator"
_rClassCode = _R + "ClassCode"
_rCompleteNumber = _R + "CompleteNumber"
_rContent = _R + "Content"
_rContractReferencedDocument = _R + "ContractReferencedDocument"
_rCreditorReferenceID = _R + "CreditorReferenceID"
_rDefinedTradeContact = _R + "DefinedTradeContact"
_rDepartmentName = _R + "DepartmentName"
_rDescription = _R + "Description"
_rDesignatedProductClassification = _R + "DesignatedProductClassification"
_rDespatchAdviceReferencedDocument = _R + "DespatchAdviceReferencedDocument"
_rDirectDebitMandateID = _R + "DirectDebitMandateID"
_rDueDateDateTime = _R + "DueDateDateTime"
_rDueDateTypeCode = _R + "DueDateTypeCode"
_rEmailURIUniversalCommunication = _R + "EmailURIUniversalCommunication"
_rEndDateTime = _R + "EndDateTime"
_rFormattedIssueDateTime = _R + "FormattedIssueDateTime"
_rGlobalID = _R + "GlobalID"
_rGrossPriceProductTradePrice = _R + "GrossPriceProductTradePrice"
_rGuidelineSpecifiedDocumentContextParameter = _R + "GuidelineSpecifiedDocumentContextParameter"
_rIBANID = _R + "IBANID"
_rID = _R + "ID"
_rIncludedNote = _R + "IncludedNote"
_rIncludedSupplyChainTradeLineItem = _R + "IncludedSupplyChainTradeLineItem"
_rInformation = _R + "Information"
_rInvoiceCurrencyCode = _R + "InvoiceCurrencyCode"
_rInvoiceReferencedDocument = _R + "InvoiceReferencedDocument"
_rIssueDateTime = _R + "IssueDateTime"
_rIssuerAssignedID = _R + "IssuerAssignedID"
_rLineID = _R + "LineID"
_rLineTotalAmount = _R + "LineTotalAmount"
_rName = _R + "Name"
_rNetPriceProductTradePrice = _R + "NetPriceProductTradePrice"
_rOccurrenceDateTime = _R + "OccurrenceDateTime"
_rOriginTradeCountry = _R + "OriginTradeCountry"
_rPayeePartyCreditorFinancialAccount = _R + "PayeePartyCreditorFinancialAccount"
_rPayeeSpecifiedCreditorFinancialInstitution = _R + "PayeeSpecifiedCreditorFinancialInstitution"
_rPayeeTradeParty = _R + "PayeeTradeParty"
_rPayerPartyDebtorFinancialAccount = _R + "PayerPartyDebtorFinancialAccount"
_rPaymentReference = _R + "PaymentReference"
_rPersonName = _R + "PersonName"
_rPostalTradeAddress = _R + "PostalTradeAddress"
_rProprietaryID = _R + "ProprietaryID"
_rRateApplicablePercent = _R + "RateApplicablePercent"
_rReceivableSpecifiedTradeAccountingAccount = _R + "ReceivableSpecifiedTradeAccountingAccount"
_rReceivingAdviceReferencedDocument = _R + "ReceivingAdviceReferencedDocument"
_rReferenceTypeCode = _R + "ReferenceTypeCode"
_rSellerAssignedID = _R + "SellerAssignedID"
_rSellerOrderReferencedDocument = _R + "SellerOrderReferencedDocument"
_rSellerTaxRepresentativeTradeParty = _R + "SellerTaxRepresentativeTradeParty"
_rSellerTradeParty = _R + "SellerTradeParty"
_rShipToTradeParty = _R + "ShipToTradeParty"
_rSpecifiedLegalOrganization = _R + "SpecifiedLegalOrganization"
_rSpecifiedLineTradeAgreement = _R + "SpecifiedLineTradeAgreement"
_rSpecifiedLineTradeDelivery = _R + "SpecifiedLineTradeDelivery"
_rSpecifiedLineTradeSettlement = _R + "SpecifiedLineTradeSettlement"
_rSpecifiedProcuringProject = _R + "SpecifiedProcuringProject"
_rSpecifiedTaxRegistration = _R + "SpecifiedTaxRegistration"
_rSpecifiedTradeAllowanceCharge = _R + "SpecifiedTradeAllowanceCharge"
_rSpecifiedTradePaymentTerms = _R + "SpecifiedTradePaymentTerms"
_rSpecifiedTradeProduct = _R + "SpecifiedTradeProduct"
_rSpecifiedTradeSettlementHeaderMonetarySummation = (
    _R + "SpecifiedTradeSettlementHeaderMonetarySummation")
_rSpecifiedTradeSettlementLineMonetarySummation = (
    _R + "SpecifiedTradeSettlementLineMonetarySummation")
_rSpecifiedTradeSettlementPaymentMeans = _R + "SpecifiedTradeSettlementPaymentMeans"
_rStartDateTime = _R + "StartDateTime"
_rSubjectCode = _R + "SubjectCode"
_rTaxCurrencyCode = _R + "TaxCurrencyCode"
_rTaxPointDate = _R + "TaxPointDate"
_rTelephoneUniversalCommunication = _R + "TelephoneUniversalCommunication"
_rTradingBusinessName = _R + "TradingBusinessName"
_rTypeCode = _R + "TypeCode"
_rURIID = _R + "URIID"
_rURIUniversalCommunication = _R + "URIUniversalCommunication"
_rValue = _R + "Value"
_uIndicator = _U + "Indicator"
_xExchangedDocument = _X + "ExchangedDocument"
_xExchangedDocumentContext = _X + "ExchangedDocumentContext"
_xSupplyChainTradeTransaction = _X + "SupplyChainTradeTransaction"

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
    # an xs:decimal: Decimal() parses it; what Decimal accepts beyond xs:decimal (exponents,
    # "1_000", NaN, Infinity) is refused around it, cheaper than a pattern on every number
    text = el.text
    if text is not None and "_" not in text and "e" not in text and "E" not in text:
        try:
            value = Decimal(text)
        except InvalidOperation:
            pass
        else:
            if value.is_finite():
                return value
    raise ReadError(f"{text!r} is not a number", path=_path(el), bt=bt)


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
        if tag == _rPersonName:
            out["point"] = _text(child)
        elif tag == _rDepartmentName:
            department = _text(child)
        elif tag == _rTelephoneUniversalCommunication:
            number = _first_text(child, _rCompleteNumber)
            if number is not None:
                out["telephone"] = number
        elif tag == _rEmailURIUniversalCommunication:
            uri = _first_text(child, _rURIID)
            if uri is not None:
                out["email"] = uri
    if "point" not in out and department is not None:
        out["point"] = department  # BT-41/BT-56 may sit in DepartmentName
    return out


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        out[key] = value


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
            if tag in (_rID, _rGlobalID):
                self.ids.append(_identifier(child))
            elif tag == _rName:
                self.name = _text(child)
            elif tag == _rDescription:
                if self.description is None:
                    self.description = _text(child)
            elif tag == _rSpecifiedLegalOrganization:
                for sub in child:
                    if sub.tag == _rID:
                        self.legal = _identifier(sub)
                    elif sub.tag == _rTradingBusinessName:
                        self.trading = _text(sub)
            elif tag == _rDefinedTradeContact:
                if self.contact is None:
                    self.contact = _contact(child)
            elif tag == _rPostalTradeAddress:
                self.address = _address(child)
            elif tag == _rURIUniversalCommunication:
                for sub in child:
                    if sub.tag == _rURIID and self.uri is None:
                        self.uri = _identifier(sub)
            elif tag == _rSpecifiedTaxRegistration:
                for sub in child:
                    if sub.tag == _rID:
                        self.tax.append((sub.get("schemeID"), _text(sub)))

    def vat(self) -> str | None:
        for scheme, value in self.tax:
            if scheme != "FC":
                return value
        return None

    def seller(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "name", self.name)
        _put(out, "trading_name", self.trading)
        if self.ids:
            out["identifiers"] = self.ids  # BT-29, every ram:ID and ram:GlobalID
        _put(out, "legal_registration_identifier", self.legal)
        _put(out, "vat_identifier", self.vat())  # BT-31, schemeID VA
        for scheme, value in self.tax:  # BT-32, schemeID FC
            if scheme == "FC":
                out["tax_registration_identifier"] = value
                break
        _put(out, "additional_legal_information", self.description)
        _put(out, "electronic_address", self.uri)
        _put(out, "postal_address", self.address)
        _put(out, "contact", self.contact)
        return out

    def buyer(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "name", self.name)
        _put(out, "trading_name", self.trading)
        if self.ids:
            out["identifier"] = self.ids[0]  # BT-46 (the Chorus Pro SIRET, scheme 0009)
        _put(out, "legal_registration_identifier", self.legal)
        _put(out, "vat_identifier", self.vat())
        _put(out, "electronic_address", self.uri)
        _put(out, "postal_address", self.address)
        _put(out, "contact", self.contact)
        return out

    def payee(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "name", self.name)
        if self.ids:
            out["identifier"] = self.ids[0]  # BT-60
        _put(out, "legal_registration_identifier", self.legal)  # BT-61
        return out

    def tax_representative(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        _put(out, "name", self.name)
        _put(out, "vat_identifier", self.vat())  # BT-63
        _put(out, "postal_address", self.address)
        return out


def _allowance_charge(el: etree._Element, document_level: bool) -> tuple[bool, dict[str, Any]]:
    out: dict[str, Any] = {}
    is_charge = False
    for child in el:
        tag = child.tag
        if tag == _rChargeIndicator:
            indicator = _first_text(child, _uIndicator)
            is_charge = (indicator or "").strip().lower() in ("true", "1")
        elif tag == _rCategoryTradeTax and document_level:
            for sub in child:
                if sub.tag == _rCategoryCode:
                    out["vat_category_code"] = _text(sub)
                elif sub.tag == _rRateApplicablePercent:
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
    return _first_text(el, _rIssuerAssignedID)


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
            if tag == _xExchangedDocumentContext:
                self.context(child)
            elif tag == _xExchangedDocument:
                self.document(child)
            elif tag == _xSupplyChainTradeTransaction:
                self.transaction(child)
        if self.direct_debit:
            self.payment["direct_debit"] = self.direct_debit
        if self.payment:
            inv["payment_instructions"] = self.payment
        return inv

    def context(self, el: etree._Element) -> None:
        control: dict[str, Any] = {}
        for child in el:
            if child.tag == _rBusinessProcessSpecifiedDocumentContextParameter:
                value = _first_text(child, _rID)  # BT-23, the Chorus Pro cadre
                if value is not None:
                    control.setdefault("business_process_type", value)
            elif child.tag == _rGuidelineSpecifiedDocumentContextParameter:
                value = _first_text(child, _rID)  # BT-24
                if value is not None:
                    control.setdefault("specification_identifier", value)
        if control:
            self.inv["process_control"] = control

    def document(self, el: etree._Element) -> None:
        inv = self.inv
        notes = []
        for child in el:
            tag = child.tag
            if tag == _rID:
                inv["invoice_number"] = _text(child)  # BT-1
            elif tag == _rTypeCode:
                inv["invoice_type_code"] = _text(child)  # BT-3
            elif tag == _rIssueDateTime:
                inv["invoice_issue_date"] = _date(child, "BT-2")
            elif tag == _rIncludedNote:  # BG-1
                note: dict[str, Any] = {}
                contents = []
                for sub in child:
                    if sub.tag == _rContent:
                        contents.append(_text(sub))
                    elif sub.tag == _rSubjectCode:
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
            if tag == _rIncludedSupplyChainTradeLineItem:
                lines.append(self.line(child))
            elif tag == _rApplicableHeaderTradeAgreement:
                self.agreement(child)
            elif tag == _rApplicableHeaderTradeDelivery:
                self.delivery(child)
            elif tag == _rApplicableHeaderTradeSettlement:
                self.settlement(child)
        if lines:
            self.inv["lines"] = lines

    # ------------------------------------------------------------------ header agreement

    def agreement(self, el: etree._Element) -> None:
        inv = self.inv
        documents = []
        for child in el:
            tag = child.tag
            if tag == _rBuyerReference:
                inv["buyer_reference"] = _text(child)  # BT-10, the Chorus Pro code service
            elif tag == _rSellerTradeParty:
                inv["seller"] = _Party(child).seller()  # BG-4
            elif tag == _rBuyerTradeParty:
                inv["buyer"] = _Party(child).buyer()  # BG-7
            elif tag == _rSellerTaxRepresentativeTradeParty:
                inv["seller_tax_representative"] = _Party(child).tax_representative()  # BG-11
            elif tag == _rSellerOrderReferencedDocument:
                self.put("sales_order_reference", _referenced_id(child))  # BT-14
            elif tag == _rBuyerOrderReferencedDocument:
                self.put("purchase_order_reference", _referenced_id(child))  # BT-13
            elif tag == _rContractReferencedDocument:
                self.put("contract_reference", _referenced_id(child))  # BT-12
            elif tag == _rAdditionalReferencedDocument:
                document = self.additional_document(child)
                if document is not None:
                    documents.append(document)
            elif tag == _rSpecifiedProcuringProject:
                self.put("project_reference", _first_text(child, _rID))  # BT-11
        if documents:
            inv["supporting_documents"] = documents

    def put(self, key: str, value: Any) -> None:
        if value is not None:
            self.inv[key] = value

    def additional_document(self, el: etree._Element) -> dict[str, Any] | None:
        type_code = _first_text(el, _rTypeCode)
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
                    if child.tag == _rIssuerAssignedID:
                        ident["value"] = _text(child)
                    elif child.tag == _rReferenceTypeCode:
                        ident["scheme_id"] = _text(child)
                self.inv["invoiced_object_identifier"] = ident
            return None
        document: dict[str, Any] = {}  # BG-24 (TypeCode 916, or none)
        for child in el:
            tag = child.tag
            if tag == _rIssuerAssignedID:
                document["reference"] = _text(child)  # BT-122
            elif tag == _rURIID:
                document["external_location"] = _text(child)  # BT-124
            elif tag == _rName:
                document.setdefault("description", _text(child))  # BT-123
            elif tag == _rAttachmentBinaryObject and "attached_document" not in document:
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
            if tag == _rShipToTradeParty:
                party = _Party(child)
                if party.name is not None:
                    delivery["party_name"] = party.name  # BT-70
                if party.ids:
                    delivery["location_identifier"] = party.ids[0]  # BT-71
                if party.address is not None:
                    delivery["address"] = party.address  # BG-15
            elif tag == _rActualDeliverySupplyChainEvent:
                for sub in child:
                    if sub.tag == _rOccurrenceDateTime:
                        delivery["actual_delivery_date"] = _date(sub, "BT-72")
            elif tag == _rDespatchAdviceReferencedDocument:
                self.put("despatch_advice_reference", _referenced_id(child))  # BT-16
            elif tag == _rReceivingAdviceReferencedDocument:
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
            if tag == _rCreditorReferenceID:
                self.direct_debit["bank_assigned_creditor_identifier"] = _text(child)  # BT-90
            elif tag == _rPaymentReference:
                payment.setdefault("remittance_information", _text(child))  # BT-83
            elif tag == _rTaxCurrencyCode:
                self.tax_currency = inv["vat_accounting_currency_code"] = _text(child)  # BT-6
            elif tag == _rInvoiceCurrencyCode:
                self.invoice_currency = inv["invoice_currency_code"] = _text(child)  # BT-5
            elif tag == _rPayeeTradeParty:
                inv["payee"] = _Party(child).payee()  # BG-10
            elif tag == _rSpecifiedTradeSettlementPaymentMeans:
                self.payment_means(child, transfers)
            elif tag == _rApplicableTradeTax:
                breakdown.append(self.vat_breakdown(child))
            elif tag == _rBillingSpecifiedPeriod:
                inv["invoicing_period"] = _period(child, "BT-73", "BT-74")  # BG-14
            elif tag == _rSpecifiedTradeAllowanceCharge:
                is_charge, item = _allowance_charge(child, document_level=True)
                (charges if is_charge else allowances).append(item)
            elif tag == _rSpecifiedTradePaymentTerms:
                for sub in child:
                    if sub.tag == _rDescription:
                        terms.append(_text(sub))  # BT-20
                    elif sub.tag == _rDueDateDateTime:
                        if "payment_due_date" not in inv:
                            inv["payment_due_date"] = _date(sub, "BT-9")
                    elif sub.tag == _rDirectDebitMandateID:
                        self.direct_debit.setdefault(
                            "mandate_reference_identifier", _text(sub))  # BT-89
            elif tag == _rSpecifiedTradeSettlementHeaderMonetarySummation:
                totals_el = child
            elif tag == _rInvoiceReferencedDocument:  # BG-3
                reference: dict[str, Any] = {}
                for sub in child:
                    if sub.tag == _rIssuerAssignedID:
                        reference["reference"] = _text(sub)  # BT-25
                    elif sub.tag == _rFormattedIssueDateTime:
                        reference["issue_date"] = _date(sub, "BT-26")
                preceding.append(reference)
            elif (tag == _rReceivableSpecifiedTradeAccountingAccount
                  and "buyer_accounting_reference" not in inv):
                self.put("buyer_accounting_reference", _first_text(child, _rID))  # BT-19
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
            if tag == _rTypeCode:
                payment.setdefault("payment_means_type_code", _text(child))  # BT-81
            elif tag == _rInformation:
                payment.setdefault("payment_means_text", _text(child))  # BT-82
            elif tag == _rApplicableTradeSettlementFinancialCard:  # BG-18
                card: dict[str, Any] = {}
                for sub in child:
                    if sub.tag == _rID:
                        card["primary_account_number"] = _text(sub)  # BT-87
                    elif sub.tag == _rCardholderName:
                        card["holder_name"] = _text(sub)  # BT-88
                payment.setdefault("payment_card", card)
            elif tag == _rPayerPartyDebtorFinancialAccount:
                iban = _first_text(child, _rIBANID)
                if iban is not None:
                    self.direct_debit.setdefault("debited_account_identifier", iban)  # BT-91
            elif tag == _rPayeePartyCreditorFinancialAccount:  # BG-17
                for sub in child:
                    if sub.tag == _rIBANID or sub.tag == _rProprietaryID:
                        transfer.setdefault("account_identifier", _text(sub))  # BT-84
                    elif sub.tag == _rAccountName:
                        transfer["account_name"] = _text(sub)  # BT-85
            elif tag == _rPayeeSpecifiedCreditorFinancialInstitution:
                bic = _first_text(child, _rBICID)
                if bic is not None:
                    transfer["service_provider_identifier"] = bic  # BT-86
        if transfer:
            transfers.append(transfer)

    def vat_breakdown(self, el: etree._Element) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for child in el:
            tag = child.tag
            if tag == _rTaxPointDate:
                if "value_added_tax_point_date" not in self.inv:
                    self.inv["value_added_tax_point_date"] = _date(child, "BT-7")
            elif tag == _rDueDateTypeCode:
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
            if tag == _rAssociatedDocumentLineDocument:
                for sub in child:
                    if sub.tag == _rLineID:
                        line["identifier"] = _text(sub)  # BT-126
                    elif sub.tag == _rIncludedNote and "note" not in line:
                        contents = [_text(c) for c in sub if c.tag == _rContent]
                        if contents:
                            line["note"] = "\n".join(contents)  # BT-127
            elif tag == _rSpecifiedTradeProduct:
                line["item"] = _item(child)  # BG-31
            elif tag == _rSpecifiedLineTradeAgreement:
                _line_agreement(child, line)
            elif tag == _rSpecifiedLineTradeDelivery:
                for sub in child:
                    if sub.tag == _rBilledQuantity:
                        line["invoiced_quantity"] = _decimal(sub, "BT-129")
                        unit = sub.get("unitCode")
                        if unit is not None:
                            line["invoiced_quantity_unit_code"] = unit  # BT-130
            elif tag == _rSpecifiedLineTradeSettlement:
                _line_settlement(child, line)
        return line


def _binary(el: etree._Element) -> bytes:
    text = el.text or ""
    for blank in ("\n", "\r", " ", "\t"):  # line-wrapped base64 (cheap tests on big texts)
        if blank in text:
            text = text.replace(blank, "")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ReadError("the attachment is not valid base64", path=_path(el),
                        bt="BT-125") from None


def _period(el: etree._Element, start_bt: str, end_bt: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in el:
        if child.tag == _rStartDateTime:
            out["start_date"] = _date(child, start_bt)
        elif child.tag == _rEndDateTime:
            out["end_date"] = _date(child, end_bt)
    return out


def _item(el: etree._Element) -> dict[str, Any]:
    item: dict[str, Any] = {}
    attributes = []
    classifications = []
    for child in el:
        tag = child.tag
        if tag == _rGlobalID:
            item["standard_identifier"] = _identifier(child)  # BT-157
        elif tag == _rSellerAssignedID:
            item["seller_identifier"] = _text(child)  # BT-155
        elif tag == _rBuyerAssignedID:
            item["buyer_identifier"] = _text(child)  # BT-156
        elif tag == _rName:
            item.setdefault("name", _text(child))  # BT-153
        elif tag == _rDescription:
            item["description"] = _text(child)  # BT-154
        elif tag == _rApplicableProductCharacteristic:  # BG-32
            attribute: dict[str, Any] = {}
            for sub in child:
                if sub.tag == _rDescription:
                    attribute.setdefault("name", _text(sub))  # BT-160
                elif sub.tag == _rValue:
                    attribute.setdefault("value", _text(sub))  # BT-161
            attributes.append(attribute)
        elif tag == _rDesignatedProductClassification:
            for sub in child:
                if sub.tag == _rClassCode:  # BT-158, -1 listID, -2 listVersionID
                    code: dict[str, Any] = {"value": _text(sub)}
                    if sub.get("listID") is not None:
                        code["scheme_id"] = sub.get("listID")
                    if sub.get("listVersionID") is not None:
                        code["scheme_version_id"] = sub.get("listVersionID")
                    classifications.append(code)
        elif tag == _rOriginTradeCountry:
            country = _first_text(child, _rID)
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
        if tag == _rBuyerOrderReferencedDocument:
            reference = _first_text(child, _rLineID)
            if reference is not None:
                line["purchase_order_line_reference"] = reference  # BT-132
        elif tag == _rGrossPriceProductTradePrice:
            for sub in child:
                if sub.tag == _rChargeAmount:
                    price.setdefault("gross_price", _decimal(sub, "BT-148"))
                elif sub.tag == _rBasisQuantity:
                    gross_base = (_decimal(sub, "BT-149"), sub.get("unitCode"))
                elif sub.tag == _rAppliedTradeAllowanceCharge:
                    for leaf in sub:
                        if leaf.tag == _rActualAmount:
                            price.setdefault("price_discount", _decimal(leaf, "BT-147"))
        elif tag == _rNetPriceProductTradePrice:
            for sub in child:
                if sub.tag == _rChargeAmount:
                    price.setdefault("net_price", _decimal(sub, "BT-146"))
                elif sub.tag == _rBasisQuantity:
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
        if tag == _rApplicableTradeTax and "vat_information" not in line:  # BG-30
            vat: dict[str, Any] = {}
            for sub in child:
                if sub.tag == _rCategoryCode:
                    vat["category_code"] = _text(sub)  # BT-151
                elif sub.tag == _rRateApplicablePercent:
                    vat["rate"] = _decimal(sub, "BT-152")
            line["vat_information"] = vat
        elif tag == _rBillingSpecifiedPeriod:
            line["period"] = _period(child, "BT-134", "BT-135")  # BG-26
        elif tag == _rSpecifiedTradeAllowanceCharge:  # BG-27 / BG-28
            is_charge, item = _allowance_charge(child, document_level=False)
            (charges if is_charge else allowances).append(item)
        elif tag == _rSpecifiedTradeSettlementLineMonetarySummation:
            for sub in child:
                if sub.tag == _rLineTotalAmount:
                    line["net_amount"] = _decimal(sub, "BT-131")
        elif tag == _rAdditionalReferencedDocument and "object_identifier" not in line:
            ident: dict[str, Any] = {}  # BT-128 (TypeCode 130), BT-128-1
            for sub in child:
                if sub.tag == _rIssuerAssignedID:
                    ident["value"] = _text(sub)
                elif sub.tag == _rReferenceTypeCode:
                    ident["scheme_id"] = _text(sub)
            line["object_identifier"] = ident
        elif tag == _rReceivableSpecifiedTradeAccountingAccount:
            account = _first_text(child, _rID)
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
#
# The writer builds the document as text (a list of pieces joined once): an order of magnitude
# faster than creating lxml elements one by one.  Every text and attribute value goes through
# _esc/_attr, which escape markup and refuse the characters XML 1.0 cannot carry.

_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_ROOT_OPEN = (
    f'<rsm:CrossIndustryInvoice xmlns:rsm="{RSM}" xmlns:ram="{RAM}" xmlns:udt="{UDT}"'
    f' xmlns:qdt="{QDT}">'
)



def _number(value: Decimal) -> str:
    return format(value, "f")


def _date102(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


class _Writer:
    """Appends the pieces of one invoice to ``out``, in D16B XSD order."""

    def __init__(self, invoice: Invoice) -> None:
        self.inv = invoice
        self.out: list[str] = [_DECLARATION, _ROOT_OPEN]

    # -------------------------------------------------------------- primitives

    def open(self, name: str) -> None:
        self.out.append(f"<ram:{name}>")

    def close(self, name: str) -> None:
        self.out.append(f"</ram:{name}>")

    def leaf(self, name: str, text: str | None, attrs: str = "") -> None:
        if text is not None:
            self.out.append(f"<ram:{name}{attrs}>{escape_text(text)}</ram:{name}>")

    def amount(self, name: str, value: Decimal | None, attrs: str = "") -> None:
        if value is not None:
            self.out.append(f"<ram:{name}{attrs}>{_number(value)}</ram:{name}>")

    def day(self, name: str, value: date | None) -> None:
        if value is not None:
            self.out.append(f'<ram:{name}><udt:DateTimeString format="102">{_date102(value)}'
                            f"</udt:DateTimeString></ram:{name}>")

    def rows(self, rows: tuple[Row, ...], model: Any) -> None:
        for row in rows:
            value = getattr(model, row.field)
            if value is None:
                continue
            if row.kind == "amount":
                self.amount(row.element, value)
            elif row.kind == "date":
                self.day(row.element, value)
            else:
                self.leaf(row.element, value)

    def identifier(self, name: str, ident: Identifier, scheme_attr: str = "schemeID") -> None:
        scheme = ident.scheme_id
        attrs = "" if scheme is None else f' {scheme_attr}="{escape_attr(scheme)}"'
        self.leaf(name, ident.value if ident.value is not None else "", attrs)

    def referenced(self, name: str, reference: str | None) -> None:
        if reference is not None:
            self.out.append(f"<ram:{name}><ram:IssuerAssignedID>{escape_text(reference)}"
                            f"</ram:IssuerAssignedID></ram:{name}>")

    # -------------------------------------------------------------- document

    def build(self) -> str:
        inv = self.inv
        out = self.out
        out.append("<rsm:ExchangedDocumentContext>")
        control = inv.process_control
        if control is not None:
            if control.business_process_type is not None:  # BT-23, Chorus Pro cadre
                self.open("BusinessProcessSpecifiedDocumentContextParameter")
                self.leaf("ID", control.business_process_type)
                self.close("BusinessProcessSpecifiedDocumentContextParameter")
            if control.specification_identifier is not None:  # BT-24
                self.open("GuidelineSpecifiedDocumentContextParameter")
                self.leaf("ID", control.specification_identifier)
                self.close("GuidelineSpecifiedDocumentContextParameter")
        out.append("</rsm:ExchangedDocumentContext><rsm:ExchangedDocument>")
        self.leaf("ID", inv.invoice_number)  # BT-1
        self.leaf("TypeCode", inv.invoice_type_code)  # BT-3 (credit notes: 381, …)
        self.day("IssueDateTime", inv.invoice_issue_date)  # BT-2
        for note in inv.notes:  # BG-1: BT-22 Content, BT-21 SubjectCode
            self.open("IncludedNote")
            self.leaf("Content", note.note)
            self.leaf("SubjectCode", note.subject_code)
            self.close("IncludedNote")
        out.append("</rsm:ExchangedDocument><rsm:SupplyChainTradeTransaction>")
        for line in inv.lines:  # BG-25
            self.open("IncludedSupplyChainTradeLineItem")
            self.line(line)
            self.close("IncludedSupplyChainTradeLineItem")
        self.open("ApplicableHeaderTradeAgreement")
        self.agreement()
        self.close("ApplicableHeaderTradeAgreement")
        self.open("ApplicableHeaderTradeDelivery")
        self.delivery()
        self.close("ApplicableHeaderTradeDelivery")
        self.open("ApplicableHeaderTradeSettlement")
        self.settlement()
        self.close("ApplicableHeaderTradeSettlement")
        out.append("</rsm:SupplyChainTradeTransaction></rsm:CrossIndustryInvoice>")
        return "".join(out)

    # -------------------------------------------------------------- parties

    def party_ids(self, identifiers: tuple[Identifier, ...]) -> None:
        # ram:ID holds an identifier without scheme (EN 16931 forbids @schemeID there),
        # ram:GlobalID one with @schemeID, and every ram:ID precedes the ram:GlobalIDs.  To
        # keep the model's order, an identifier without scheme that follows one with a scheme
        # is written as a ram:GlobalID without @schemeID (read back the same).
        global_from = len(identifiers)
        for index, ident in enumerate(identifiers):
            if ident.scheme_id is not None:
                global_from = index
                break
        for index, ident in enumerate(identifiers):
            self.identifier("ID" if index < global_from else "GlobalID", ident)

    def legal(self, ident: Identifier | None, trading_name: str | None) -> None:
        if ident is None and trading_name is None:
            return
        self.open("SpecifiedLegalOrganization")
        if ident is not None:  # BT-30 / BT-47 / BT-61, @schemeID allowed here
            self.identifier("ID", ident)
        self.leaf("TradingBusinessName", trading_name)  # BT-28 / BT-45
        self.close("SpecifiedLegalOrganization")

    def contact(self, contact: Contact | None) -> None:
        if contact is None:
            return
        self.open("DefinedTradeContact")
        self.leaf("PersonName", contact.point)
        if contact.telephone is not None:
            self.open("TelephoneUniversalCommunication")
            self.leaf("CompleteNumber", contact.telephone)
            self.close("TelephoneUniversalCommunication")
        if contact.email is not None:
            self.open("EmailURIUniversalCommunication")
            self.leaf("URIID", contact.email)
            self.close("EmailURIUniversalCommunication")
        self.close("DefinedTradeContact")

    def address(self, address: Address | None) -> None:
        if address is not None:
            self.open("PostalTradeAddress")
            self.rows(ADDRESS, address)
            self.close("PostalTradeAddress")

    def uri(self, ident: Identifier | None) -> None:
        if ident is not None:
            self.open("URIUniversalCommunication")
            self.identifier("URIID", ident)
            self.close("URIUniversalCommunication")

    def tax_registration(self, value: str | None, scheme: str) -> None:
        if value is not None:
            self.open("SpecifiedTaxRegistration")
            self.leaf("ID", value, f' schemeID="{scheme}"')
            self.close("SpecifiedTaxRegistration")

    # -------------------------------------------------------------- header agreement

    def agreement(self) -> None:
        inv = self.inv
        self.leaf("BuyerReference", inv.buyer_reference)  # BT-10, code service
        seller = inv.seller
        if seller is not None:  # BG-4
            self.open("SellerTradeParty")
            self.party_ids(seller.identifiers)  # BT-29
            self.leaf("Name", seller.name)  # BT-27
            self.leaf("Description", seller.additional_legal_information)  # BT-33
            self.legal(seller.legal_registration_identifier, seller.trading_name)
            self.contact(seller.contact)  # BG-6
            self.address(seller.postal_address)  # BG-5
            self.uri(seller.electronic_address)  # BT-34
            self.tax_registration(seller.vat_identifier, "VA")  # BT-31
            self.tax_registration(seller.tax_registration_identifier, "FC")  # BT-32
            self.close("SellerTradeParty")
        buyer = inv.buyer
        if buyer is not None:  # BG-7
            self.open("BuyerTradeParty")
            # BT-46: the Chorus Pro buyer SIRET is written as ram:GlobalID schemeID="0009"
            self.party_ids(() if buyer.identifier is None else (buyer.identifier,))
            self.leaf("Name", buyer.name)  # BT-44
            self.legal(buyer.legal_registration_identifier, buyer.trading_name)  # BT-47, BT-45
            self.contact(buyer.contact)  # BG-9
            self.address(buyer.postal_address)  # BG-8
            self.uri(buyer.electronic_address)  # BT-49
            self.tax_registration(buyer.vat_identifier, "VA")  # BT-48
            self.close("BuyerTradeParty")
        representative = inv.seller_tax_representative
        if representative is not None:  # BG-11
            self.open("SellerTaxRepresentativeTradeParty")
            self.leaf("Name", representative.name)  # BT-62
            self.address(representative.postal_address)  # BG-12
            self.tax_registration(representative.vat_identifier, "VA")  # BT-63
            self.close("SellerTaxRepresentativeTradeParty")
        self.referenced("SellerOrderReferencedDocument", inv.sales_order_reference)  # BT-14
        self.referenced("BuyerOrderReferencedDocument", inv.purchase_order_reference)  # BT-13
        self.referenced("ContractReferencedDocument", inv.contract_reference)  # BT-12
        for document in inv.supporting_documents:  # BG-24, TypeCode 916
            self.open("AdditionalReferencedDocument")
            self.leaf("IssuerAssignedID", document.reference)  # BT-122
            self.leaf("URIID", document.external_location)  # BT-124
            self.leaf("TypeCode", "916")
            self.leaf("Name", document.description)  # BT-123
            if document.attached_document is not None:  # BT-125, base64 of the exact bytes
                attrs = ""
                if document.mime_code is not None:
                    attrs += f' mimeCode="{escape_attr(document.mime_code)}"'
                if document.filename is not None:
                    attrs += f' filename="{escape_attr(document.filename)}"'
                encoded = base64.b64encode(document.attached_document).decode("ascii")
                self.out.append(f"<ram:AttachmentBinaryObject{attrs}>{encoded}"
                                "</ram:AttachmentBinaryObject>")
            self.close("AdditionalReferencedDocument")
        if inv.tender_or_lot_reference is not None:  # BT-17, TypeCode 50
            self.open("AdditionalReferencedDocument")
            self.leaf("IssuerAssignedID", inv.tender_or_lot_reference)
            self.leaf("TypeCode", "50")
            self.close("AdditionalReferencedDocument")
        invoiced_object = inv.invoiced_object_identifier
        if invoiced_object is not None:  # BT-18, TypeCode 130, BT-18-1 ReferenceTypeCode
            self.open("AdditionalReferencedDocument")
            self.leaf("IssuerAssignedID", invoiced_object.value)
            self.leaf("TypeCode", "130")
            self.leaf("ReferenceTypeCode", invoiced_object.scheme_id)
            self.close("AdditionalReferencedDocument")
        if inv.project_reference is not None:  # BT-11; Name is mandatory in D16B
            self.open("SpecifiedProcuringProject")
            self.leaf("ID", inv.project_reference)
            self.leaf("Name", "Project reference")
            self.close("SpecifiedProcuringProject")

    # -------------------------------------------------------------- header delivery

    def delivery(self) -> None:
        inv = self.inv
        delivery = inv.delivery
        if delivery is not None:  # BG-13
            location = delivery.location_identifier
            if (delivery.party_name is not None or location is not None
                    or delivery.address is not None):
                self.open("ShipToTradeParty")
                self.party_ids(() if location is None else (location,))  # BT-71
                self.leaf("Name", delivery.party_name)  # BT-70
                self.address(delivery.address)  # BG-15
                self.close("ShipToTradeParty")
            if delivery.actual_delivery_date is not None:  # BT-72
                self.open("ActualDeliverySupplyChainEvent")
                self.day("OccurrenceDateTime", delivery.actual_delivery_date)
                self.close("ActualDeliverySupplyChainEvent")
        self.referenced("DespatchAdviceReferencedDocument", inv.despatch_advice_reference)
        self.referenced("ReceivingAdviceReferencedDocument", inv.receiving_advice_reference)

    # -------------------------------------------------------------- header settlement

    def settlement(self) -> None:
        inv = self.inv
        payment = inv.payment_instructions
        direct_debit = payment.direct_debit if payment is not None else None
        if direct_debit is not None:  # BT-90
            self.leaf("CreditorReferenceID", direct_debit.bank_assigned_creditor_identifier)
        if payment is not None:
            self.leaf("PaymentReference", payment.remittance_information)  # BT-83
        # BT-6: CII's BR-53 forbids a TaxCurrencyCode equal to the InvoiceCurrencyCode (UBL
        # allows it); such a BT-6 says nothing more than BT-5 and is left out (loss report)
        if inv.vat_accounting_currency_code != inv.invoice_currency_code:
            self.leaf("TaxCurrencyCode", inv.vat_accounting_currency_code)
        self.leaf("InvoiceCurrencyCode", inv.invoice_currency_code)  # BT-5
        payee = inv.payee
        if payee is not None:  # BG-10
            self.open("PayeeTradeParty")
            self.party_ids(() if payee.identifier is None else (payee.identifier,))  # BT-60
            self.leaf("Name", payee.name)  # BT-59
            self.legal(payee.legal_registration_identifier, None)  # BT-61
            self.close("PayeeTradeParty")
        if payment is not None:
            self.payment_means(payment)
        for index, vat in enumerate(inv.vat_breakdown):  # BG-23
            self.vat_breakdown(vat, first=index == 0)
        period = inv.invoicing_period
        if period is not None:  # BG-14
            self.period(period.start_date, period.end_date)
        for allowance in inv.allowances:  # BG-20
            self.allowance_charge(allowance, False, document_level=True)
        for charge in inv.charges:  # BG-21
            self.allowance_charge(charge, True, document_level=True)
        mandate = direct_debit.mandate_reference_identifier if direct_debit else None
        if inv.payment_terms is not None or inv.payment_due_date is not None or mandate:
            self.open("SpecifiedTradePaymentTerms")
            self.leaf("Description", inv.payment_terms)  # BT-20
            self.day("DueDateDateTime", inv.payment_due_date)  # BT-9
            self.leaf("DirectDebitMandateID", mandate)  # BT-89
            self.close("SpecifiedTradePaymentTerms")
        if inv.totals is not None:  # BG-22
            self.open("SpecifiedTradeSettlementHeaderMonetarySummation")
            self.totals()
            self.close("SpecifiedTradeSettlementHeaderMonetarySummation")
        if inv.preceding_invoice_references:  # BG-3: D16B carries only the first one
            preceding = inv.preceding_invoice_references[0]
            self.open("InvoiceReferencedDocument")
            self.leaf("IssuerAssignedID", preceding.reference)  # BT-25
            if preceding.issue_date is not None:  # BT-26
                self.out.append(
                    '<ram:FormattedIssueDateTime><qdt:DateTimeString format="102">'
                    f"{_date102(preceding.issue_date)}</qdt:DateTimeString>"
                    "</ram:FormattedIssueDateTime>")
            self.close("InvoiceReferencedDocument")
        if inv.buyer_accounting_reference is not None:  # BT-19
            self.open("ReceivableSpecifiedTradeAccountingAccount")
            self.leaf("ID", inv.buyer_accounting_reference)
            self.close("ReceivableSpecifiedTradeAccountingAccount")

    def payment_means(self, payment: PaymentInstructions) -> None:
        # one ram:SpecifiedTradeSettlementPaymentMeans per credit transfer (BG-17), the first
        # also carrying BT-82, the card (BG-18) and the debited account (BT-91)
        transfers: tuple[CreditTransfer | None, ...] = payment.credit_transfers or (None,)
        for index, transfer in enumerate(transfers):
            self.open("SpecifiedTradeSettlementPaymentMeans")
            self.leaf("TypeCode", payment.payment_means_type_code)  # BT-81
            if index == 0:
                self.leaf("Information", payment.payment_means_text)  # BT-82
                card = payment.payment_card
                if card is not None:  # BG-18
                    self.open("ApplicableTradeSettlementFinancialCard")
                    self.leaf("ID", card.primary_account_number)  # BT-87
                    self.leaf("CardholderName", card.holder_name)  # BT-88
                    self.close("ApplicableTradeSettlementFinancialCard")
                debit = payment.direct_debit
                if debit is not None and debit.debited_account_identifier is not None:  # BT-91
                    self.open("PayerPartyDebtorFinancialAccount")
                    self.leaf("IBANID", debit.debited_account_identifier)
                    self.close("PayerPartyDebtorFinancialAccount")
            if transfer is not None:
                if transfer.account_identifier is not None or transfer.account_name is not None:
                    self.open("PayeePartyCreditorFinancialAccount")
                    # BT-84 is written as IBANID (ProprietaryID is read as BT-84 too)
                    self.leaf("IBANID", transfer.account_identifier)
                    self.leaf("AccountName", transfer.account_name)  # BT-85
                    self.close("PayeePartyCreditorFinancialAccount")
                if transfer.service_provider_identifier is not None:  # BT-86
                    self.open("PayeeSpecifiedCreditorFinancialInstitution")
                    self.leaf("BICID", transfer.service_provider_identifier)
                    self.close("PayeeSpecifiedCreditorFinancialInstitution")
            self.close("SpecifiedTradeSettlementPaymentMeans")

    def vat_breakdown(self, vat: VatBreakdown, *, first: bool) -> None:
        inv = self.inv
        rows = VAT_BREAKDOWN
        self.open("ApplicableTradeTax")
        self.rows(rows[:1], vat)  # CalculatedAmount, BT-117
        self.leaf("TypeCode", "VAT")
        self.rows(rows[1:-1], vat)
        # BT-7 and BT-8 go in the first breakdown only (CII-SR-461: one TaxPointDate)
        if first and inv.value_added_tax_point_date is not None:
            self.out.append('<ram:TaxPointDate><udt:DateString format="102">'
                            f"{_date102(inv.value_added_tax_point_date)}</udt:DateString>"
                            "</ram:TaxPointDate>")
        code = inv.value_added_tax_point_date_code
        if first and code is not None:  # BT-8, UNTDID 2005 -> 2475
            self.leaf("DueDateTypeCode", VAT_POINT_DATE_CODE_TO_CII.get(code, code))
        self.rows(rows[-1:], vat)  # RateApplicablePercent, BT-119
        self.close("ApplicableTradeTax")

    def totals(self) -> None:
        inv = self.inv
        totals = inv.totals
        assert totals is not None
        for row in HEADER_TOTALS:
            if row.field != "total_vat_amount":
                self.rows((row,), totals)
                continue
            currency = inv.invoice_currency_code  # BT-110 in BT-5
            self.amount("TaxTotalAmount", totals.total_vat_amount,
                        "" if currency is None else f' currencyID="{escape_attr(currency)}"')
            currency = inv.vat_accounting_currency_code  # BT-111 in BT-6
            self.amount("TaxTotalAmount", totals.total_vat_amount_in_accounting_currency,
                        "" if currency is None else f' currencyID="{escape_attr(currency)}"')

    def period(self, start: date | None, end: date | None) -> None:
        self.open("BillingSpecifiedPeriod")
        self.day("StartDateTime", start)
        self.day("EndDateTime", end)
        self.close("BillingSpecifiedPeriod")

    def allowance_charge(
        self,
        item: DocumentAllowance | DocumentCharge | LineAllowance | LineCharge,
        is_charge: bool,
        *,
        document_level: bool,
    ) -> None:
        self.open("SpecifiedTradeAllowanceCharge")
        self.out.append("<ram:ChargeIndicator><udt:Indicator>true</udt:Indicator>"
                        "</ram:ChargeIndicator>" if is_charge else
                        "<ram:ChargeIndicator><udt:Indicator>false</udt:Indicator>"
                        "</ram:ChargeIndicator>")
        self.rows(ALLOWANCE_CHARGE, item)
        if isinstance(item, DocumentAllowance | DocumentCharge) and document_level:
            self.open("CategoryTradeTax")
            self.leaf("TypeCode", "VAT")
            self.leaf("CategoryCode", item.vat_category_code)
            self.amount("RateApplicablePercent", item.vat_rate)
            self.close("CategoryTradeTax")
        self.close("SpecifiedTradeAllowanceCharge")

    # -------------------------------------------------------------- lines

    def line(self, line: InvoiceLine) -> None:
        self.open("AssociatedDocumentLineDocument")
        self.leaf("LineID", line.identifier)  # BT-126
        if line.note is not None:  # BT-127
            self.open("IncludedNote")
            self.leaf("Content", line.note)
            self.close("IncludedNote")
        self.close("AssociatedDocumentLineDocument")
        item = line.item
        if item is not None:  # BG-31
            self.item(item)
        price = line.price_details
        if price is not None or line.purchase_order_line_reference is not None:
            self.open("SpecifiedLineTradeAgreement")
            if line.purchase_order_line_reference is not None:  # BT-132
                self.open("BuyerOrderReferencedDocument")
                self.leaf("LineID", line.purchase_order_line_reference)
                self.close("BuyerOrderReferencedDocument")
            if price is not None:
                self.prices(price)
            self.close("SpecifiedLineTradeAgreement")
        if line.invoiced_quantity is not None:  # BT-129, BT-130
            self.open("SpecifiedLineTradeDelivery")
            self.quantity("BilledQuantity", line.invoiced_quantity,
                          line.invoiced_quantity_unit_code)
            self.close("SpecifiedLineTradeDelivery")
        self.open("SpecifiedLineTradeSettlement")
        vat = line.vat_information
        if vat is not None:  # BG-30
            self.open("ApplicableTradeTax")
            self.leaf("TypeCode", "VAT")
            self.leaf("CategoryCode", vat.category_code)  # BT-151
            self.amount("RateApplicablePercent", vat.rate)  # BT-152
            self.close("ApplicableTradeTax")
        period = line.period
        if period is not None:  # BG-26
            self.period(period.start_date, period.end_date)
        for allowance in line.allowances:  # BG-27
            self.allowance_charge(allowance, False, document_level=False)
        for charge in line.charges:  # BG-28
            self.allowance_charge(charge, True, document_level=False)
        if line.net_amount is not None:  # BT-131
            self.open("SpecifiedTradeSettlementLineMonetarySummation")
            self.amount("LineTotalAmount", line.net_amount)
            self.close("SpecifiedTradeSettlementLineMonetarySummation")
        obj = line.object_identifier
        if obj is not None:  # BT-128, TypeCode 130, BT-128-1
            self.open("AdditionalReferencedDocument")
            self.leaf("IssuerAssignedID", obj.value)
            self.leaf("TypeCode", "130")
            self.leaf("ReferenceTypeCode", obj.scheme_id)
            self.close("AdditionalReferencedDocument")
        if line.buyer_accounting_reference is not None:  # BT-133
            self.open("ReceivableSpecifiedTradeAccountingAccount")
            self.leaf("ID", line.buyer_accounting_reference)
            self.close("ReceivableSpecifiedTradeAccountingAccount")
        self.close("SpecifiedLineTradeSettlement")

    def item(self, item: ItemInformation) -> None:
        self.open("SpecifiedTradeProduct")
        if item.standard_identifier is not None:  # BT-157, BT-157-1
            self.identifier("GlobalID", item.standard_identifier)
        self.leaf("SellerAssignedID", item.seller_identifier)  # BT-155
        self.leaf("BuyerAssignedID", item.buyer_identifier)  # BT-156
        self.leaf("Name", item.name)  # BT-153
        self.leaf("Description", item.description)  # BT-154
        for attribute in item.attributes:  # BG-32: BT-160 Description, BT-161 Value
            self.open("ApplicableProductCharacteristic")
            self.leaf("Description", attribute.name)
            self.leaf("Value", attribute.value)
            self.close("ApplicableProductCharacteristic")
        for code in item.classification_identifiers:  # BT-158, -1 listID, -2 listVersionID
            attrs = "" if code.scheme_id is None else f' listID="{escape_attr(code.scheme_id)}"'
            if code.scheme_version_id is not None:
                attrs += f' listVersionID="{escape_attr(code.scheme_version_id)}"'
            self.open("DesignatedProductClassification")
            self.leaf("ClassCode", code.value if code.value is not None else "", attrs)
            self.close("DesignatedProductClassification")
        if item.country_of_origin is not None:  # BT-159
            self.open("OriginTradeCountry")
            self.leaf("ID", item.country_of_origin)
            self.close("OriginTradeCountry")
        self.close("SpecifiedTradeProduct")

    def quantity(self, name: str, value: Decimal | None, unit: str | None) -> None:
        self.amount(name, value, "" if unit is None else f' unitCode="{escape_attr(unit)}"')

    def prices(self, price: PriceDetails) -> None:
        gross_price = price.gross_price  # BT-148
        if gross_price is None and price.price_discount is not None and price.net_price is not None:
            # CII has no place for a discount (BT-147) without a gross price (ChargeAmount is
            # mandatory): BT-148 = BT-146 + BT-147, which a loss report lists as added
            gross_price = price.net_price + price.price_discount
        if gross_price is not None:
            self.open("GrossPriceProductTradePrice")
            self.amount("ChargeAmount", gross_price)
            if price.price_discount is not None:
                self.out.append("<ram:AppliedTradeAllowanceCharge><ram:ChargeIndicator>"
                                "<udt:Indicator>false</udt:Indicator></ram:ChargeIndicator>")
                self.amount("ActualAmount", price.price_discount)
                self.close("AppliedTradeAllowanceCharge")
            self.close("GrossPriceProductTradePrice")
        if price.net_price is not None or price.base_quantity is not None:  # BT-146, BT-149
            self.open("NetPriceProductTradePrice")
            self.amount("ChargeAmount", price.net_price)
            self.quantity("BasisQuantity", price.base_quantity,
                          price.base_quantity_unit_code)  # BT-150
            self.close("NetPriceProductTradePrice")


def write(invoice: Invoice) -> bytes:
    """Write ``invoice`` as a CII D16B document (UTF-8 bytes with an XML declaration).

    Elements follow the D16B XSD order; terms absent from the model are left out.  Raises
    :class:`~chorus_core.errors.ConversionError` when a text holds a character that XML 1.0
    cannot carry (a control character).

    >>> from chorus_core.model import Invoice, Buyer, Identifier
    >>> inv = Invoice(buyer=Buyer(identifier=Identifier(value="11000201100044", scheme_id="0009")))
    >>> b'<ram:GlobalID schemeID="0009">11000201100044</ram:GlobalID>' in write(inv)
    True
    """
    text = _Writer(invoice).build()
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ConversionError(f"a text cannot be encoded in UTF-8: {exc.reason}") from None
