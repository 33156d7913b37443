"""Notebook views (``_repr_html_``) and short reprs of invoices, reports, conversions, histories."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings

from chorus_core._html import MAX_ROWS, SEVERITY_COLOURS
from chorus_core.errors import Finding, Layer, Policy, Report, Severity
from chorus_core.examples import sample_invoice
from chorus_core.formats import convert, write
from chorus_core.formats.conversion import Conversion, Loss
from chorus_core.model import (
    Buyer,
    DocumentTotals,
    Identifier,
    Invoice,
    InvoiceLine,
    ItemInformation,
    Seller,
    SupportingDocument,
    lenient,
)
from chorus_core.rules import validate
from chorus_core.testing import invoices
from chorus_core.workflow import Action, Actor, History, Status, apply
from chorus_core.workflow.transitions import DEFAULT_TABLE

SCRIPT = "<script>alert('x')</script>"


def _rows(page: str, table_index: int) -> list[str]:
    """The body rows of the ``table_index``-th table of ``page``."""
    table = re.findall(r"<table>.*?</table>", page)[table_index]
    return re.findall(r"<tr[^>]*>.*?</tr>", table.split("<tbody>", 1)[1])


def _big_invoice(n_lines: int, text: str) -> Invoice:
    line = InvoiceLine(identifier="L", net_amount=Decimal("1.10"),
                       item=ItemInformation(name=text))
    return Invoice(
        invoice_number=text, invoice_type_code="380", invoice_currency_code="EUR",
        seller=Seller(name=text, identifiers=(Identifier(value=text),)),
        buyer=Buyer(name=text), lines=(line,) * n_lines,
        totals=DocumentTotals(total_with_vat=Decimal("1" * 200 + ".25")),
        supporting_documents=(SupportingDocument(attached_document=b"%" * 100_000),),
    )


# ---------------------------------------------------------------- invoice


def test_invoice_view_shows_parties_lines_totals_and_vat() -> None:
    """The bundled example's view holds the seller, the buyer's SIRET, a line, totals, VAT."""
    inv = sample_invoice()
    page = inv._repr_html_()
    assert page.startswith('<div class="chorus-core chorus-invoice">')
    assert inv.seller is not None and inv.seller.name is not None
    assert inv.seller.name in page
    assert "21690123100011" in page  # buyer SIRET from the routing view
    assert inv.buyer_reference is not None and inv.buyer_reference in page
    lines = _rows(page, 2)
    assert len(lines) == len(inv.lines)
    assert str(inv.lines[0].net_amount) in lines[0]
    assert inv.totals is not None
    assert f'<td class="num">{inv.totals.total_with_vat}</td>' in page
    assert "(BT-112)" in page
    vat = _rows(page, 4)
    assert [str(v.tax_amount) in row for v, row in zip(inv.vat_breakdown, vat, strict=True)] \
        == [True] * len(inv.vat_breakdown)


def test_invoice_view_escapes_values() -> None:
    """A seller named with markup is shown escaped, never as markup."""
    page = Invoice(seller=Seller(name=SCRIPT), invoice_number="<i>1</i>")._repr_html_()
    assert "<script>" not in page and "<i>1" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_invoice_view_truncates_long_tables() -> None:
    """Past MAX_ROWS lines the table says how many more there are instead of showing them."""
    page = _big_invoice(MAX_ROWS + 7, "x")._repr_html_()
    rows = _rows(page, 2)
    assert len(rows) == MAX_ROWS + 1
    assert "… 7 more lines" in rows[-1]


def test_invoice_view_of_an_empty_invoice() -> None:
    """An invoice with nothing set still renders, without totals or VAT tables."""
    page = Invoice()._repr_html_()
    assert "(no number)" in page and "Totals" not in page and "VAT breakdown" not in page


def test_invoice_repr_is_a_summary() -> None:
    """repr names number, type, issue date, parties, line count and total with currency."""
    inv = sample_invoice()
    assert repr(inv) == (
        "Invoice(number='FA-2026-0042', type=380, issued=2026-10-30, "
        "seller='Atelier Dupont SARL', buyer='Commune de Saint-Exemple', lines=3, "
        "total=1219.04 EUR)"
    )
    assert str(inv) == repr(inv)


def test_reprs_stay_short_on_a_huge_invoice() -> None:
    """Long strings, many lines and a big attachment never make a repr reach 300 characters."""
    inv = _big_invoice(500, "é" * 5000)
    assert len(repr(inv)) < 300
    assert "lines=500" in repr(inv)
    for part in (inv.seller, inv.buyer, inv.lines[0], inv.totals, inv.supporting_documents[0]):
        assert len(repr(part)) < 300
        assert str(part) == repr(part)
    assert "<100000 bytes>" in repr(inv.supporting_documents[0])


def test_repr_of_a_read_invoice_with_odd_codes_stays_short() -> None:
    """Codes kept as read (lenient path), however long, are cut in the repr."""
    inv = lenient(Invoice, invoice_type_code="9" * 500, invoice_currency_code="EURO" * 100,
                  totals=DocumentTotals(total_with_vat=Decimal("1E+999")))
    text = repr(inv)
    assert len(text) < 300
    assert "type='9999" in text and "total=1E+999 EURO…)" in text


def test_sub_model_repr_names_only_set_fields() -> None:
    """A sub-model's repr leaves out absent fields and counts repeating groups."""
    seller = Seller(name="ACME", identifiers=(Identifier(value="1"), Identifier(value="2")))
    assert repr(seller) == "Seller(name='ACME', identifiers=[2 Identifiers])"


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_generated_invoices_have_short_reprs_and_views(inv: Invoice) -> None:
    """Any generated invoice has a repr under 300 characters and a view with its lines."""
    assert len(repr(inv)) < 300
    assert f"lines={len(inv.lines)}" in repr(inv)
    page = inv._repr_html_()
    assert len(_rows(page, 2)) == len(inv.lines)
    for line in inv.lines:
        assert str(line.net_amount) in page


