"""The rule registry and the layered validate(): layers, dispositions, paths, bindings."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given

import chorus_core
from chorus_core.errors import Policy, Severity, UsageError
from chorus_core.examples import sample_invoice
from chorus_core.model import Invoice, PaymentCard
from chorus_core.rules import FAMILIES, LAYERS, RULES, RuleFinding, check_en16931, validate
from chorus_core.testing import incomplete_invoices, invoices

FAMILY_IDS = {
    "core": r"BR-\d\d", "co": r"BR-CO-\d\d", "cl": r"BR-CL-\d\d", "dec": r"BR-DEC-\d\d",
    "vat": r"BR-(S|Z|E|AE|IC|G|O|AF|AG|B)-\d\d",
}
TERM = re.compile(r"\AB[TG]-\d+(-\d)?\Z")


def test_families_hold_their_own_ids_once() -> None:
    """Each family module holds only ids of its family, no id twice, 223 in all."""
    seen: list[str] = []
    for name, module in FAMILIES.items():
        for r in module.RULES:
            assert re.fullmatch(FAMILY_IDS[name], r.id), (name, r.id)
            seen.append(r.id)
    assert len(seen) == len(set(seen)) == len(RULES) == 223
    counts = {name: len(module.RULES) for name, module in FAMILIES.items()}
    assert counts == {"core": 58, "co": 23, "vat": 98, "cl": 23, "dec": 21}


def test_every_rule_has_terms_and_both_messages() -> None:
    """Messages are non-empty in both languages, the French one is not the English one, and
    every term id is well formed."""
    for r in RULES.values():
        assert r.message_en.strip() and r.message_fr.strip(), r.id
        assert r.message_fr != r.message_en, r.id
        assert all(TERM.match(t) for t in r.terms), (r.id, r.terms)
        assert r.terms, r.id


def test_an_invoice_skips_the_document_layers_with_the_reason() -> None:
    """An Invoice input lists the four layers in order, XSD and syntax skipped with why."""
    report = validate(sample_invoice())
    assert tuple(la.name for la in report.layers) == LAYERS
    xsd, syntax, en, chorus = report.layers
    assert not xsd.ran and not syntax.ran and "Invoice" in (xsd.reason or "")
    assert en.ran and not chorus.ran and "en16931" in (chorus.reason or "")
    assert report.ok and report.findings == ()


def test_a_document_runs_the_xsd_layer_when_the_schemas_are_found(corpus: Path) -> None:
    """With the official schemas, the XSD layer runs; a valid invoice passes every layer."""
    data = chorus_core.write(sample_invoice(), "ubl")
    report = validate(data, schema_dir=str(corpus / "en16931/schemas"))
    assert [la.ran for la in report.layers] == [True, True, True, False]
    assert report.ok, [str(f) for f in report]


def test_the_xsd_layer_is_skipped_when_no_schema_is_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No CII schema anywhere: the XSD layer is skipped and the reason names the file."""
    monkeypatch.delenv("CHORUS_CORE_SCHEMAS", raising=False)
    report = validate(chorus_core.write(sample_invoice(), "cii"), schema_dir=str(tmp_path))
    xsd = report.layer("xsd")
    assert xsd is not None and not xsd.ran
    assert "CrossIndustryInvoice_100pD16B.xsd" in (xsd.reason or "")
    assert report.layer("en16931") is not None and report.ok


def test_fatal_findings_are_refused_at_deposit_on_the_chorus_profile() -> None:
    """The same broken invoice: refused at deposit on Chorus Pro, to reject on EN 16931."""
    bad = sample_invoice().model_copy(update={"invoice_number": None})
    chorus = validate(bad, profile="chorus")
    plain = validate(bad)
    br02 = [f for f in chorus.by_layer("en16931") if f.code == "BR-02"]
    assert [(f.severity, f.policy, f.path, f.bt) for f in br02] == [
        (Severity.FATAL, Policy.REFUSED_AT_DEPOSIT, "invoice_number", ("BT-1",))]
    assert [f.policy for f in plain if f.code == "BR-02"] == [Policy.REJECT]
    assert chorus.layer("chorus") is not None and chorus.layer("chorus").ran  # type: ignore
    assert not chorus.ok and not plain.ok


