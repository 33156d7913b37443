"""Chorus Pro profile rules: each broken thing gives its CHORUS-PROFILE code, and only it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

import pytest
from pydantic import BaseModel

from chorus_core.directory import ROUTING_RULES
from chorus_core.errors import Policy, Severity, UsageError
from chorus_core.examples import sample_directory, sample_invoice
from chorus_core.model import Invoice
from chorus_core.model.invoice import (
    DirectDebit,
    Identifier,
    ProcessControl,
    SupportingDocument,
)
from chorus_core.rules.chorus import LAYER, PROFILE_RULES, check

M = TypeVar("M", bound=BaseModel)
TODAY = date(2026, 11, 2)  # the sample invoice is dated 2026-10-30


def replace(obj: M, path: str, value: object) -> M:
    """A copy of ``obj`` with the dotted ``path`` (``lines[1].net_amount``) set to ``value``."""
    head, _, rest = path.partition(".")
    m = re.fullmatch(r"(\w+)(?:\[(\d+)\])?", head)
    assert m
    name, index = m[1], m[2]
    current = getattr(obj, name)
    if index is not None:
        items = list(current)
        items[int(index)] = replace(items[int(index)], rest, value) if rest else value
        new: object = tuple(items)
    else:
        new = replace(current, rest, value) if rest else value
    return obj.model_copy(update={name: new})


def codes(invoice: Invoice, **kwargs: object) -> list[str]:
    return [f.code for f in check(invoice, today=TODAY, **kwargs)]  # type: ignore[arg-type]


def state_invoice() -> Invoice:
    return replace(sample_invoice(), "buyer.identifier.value", "11000201100044")


# code → one single change of the valid sample that must give exactly that code
MUTATIONS: dict[str, Callable[[], Invoice]] = {
    "CHORUS-PROFILE-001": lambda: replace(sample_invoice(), "invoice_number", None),
    "CHORUS-PROFILE-004": lambda: replace(sample_invoice(), "invoice_issue_date",
                                          date(2026, 11, 3)),
    "CHORUS-PROFILE-010": lambda: replace(sample_invoice(), "invoice_type_code", "751"),
    "CHORUS-PROFILE-020": lambda: replace(sample_invoice(), "lines[1].net_amount",
                                          Decimal("98.125")),
    "CHORUS-PROFILE-030": lambda: replace(sample_invoice(), "process_control",
                                          ProcessControl(business_process_type="A26")),
    "CHORUS-PROFILE-031": lambda: replace(sample_invoice(), "process_control",
                                          ProcessControl(business_process_type="A11")),
    "CHORUS-PROFILE-032": lambda: replace(sample_invoice(), "process_control",
                                          ProcessControl(business_process_type="A4")),
    "CHORUS-PROFILE-040": lambda: replace(replace(sample_invoice(), "buyer.identifier", None),
                                          "buyer.electronic_address", None),
    "CHORUS-PROFILE-041": lambda: replace(sample_invoice(), "buyer.identifier.value",
                                          "2169012310001"),
    "CHORUS-PROFILE-042": lambda: replace(sample_invoice(), "buyer.identifier.value",
                                          "21690123100012"),
    "CHORUS-PROFILE-050": lambda: replace(sample_invoice(), "buyer_reference", "S" * 101),
    "CHORUS-PROFILE-051": lambda: replace(sample_invoice(), "purchase_order_reference",
                                          "E" * 51),
    "CHORUS-PROFILE-052": lambda: replace(sample_invoice(), "contract_reference", "M" * 51),
    "CHORUS-PROFILE-053": lambda: replace(state_invoice(), "buyer_reference", None),
    "CHORUS-PROFILE-054": lambda: replace(state_invoice(), "purchase_order_reference", None),
    "CHORUS-PROFILE-055": lambda: replace(sample_invoice(), "buyer.name", "N" * 100),
    "CHORUS-PROFILE-056": lambda: replace(
        sample_invoice(), "lines[2].item.standard_identifier",
        Identifier(value="0" * 41, scheme_id="0160")),
    "CHORUS-PROFILE-060": lambda: replace(
        sample_invoice(), "payment_instructions.direct_debit",
        DirectDebit(mandate_reference_identifier="MANDAT-1")),
}


def test_the_sample_invoice_passes() -> None:
    """The bundled sample is a valid Chorus Pro invoice, with and without the directory."""
    assert codes(sample_invoice()) == []
    assert codes(sample_invoice(), directory=sample_directory()) == []


def test_bytes_are_misuse() -> None:
    """The profile runs on a read invoice: bytes are a typed misuse error naming the argument."""
    with pytest.raises(UsageError) as caught:
        check(b"<Invoice/>", today=TODAY)  # type: ignore[arg-type]
    assert caught.value.argument == "invoice"


def test_the_state_sample_passes() -> None:
    """An invoice to the State with code service and engagement has no profile finding."""
    assert codes(state_invoice()) == []


@pytest.mark.parametrize("code", sorted(MUTATIONS))
def test_each_single_break_gives_exactly_its_code(code: str) -> None:
    """Breaking one thing in the valid sample gives that rule's code and no other."""
    findings = check(MUTATIONS[code](), today=TODAY)
    assert [f.code for f in findings] == [code]
    rule = PROFILE_RULES[code]
    (f,) = findings
    assert (f.severity, f.policy, f.layer) == (rule.severity, rule.policy, LAYER)
    assert f.message_en and f.message_fr and "{" not in f.message_en + f.message_fr


