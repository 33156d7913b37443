"""The native EN 16931 rules give the official XSLT's verdicts (tests/oracle.py is the oracle).

Three checks: the official unit tests (``corpus/en16931/tests``: in each ``<test>``, a
``success`` rule must not fire on the fragment, an ``error``/``warning`` rule must); the
official examples (no fatal finding); and generated invoices, valid and deliberately broken,
written in UBL and CII, on which the set of BR ids fired natively equals the XSLT's.

On a unit-test fragment, a native verdict other than the XSLT's is accepted only when it comes
from the reading (the fragment holds a group with no business term, which the model cannot
carry): the XSLT, run on the document written back from the model, must then agree with the
native verdict.  The few other limits of the model are listed in :data:`KNOWN`.

Run with ``-rP`` to see the agreement figures per rule family.
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

import chorus_core
import oracle
from chorus_core.errors import ReadError
from chorus_core.model import Invoice, InvoiceNote, LinePeriod, Period
from chorus_core.rules import RULES, check_en16931
from chorus_core.testing import invoices

VEFA = "{http://difi.no/xsd/vefa/validator/1.0}"
UNIT_SETS = {"Invoice-unit-UBL": "ubl", "CreditNote-unit-UBL": "ubl", "cii": "cii"}

#: Known disagreements between the native engine and the XSLT on the official unit tests,
#: by (set, file, test index, rule id), that the written-back check of :func:`_reading_loss`
#: does not explain.  Each reason is a limit of the canonical model or of a reader, not of a
#: rule.
KNOWN: dict[tuple[str, str, int, str], str] = {
    ("Invoice-unit-UBL", "BR-CO-15.xml", 7, "BR-CO-15"):
        "two TaxTotal/TaxAmount in the document currency: the model holds one BT-110 (the "
        "second is read as BT-111)",
    ("CreditNote-unit-UBL", "BR-CO-15.xml", 7, "BR-CO-15"):
        "two TaxTotal/TaxAmount in the document currency: the model holds one BT-110 (the "
        "second is read as BT-111)",
    ("Invoice-unit-UBL", "BR-CL-03.xml", 1, "BR-CL-03"):
        "an amount whose currencyID differs from BT-5: the model keeps one currency per "
        "document",
    ("Invoice-unit-UBL", "BR-CL-07.xml", 5, "BR-CL-07"):
        "a line DocumentReference without DocumentTypeCode 130 is read as BT-128; the model "
        "does not keep the type code",
}

#: The unit-test fragments the reader refuses (a value the model cannot represent): their BR
#: expectations are excused, and no other fragment may join them unnoticed.
UNREADABLE: dict[tuple[str, str, int], str] = {
    ("Invoice-unit-UBL", "BR-03.xml", 0): "issue date '123'",
    ("CreditNote-unit-UBL", "BR-03.xml", 0): "issue date '123'",
    ("Invoice-unit-UBL", "BR-CL-23.xml", 0): "empty invoiced quantity",
    ("Invoice-unit-UBL", "BR-CL-23.xml", 1): "empty invoiced quantity",
    ("Invoice-unit-UBL", "BR-IC-11.xml", 2): "empty actual delivery date",
    ("Invoice-unit-UBL", "BR-IC-11.xml", 4): "empty actual delivery date",
    ("Invoice-unit-UBL", "BR-IC-11.xml", 5): "empty actual delivery date",
}


@dataclass(frozen=True)
class Case:
    """One ``<test>`` of an official unit-test file."""

    set: str
    file: str
    index: int
    data: bytes
    expected: tuple[tuple[str, str], ...]  # (success|error|warning, rule id)

    @property
    def syntax(self) -> str:
        return UNIT_SETS[self.set]


@functools.cache
def _cases(corpus: Path) -> tuple[Case, ...]:
    found = []
    for folder in UNIT_SETS:
        for path in sorted((corpus / "en16931/tests" / folder).glob("*.xml")):
            root = etree.parse(str(path)).getroot()
            for index, test in enumerate(root.iter(f"{VEFA}test")):
                assert_el = test.find(f"{VEFA}assert")
                assert assert_el is not None
                expected = tuple(
                    (etree.QName(e).localname, (e.text or "").strip())
                    for e in assert_el if etree.QName(e).localname != "description"
                )
                doc = next(c for c in test if isinstance(c.tag, str) and VEFA not in c.tag)
                found.append(Case(folder, path.name, index, etree.tostring(doc), expected))
    return tuple(found)


def _read(data: bytes) -> Invoice | None:
    """The fragment in the model, or None when a value cannot be represented (ReadError)."""
    try:
        return chorus_core.read(data)
    except ReadError:
        return None


def _native(data: bytes, syntax: str) -> set[str] | None:
    """The BR ids fired natively, or None when the document cannot be read into the model."""
    invoice = _read(data)
    return None if invoice is None else _fired(invoice, syntax)


def _fired(invoice: Invoice, syntax: str) -> set[str]:
    return {f.code for f in check_en16931(invoice, binding=syntax)}


def _pruned(data: bytes) -> bytes:
    """``data`` without the elements that hold nothing (no text, no child element), bottom up:
    the placeholders a draft writer leaves for required elements the model lacks."""
    root = etree.fromstring(data)
    for el in reversed(list(root.iter())):
        parent = el.getparent()
        if parent is not None and not len(el) and not (el.text or "").strip():
            parent.remove(el)
    return bytes(etree.tostring(root))


def _reading_loss(case: Case, invoice: Invoice, native: set[str], rule_id: str,
                  corpus: Path) -> bool:
    """The reader did not carry what the rule looks at: on the document written back from the
    model (what the model holds of the fragment), the XSLT gives the native verdict."""
    rewritten = _pruned(_write(invoice, case.syntax))
    official = {rid for rid, _ in oracle.schematron_failures(corpus, case.syntax, rewritten)}
    return (rule_id in official) == (rule_id in native)


def _family(rule_id: str) -> str:
    return "BR" if rule_id[3].isdigit() else rule_id.rsplit("-", 1)[0]


def test_unit_tests_get_the_official_verdicts(corpus: Path) -> None:
    """On every BR expectation of the official unit tests, the XSLT gives the expected verdict
    and the native engine gives the XSLT's; a disagreement is allowed only when the reader did
    not carry what the rule looks at (the XSLT, run on the document written back from the
    model, then agrees with the native verdict), when a value cannot be read at all (the
    fragments of :data:`UNREADABLE`, exactly), or when
    it is listed in :data:`KNOWN` with its reason."""
    agree: Counter[str] = Counter()
    total: Counter[str] = Counter()
    excused: dict[str, Counter[str]] = {"reading": Counter(), "unreadable": Counter(),
                                        "known": Counter()}
    wrong = []
    known_used: set[tuple[str, str, int, str]] = set()
    unreadable: set[tuple[str, str, int]] = set()
    for case in _cases(corpus):
        official = {rid for rid, _ in oracle.schematron_failures(corpus, case.syntax, case.data)}
        invoice = _read(case.data)
        native = None if invoice is None else _fired(invoice, case.syntax)
        for kind, rule_id in case.expected:
            if not rule_id.startswith("BR-"):
                continue  # syntax rules: tests/rules/test_syntax.py
            must_fire = kind != "success"
            assert (rule_id in official) == must_fire, (case.set, case.file, case.index, rule_id)
            family = _family(rule_id)
            total[family] += 1
            if native is not None and (rule_id in native) == must_fire:
                agree[family] += 1
                continue
            key = (case.set, case.file, case.index, rule_id)
            if key in KNOWN and not (invoice and native is not None
                                     and _reading_loss(case, invoice, native, rule_id, corpus)):
                excused["known"][family] += 1
                known_used.add(key)
            elif invoice is None or native is None:
                excused["unreadable"][family] += 1
                unreadable.add(key[:3])
            elif _reading_loss(case, invoice, native, rule_id, corpus):
                excused["reading"][family] += 1
            else:
                wrong.append((*key, kind, sorted(native)))
    n_agree, n_total = sum(agree.values()), sum(total.values())
    print(f"\nofficial unit tests, BR expectations: {n_agree}/{n_total} agree; excused: "
          + ", ".join(f"{k} {sum(v.values())}" for k, v in excused.items()))
    for family in sorted(total):
        print(f"  {family:7} {agree[family]:4}/{total[family]:<4} "
              + " ".join(f"{k} {v[family]}" for k, v in excused.items()))
    assert not wrong, "\n".join(map(str, wrong))
    assert known_used == set(KNOWN), f"exceptions that excuse nothing: {set(KNOWN) - known_used}"
    assert unreadable == set(UNREADABLE), f"unreadable fragments: {unreadable ^ set(UNREADABLE)}"


def test_every_official_rule_id_is_in_the_registry(corpus: Path) -> None:
    """The registry holds exactly the 223 BR ids of the official Schematron, with its flags
    (BR-51 is a warning in UBL, fatal in CII: the UBL flag is kept)."""
    ns = {"s": "http://purl.oclc.org/dsdl/schematron"}
    sch = (corpus / oracle.ARTIFACTS / "ubl/schematron/preprocessed"
           / "EN16931-UBL-validation-preprocessed.sch")
    flags = {
        a.get("id"): a.get("flag") or a.getparent().get("flag") or "fatal"
        for a in etree.parse(str(sch)).iterfind(".//s:assert", ns)
        if (a.get("id") or "").startswith("BR-")
    }
    assert {rid: r.flag for rid, r in RULES.items()} == flags
    assert len(RULES) == 223


def _examples(corpus: Path) -> list[tuple[Path, str]]:
    base = corpus / "en16931"
    return ([(p, "ubl") for p in sorted((base / "ubl/examples").glob("*.[xX][mM][lL]"))]
            + [(p, "cii") for p in sorted((base / "cii/examples").glob("*.xml"))]
            + [(p, "ubl") for p in sorted((base / "tests/testfiles").glob("*.xml"))])


def test_no_fatal_finding_on_the_official_examples(corpus: Path) -> None:
    """The 63 valid official documents give no fatal finding natively, as with the XSLT."""
    examples = _examples(corpus)
    assert len(examples) == 63
    for path, syntax in examples:
        data = path.read_bytes()
        read = chorus_core.read(data)
        fired = {f.code for f in check_en16931(read, binding=syntax) if f.is_blocking}
        official = {rid for rid, flag in oracle.schematron_failures(corpus, syntax, data)
                    if rid.startswith("BR-") and flag == "fatal"}
        assert fired == official == set(), path.name


# ---------------------------------------------------------------- differential property

Mutation = Callable[[Invoice, Any], Invoice]


def _totals(inv: Invoice, **update: Any) -> Invoice:
    assert inv.totals is not None
    return inv.model_copy(update={"totals": inv.totals.model_copy(update=update)})


def _line_with(inv: Invoice, draw: Any, make: Callable[[Any], dict[str, Any]]) -> Invoice:
    i = draw(st.integers(0, len(inv.lines) - 1))
    lines = list(inv.lines)
    lines[i] = lines[i].model_copy(update=make(lines[i]))
    return inv.model_copy(update={"lines": tuple(lines)})


def _vat(line: Any, **update: Any) -> dict[str, Any]:
    return {"vat_information": line.vat_information.model_copy(update=update)}


def _tax_doubled(inv: Invoice, draw: Any) -> Invoice:
    if not inv.vat_breakdown:
        return inv
    i = draw(st.integers(0, len(inv.vat_breakdown) - 1))
    rows = list(inv.vat_breakdown)
    rows[i] = rows[i].model_copy(update={"tax_amount": (rows[i].tax_amount or 0) * 2 + 3})
    return inv.model_copy(update={"vat_breakdown": tuple(rows)})


def _party(inv: Invoice, role: str, **update: Any) -> Invoice:
    party = getattr(inv, role)
    return inv.model_copy(update={role: party.model_copy(update=update)})


def _address(inv: Invoice, role: str, **update: Any) -> Invoice:
    party = getattr(inv, role)
    address = party.postal_address.model_copy(update=update)
    return inv.model_copy(update={role: party.model_copy(update={"postal_address": address})})


MUTATIONS: dict[str, Mutation] = {
    # totals
    "BT-106 off by one": lambda inv, d: _totals(
        inv, sum_of_line_net_amounts=inv.totals.sum_of_line_net_amounts + 1),  # type: ignore
    "BT-112 off by five": lambda inv, d: _totals(
        inv, total_with_vat=inv.totals.total_with_vat + 5),  # type: ignore[union-attr]
    "BT-115 off by one cent": lambda inv, d: _totals(
        inv, amount_due_for_payment=inv.totals.amount_due_for_payment  # type: ignore
        + Decimal("0.01")),
    "BT-117 doubled": _tax_doubled,
    "line net amount with 3 decimals": lambda inv, d: _line_with(
        inv, d, lambda li: {"net_amount": li.net_amount + Decimal("0.001")}),
    # VAT categories
    "line category S to Z": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="Z")),
    "line category to E": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="E")),
    "line category to K": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="K", rate=Decimal(0))),
    "line category to O": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="O", rate=None)),
    "line category to AE": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="AE", rate=Decimal(0))),
    "line rate doubled": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, rate=(li.vat_information.rate or 0) * 2 + 1)),
    "breakdown exemption reason on S": lambda inv, d: inv.model_copy(update={
        "vat_breakdown": tuple(b.model_copy(update={"exemption_reason": "Exonération"})
                               for b in inv.vat_breakdown)}),
    # codes
    "currency EURO": lambda inv, d: inv.model_copy(update={"invoice_currency_code": "EURO"}),
    "type code 999": lambda inv, d: inv.model_copy(update={"invoice_type_code": "999"}),
    "unit code ZZZZ": lambda inv, d: _line_with(
        inv, d, lambda li: {"invoiced_quantity_unit_code": "ZZZZ"}),
    "seller country ZZ": lambda inv, d: _address(inv, "seller", country_code="ZZ"),
    "line category X": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="X")),
    "buyer VAT id without country": lambda inv, d: _party(inv, "buyer", vat_identifier="123"),
    "note subject code QQQ": lambda inv, d: inv.model_copy(update={
        "notes": (InvoiceNote(subject_code="QQQ", note="Note"), *inv.notes)}),
    "payment means 999": lambda inv, d: inv.model_copy(update={
        "payment_instructions": inv.payment_instructions.model_copy(  # type: ignore[union-attr]
            update={"payment_means_type_code": "999"})}),
    "line period reversed": lambda inv, d: _line_with(inv, d, lambda li: {"period": LinePeriod(
        start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 1))}),
    "invoicing period reversed": lambda inv, d: inv.model_copy(update={"invoicing_period": Period(
        start_date=datetime.date(2026, 3, 2), end_date=datetime.date(2026, 3, 1))}),
    "tax point date and code": lambda inv, d: inv.model_copy(update={
        "value_added_tax_point_date": datetime.date(2026, 3, 1),
        "value_added_tax_point_date_code": "3"}),
    "no seller VAT identifier": lambda inv, d: _party(inv, "seller", vat_identifier=None),
    "negative net price": lambda inv, d: _line_with(inv, d, lambda li: {
        "price_details": li.price_details.model_copy(update={"net_price": Decimal("-1.00")})}),
    "line category to K, no delivery": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="K", rate=Decimal(0))).model_copy(
        update={"delivery": None}),
    "line category to B": lambda inv, d: _line_with(
        inv, d, lambda li: _vat(li, category_code="B")),
    "accounting currency without BT-111": lambda inv, d: inv.model_copy(update={
        "vat_accounting_currency_code": "USD"}),
    "buyer VAT id SS": lambda inv, d: _party(inv, "buyer", vat_identifier="SS123456"),
    # missing terms and cardinalities
    "no invoice number": lambda inv, d: inv.model_copy(update={"invoice_number": None}),
    "no seller name": lambda inv, d: _party(inv, "seller", name=None),
    "no buyer country": lambda inv, d: _address(inv, "buyer", country_code=None),
    "no item name": lambda inv, d: _line_with(
        inv, d, lambda li: {"item": li.item.model_copy(update={"name": None})}),
    "no line identifier": lambda inv, d: _line_with(inv, d, lambda li: {"identifier": None}),
    "no VAT breakdown": lambda inv, d: inv.model_copy(update={"vat_breakdown": ()}),
    "no payment account": lambda inv, d: inv.model_copy(update={
        "payment_instructions": inv.payment_instructions.model_copy(  # type: ignore[union-attr]
            update={"credit_transfers": ()})}),
    "no seller identifiers": lambda inv, d: _party(
        inv, "seller", identifiers=(), legal_registration_identifier=None, vat_identifier=None),
}


@st.composite
def broken_invoices(draw: st.DrawFn) -> tuple[str, Invoice]:
    """A valid generated invoice, with none, one or two of :data:`MUTATIONS` applied."""
    inv = draw(invoices(attachments=False))
    names = draw(st.lists(st.sampled_from(sorted(MUTATIONS)), max_size=2, unique=True))
    for name in names:
        inv = MUTATIONS[name](inv, draw)
    return " + ".join(names) or "valid", inv


def _write(inv: Invoice, syntax: str) -> bytes:
    """Write even an incomplete invoice (the writers' draft mode)."""
    return chorus_core.write(inv, syntax, draft=True)


@given(broken_invoices())
def test_native_rules_fire_the_xslt_rules_on_generated_invoices(
        corpus: Path, case: tuple[str, Invoice]) -> None:
    """Written in UBL and in CII, a generated invoice (valid or broken) fires natively exactly
    the BR ids that the official XSLT fires."""
    name, inv = case
    for syntax in ("ubl", "cii"):
        data = _write(inv, syntax)
        official = {rid for rid, _ in oracle.schematron_failures(corpus, syntax, data)
                    if rid.startswith("BR-")}
        native = _native(data, syntax)
        assert native == official, (name, syntax, sorted(native ^ official))


def test_mutations_are_seen_by_the_xslt(corpus: Path) -> None:
    """Each mutation of the property, applied to one fixed invoice, fires at least one rule in
    the XSLT, in UBL or in CII (a mutation that breaks nothing would make the property moot)."""
    from chorus_core.examples import sample_invoice

    class First:
        def __call__(self, strategy: Any) -> Any:
            return 0

    base = sample_invoice()
    for name, mutate in MUTATIONS.items():
        broken = mutate(base, First())
        official = {rid for syntax in ("ubl", "cii")
                    for rid, _ in oracle.schematron_failures(corpus, syntax, _write(broken, syntax))
                    if rid.startswith("BR-")}
        assert official, name