# ---------------------------------------------------------------- report


def _report() -> Report:
    findings = (
        Finding(code="BR-02", severity=Severity.FATAL, bt=("BT-1",), path="invoice_number",
                message_en="No number", message_fr="Pas de numéro", layer="en16931",
                policy=Policy.REFUSED_AT_DEPOSIT),
        Finding(code="BR-CO-10", severity=Severity.ERROR, bt=("BT-106", "BT-131"),
                message_en="Sum", message_fr="Somme", layer="en16931"),
        Finding(code="CHORUS-X-1", severity=Severity.WARNING, bt=(), message_en=SCRIPT,
                message_fr="Attention", layer="chorus"),
    )
    layers = (Layer(name="xsd", ran=False, reason="the input is an Invoice, not a document"),
              Layer(name="en16931"), Layer(name="chorus"))
    return Report(findings=findings, layers=layers)


def test_report_view_colours_each_finding_by_severity() -> None:
    """Each finding's row carries its severity class and colour, its rule id and BT ids."""
    report = _report()
    page = report._repr_html_()
    rows = _rows(page, 1)
    assert len(rows) == len(report.findings)
    for finding, row in zip(report.findings, rows, strict=True):
        severity = finding.severity.value
        assert row.startswith(f'<tr class="cc-sev-{severity}" '
                              f'style="background:{SEVERITY_COLOURS[severity]}">')
        assert f"<td>{finding.code}</td>" in row
        assert f"<td>{', '.join(finding.bt)}</td>" in row
        assert finding.message_fr in row
    assert "<script>" not in page


def test_report_view_lists_layers_with_why_skipped() -> None:
    """Layers show ran or skipped, the reason, and how many findings each produced."""
    rows = _rows(_report()._repr_html_(), 0)
    assert "skipped" in rows[0] and "the input is an Invoice, not a document" in rows[0]
    assert "<td>ran</td><td>2</td>" in rows[1]
    assert "<td>ran</td><td>1</td>" in rows[2]


def test_report_view_of_a_real_validation() -> None:
    """A validation of the example without its number shows BR-02 as fatal."""
    bad = sample_invoice().model_copy(update={"invoice_number": None})
    report = validate(bad, profile="chorus")
    page = report._repr_html_()
    assert "NOT OK" in page
    assert any("cc-sev-fatal" in row and "BR-02" in row for row in _rows(page, 1))


def test_report_repr_counts_by_severity_and_lists_layers() -> None:
    """The report repr says ok, counts per severity and the layers run and skipped."""
    assert repr(_report()) == (
        "Report(ok=False, 3 findings: 1 fatal, 1 error, 1 warning; layers en16931,chorus; "
        "skipped xsd)"
    )
    assert repr(Report()) == "Report(ok=True, 0 findings)"
    assert str(_report()).splitlines()[1] == "  BR-02 [BT-1]: No number"


