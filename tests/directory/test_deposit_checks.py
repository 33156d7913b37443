"""Deposit limits: each limit gives its one code at the limit plus one, and nothing at it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.directory import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX_LENGTH,
    ATTACHMENTS_MAX_BYTES,
    INVOICE_NUMBER_MAX_LENGTH,
    ROUTING_RULES,
    check_deposit,
)
from chorus_core.errors import Policy, Severity, UsageError
from chorus_core.model import Invoice, SupportingDocument


def _codes(invoice: Invoice, **options: object) -> list[str]:
    return [f.code for f in check_deposit(invoice, **options)]  # type: ignore[arg-type]


def _attached(size: int, name: str = "annexe.pdf") -> SupportingDocument:
    return SupportingDocument(reference=name, attached_document=b"\0" * size, filename=name)


def test_invoice_number_at_most_20_characters() -> None:
    """The pivot V2_02 XSD: DonneesFacture/Id (the invoice number) is at most 20 characters."""
    assert _codes(Invoice(invoice_number="F" * INVOICE_NUMBER_MAX_LENGTH)) == []
    assert _codes(Invoice(invoice_number="F" * 21)) == ["CHORUS-ROUTING-070"]


def test_attachment_at_most_10_mb() -> None:
    """OCA and the community error 20003: an attachment is at most 10 MB."""
    inv = Invoice(supporting_documents=(_attached(ATTACHMENT_MAX_BYTES),))
    assert _codes(inv) == []
    inv = Invoice(supporting_documents=(_attached(ATTACHMENT_MAX_BYTES + 1),))
    assert _codes(inv) == ["CHORUS-ROUTING-071"]


def test_attachments_at_most_120_mb_in_all() -> None:
    """OCA and the community error 20003: all attachments of an invoice are at most 120 MB."""
    size = ATTACHMENTS_MAX_BYTES // 12
    docs = tuple(_attached(size, f"annexe-{i}.pdf") for i in range(12))
    assert _codes(Invoice(supporting_documents=docs)) == []
    docs += (_attached(1, "un-octet.pdf"),)
    assert _codes(Invoice(supporting_documents=docs)) == ["CHORUS-ROUTING-072"]


def test_attachment_name_at_most_50_characters() -> None:
    """OCA: an attachment name is at most 50 characters."""
    ok = "a" * (ATTACHMENT_NAME_MAX_LENGTH - 4) + ".pdf"
    assert _codes(Invoice(supporting_documents=(_attached(1, ok),))) == []
    long = "a" + ok
    assert _codes(Invoice(supporting_documents=(_attached(1, long),))) == ["CHORUS-ROUTING-073"]


@pytest.mark.parametrize("name", ["virus.exe", "annexe", ".pdf", "script.js"])
def test_attachment_extension_must_be_accepted(name: str) -> None:
    """OCA's whitelist: a name without an accepted extension is refused at deposit."""
    assert _codes(Invoice(supporting_documents=(_attached(1, name),))) == ["CHORUS-ROUTING-074"]


@given(st.sampled_from(sorted(ATTACHMENT_EXTENSIONS)), st.booleans())
def test_every_accepted_extension_passes_in_any_case(extension: str, upper: bool) -> None:
    """Every extension of the whitelist passes, written in lower or upper case."""
    name = f"piece.{extension.upper() if upper else extension}"
    assert _codes(Invoice(supporting_documents=(_attached(1, name),))) == []


def test_code_service_characters_are_a_warning() -> None:
    """Unconfirmed (users of a Factur-X tool): BT-10 outside letters, digits, _, -, space and
    accents gives 075, a warning, since the source is not confirmed."""
    assert _codes(Invoice(buyer_reference="SERVICE_Comptabilité-1 A")) == []
    findings = check_deposit(Invoice(buyer_reference="SERV/1"))
    assert [(f.code, f.severity) for f in findings] == [("CHORUS-ROUTING-075", Severity.WARNING)]
    assert "'/'" in findings[0].message_en


def test_a_number_already_deposited_is_refused() -> None:
    """Community article « Bien renseigner son numéro de facture »: unique per issuer and year."""
    inv = Invoice(invoice_number="FA-12")
    assert _codes(inv, deposited_numbers=["FA-11"]) == []
    assert _codes(inv, deposited_numbers=["FA-11", "FA-12"]) == ["CHORUS-ROUTING-076"]


@pytest.mark.parametrize("number", ["20260302", "02/03/2026", "2026-03-02"])
def test_todays_date_is_not_an_invoice_number(number: str) -> None:
    """Community article « Bien renseigner son numéro de facture »: today's date is no number."""
    inv = Invoice(invoice_number=number)
    assert _codes(inv, on=date(2026, 3, 2)) == ["CHORUS-ROUTING-077"]
    assert _codes(inv, on=date(2026, 3, 3)) == []


def test_deposit_findings_are_refusals_beside_the_routing_ones() -> None:
    """Every deposit code is a CHORUS-ROUTING rule with the refused-at-deposit policy."""
    inv = Invoice(invoice_number="F" * 21, buyer_reference="A/B",
                  supporting_documents=(_attached(ATTACHMENT_MAX_BYTES + 1, "x" * 51 + ".exe"),))
    findings = check_deposit(inv)
    assert {f.code for f in findings} == {"CHORUS-ROUTING-070", "CHORUS-ROUTING-071",
                                          "CHORUS-ROUTING-073", "CHORUS-ROUTING-074",
                                          "CHORUS-ROUTING-075"}
    for f in findings:
        assert f.policy is Policy.REFUSED_AT_DEPOSIT is ROUTING_RULES[f.code].policy
        assert f.layer == "routing" and ROUTING_RULES[f.code].source


def test_check_deposit_of_bytes_is_a_typed_error() -> None:
    """check_deposit on the bytes of a document raises UsageError naming the argument."""
    with pytest.raises(UsageError) as caught:
        check_deposit(b"<Invoice/>")  # type: ignore[arg-type]
    assert caught.value.argument == "invoice"