def test_every_profile_rule_has_a_mutation() -> None:
    """No rule of the table goes untested."""
    assert set(MUTATIONS) == set(PROFILE_RULES)


def test_codes_are_well_formed_and_documented_with_a_source() -> None:
    """Codes follow CHORUS-PROFILE-0xx and each cites a research note and section."""
    for code, rule in PROFILE_RULES.items():
        assert re.fullmatch(r"CHORUS-PROFILE-\d{3}", code) and rule.code == code
        assert re.search(r"(chorus-rules|en16931)\.md §\d", rule.source), code
        assert rule.message_fr != rule.message_en


@pytest.mark.parametrize("number", ["20261102", "2026-11-02", "02112026", "02/11/2026"])
def test_invoice_number_as_the_deposit_date_comes_from_the_deposit_checks(number: str) -> None:
    """Today's date as the number is the directory's deposit finding, at the date given."""
    found = check(replace(sample_invoice(), "invoice_number", number), today=TODAY)
    assert [(f.code, f.layer) for f in found] == [("CHORUS-ROUTING-077", "routing")]


def test_yesterdays_date_is_a_valid_invoice_number() -> None:
    """Only the deposit date is refused: the rule depends on the date given."""
    assert codes(replace(sample_invoice(), "invoice_number", "20261101")) == []


def test_invoice_number_length_comes_from_the_deposit_checks() -> None:
    """21 characters is the deposit limit's finding (070), once; 20 is accepted."""
    assert codes(replace(sample_invoice(), "invoice_number", "F" * 21)) == ["CHORUS-ROUTING-070"]
    assert codes(replace(sample_invoice(), "invoice_number", "F" * 20)) == []


def test_attachment_limits_come_from_the_deposit_checks() -> None:
    """An attachment with a refused extension is reported in the same list, without directory."""
    doc = SupportingDocument(reference="PJ-1", attached_document=b"x", mime_code="text/csv",
                             filename="annexe.exe")
    inv = sample_invoice().model_copy(update={"supporting_documents": (doc,)})
    assert codes(inv) == ["CHORUS-ROUTING-074"]


def test_state_rules_do_not_apply_to_works_cadres() -> None:
    """The State's mandatory code service and engagement are for invoices outside works."""
    inv = replace(MUTATIONS["CHORUS-PROFILE-053"](), "process_control",
                  ProcessControl(business_process_type="A4"))
    assert codes(inv) == ["CHORUS-PROFILE-032"]


@pytest.mark.parametrize("type_code", ["380", "381", "384", "386", "389"])
def test_accepted_document_types(type_code: str) -> None:
    """The five document types of the Chorus Pro note are accepted."""
    assert codes(replace(sample_invoice(), "invoice_type_code", type_code)) == []


def test_refused_self_billed_credit_note() -> None:
    """261 (self-billed credit note) is refused."""
    assert codes(replace(sample_invoice(), "invoice_type_code", "261")) == ["CHORUS-PROFILE-010"]