def test_report_repr_stays_short_with_many_findings() -> None:
    """Ten thousand findings and long layer names keep the repr and the view bounded."""
    finding = Finding(code="X" * 500, message_en="m" * 5000, message_fr="m")
    report = Report(findings=(finding,) * 10_000, layers=(Layer(name="L" * 1000),))
    assert len(repr(report)) < 300
    assert len(repr(finding)) < 300
    assert len(repr(report.layers[0])) < 300
    assert f"… {10_000 - MAX_ROWS} more findings" in report._repr_html_()


# ---------------------------------------------------------------- conversion


def test_conversion_view_lists_each_loss() -> None:
    """A lossy conversion's view names source, target, size and each loss's BT and kind."""
    conversion = convert(write(sample_invoice(), "ubl"), to="pes_asap")
    assert conversion.losses
    page = conversion._repr_html_()
    assert f"ubl → pes_asap: {len(conversion.data)} bytes" in page
    rows = _rows(page, 0)
    assert len(rows) == min(len(conversion.losses), MAX_ROWS)
    for loss, row in zip(conversion.losses, rows, strict=False):
        assert row.startswith(f'<tr class="cc-loss-{loss.kind}">')
        assert f"<td>{loss.bt}</td>" in row


def test_conversion_view_escapes_and_shortens_values() -> None:
    """Loss values are escaped, an attachment shown by its size, a date as written."""
    losses = (Loss("BT-27", "seller.name", "changed", SCRIPT, "x", "why <b>"),
              Loss("BT-125", "supporting_documents[0].attached_document", "dropped",
                   b"\0" * 5000, None),
              Loss("BT-9", "payment_due_date", "dropped", date(2026, 11, 29), None),
              Loss("BT-10", "buyer_reference", "changed", "", "S"))
    page = Conversion(b"<x/>", "ubl", "pes_pivot", losses)._repr_html_()
    assert "<script>" not in page and "why &lt;b&gt;" in page
    assert "5000 bytes" in page
    assert "<td>2026-11-29</td>" in page  # a date as written, not datetime.date(...)
    assert "<td>&#x27;&#x27;</td><td>&#x27;S&#x27;</td>" in page  # an empty text shows
    assert "lossless" in Conversion(b"<x/>", "ubl", "cii", ())._repr_html_()


# ---------------------------------------------------------------- history


def _history() -> History:
    h = History.observed([(Status.DEPOSEE, date(2026, 3, 1)),
                          (Status.MISE_A_DISPOSITION, date(2026, 3, 2))])
    return apply(h, Action.SUSPEND, Actor.RECIPIENT, date(2026, 3, 9), motif=SCRIPT)


def test_history_view_highlights_the_current_status() -> None:
    """The life cycle marks the current status, and only it, as current; reached ones bold."""
    page = _history()._repr_html_()
    picture = page[page.index("<pre"):]
    current = re.findall(r'<mark class="cc-current"[^>]*>(\w+)</mark>', picture)
    assert current == ["SUSPENDUE"]
    assert "<b>DEPOSEE</b>" in picture and "<b>MISE_A_DISPOSITION</b>" in picture
    assert "<b>REJETEE</b>" not in picture
    assert "SUSPENDUE</mark>" in picture.split("◀ current status")[0].splitlines()[-1]


def test_history_view_lists_events() -> None:
    """Each event is a row; the last one is the current and the motif is escaped."""
    history = _history()
    page = history._repr_html_()
    rows = _rows(page, 1)
    assert len(rows) == len(history.events)
    assert 'class="cc-current"' in rows[-1] and 'class="cc-current"' not in rows[0]
    assert "2026-03-09" in rows[-1] and "suspend" in rows[-1]
    assert "<script>" not in page


def test_history_view_of_an_observed_status_outside_the_table() -> None:
    """A status Chorus Pro reports that the table does not use is still shown as current."""
    outside = next(s for s in Status if s not in DEFAULT_TABLE.statuses())
    page = History.observed([(outside, date(2026, 3, 1))])._repr_html_()
    assert re.findall(r'<mark class="cc-current"[^>]*>(\w+)</mark>', page) == [outside.value]


def test_history_repr() -> None:
    """The history repr gives the current status, since when, the event count and the cadre."""
    assert repr(_history()) == "History(status=SUSPENDUE, since=2026-03-09, events=3, cadre=A1)"
    assert repr(History()) == "History(status=None, events=0, cadre=A1)"
    assert "no event yet" in History()._repr_html_()