def test_a_warning_carries_no_disposition() -> None:
    """BR-51 (a full card number) is a warning: reported, not blocking, no policy."""
    inv = sample_invoice()
    assert inv.payment_instructions is not None
    pi = inv.payment_instructions.model_copy(
        update={"payment_card": PaymentCard(primary_account_number="4111111111111111")})
    report = validate(inv.model_copy(update={"payment_instructions": pi}), profile="chorus")
    (finding,) = [f for f in report if f.code == "BR-51"]
    assert finding.severity is Severity.WARNING and finding.policy is Policy.NONE
    assert finding.path == "payment_instructions.payment_card.primary_account_number"
    assert report.ok


def test_findings_point_at_the_model_path_of_the_faulty_term() -> None:
    """A line net amount with three decimals is reported on that line, with its term."""
    inv = sample_invoice()
    line = inv.lines[0].model_copy(update={"net_amount": inv.lines[0].net_amount + Decimal(
        "0.001")})  # type: ignore[operator]
    inv = inv.model_copy(update={"lines": (*inv.lines[:-1], line) if len(inv.lines) > 1
                                 else (line,)})
    index = len(inv.lines) - 1
    dec = [f for f in check_en16931(inv) if f.code == "BR-DEC-23"]
    assert [(f.path, f.bt, f.layer) for f in dec] == [
        (f"lines[{index}].net_amount", ("BT-131",), "en16931")]


def test_a_cii_document_gets_the_cii_binding_of_a_rule() -> None:
    """A VAT amount off by exactly one unit: BR-CO-17 fires on the UBL document only (the CII
    binding includes the bound, the UBL one excludes it)."""
    inv = sample_invoice()
    row = inv.vat_breakdown[0]
    assert row.tax_amount is not None
    inv = inv.model_copy(update={"vat_breakdown": (
        row.model_copy(update={"tax_amount": row.tax_amount + 1}), *inv.vat_breakdown[1:])})
    ubl = {f.code for f in validate(chorus_core.write(inv, "ubl")).by_layer("en16931")}
    cii = {f.code for f in validate(chorus_core.write(inv, "cii")).by_layer("en16931")}
    assert "BR-CO-17" in ubl and "BR-CO-17" not in cii
    assert "BR-CO-17" in {f.code for f in check_en16931(inv)}  # no binding: the UBL reading


def test_an_unknown_profile_is_a_usage_error() -> None:
    """validate() refuses a profile it does not know, naming the argument."""
    with pytest.raises(UsageError) as info:
        validate(sample_invoice(), profile="peppol")  # type: ignore[arg-type]
    assert info.value.argument == "profile"


@given(invoices())
def test_generated_valid_invoices_pass_the_en16931_layer(inv: Invoice) -> None:
    """The public strategy's invoices break no EN 16931 business rule."""
    assert [f.code for f in check_en16931(inv) if f.is_blocking] == []


def _resolve(inv: Invoice, path: str) -> None:
    node: object = inv
    for step in path.split("."):
        name, _, index = step.partition("[")
        if node is None:
            return  # a term of an absent group (e.g. buyer.name without a buyer)
        assert name in type(node).model_fields, (path, name)  # type: ignore[attr-defined]
        node = getattr(node, name)
        if index:
            node = node[int(index.rstrip("]"))]  # type: ignore[index]


@given(incomplete_invoices())
def test_finding_paths_resolve_in_the_model(inv: Invoice) -> None:
    """Every finding's path names fields of the model and indexes that exist (down to the
    first absent group)."""
    for f in check_en16931(inv):
        assert f.code in RULES and f.path, f
        _resolve(inv, f.path)


def test_the_chorus_layer_reports_the_chorus_profile_findings() -> None:
    """On the chorus profile, the report holds exactly what rules.chorus.check finds for the
    same invoice and date, after the EN 16931 findings."""
    import datetime

    from chorus_core.rules import chorus

    today = datetime.date(2026, 12, 1)
    inv = sample_invoice().model_copy(update={"invoice_number": "X" * 25})
    expected = chorus.check(inv, today=today)
    assert expected  # a 25-character invoice number breaks the Chorus Pro profile
    report = validate(inv, profile="chorus", today=today)
    assert report.findings[-len(expected):] == tuple(expected)
    assert "CHORUS" not in "".join(f.code for f in validate(inv, today=today))


