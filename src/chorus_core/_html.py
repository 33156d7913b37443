"""HTML views for notebooks: what Jupyter shows for an invoice, a report, a conversion, a history.

Each function returns one self-contained ``<div class="chorus-core …">`` fragment: tables,
a little inline CSS scoped to ``.chorus-core``, no script, no network.  Every value taken from
a document goes through :func:`html.escape`, so a seller named ``<script>`` is shown, never run.
Long tables stop at :data:`MAX_ROWS` rows and say how many more there are.  The objects call
these from their ``_repr_html_`` method; the functions can also be used to save a view.

>>> from chorus_core.model import Invoice, Seller
>>> page = invoice_html(Invoice(invoice_number="F-1", seller=Seller(name="<b>ACME</b>")))
>>> page.startswith('<div class="chorus-core chorus-invoice">')
True
>>> "&lt;b&gt;ACME&lt;/b&gt;" in page, "<b>ACME" in page
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING, Any, Final, TypeVar

if TYPE_CHECKING:
    from .errors import Report
    from .formats.conversion import Conversion
    from .model import Invoice
    from .workflow.machine import History
    from .workflow.transitions import TransitionTable

__all__ = [
    "MAX_ROWS",
    "MAX_TEXT",
    "conversion_html",
    "history_html",
    "invoice_html",
    "lifecycle_picture",
    "report_html",
    "short",
]

MAX_ROWS: Final = 50
"""Rows shown in a table before the "… N more" line."""

MAX_TEXT: Final = 200
"""Characters shown of one value in a cell (an attachment, a long note) before "…"."""

SEVERITY_COLOURS: Final[dict[str, str]] = {
    "fatal": "#f4c7c3",
    "error": "#fce8b2",
    "warning": "#fff4c2",
    "info": "#d9ead3",
}
"""Background colour of a finding's row, by severity (also given as class ``cc-sev-…``)."""

_CURRENT: Final = "#b7e1cd"

_STYLE: Final = (
    "<style>"
    ".chorus-core{font-family:sans-serif;font-size:13px}"
    ".chorus-core table{border-collapse:collapse;margin:4px 0 10px 0}"
    ".chorus-core th,.chorus-core td{border:1px solid #ccc;padding:2px 6px;text-align:left;"
    "vertical-align:top}"
    ".chorus-core th{background:#f3f3f3}"
    ".chorus-core td.num{text-align:right;font-family:monospace}"
    ".chorus-core .cc-title{font-weight:bold;font-size:14px;margin:4px 0}"
    ".chorus-core .cc-more{font-style:italic;color:#666}"
    ".chorus-core pre{font-size:12px;line-height:1.35}"
    "</style>"
)

T = TypeVar("T")


