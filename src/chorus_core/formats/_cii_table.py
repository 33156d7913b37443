"""CII D16B binding tables: namespaces, element names and the BT ↔ element rows shared by the
reader and the writer of :mod:`chorus_core.formats.cii`.

Each leaf table lists ``(element, model field, kind, BT)`` rows **in the element order of the
D16B XSD** (``CrossIndustryInvoice_100pD16B.xsd``): the writer emits the rows in this order, the
reader looks rows up by element name.  Kinds are ``text``, ``amount`` (a decimal) and ``date``
(``udt:DateTimeString`` with ``format="102"``).

Only the flat groups are tables; the nested ones (parties, payment means, lines) are code in
:mod:`chorus_core.formats.cii`, each branch commented with its BT id.

More information:

* ``../shared/corpus/en16931/mapping/en16931_bt_ubl_cii_xpaths.csv`` (a guide)
* UN/CEFACT CII D16B SCRDM subset, ``ReusableAggregateBusinessInformationEntity_100pD16B.xsd``

>>> PATHS["BT-10"]
'/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:BuyerReference'
>>> [row.element for row in ADDRESS][:3]
['PostcodeCode', 'LineOne', 'LineTwo']
>>> VAT_POINT_DATE_CODE_TO_CII["3"], VAT_POINT_DATE_CODE_FROM_CII["5"]
('5', '3')
"""

from __future__ import annotations

from typing import Literal, NamedTuple

__all__ = [
    "ADDRESS",
    "ALLOWANCE_CHARGE",
    "HEADER_TOTALS",
    "PATHS",
    "QDT",
    "RAM",
    "RSM",
    "UDT",
    "VAT_BREAKDOWN",
    "VAT_POINT_DATE_CODE_FROM_CII",
    "VAT_POINT_DATE_CODE_TO_CII",
    "Row",
]

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

Kind = Literal["text", "amount", "date"]


class Row(NamedTuple):
    """One leaf binding: a ``ram:`` element, the model field it carries, its kind and BT id."""

    element: str
    field: str
    kind: Kind
    bt: str


ADDRESS: tuple[Row, ...] = (
    # BG-5 / BG-8 / BG-12 / BG-15; BT ids given for the seller (BG-5), the others are parallel
    Row("PostcodeCode", "post_code", "text", "BT-38"),
    Row("LineOne", "line_one", "text", "BT-35"),
    Row("LineTwo", "line_two", "text", "BT-36"),
    Row("LineThree", "line_three", "text", "BT-162"),
    Row("CityName", "city", "text", "BT-37"),
    Row("CountryID", "country_code", "text", "BT-40"),
    Row("CountrySubDivisionName", "country_subdivision", "text", "BT-39"),
)
"""``ram:PostalTradeAddress`` (TradeAddressType)."""

HEADER_TOTALS: tuple[Row, ...] = (
    # BG-22 ``ram:SpecifiedTradeSettlementHeaderMonetarySummation``; TaxTotalAmount appears
    # twice, told apart by @currencyID (BT-110 in BT-5, BT-111 in BT-6): handled in code.
    Row("LineTotalAmount", "sum_of_line_net_amounts", "amount", "BT-106"),
    Row("ChargeTotalAmount", "sum_of_charges", "amount", "BT-108"),
    Row("AllowanceTotalAmount", "sum_of_allowances", "amount", "BT-107"),
    Row("TaxBasisTotalAmount", "total_without_vat", "amount", "BT-109"),
    Row("TaxTotalAmount", "total_vat_amount", "amount", "BT-110"),
    Row("RoundingAmount", "rounding_amount", "amount", "BT-114"),
    Row("GrandTotalAmount", "total_with_vat", "amount", "BT-112"),
    Row("TotalPrepaidAmount", "paid_amount", "amount", "BT-113"),
    Row("DuePayableAmount", "amount_due_for_payment", "amount", "BT-115"),
)
"""BG-22 document totals."""

