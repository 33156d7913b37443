"""Hypothesis strategies for chorus_core, public so that vendors reuse them in their own tests.

Requires the ``test`` extra (``pip install chorus_core[test]``), which brings hypothesis.

* :func:`sirens`, :func:`sirets`: French identifiers with valid check digits.
* :func:`invoices`: complete, valid canonical invoices — codes from the EN 16931 lists,
  consistent totals and VAT breakdown (:func:`chorus_core.model.totals.with_totals`), Chorus Pro
  routing (buyer SIRET in BT-46, code service, engagement), values that every syntax can carry.
* :func:`directories`, :func:`satisfying_invoices`, :func:`mutations`: directories (annuaire)
  and invoices routed to them, with single mutations each expected to raise one finding code
  (from :mod:`chorus_core.directory.strategies`).
* :func:`incomplete_invoices`: invoices built on the reading path with terms missing and codes
  wrong, as a reader may produce them; for testing rules and error paths.

>>> from hypothesis import given
>>> @given(invoices())
... def test_total(inv):
...     t = inv.totals
...     assert t.total_with_vat == t.total_without_vat + t.total_vat_amount
>>> test_total()
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum import luhn

from .model import (
    Address,
    AttributeItem,
    Buyer,
    ClassificationIdentifier,
    Contact,
    CreditTransfer,
    DeliveryInformation,
    DocumentAllowance,
    DocumentCharge,
    DocumentTotals,
    Identifier,
    Invoice,
    InvoiceLine,
    InvoiceNote,
    ItemInformation,
    LineAllowance,
    LineCharge,
    LinePeriod,
    LineVatInformation,
    Payee,
    PaymentInstructions,
    Period,
    PrecedingInvoiceReference,
    PriceDetails,
    ProcessControl,
    Seller,
    SupportingDocument,
    lenient,
)
from .model.totals import with_totals

__all__ = [
    "MUTATIONS",
    "amounts",
    "directories",
    "incomplete_invoices",
    "invoices",
    "mutations",
    "routing_cases",
    "satisfying_invoices",
    "satisfying_routings",
    "sirens",
    "sirets",
    "texts",
    "vat_rates",
]

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzéèàçôÉ0123456789 -'&/.,"


def texts(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Printable text without leading/trailing blanks or doubled spaces (survives every syntax)."""
    return (
        st.text(_ALPHABET, min_size=min_size, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(lambda s: len(s) >= min_size)
    )


def _ids(max_size: int = 20) -> st.SearchStrategy[str]:
    return st.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-/", min_size=1, max_size=max_size).filter(
        lambda s: s.strip("-/") == s
    )


@st.composite
def sirens(draw: st.DrawFn) -> str:
    """A 9-digit SIREN with a valid Luhn check digit."""
    body = draw(st.integers(min_value=10_000_000, max_value=99_999_999))
    digits = f"{body:08d}"
    return digits + luhn.calc_check_digit(digits)


@st.composite
def sirets(draw: st.DrawFn, siren: str | None = None) -> str:
    """A 14-digit SIRET with valid check digits (SIREN + NIC), optionally for a given SIREN."""
    base = siren if siren is not None else draw(sirens())
    nic = f"{draw(st.integers(min_value=1, max_value=9999)):04d}"
    return base + nic + luhn.calc_check_digit(base + nic)


def _fr_vat(siren: str) -> str:
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


@st.composite
def _iban(draw: st.DrawFn) -> str:
    bban = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=23, max_size=23)))
    check = stdnum_iban.calc_check_digits("FR00" + bban)
    return f"FR{check}{bban}"


def amounts(
    min_value: str = "0.01", max_value: str = "99999.99", places: int = 2
) -> st.SearchStrategy[Decimal]:
    """Decimals with at most ``places`` decimals (never floats)."""
    return st.decimals(
        min_value=Decimal(min_value), max_value=Decimal(max_value), places=places,
        allow_nan=False, allow_infinity=False,
    )


def vat_rates() -> st.SearchStrategy[Decimal]:
    """French standard-category VAT rates."""
    return st.sampled_from([Decimal("20.00"), Decimal("10.00"), Decimal("5.50"), Decimal("2.10")])


_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@st.composite
def _address(draw: st.DrawFn, full: bool = True) -> Address:
    return Address(
        line_one=draw(texts()) if full else draw(st.none() | texts()),
        line_two=draw(st.none() | texts()),
        line_three=draw(st.none() | texts()),
        city=draw(texts()),
        post_code=draw(st.from_regex(r"\A[0-9]{5}\Z")),
        country_subdivision=draw(st.none() | texts(max_size=20)),
        country_code=draw(st.sampled_from(["FR", "FR", "BE", "DE", "LU"])),
    )


@st.composite
def _contact(draw: st.DrawFn) -> Contact:
    return Contact(
        point=draw(texts()),
        telephone=draw(st.none() | st.from_regex(r"\A0[1-9]( [0-9]{2}){4}\Z")),
        email=draw(st.none() | st.from_regex(r"\A[a-z]{1,8}@[a-z]{1,8}\.fr\Z")),
    )