def short(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to ``limit`` characters, the cut marked with "…".

    >>> short("abcdef", 4)
    'abc…'
    >>> short("abc", 4)
    'abc'
    """
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def _cell(value: object, limit: int = MAX_TEXT) -> str:
    """A value as escaped cell text: empty for None, bytes by their size."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray | memoryview):
        return f"{len(bytes(value))} bytes"
    if isinstance(value, tuple | list):
        return escape(short(", ".join(str(v) for v in value), limit))
    return escape(short(str(value), limit))


def _table(
    head: Sequence[str],
    rows: Iterable[T],
    cells: Callable[[T], Sequence[str]],
    *,
    row_attrs: Callable[[T], str] | None = None,
    numeric: frozenset[int] = frozenset(),
    what: str = "rows",
) -> str:
    """An HTML table: ``cells`` gives the already escaped cells of one row; at most
    :data:`MAX_ROWS` rows, then a "… N more" row."""
    out = ["<table><thead><tr>"]
    out += [f"<th>{escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    hidden = 0
    for index, row in enumerate(rows):
        if index >= MAX_ROWS:
            hidden += 1
            continue
        attrs = row_attrs(row) if row_attrs is not None else ""
        out.append(f"<tr{attrs}>")
        for i, cell in enumerate(cells(row)):
            out.append(f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>")
        out.append("</tr>")
    if hidden:
        out.append(f'<tr><td class="cc-more" colspan="{len(head)}">'
                   f"… {hidden} more {escape(what)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _pairs(pairs: Iterable[tuple[str, object]]) -> str:
    """A two-column table of label / value, leaving out absent values."""
    rows = [(label, value) for label, value in pairs if value is not None and value != ""]
    body = "".join(f"<tr><th>{escape(label)}</th><td>{_cell(value)}</td></tr>"
                   for label, value in rows)
    return f"<table><tbody>{body}</tbody></table>"


def _div(kind: str, title: str, *parts: str) -> str:
    return (f'<div class="chorus-core chorus-{kind}">{_STYLE}'
            f'<div class="cc-title">{escape(title)}</div>{"".join(parts)}</div>')


def _section(title: str) -> str:
    return f'<div class="cc-title">{escape(title)}</div>'


# ---------------------------------------------------------------- invoice


def invoice_html(invoice: Invoice) -> str:
    """The notebook view of an invoice: header, parties with their Chorus Pro routing, lines,
    totals and VAT breakdown.

    >>> from chorus_core.examples import sample_invoice
    >>> page = invoice_html(sample_invoice())
    >>> "Commune de Saint-Exemple" in page, "1219.04" in page
    (True, True)
    """
    from .model import TERMS
    from .model.routing import routing_of

    routing = routing_of(invoice)
    kind = "Credit note" if invoice.is_credit_note else "Invoice"
    head = _pairs([
        ("Number (BT-1)", invoice.invoice_number),
        ("Type (BT-3)", invoice.invoice_type_code),
        ("Issue date (BT-2)", invoice.invoice_issue_date),
        ("Due date (BT-9)", invoice.payment_due_date),
        ("Currency (BT-5)", invoice.invoice_currency_code),
        ("Cadre (BT-23)", routing.cadre),
        ("Code service (BT-10)", invoice.buyer_reference),
        ("Engagement (BT-13)", invoice.purchase_order_reference),
        ("Contract (BT-12)", invoice.contract_reference),
    ])
    seller, buyer = invoice.seller, invoice.buyer
    seller_address = seller.postal_address if seller else None
    buyer_address = buyer.postal_address if buyer else None

    def place(address: Any) -> str | None:
        if address is None:
            return None
        bits = [address.line_one, address.post_code, address.city, address.country_code]
        return " ".join(b for b in bits if b) or None

    scheme = routing.supplier_identifier_scheme
    supplier_id = routing.supplier_identifier
    parties_rows: list[tuple[str, object, object]] = [
        ("Name", seller.name if seller else None, buyer.name if buyer else None),
        ("SIRET / identifier",
         f"{supplier_id} (scheme {scheme})" if supplier_id and scheme else supplier_id,
         f"{routing.buyer_siret} ({routing.buyer_siret_term})"
         if routing.buyer_siret and routing.buyer_siret_term else routing.buyer_siret),
        ("VAT identifier", seller.vat_identifier if seller else None,
         buyer.vat_identifier if buyer else None),
        ("Address", place(seller_address), place(buyer_address)),
        ("Code service (BT-10)", None, routing.code_service),
        ("Engagement (BT-13)", None, routing.engagement),
    ]
    parties = _table(
        ["", "Seller (BG-4)", "Buyer (BG-7)"],
        [row for row in parties_rows if row[1] is not None or row[2] is not None],
        lambda row: [escape(row[0]), _cell(row[1]), _cell(row[2])],
    )

    def line_cells(line: Any) -> list[str]:
        item, price, vat = line.item, line.price_details, line.vat_information
        rate = f"{vat.category_code or ''} {vat.rate}%" if vat and vat.rate is not None else (
            vat.category_code if vat else None)
        return [
            _cell(line.identifier), _cell(item.name if item else None),
            _cell(line.invoiced_quantity), _cell(line.invoiced_quantity_unit_code),
            _cell(price.net_price if price else None), _cell(line.net_amount), _cell(rate),
        ]

    lines = _table(
        ["Line (BT-126)", "Item (BT-153)", "Quantity (BT-129)", "Unit (BT-130)",
         "Net price (BT-146)", "Net amount (BT-131)", "VAT (BT-151/152)"],
        invoice.lines, line_cells, numeric=frozenset({2, 4, 5}), what="lines",
    )
    totals_part = ""
    if invoice.totals is not None:
        fields = type(invoice.totals).model_fields
        values = []
        for name, info in fields.items():
            value = getattr(invoice.totals, name)
            extra = info.json_schema_extra
            term = str(extra.get("bt", "")) if isinstance(extra, dict) else ""
            label = TERMS[term].name_en if term in TERMS else name
            if value is not None:
                values.append((f"{label} ({term})", value))
        currency = invoice.invoice_currency_code or ""
        totals_part = _section("Totals (BG-22)") + _table(
            ["Term", f"Amount {currency}".strip()], values,
            lambda row: [escape(row[0]), _cell(row[1])], numeric=frozenset({1}), what="totals",
        )
    vat_part = ""
    if invoice.vat_breakdown:
        vat_part = _section("VAT breakdown (BG-23)") + _table(
            ["Category (BT-118)", "Rate (BT-119)", "Taxable (BT-116)", "Tax (BT-117)",
             "Exemption reason (BT-120/121)"],
            invoice.vat_breakdown,
            lambda v: [_cell(v.category_code), _cell(v.rate), _cell(v.taxable_amount),
                       _cell(v.tax_amount),
                       _cell(" ".join(x for x in (v.exemption_reason_code, v.exemption_reason)
                                      if x))],
            numeric=frozenset({1, 2, 3}), what="VAT categories",
        )
    counts = [
        (len(invoice.allowances), "document allowance"), (len(invoice.charges), "charge"),
        (len(invoice.supporting_documents), "supporting document"), (len(invoice.notes), "note"),
    ]
    more = ", ".join(f"{n} {what}{'s' if n > 1 else ''}" for n, what in counts if n)
    tail = f"<div>{escape(more)}</div>" if more else ""
    title = f"{kind} {invoice.invoice_number or '(no number)'}"
    return _div("invoice", short(title, 120), head, _section("Parties"), parties,
                _section(f"Lines (BG-25): {len(invoice.lines)}"), lines, totals_part, vat_part,
                tail)


# ---------------------------------------------------------------- report


def report_html(report: Report) -> str:
    """The notebook view of a validation report: its layers (ran or skipped, and why) and its
    findings, one row per finding coloured by severity.

    >>> from chorus_core.errors import Finding, Report, Severity
    >>> page = report_html(Report(findings=(Finding(code="BR-02", severity=Severity.FATAL,
    ...     message_en="No number", message_fr="Pas de numéro"),)))
    >>> 'class="cc-sev-fatal"' in page
    True
    """
    by_severity: dict[str, int] = {}
    for finding in report.findings:
        by_severity[finding.severity.value] = by_severity.get(finding.severity.value, 0) + 1
    summary = ", ".join(f"{n} {sev}" for sev, n in by_severity.items())
    title = (f"Report: {'OK' if report.ok else 'NOT OK'} — {len(report.findings)} finding"
             f"{'' if len(report.findings) == 1 else 's'}" + (f" ({summary})" if summary else ""))
    parts: list[str] = []
    if report.layers:
        counts: dict[str | None, int] = {}
        for finding in report.findings:
            counts[finding.layer] = counts.get(finding.layer, 0) + 1
        parts.append(_section("Layers"))
        parts.append(_table(
            ["Layer", "Ran", "Findings", "Why skipped"], report.layers,
            lambda la: [_cell(la.name), "ran" if la.ran else "skipped",
                        str(counts.get(la.name, 0)), _cell(la.reason)],
            row_attrs=lambda la: "" if la.ran else ' class="cc-skipped" style="color:#777"',
            what="layers",
        ))
    if report.findings:
        parts.append(_section("Findings"))
        parts.append(_table(
            ["Rule", "Severity", "BT", "Message (EN)", "Message (FR)", "Location", "Policy",
             "Layer"],
            report.findings,
            lambda f: [_cell(f.code), _cell(f.severity.value), _cell(f.bt), _cell(f.message_en),
                       _cell(f.message_fr), _cell(f.path), _cell(f.policy.value),
                       _cell(f.layer)],
            row_attrs=lambda f: (f' class="cc-sev-{escape(f.severity.value)}" '
                                 f'style="background:{SEVERITY_COLOURS[f.severity.value]}"'),
            what="findings",
        ))
    return _div("report", title, *parts)


# ---------------------------------------------------------------- conversion


def conversion_html(conversion: Conversion) -> str:
    """The notebook view of a conversion: source and target formats, the size of the target,
    and one row per loss (kind, business term, path, values before and after, reason).

    >>> from chorus_core.formats.conversion import Conversion, Loss
    >>> loss = Loss("BT-10", "buyer_reference", "dropped", "S", None)
    >>> page = conversion_html(Conversion(b"<x/>", "ubl", "cii", (loss,)))
    >>> "ubl → cii" in page, "BT-10" in page
    (True, True)
    """
    n = len(conversion.losses)
    title = (f"Conversion {conversion.source_format} → {conversion.target_format}: "
             f"{len(conversion.data)} bytes, "
             + ("lossless" if not n else f"{n} loss{'es' if n > 1 else ''}"))
    parts: list[str] = []
    if conversion.losses:
        parts.append(_table(
            ["Kind", "BT", "Term", "Path", "Source value", "Target value", "Reason"],
            conversion.losses,
            lambda loss: [_cell(loss.kind), _cell(loss.bt), _cell(loss.name if loss.bt else ""),
                          _cell(loss.path), _cell(_value(loss.source)),
                          _cell(_value(loss.target)), _cell(loss.reason)],
            row_attrs=lambda loss: f' class="cc-loss-{escape(loss.kind)}"',
            what="losses",
        ))
    return _div("conversion", title, *parts)


def _value(value: object) -> object:
    """A loss value as shown: None stays empty, bytes by size, a number or a date as written,
    text quoted (so that an empty or blank value shows)."""
    if value is None or isinstance(value, bytes | bytearray | Decimal | date | int):
        return value
    return repr(value)


# ---------------------------------------------------------------- history


def history_html(history: History, table: TransitionTable | None = None) -> str:
    """The notebook view of a status history: the events, and the life cycle of ``table``
    (default: the default transition table) with the statuses reached marked and the current
    one highlighted.

    >>> from datetime import date
    >>> from chorus_core.workflow import History, Status
    >>> page = history_html(History.observed([(Status.DEPOSEE, date(2026, 3, 1))]))
    >>> 'class="cc-current"' in page
    True
    """
    from .workflow.statuses import STATUSES
    from .workflow.transitions import DEFAULT_TABLE

    table = DEFAULT_TABLE if table is None else table
    current = history.status
    if current is None:
        title = "History: no event yet"
    else:
        info = STATUSES[current]
        title = (f"History: {current.value} — {info.label_fr} / {info.label_en} "
                 f"({len(history.events)} event{'s' if len(history.events) > 1 else ''})")
    context = history.context
    parts = [_pairs([
        ("Cadre", context.cadre),
        ("Second validator", "yes" if context.second_validator else None),
        ("Hélios", "yes" if context.helios else None),
        ("Payment status managed", "yes" if context.payment_status_managed else "no"),
    ])]
    if history.events:
        parts.append(_section("Events"))
        parts.append(_table(
            ["#", "Date", "Status", "Actor", "Action", "Motif", "Mandate", "Attachments",
             "Comment"],
            list(enumerate(history.events, 1)),
            lambda pair: [str(pair[0]), _cell(pair[1].on), _cell(pair[1].status.value),
                          _cell(pair[1].actor.value),
                          _cell(pair[1].action.value if pair[1].action else None),
                          _cell(pair[1].motif), _cell(pair[1].mandate_number),
                          _cell(pair[1].attachments), _cell(pair[1].comment)],
            row_attrs=lambda pair: (f' class="cc-current" style="background:{_CURRENT}"'
                                    if pair[0] == len(history.events) else ""),
            what="events",
        ))
    parts.append(_section("Life cycle"))
    parts.append(lifecycle_picture(history, table))
    return _div("history", title, *parts)


def lifecycle_picture(history: History, table: TransitionTable) -> str:
    """The statuses of ``table`` in order, each with the statuses it leads to, as a ``<pre>``
    picture: reached statuses in bold, the current one highlighted (``cc-current``), terminal
    ones marked ``■``."""
    reached = {event.status for event in history.events}
    current = history.status
    leading: dict[object, dict[str, None]] = {}
    for row in table.rows:
        leading.setdefault(row.source, {}).setdefault(row.target.value)
    statuses = list(table.statuses())
    if current is not None and current not in statuses:
        statuses.append(current)  # an observed status the table does not use
    width = max((len(s.value) for s in statuses), default=0)

    def name(status: Any) -> str:
        text = escape(status.value)
        if status == current:
            return (f'<mark class="cc-current" style="background:{_CURRENT};'
                    f'font-weight:bold">{text}</mark>')
        return f"<b>{text}</b>" if status in reached else text

    lines = []
    start = leading.get(None)
    if start:
        lines.append(f"{'(new)':<{width}}  ──▶ {escape(', '.join(start))}")
    for status in statuses:
        pad = " " * (width - len(status.value))
        targets = leading.get(status)
        if table.is_terminal(status):
            arrow = "  ■ terminal"
        elif targets:
            arrow = f"  ──▶ {escape(', '.join(targets))}"
        else:
            arrow = "  (not in the transition table)" if status not in table.statuses() else ""
        now = "   ◀ current status" if status == current else ""
        lines.append(f"{name(status)}{pad}{arrow}{now}")
    return f'<pre class="cc-lifecycle">{chr(10).join(lines)}</pre>'