ALLOWANCE_CHARGE: tuple[Row, ...] = (
    # BG-20/BG-21/BG-27/BG-28 ``ram:SpecifiedTradeAllowanceCharge`` after ``ChargeIndicator``
    # and before ``CategoryTradeTax``; BT ids given for BG-20.
    Row("CalculationPercent", "percentage", "amount", "BT-94"),
    Row("BasisAmount", "base_amount", "amount", "BT-93"),
    Row("ActualAmount", "amount", "amount", "BT-92"),
    Row("ReasonCode", "reason_code", "text", "BT-98"),
    Row("Reason", "reason", "text", "BT-97"),
)
"""Allowance and charge leaves (TradeAllowanceChargeType)."""

VAT_BREAKDOWN: tuple[Row, ...] = (
    # BG-23 ``ram:ApplicableTradeTax`` (TradeTaxType); TypeCode ``VAT`` is written after
    # CalculatedAmount, TaxPointDate (BT-7) and DueDateTypeCode (BT-8) are handled in code.
    Row("CalculatedAmount", "tax_amount", "amount", "BT-117"),
    Row("ExemptionReason", "exemption_reason", "text", "BT-120"),
    Row("BasisAmount", "taxable_amount", "amount", "BT-116"),
    Row("CategoryCode", "category_code", "text", "BT-118"),
    Row("ExemptionReasonCode", "exemption_reason_code", "text", "BT-121"),
    Row("RateApplicablePercent", "rate", "amount", "BT-119"),
)
"""VAT breakdown leaves, in XSD order."""

VAT_POINT_DATE_CODE_TO_CII: dict[str, str] = {"3": "5", "35": "29", "432": "72"}
"""BT-8: the model holds UNTDID 2005 (as UBL); CII carries UNTDID 2475 (BR-CL-… CII lists)."""

VAT_POINT_DATE_CODE_FROM_CII: dict[str, str] = {v: k for k, v in VAT_POINT_DATE_CODE_TO_CII.items()}
"""BT-8: UNTDID 2475 (CII ``ram:DueDateTypeCode``) back to UNTDID 2005; other codes kept as read."""


# --------------------------------------------------------------------------- BT -> XPath
#
# Where the writer puts every term and group (read by the tests, which check each written
# value at its path, and by the documentation).  Abbreviations: {H} transaction, {HA}/{HD}/{HS}
# header agreement / delivery / settlement, {L} a line, {LA}/{LD}/{LS} line agreement /
# delivery / settlement, {S} seller, {B} buyer, {P} payee, {T} tax representative, {ST} ship-to,
# {PR} a line's product, {PM} payment means, {M} totals, {AD} an additional referenced
# document, {ALLOW}/{CHARGE} an allowance / charge, {ID} ram:ID or ram:GlobalID.
_ABBREVIATIONS = {
    "H": "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction",
    "HA": "{H}/ram:ApplicableHeaderTradeAgreement",
    "HD": "{H}/ram:ApplicableHeaderTradeDelivery",
    "HS": "{H}/ram:ApplicableHeaderTradeSettlement",
    "L": "{H}/ram:IncludedSupplyChainTradeLineItem",
    "LA": "{L}/ram:SpecifiedLineTradeAgreement",
    "LD": "{L}/ram:SpecifiedLineTradeDelivery",
    "LS": "{L}/ram:SpecifiedLineTradeSettlement",
    "S": "{HA}/ram:SellerTradeParty",
    "B": "{HA}/ram:BuyerTradeParty",
    "P": "{HS}/ram:PayeeTradeParty",
    "T": "{HA}/ram:SellerTaxRepresentativeTradeParty",
    "ST": "{HD}/ram:ShipToTradeParty",
    "PR": "{L}/ram:SpecifiedTradeProduct",
    "PM": "{HS}/ram:SpecifiedTradeSettlementPaymentMeans",
    "M": "{HS}/ram:SpecifiedTradeSettlementHeaderMonetarySummation",
    "AD": "{HA}/ram:AdditionalReferencedDocument",
    "DOC": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument",
    "CTX": "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext",
    "ALLOW": "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator='false']",
    "CHARGE": "ram:SpecifiedTradeAllowanceCharge[ram:ChargeIndicator/udt:Indicator='true']",
    "ID": "*[self::ram:ID or self::ram:GlobalID]",
    "DTS": "udt:DateTimeString",
}