def test_rules_give_the_same_findings_from_several_threads() -> None:
    """Validating different invoices at once in threads gives each its own findings."""
    from concurrent.futures import ThreadPoolExecutor

    good = sample_invoice()
    line = good.lines[0]
    assert line.vat_information is not None
    bad = good.model_copy(update={"lines": (line.model_copy(update={
        "vat_information": line.vat_information.model_copy(update={"category_code": "Z"})}),
        *good.lines[1:])})
    expected = {id(good): check_en16931(good), id(bad): check_en16931(bad)}
    assert expected[id(good)] != expected[id(bad)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        jobs = [(inv, pool.submit(check_en16931, inv)) for inv in [good, bad] * 200]
        assert all(job.result() == expected[id(inv)] for inv, job in jobs)


def test_findings_on_a_document_give_the_line_and_xpath_of_the_term(corpus: Path) -> None:
    """On a document, a finding whose term is there names its element and line."""
    data = (corpus / "en16931/ubl/examples/ubl-tc434-example1.xml").read_bytes()
    data = data.replace(b"<cbc:DocumentCurrencyCode>EUR<", b"<cbc:DocumentCurrencyCode>EURO<")
    line = next(i for i, text in enumerate(data.split(b"\n"), 1)
                if b"<cbc:DocumentCurrencyCode>" in text)
    (finding,) = [f for f in validate(data) if f.code == "BR-CL-04"]
    assert isinstance(finding, RuleFinding)
    assert (finding.source, finding.line, finding.path) == (
        "/*/cbc:DocumentCurrencyCode", line, "invoice_currency_code")


def test_a_finding_on_a_repeated_group_points_at_its_instance() -> None:
    """The third line's net amount is located in the third line of the document, in both
    syntaxes; a missing term has no element to point at."""
    inv = sample_invoice()
    assert len(inv.lines) >= 3
    lines = list(inv.lines)
    amount = lines[2].net_amount
    assert amount is not None
    lines[2] = lines[2].model_copy(update={"net_amount": amount + Decimal("0.001")})
    inv = inv.model_copy(update={"lines": tuple(lines), "invoice_number": None})
    steps = (("ubl", "cac:InvoiceLine[3]"), ("cii", "IncludedSupplyChainTradeLineItem[3]"))
    for fmt, step in steps:
        findings = {f.code: f for f in validate(chorus_core.write(inv, fmt, draft=True))}
        dec = findings["BR-DEC-23"]
        assert isinstance(dec, RuleFinding) and step in (dec.source or ""), (fmt, dec)
        assert not isinstance(findings["BR-02"], RuleFinding)


def test_the_en16931_layer_stops_at_max_findings_and_counts_the_rest() -> None:
    """Past Limits.max_findings, the layer lists no more findings but one closing finding
    that counts them (fatal, since fatal ones were left out)."""
    from chorus_core.limits import using_limits
    from chorus_core.rules import LIMIT_CODE

    bad = Invoice(lines=tuple(sample_invoice().lines[0].model_copy(
        update={"identifier": None, "item": None}) for _ in range(20)))
    every = check_en16931(bad, limit=10_000)
    assert len(every) > 40
    with using_limits(max_findings=5):
        report = validate(bad)
    found = report.by_layer("en16931")
    assert [f.code for f in found[:5]] == [f.code for f in every[:5]]
    assert found[5].code == LIMIT_CODE and len(found) == 6
    assert str(len(every) - 5) in found[5].message_en
    assert found[5].severity is Severity.FATAL and not report.ok


def test_the_official_engine_gives_the_xslt_findings_with_both_messages(corpus: Path) -> None:
    """engine='official' reports the XSLT's rule ids, with the registry's terms and French
    messages, on the syntax and EN 16931 layers; the native engine fires the same BR ids."""
    import oracle

    inv = sample_invoice().model_copy(update={"invoice_currency_code": "EURO"})
    data = chorus_core.write(inv, "ubl")
    artifacts = str(corpus / oracle.ARTIFACTS)
    report = validate(data, engine="official", artifacts_dir=artifacts)
    expected = {rid for rid, _ in oracle.schematron_failures(corpus, "ubl", data)}
    assert {f.code for f in report} == expected
    assert {f.code for f in report.by_layer("en16931")} == {
        f.code for f in validate(data).by_layer("en16931")} == {"BR-CL-03", "BR-CL-04"}
    (cl04,) = [f for f in report if f.code == "BR-CL-04"]
    assert cl04.message_fr == RULES["BR-CL-04"].message_fr and cl04.bt == ("BT-5",)
    assert isinstance(cl04, RuleFinding) and "DocumentCurrencyCode" in (cl04.source or "")


def test_the_official_engine_needs_a_document_and_its_artefacts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Invoice is a usage error for the official engine; missing artefacts say where they
    were looked for."""
    from chorus_core.errors import SchemaNotFoundError
    from chorus_core.rules.official import ENV_VAR

    monkeypatch.delenv(ENV_VAR, raising=False)
    with pytest.raises(UsageError):
        validate(sample_invoice(), engine="official")
    with pytest.raises(SchemaNotFoundError, match=str(tmp_path)):
        validate(chorus_core.write(sample_invoice(), "cii"), engine="official",
                 artifacts_dir=str(tmp_path))


@pytest.mark.parametrize("digits", [27, 40, 1_000_001])
@pytest.mark.parametrize("binding", [None, "ubl", "cii"])
def test_amounts_past_28_digits_give_findings_not_decimal_errors(
        digits: int, binding: str | None) -> None:
    """Every amount of an invoice 27, 40 or a million digits long (past the default decimal
    precision, or its exponent range) gives findings, never decimal.InvalidOperation or
    Overflow: BR-CO-14 on a 26-digit CII tax amount raised from xround2 (found by
    tests/test_fuzz.py)."""
    big = Decimal("9" * digits)
    totals = sample_invoice().totals
    assert totals is not None
    inv = sample_invoice().model_copy(update={
        "totals": totals.model_copy(update={"total_vat_amount": big, "total_with_vat": big}),
        "vat_breakdown": tuple(b.model_copy(update={"tax_amount": big})
                               for b in sample_invoice().vat_breakdown),
    })
    codes = {f.code for f in check_en16931(inv, binding=binding)}
    assert "BR-CO-15" in codes  # 9…9 + 9…9 is no 9…9: the totals do not add up


@pytest.mark.parametrize("fmt", ["ubl", "cii"])
@pytest.mark.parametrize("bad", ["1.2e3", "1_219.04", "NaN", "١٢١٩"])
def test_a_value_the_model_cannot_hold_is_a_finding_not_an_exception(fmt: str, bad: str) -> None:
    """An amount outside xs:decimal: the syntax layer ran, the read failure is a fatal finding
    naming BT-115 and its path, the model layers are skipped with the reason."""
    inv = sample_invoice()
    due = str(inv.totals.amount_due_for_payment)  # type: ignore[union-attr]
    data = chorus_core.write(inv, fmt).decode()
    tag = "PayableAmount" if fmt == "ubl" else "DuePayableAmount"
    data, count = re.subn(rf'(<\w+:{tag}[^>]*>){re.escape(due)}<', rf"\g<1>{bad}<", data)
    assert count == 1
    report = validate(data.encode(), profile="chorus")
    assert not report.ok
    unread = [f for f in report.findings if f.code == "CHORUS-RULES-002"]
    assert len(unread) == 1 and unread[0].bt == ("BT-115",) and tag in (unread[0].path or "")
    assert unread[0].severity is Severity.FATAL and unread[0].policy is Policy.REFUSED_AT_DEPOSIT
    assert bad in unread[0].message_en and unread[0].message_fr
    ran = {layer.name: layer.ran for layer in report.layers}
    assert list(ran) == list(LAYERS) and ran["syntax"] and not ran["en16931"]
    assert not ran["chorus"]