@st.composite
def _category(draw: st.DrawFn) -> tuple[str, Decimal]:
    category = draw(st.sampled_from(["S", "S", "S", "E", "Z"]))
    rate = draw(vat_rates()) if category == "S" else Decimal("0")
    return category, rate


@st.composite
def _line(draw: st.DrawFn, index: int, category: tuple[str, Decimal]) -> InvoiceLine:
    cat, rate = category
    line_allowances = draw(st.lists(
        st.builds(LineAllowance, amount=amounts(max_value="10.00"),
                  reason=texts(), reason_code=st.sampled_from(["95", "100", "41"])),
        max_size=1,
    ))
    line_charges = draw(st.lists(
        st.builds(LineCharge, amount=amounts(max_value="10.00"),
                  reason=texts(), reason_code=st.sampled_from(["FC", "ABL"])),
        max_size=1,
    ))
    net_price = draw(amounts("1.00", "9999.99", places=2))
    base_quantity = draw(st.none() | st.sampled_from([Decimal("1"), Decimal("10")]))
    item = ItemInformation(
        name=draw(texts()),
        description=draw(st.none() | texts(max_size=80)),
        seller_identifier=draw(st.none() | _ids()),
        buyer_identifier=draw(st.none() | _ids()),
        standard_identifier=draw(st.none() | st.builds(
            Identifier, scheme_id=st.just("0160"), value=st.from_regex(r"\A[0-9]{13}\Z"))),
        classification_identifiers=tuple(draw(st.lists(st.builds(
            ClassificationIdentifier, value=st.from_regex(r"\A[0-9]{8}\Z"),
            scheme_id=st.just("STI"), scheme_version_id=st.none() | st.just("2.0")),
            max_size=1))),
        country_of_origin=draw(st.none() | st.sampled_from(["FR", "DE"])),
        attributes=tuple(draw(st.lists(
            st.builds(AttributeItem, name=texts(max_size=15), value=texts(max_size=15)),
            max_size=2,
        ))),
    )
    return InvoiceLine(
        identifier=str(index + 1),
        note=draw(st.none() | texts(max_size=60)),
        invoiced_quantity=draw(amounts("1", "999", places=draw(st.sampled_from([0, 2])))),
        invoiced_quantity_unit_code=draw(st.sampled_from(["C62", "H87", "HUR", "KGM", "DAY"])),
        purchase_order_line_reference=draw(st.none() | _ids(6)),
        buyer_accounting_reference=draw(st.none() | _ids(10)),
        period=draw(st.none() | st.builds(LinePeriod, start_date=_dates)),
        allowances=tuple(line_allowances),
        charges=tuple(line_charges),
        price_details=PriceDetails(
            net_price=net_price,
            gross_price=draw(st.none() | st.just(net_price)),
            base_quantity=base_quantity,
            base_quantity_unit_code=None,
        ),
        vat_information=LineVatInformation(category_code=cat, rate=rate),
        item=item,
    )