_PATH_TABLE = """BG-1 {DOC}/ram:IncludedNote
BT-21 {DOC}/ram:IncludedNote/ram:SubjectCode
BT-22 {DOC}/ram:IncludedNote/ram:Content
BT-1 {DOC}/ram:ID
BT-2 {DOC}/ram:IssueDateTime/{DTS}
BT-3 {DOC}/ram:TypeCode
BG-2 {CTX}
BT-23 {CTX}/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID
BT-24 {CTX}/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID
BT-5 {HS}/ram:InvoiceCurrencyCode
BT-6 {HS}/ram:TaxCurrencyCode
BT-7 {HS}/ram:ApplicableTradeTax/ram:TaxPointDate/udt:DateString
BT-8 {HS}/ram:ApplicableTradeTax/ram:DueDateTypeCode
BT-9 {HS}/ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/{DTS}
BT-10 {HA}/ram:BuyerReference
BT-11 {HA}/ram:SpecifiedProcuringProject/ram:ID
BT-12 {HA}/ram:ContractReferencedDocument/ram:IssuerAssignedID
BT-13 {HA}/ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID
BT-14 {HA}/ram:SellerOrderReferencedDocument/ram:IssuerAssignedID
BT-15 {HD}/ram:ReceivingAdviceReferencedDocument/ram:IssuerAssignedID
BT-16 {HD}/ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID
BT-17 {AD}[ram:TypeCode='50']/ram:IssuerAssignedID
BT-18 {AD}[ram:TypeCode='130']/ram:IssuerAssignedID
BT-18-1 {AD}[ram:TypeCode='130']/ram:ReferenceTypeCode
BT-19 {HS}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID
BT-20 {HS}/ram:SpecifiedTradePaymentTerms/ram:Description
BG-3 {HS}/ram:InvoiceReferencedDocument
BT-25 {HS}/ram:InvoiceReferencedDocument/ram:IssuerAssignedID
BT-26 {HS}/ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/qdt:DateTimeString
BG-4 {S}
BT-27 {S}/ram:Name
BT-28 {S}/ram:SpecifiedLegalOrganization/ram:TradingBusinessName
BT-29 {S}/{ID}
BT-29-1 {S}/ram:GlobalID/@schemeID
BT-30 {S}/ram:SpecifiedLegalOrganization/ram:ID
BT-30-1 {S}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID
BT-31 {S}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']
BT-32 {S}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']
BT-33 {S}/ram:Description
BT-34 {S}/ram:URIUniversalCommunication/ram:URIID
BT-34-1 {S}/ram:URIUniversalCommunication/ram:URIID/@schemeID
BG-5 {S}/ram:PostalTradeAddress
BT-35 {S}/ram:PostalTradeAddress/ram:LineOne
BT-36 {S}/ram:PostalTradeAddress/ram:LineTwo
BT-162 {S}/ram:PostalTradeAddress/ram:LineThree
BT-37 {S}/ram:PostalTradeAddress/ram:CityName
BT-38 {S}/ram:PostalTradeAddress/ram:PostcodeCode
BT-39 {S}/ram:PostalTradeAddress/ram:CountrySubDivisionName
BT-40 {S}/ram:PostalTradeAddress/ram:CountryID
BG-6 {S}/ram:DefinedTradeContact
BT-41 {S}/ram:DefinedTradeContact/ram:PersonName
BT-42 {S}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber
BT-43 {S}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID
BG-7 {B}
BT-44 {B}/ram:Name
BT-45 {B}/ram:SpecifiedLegalOrganization/ram:TradingBusinessName
BT-46 {B}/{ID}
BT-46-1 {B}/ram:GlobalID/@schemeID
BT-47 {B}/ram:SpecifiedLegalOrganization/ram:ID
BT-47-1 {B}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID
BT-48 {B}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']
BT-49 {B}/ram:URIUniversalCommunication/ram:URIID
BT-49-1 {B}/ram:URIUniversalCommunication/ram:URIID/@schemeID
BG-8 {B}/ram:PostalTradeAddress
BT-50 {B}/ram:PostalTradeAddress/ram:LineOne
BT-51 {B}/ram:PostalTradeAddress/ram:LineTwo
BT-163 {B}/ram:PostalTradeAddress/ram:LineThree
BT-52 {B}/ram:PostalTradeAddress/ram:CityName
BT-53 {B}/ram:PostalTradeAddress/ram:PostcodeCode
BT-54 {B}/ram:PostalTradeAddress/ram:CountrySubDivisionName
BT-55 {B}/ram:PostalTradeAddress/ram:CountryID
BG-9 {B}/ram:DefinedTradeContact
BT-56 {B}/ram:DefinedTradeContact/ram:PersonName
BT-57 {B}/ram:DefinedTradeContact/ram:TelephoneUniversalCommunication/ram:CompleteNumber
BT-58 {B}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID
BG-10 {P}
BT-59 {P}/ram:Name
BT-60 {P}/{ID}
BT-60-1 {P}/ram:GlobalID/@schemeID
BT-61 {P}/ram:SpecifiedLegalOrganization/ram:ID
BT-61-1 {P}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID
BG-11 {T}
BT-62 {T}/ram:Name
BT-63 {T}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']
BG-12 {T}/ram:PostalTradeAddress
BT-64 {T}/ram:PostalTradeAddress/ram:LineOne
BT-65 {T}/ram:PostalTradeAddress/ram:LineTwo
BT-164 {T}/ram:PostalTradeAddress/ram:LineThree
BT-66 {T}/ram:PostalTradeAddress/ram:CityName
BT-67 {T}/ram:PostalTradeAddress/ram:PostcodeCode
BT-68 {T}/ram:PostalTradeAddress/ram:CountrySubDivisionName
BT-69 {T}/ram:PostalTradeAddress/ram:CountryID
BG-13 {HD}
BT-70 {ST}/ram:Name
BT-71 {ST}/{ID}
BT-71-1 {ST}/ram:GlobalID/@schemeID
BT-72 {HD}/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/{DTS}
BG-14 {HS}/ram:BillingSpecifiedPeriod
BT-73 {HS}/ram:BillingSpecifiedPeriod/ram:StartDateTime/{DTS}
BT-74 {HS}/ram:BillingSpecifiedPeriod/ram:EndDateTime/{DTS}
BG-15 {ST}/ram:PostalTradeAddress
BT-75 {ST}/ram:PostalTradeAddress/ram:LineOne
BT-76 {ST}/ram:PostalTradeAddress/ram:LineTwo
BT-165 {ST}/ram:PostalTradeAddress/ram:LineThree
BT-77 {ST}/ram:PostalTradeAddress/ram:CityName
BT-78 {ST}/ram:PostalTradeAddress/ram:PostcodeCode
BT-79 {ST}/ram:PostalTradeAddress/ram:CountrySubDivisionName
BT-80 {ST}/ram:PostalTradeAddress/ram:CountryID
BG-16 {PM}
BT-81 {PM}/ram:TypeCode
BT-82 {PM}/ram:Information
BT-83 {HS}/ram:PaymentReference
BG-17 {PM}/ram:PayeePartyCreditorFinancialAccount
BT-84 {PM}/ram:PayeePartyCreditorFinancialAccount/ram:IBANID
BT-85 {PM}/ram:PayeePartyCreditorFinancialAccount/ram:AccountName
BT-86 {PM}/ram:PayeeSpecifiedCreditorFinancialInstitution/ram:BICID
BG-18 {PM}/ram:ApplicableTradeSettlementFinancialCard
BT-87 {PM}/ram:ApplicableTradeSettlementFinancialCard/ram:ID
BT-88 {PM}/ram:ApplicableTradeSettlementFinancialCard/ram:CardholderName
BG-19 {HS}
BT-89 {HS}/ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID
BT-90 {HS}/ram:CreditorReferenceID
BT-91 {PM}/ram:PayerPartyDebtorFinancialAccount/ram:IBANID
BG-20 {HS}/{ALLOW}
BT-92 {HS}/{ALLOW}/ram:ActualAmount
BT-93 {HS}/{ALLOW}/ram:BasisAmount
BT-94 {HS}/{ALLOW}/ram:CalculationPercent
BT-95 {HS}/{ALLOW}/ram:CategoryTradeTax/ram:CategoryCode
BT-96 {HS}/{ALLOW}/ram:CategoryTradeTax/ram:RateApplicablePercent
BT-97 {HS}/{ALLOW}/ram:Reason
BT-98 {HS}/{ALLOW}/ram:ReasonCode
BG-21 {HS}/{CHARGE}
BT-99 {HS}/{CHARGE}/ram:ActualAmount
BT-100 {HS}/{CHARGE}/ram:BasisAmount
BT-101 {HS}/{CHARGE}/ram:CalculationPercent
BT-102 {HS}/{CHARGE}/ram:CategoryTradeTax/ram:CategoryCode
BT-103 {HS}/{CHARGE}/ram:CategoryTradeTax/ram:RateApplicablePercent
BT-104 {HS}/{CHARGE}/ram:Reason
BT-105 {HS}/{CHARGE}/ram:ReasonCode
BG-22 {M}
BT-106 {M}/ram:LineTotalAmount
BT-107 {M}/ram:AllowanceTotalAmount
BT-108 {M}/ram:ChargeTotalAmount
BT-109 {M}/ram:TaxBasisTotalAmount
BT-110 {M}/ram:TaxTotalAmount[@currencyID={HS}/ram:InvoiceCurrencyCode]
BT-111 {M}/ram:TaxTotalAmount[@currencyID={HS}/ram:TaxCurrencyCode]
BT-112 {M}/ram:GrandTotalAmount
BT-113 {M}/ram:TotalPrepaidAmount
BT-114 {M}/ram:RoundingAmount
BT-115 {M}/ram:DuePayableAmount
BG-23 {HS}/ram:ApplicableTradeTax
BT-116 {HS}/ram:ApplicableTradeTax/ram:BasisAmount
BT-117 {HS}/ram:ApplicableTradeTax/ram:CalculatedAmount
BT-118 {HS}/ram:ApplicableTradeTax/ram:CategoryCode
BT-119 {HS}/ram:ApplicableTradeTax/ram:RateApplicablePercent
BT-120 {HS}/ram:ApplicableTradeTax/ram:ExemptionReason
BT-121 {HS}/ram:ApplicableTradeTax/ram:ExemptionReasonCode
BG-24 {AD}[ram:TypeCode='916']
BT-122 {AD}[ram:TypeCode='916']/ram:IssuerAssignedID
BT-123 {AD}[ram:TypeCode='916']/ram:Name
BT-124 {AD}[ram:TypeCode='916']/ram:URIID
BT-125 {AD}[ram:TypeCode='916']/ram:AttachmentBinaryObject
BT-125-1 {AD}[ram:TypeCode='916']/ram:AttachmentBinaryObject/@mimeCode
BT-125-2 {AD}[ram:TypeCode='916']/ram:AttachmentBinaryObject/@filename
BG-25 {L}
BT-126 {L}/ram:AssociatedDocumentLineDocument/ram:LineID
BT-127 {L}/ram:AssociatedDocumentLineDocument/ram:IncludedNote/ram:Content
BT-128 {LS}/ram:AdditionalReferencedDocument[ram:TypeCode='130']/ram:IssuerAssignedID
BT-128-1 {LS}/ram:AdditionalReferencedDocument[ram:TypeCode='130']/ram:ReferenceTypeCode
BT-129 {LD}/ram:BilledQuantity
BT-130 {LD}/ram:BilledQuantity/@unitCode
BT-131 {LS}/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount
BT-132 {LA}/ram:BuyerOrderReferencedDocument/ram:LineID
BT-133 {LS}/ram:ReceivableSpecifiedTradeAccountingAccount/ram:ID
BG-26 {LS}/ram:BillingSpecifiedPeriod
BT-134 {LS}/ram:BillingSpecifiedPeriod/ram:StartDateTime/{DTS}
BT-135 {LS}/ram:BillingSpecifiedPeriod/ram:EndDateTime/{DTS}
BG-27 {LS}/{ALLOW}
BT-136 {LS}/{ALLOW}/ram:ActualAmount
BT-137 {LS}/{ALLOW}/ram:BasisAmount
BT-138 {LS}/{ALLOW}/ram:CalculationPercent
BT-139 {LS}/{ALLOW}/ram:Reason
BT-140 {LS}/{ALLOW}/ram:ReasonCode
BG-28 {LS}/{CHARGE}
BT-141 {LS}/{CHARGE}/ram:ActualAmount
BT-142 {LS}/{CHARGE}/ram:BasisAmount
BT-143 {LS}/{CHARGE}/ram:CalculationPercent
BT-144 {LS}/{CHARGE}/ram:Reason
BT-145 {LS}/{CHARGE}/ram:ReasonCode
BG-29 {LA}
BT-146 {LA}/ram:NetPriceProductTradePrice/ram:ChargeAmount
BT-147 {LA}/ram:GrossPriceProductTradePrice/ram:AppliedTradeAllowanceCharge/ram:ActualAmount
BT-148 {LA}/ram:GrossPriceProductTradePrice/ram:ChargeAmount
BT-149 {LA}/ram:NetPriceProductTradePrice/ram:BasisQuantity
BT-150 {LA}/ram:NetPriceProductTradePrice/ram:BasisQuantity/@unitCode
BG-30 {LS}/ram:ApplicableTradeTax
BT-151 {LS}/ram:ApplicableTradeTax/ram:CategoryCode
BT-152 {LS}/ram:ApplicableTradeTax/ram:RateApplicablePercent
BG-31 {PR}
BT-153 {PR}/ram:Name
BT-154 {PR}/ram:Description
BT-155 {PR}/ram:SellerAssignedID
BT-156 {PR}/ram:BuyerAssignedID
BT-157 {PR}/ram:GlobalID
BT-157-1 {PR}/ram:GlobalID/@schemeID
BT-158 {PR}/ram:DesignatedProductClassification/ram:ClassCode
BT-158-1 {PR}/ram:DesignatedProductClassification/ram:ClassCode/@listID
BT-158-2 {PR}/ram:DesignatedProductClassification/ram:ClassCode/@listVersionID
BT-159 {PR}/ram:OriginTradeCountry/ram:ID
BG-32 {PR}/ram:ApplicableProductCharacteristic
BT-160 {PR}/ram:ApplicableProductCharacteristic/ram:Description
BT-161 {PR}/ram:ApplicableProductCharacteristic/ram:Value
"""


def _expand(path: str) -> str:
    while "{" in path:
        path = path.format(**_ABBREVIATIONS)
    return path


PATHS: dict[str, str] = {
    term: _expand(path)
    for term, path in (line.split(" ", 1) for line in _PATH_TABLE.splitlines())
}
"""Every EN 16931 term and group (``BT-…``/``BG-…``) → the XPath where the CII writer puts it
(prefixes ``rsm``, ``ram``, ``udt``, ``qdt``).  Terms told apart by a code carry it as a
predicate (``TypeCode`` 50/130/916, ``ChargeIndicator``, ``schemeID`` VA/FC, ``currencyID``)."""