def test_decimals_are_reported_per_amount_with_its_term() -> None:
    """Each amount with three decimals is one finding, naming its BT and model path."""
    inv = replace(sample_invoice(), "totals.total_vat_amount", Decimal("195.340"))
    inv = replace(inv, "vat_breakdown[1].tax_amount", Decimal("9.401"))
    found = check(inv, today=TODAY)
    assert [(f.code, f.bt, f.path) for f in found] == [
        ("CHORUS-PROFILE-020", ("BT-110",), "totals.total_vat_amount"),
        ("CHORUS-PROFILE-020", ("BT-117",), "vat_breakdown[1].tax_amount"),
    ]


def test_unit_prices_may_have_more_decimals() -> None:
    """BT-146 (net price) is not an Amount: four decimals are fine."""
    inv = replace(sample_invoice(), "lines[0].price_details.net_price", Decimal("45.0000"))
    assert codes(inv) == []


def test_absent_cadre_means_a1() -> None:
    """Without BT-23, Chorus Pro applies A1: no finding."""
    assert codes(replace(sample_invoice(), "process_control", None)) == []


@pytest.mark.parametrize("cadre", ["A2", "A9", "A12"])
def test_simple_invoice_cadres_are_accepted(cadre: str) -> None:
    """A1, A2, A9 and A12 are the cadres of simple invoices."""
    inv = replace(sample_invoice(), "process_control", ProcessControl(business_process_type=cadre))
    assert codes(inv) == []


def test_buyer_siret_found_in_the_electronic_address() -> None:
    """A SIRET given in BT-49 only (Peppol convention) satisfies the profile."""
    inv = replace(sample_invoice(), "buyer.identifier", None)
    assert codes(inv) == []
    inv = replace(inv, "buyer.electronic_address.value", "21690123100012")
    assert codes(inv) == ["CHORUS-PROFILE-042"]


def test_la_poste_siret_is_valid() -> None:
    """A La Poste SIRET that fails Luhn but passes the sum rule is valid."""
    assert codes(replace(sample_invoice(), "buyer.identifier.value", "35600000049837")) == []


def test_directory_adds_the_routing_findings() -> None:
    """With a directory, a missing mandatory code service is reported by the routing layer."""
    inv = replace(sample_invoice(), "buyer_reference", None)
    assert codes(inv) == []
    found = check(inv, today=TODAY, directory=sample_directory())
    assert [(f.code, f.layer) for f in found] == [("CHORUS-ROUTING-020", "routing")]
    assert found[0].policy is ROUTING_RULES["CHORUS-ROUTING-020"].policy


def test_same_root_cause_is_reported_once() -> None:
    """A SIRET failing its check digits is the profile's finding, not also the routing's."""
    inv = MUTATIONS["CHORUS-PROFILE-042"]()
    assert codes(inv, directory=sample_directory()) == ["CHORUS-PROFILE-042"]


def test_over_long_engagement_is_reported_once_with_a_directory() -> None:
    """The engagement length rule exists in both layers; the report has it once."""
    inv = MUTATIONS["CHORUS-PROFILE-051"]()
    assert codes(inv, directory=sample_directory()).count("CHORUS-PROFILE-051") == 1
    assert "CHORUS-ROUTING-033" not in codes(inv, directory=sample_directory())


def test_dispositions() -> None:
    """Deposit rules refuse at deposit; the two informative ones are warnings only."""
    warnings = {c for c, r in PROFILE_RULES.items() if r.severity is Severity.WARNING}
    assert warnings == {"CHORUS-PROFILE-032", "CHORUS-PROFILE-060"}
    assert all(r.policy is (Policy.NONE if c in warnings else Policy.REFUSED_AT_DEPOSIT)
               for c, r in PROFILE_RULES.items())


def test_sources_exist_in_the_research_notes(corpus: Path) -> None:
    """Each cited section heading exists in the research note it names (beside the corpus)."""
    research = corpus.parent / "research"
    for rule in PROFILE_RULES.values():
        for note, section in re.findall(r"(chorus-rules|en16931)\.md §(\d+)", rule.source):
            text = (research / f"{note}.md").read_text(encoding="utf-8")
            assert re.search(rf"^## {section}\.", text, re.M), (rule.code, note, section)