@st.composite
def invoices(draw: st.DrawFn, *, credit_notes: bool = True, attachments: bool = True) -> Invoice:
    """Complete, valid canonical invoices (strict building path) with consistent totals.

    ``credit_notes=False`` keeps type code 380 only; ``attachments=False`` leaves out BG-24.
    """
    seller_siren = draw(sirens())
    seller_siret = draw(sirets(seller_siren))
    buyer_siret = draw(sirets())
    categories = draw(st.lists(_category(), min_size=1, max_size=2, unique_by=lambda c: c))
    n_lines = draw(st.integers(min_value=1, max_value=4))
    lines = tuple(draw(_line(i, categories[i % len(categories)])) for i in range(n_lines))
    s_cat = next((c for c in categories if c[0] == "S"), None)
    doc_allowances: list[DocumentAllowance] = []
    doc_charges: list[DocumentCharge] = []
    if s_cat is not None:
        doc_allowances = draw(st.lists(st.builds(
            DocumentAllowance, amount=amounts(max_value="5.00"), vat_category_code=st.just("S"),
            vat_rate=st.just(s_cat[1]), reason=texts(), reason_code=st.just("95")), max_size=1))
        doc_charges = draw(st.lists(st.builds(
            DocumentCharge, amount=amounts(max_value="5.00"), vat_category_code=st.just("S"),
            vat_rate=st.just(s_cat[1]), reason=texts(), reason_code=st.just("FC")), max_size=1))
    type_code = draw(st.sampled_from(["380", "381", "384", "389"] if credit_notes else ["380"]))
    issue_date = draw(_dates)
    docs: list[SupportingDocument] = []
    if attachments:
        docs = draw(st.lists(st.builds(
            SupportingDocument,
            reference=_ids(10),
            description=st.none() | texts(),
            # not the bytes of a ZIP archive: a pivot attachment is a ZIP, and one inside it is
            # refused unless named as a ZIP-based document (xml.packing)
            attached_document=st.binary(min_size=1, max_size=64).filter(
                lambda b: not b.startswith(b"PK")),
            mime_code=st.sampled_from(["application/pdf", "image/png", "text/csv"]),
            filename=st.from_regex(r"\A[a-z]{1,8}\.(pdf|png|csv)\Z"),
        ), max_size=1))
    invoice = Invoice(
        invoice_number=draw(_ids()),
        invoice_issue_date=issue_date,
        invoice_type_code=type_code,
        invoice_currency_code="EUR",
        payment_due_date=draw(st.none() | _dates),
        buyer_reference=draw(st.none() | _ids(30)),
        project_reference=draw(st.none() | _ids(10)),
        contract_reference=draw(st.none() | _ids(20)),
        purchase_order_reference=draw(st.none() | _ids(20)),
        sales_order_reference=draw(st.none() | _ids(10)),
        buyer_accounting_reference=draw(st.none() | _ids(10)),
        payment_terms=draw(texts(max_size=60)),
        notes=tuple(draw(st.lists(st.builds(
            InvoiceNote, subject_code=st.none() | st.sampled_from(["AAI", "PMT", "SUR"]),
            note=texts(max_size=80)), max_size=2))),
        process_control=ProcessControl(
            business_process_type=draw(st.none() | st.sampled_from(["A1", "A2", "A9", "A12"])),
            specification_identifier="urn:cen.eu:en16931:2017",
        ),
        preceding_invoice_references=tuple(draw(st.lists(st.builds(
            PrecedingInvoiceReference, reference=_ids(), issue_date=st.none() | _dates),
            max_size=1))) if type_code == "381" else (),
        seller=Seller(
            name=draw(texts()),
            trading_name=draw(st.none() | texts()),
            identifiers=(Identifier(value=seller_siret, scheme_id="0009"),),
            legal_registration_identifier=Identifier(value=seller_siren, scheme_id="0002"),
            vat_identifier=_fr_vat(seller_siren),
            additional_legal_information=draw(st.none() | texts()),
            electronic_address=Identifier(value=seller_siret, scheme_id="0009"),
            postal_address=draw(_address()),
            contact=draw(st.none() | _contact()),
        ),
        buyer=Buyer(
            name=draw(texts()),
            identifier=Identifier(value=buyer_siret, scheme_id="0009"),
            electronic_address=Identifier(value=buyer_siret, scheme_id="0009"),
            postal_address=draw(_address()),
            contact=draw(st.none() | _contact()),
        ),
        payee=draw(st.none() | st.builds(
            Payee, name=texts().map(lambda s: f"Bénéficiaire {s}"),  # BR-17: differs from BT-27
            identifier=st.builds(Identifier, scheme_id=st.just("0009"), value=sirets()))),
        delivery=draw(st.none() | st.builds(
            DeliveryInformation, party_name=texts(), actual_delivery_date=_dates,
            address=_address())),
        invoicing_period=draw(st.none() | st.builds(Period, start_date=_dates)),
        payment_instructions=PaymentInstructions(
            payment_means_type_code=draw(st.sampled_from(["30", "58"])),
            remittance_information=draw(st.none() | _ids(20)),
            credit_transfers=(CreditTransfer(account_identifier=draw(_iban()),
                                             account_name=draw(st.none() | texts())),),
        ),
        allowances=tuple(doc_allowances),
        charges=tuple(doc_charges),
        supporting_documents=tuple(docs),
        lines=lines,
    )
    invoice = with_totals(invoice)
    exempt = [
        b.model_copy(update={"exemption_reason": "Exonération de TVA, article 261 du CGI"})
        if b.category_code == "E" else b
        for b in invoice.vat_breakdown
    ]
    totals = invoice.totals or DocumentTotals()
    if draw(st.booleans()) and totals.total_with_vat and totals.total_with_vat > 1:
        paid = Decimal("1.00")
        totals = totals.model_copy(update={
            "paid_amount": paid,
            "amount_due_for_payment": (totals.amount_due_for_payment or Decimal(0)) - paid,
        })
    return invoice.model_copy(update={"vat_breakdown": tuple(exempt), "totals": totals})


_BAD_CODES: dict[str, Any] = {
    "invoice_currency_code": st.sampled_from(["EURO", "XXY", "eur", ""]),
    "invoice_type_code": st.sampled_from(["999", "FACTURE", "0"]),
}


@st.composite
def incomplete_invoices(draw: st.DrawFn) -> Invoice:
    """Invoices on the reading path: random top-level terms dropped, some codes invalid.

    They load (as a lenient reader would produce them) and the rules report what is wrong.
    """
    base = draw(invoices(attachments=False))
    data = {name: getattr(base, name) for name in type(base).model_fields}
    names = sorted(data)
    for name in draw(st.lists(st.sampled_from(names), unique=True, max_size=len(names))):
        field = type(base).model_fields[name]
        data[name] = () if isinstance(data[name], tuple) else None
        del field
    for name, strategy in _BAD_CODES.items():
        if draw(st.booleans()):
            data[name] = draw(strategy)
    return lenient(Invoice, **data)


# Directory strategies (they build on invoices() above, hence the late import).
from .directory.strategies import (  # noqa: E402
    MUTATIONS,
    directories,
    mutations,
    routing_cases,
    satisfying_invoices,
    satisfying_routings,
)
