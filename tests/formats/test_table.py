"""The binding table and the engine, tested once for every format of the registry.

Each test states one behaviour that every syntax must have; the syntax-specific placements are
in test_ubl.py and test_cii.py.
"""

from __future__ import annotations

import base64
import copy
import os
import typing
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from chorus_core.errors import IncompleteInvoiceError, ReadError, UsageError
from chorus_core.examples import sample_invoice
from chorus_core.formats import FORMATS, convert, diff_terms, read, read_report, write
from chorus_core.formats._table import COLUMNS, KINDS, load, parse_cell
from chorus_core.formats.mapping import markdown, xpaths
from chorus_core.model import TERMS, Invoice, SupportingDocument, term_values
from chorus_core.testing import incomplete_invoices, invoices

ROOT = Path(__file__).resolve().parents[2]
MAPPING_DOC = ROOT / "docs" / "mapping.md"
NAMES = sorted(FORMATS)
PAIRS = [(a, b) for a in NAMES for b in NAMES]


def _ns(name: str) -> dict[str, str]:
    return {p: ns for ns, p in FORMATS[name].SYNTAX.namespaces.items() if p}


def _unit(root: etree._Element, name: str) -> etree._Element:
    """The element the format's column is rooted at (the invoice of a PES Pivot flow)."""
    roots = FORMATS[name].SYNTAX.columns
    return root if root.tag in roots else next(el for el in root.iter() if el.tag in roots)


def _find(root: etree._Element, name: str, term: str) -> list[etree._Element]:
    """What the table's XPath of ``term`` selects, from the column's root element."""
    unit = _unit(root, name)
    path = xpaths(name, unit.tag)[term]
    if unit is not root:  # a flow: the column's XPath starts at its invoice element
        path = " | ".join("." + alt.strip().removeprefix("/*") for alt in path.split(" | "))
    return unit.xpath(path, namespaces=_ns(name))  # type: ignore[no-any-return]


def _first(data: bytes, name: str, term: str) -> tuple[etree._Element, etree._Element]:
    """The root and the element holding ``term``'s first value (its text or an attribute)."""
    root = etree.fromstring(data)
    found = _find(root, name, term)
    assert found, term
    node = found[0]
    return root, node if isinstance(node, etree._Element) else node.getparent()


def _attribute(name: str, term: str) -> str | None:
    """The attribute holding ``term``'s value in the format (PES V2's ``V``), else None."""
    syntax = FORMATS[name].SYNTAX
    cell = syntax.cells(next(iter(syntax.columns.values())))[term]
    last = cell.alternatives[0][-1].tag
    return last[1:] if last.startswith("@") else None


def _set(el: etree._Element, name: str, term: str, value: str) -> None:
    attribute = _attribute(name, term)
    if attribute is None and not el.text and len(el.attrib) == 1:  # a hook's V (PES V2)
        (attribute,) = el.attrib
    if attribute is None:
        el.text = value
    else:
        el.set(attribute, value)


def _carrying(*terms: str) -> list[str]:
    """The formats whose column carries all of ``terms``."""
    return [name for name in NAMES if not set(terms) & _not_carried(name)]


def _anchor(name: str) -> str:
    """A text term of the format to put a neighbour next to: BT-10, else BT-1."""
    return "BT-10" if "BT-10" not in _not_carried(name) else "BT-1"


def _not_carried(name: str) -> set[str]:
    """The terms the format's column declares it cannot carry (``- reason`` cells)."""
    syntax = FORMATS[name].SYNTAX
    return {term for column in syntax.columns.values()
            for term, cell in syntax.cells(column).items() if not cell.carried}


def _new_unread(data: bytes, changed: bytes) -> list[object]:
    """What reading ``changed`` reports that reading ``data`` did not."""
    before = {(u.path, u.bt, u.value) for u in read_report(data).unread}
    return [u for u in read_report(changed).unread if (u.path, u.bt, u.value) not in before]


# ---------------------------------------------------------------- the table


def test_every_term_has_a_cell_in_every_column() -> None:
    """Each term of TERMS has a row, and each row a path, a hook or 'not carried' per column."""
    table = load()
    assert set(table.cells) == set(TERMS)
    for term, cells in table.cells.items():
        for column in COLUMNS:
            cell = cells[column] or cells[column.split("_", 1)[0]]
            assert cell or (table.kinds[term] == "group" and cell == ""), (term, column)


def test_kinds_follow_the_model_types() -> None:
    """A row's kind agrees with the type of its model field (numbers, dates, bytes, text)."""
    from chorus_core.model.terms import _inner_model

    expected = {Decimal: {"amount", "price", "quantity", "percent"}, date: {"date"},
                bytes: {"binary"}, str: {"text", "code"}}
    table = load()

    def visit(cls: type, parent_id: str) -> None:
        for child in table.terms[parent_id].children if parent_id else table.root.children:
            if child.self_value:
                continue
            info = cls.model_fields[child.attribute]  # type: ignore[attr-defined]
            inner = _inner_model(info.annotation)
            kind = table.kinds[child.id]
            assert kind in KINDS
            if inner is not None:
                assert kind in ("group", "id"), child.id
                visit(inner, child.id)
                continue
            args = [a for a in typing.get_args(info.annotation) if a is not type(None)]
            base = typing.get_args(args[0])[0] if typing.get_origin(args[0]) else args[0]
            assert kind in expected[base], (child.id, kind, base)

    visit(Invoice, "")


def test_a_bad_step_is_refused() -> None:
    """A cell that is not in the path language fails to load, naming the step."""
    with pytest.raises(ValueError, match="bad step"):
        parse_cell("cac:Party/not a step", (), {"cac": "urn:x"}, {})


def test_the_mapping_page_is_up_to_date() -> None:
    """docs/mapping.md is generated from the table (CHORUS_UPDATE_DOCS=1 rewrites it)."""
    text = markdown()
    if os.environ.get("CHORUS_UPDATE_DOCS") == "1":
        MAPPING_DOC.write_text(text, encoding="utf-8")
    assert MAPPING_DOC.read_text(encoding="utf-8") == text, "docs/mapping.md is stale"


def test_the_xsd_order_is_up_to_date(corpus: Path) -> None:
    """_xsd_order.py is what tools/gen_xsd_order.py makes of the official XSDs."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_xsd_order", ROOT / "tools" /
                                                  "gen_xsd_order.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    current = (ROOT / "src/chorus_core/formats/_xsd_order.py").read_text(encoding="utf-8")
    assert tool.generate(corpus) == current, "run python tools/gen_xsd_order.py"


@pytest.mark.parametrize("name", NAMES)
def test_every_term_of_a_full_invoice_is_at_its_xpath(name: str) -> None:
    """The sample invoice's leaves are written where the table's XPath says, and read back."""
    inv = sample_invoice()
    data = write(inv, name)
    root = etree.fromstring(data)
    syntax = FORMATS[name].SYNTAX
    cells = syntax.cells(syntax.columns[_unit(root, name).tag])
    for term, _path, value in term_values(inv):
        if cells[term].hook or not cells[term].carried:
            continue  # a hook writes what a path cannot say (tested with its syntax)
        found = [str(getattr(n, "text", n)) for n in _find(root, name, term)]
        written = (value.strftime("%Y%m%d") if isinstance(value, date) and name == "cii"
                   else value.isoformat() if isinstance(value, date) else
                   format(value, "f") if isinstance(value, Decimal) else str(value))
        assert written in found, (term, found)
    # what the format does not carry is dropped, and nothing else differs
    lost = diff_terms(inv, read(data))
    assert {loss.kind for loss in lost} <= {"dropped"}
    assert {loss.bt for loss in lost} <= _not_carried(name)


# ---------------------------------------------------------------- one value policy


@pytest.mark.parametrize("name", [name for name in NAMES if _attribute(name, "BT-1") is None])
def test_a_comment_inside_a_value_does_not_cut_it(name: str) -> None:
    """Element text is its whole string value: '<!---->' or a PI inside keeps the rest."""
    root, el = _first(write(sample_invoice(), name), name, "BT-1")
    el.text = "FA-2026"
    el.append(etree.Comment(""))
    el[-1].tail = "-0042"
    amount = _find(root, name, "BT-115")[0]
    amount.text = "12"
    amount.append(etree.ProcessingInstruction("x"))
    amount[-1].tail = "19.04"
    back = read(etree.tostring(root))
    assert back == read(write(sample_invoice(), name))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("text", ["1e3", "1E+999999999", "1_000", "١٢٣", "1 000", "NaN", "",
                                  "0x10", "+-1"])
def test_amounts_are_xs_decimal_only(name: str, text: str) -> None:
    """An amount outside the xs:decimal lexical form is a ReadError naming the BT and path."""
    root, el = _first(write(sample_invoice(), name), name, "BT-115")
    _set(el, name, "BT-115", text)
    with pytest.raises(ReadError) as info:
        read(etree.tostring(root))
    assert info.value.bt == "BT-115"
    assert info.value.path is not None and etree.QName(el).localname in info.value.path


@pytest.mark.parametrize("name", NAMES)
def test_a_date_in_the_other_syntaxs_form_is_refused(name: str) -> None:
    """UBL dates are xs:date, CII dates format 102: the other form is a ReadError with BT-2."""
    root, el = _first(write(sample_invoice(), name), name, "BT-2")
    _set(el, name, "BT-2", "20261030" if FORMATS[name].SYNTAX.date == "iso" else "2026-10-30")
    with pytest.raises(ReadError) as info:
        read(etree.tostring(root))
    assert info.value.bt == "BT-2"


@pytest.mark.parametrize("name", _carrying("BT-125"))
@pytest.mark.parametrize("junk", ["SGVs!!bG8=@@", "SGVsbG8", "===="])
def test_base64_is_strict(name: str, junk: str) -> None:
    """An attachment that is not strict base64 is a ReadError with BT-125 in every syntax."""
    inv = sample_invoice().model_copy(update={"supporting_documents": (SupportingDocument(
        reference="D1", attached_document=b"Hello", mime_code="text/csv",
        filename="a.csv"),)})
    root, el = _first(write(inv, name), name, "BT-125")
    syntax = FORMATS[name].SYNTAX
    if not syntax.cells(syntax.columns[_unit(root, name).tag])["BT-125"].hook:
        assert base64.b64decode(el.text or "") == b"Hello"  # a hook packs it (PES: a ZIP)
    el.text = junk
    with pytest.raises(ReadError) as info:
        read(etree.tostring(root))
    assert info.value.bt == "BT-125"


# ---------------------------------------------------------------- nothing lost silently


@pytest.mark.parametrize(("name", "term"), [
    (name, term) for name in NAMES for term in ["BT-1", "BT-9", "BT-10", "BT-13", "BT-44", "BT-52"]
    if term not in _not_carried(name)])
def test_a_second_copy_of_a_single_term_is_reported(name: str, term: str) -> None:
    """A second, different copy of a 0..1 term keeps the first value and is named as unread."""
    data = write(sample_invoice(), name)
    root, el = _first(data, name, term)
    twin = copy.deepcopy(el)
    _set(twin, name, term, "20261231" if name == "cii" and term == "BT-9" else (
        "2026-12-31" if term == "BT-9" else "OTHER"))
    el.addnext(twin)
    changed = etree.tostring(root)
    assert read(changed) == read(data)
    assert [(u.bt, u.value) for u in _new_unread(data, changed)] == [  # type: ignore[attr-defined]
        (term, str(_value_of(twin, name, term)))]


def _value_of(el: etree._Element, name: str, term: str) -> object:
    if term == "BT-9":
        return date(2026, 12, 31)
    attribute = _attribute(name, term)
    return el.text if attribute is None else el.get(attribute)


@pytest.mark.parametrize("name", NAMES)
def test_an_element_outside_en16931_is_reported(name: str) -> None:
    """An element no term is read from is listed with its path, the rest is read."""
    data = write(sample_invoice(), name)
    root, el = _first(data, name, _anchor(name))
    namespace = etree.QName(el).namespace
    el.addnext(etree.Element(f"{{{namespace}}}Unknown" if namespace else "Unknown"))
    changed = etree.tostring(root)
    assert read(changed) == read(data)
    (item,) = _new_unread(data, changed)
    assert item.path.endswith("Unknown")  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_attribute_is_reported(name: str) -> None:
    """An attribute the model cannot hold is listed, with its value."""
    data = write(sample_invoice(), name)
    root, el = _first(data, name, _anchor(name))
    el.set("listAgencyID", "6")
    (item,) = _new_unread(data, etree.tostring(root))
    assert (item.path.rsplit("/", 1)[-1], item.value) == (  # type: ignore[attr-defined]
        "@listAgencyID", "6")


def test_a_foreign_currency_on_an_amount_is_reported() -> None:
    """currencyID USD on an amount of an EUR invoice is named, not silently read as EUR."""
    root, el = _first(write(sample_invoice(), "ubl"), "ubl", "BT-115")
    el.set("currencyID", "USD")
    (item,) = read_report(etree.tostring(root)).unread
    assert (item.bt, item.value) == ("BT-115", "USD")


def test_a_foreign_currency_on_the_cii_vat_total_is_reported() -> None:
    """In CII only the VAT total has a currencyID: another currency than BT-5 and BT-6 is named."""
    root, el = _first(write(sample_invoice(), "cii"), "cii", "BT-110")
    el.set("currencyID", "USD")
    (item,) = read_report(etree.tostring(root)).unread
    assert (item.bt, item.value) == ("BT-110", "USD")


@pytest.mark.parametrize("scheme", ["VA", "GST"])
def test_a_vat_scheme_other_than_vat_is_reported_not_rewritten(scheme: str) -> None:
    """TaxScheme/ID VA or GST is not silently rewritten VAT: the reader names it."""
    data = write(sample_invoice(), "ubl")
    changed = data.replace(b"<cbc:ID>VAT</cbc:ID>", f"<cbc:ID>{scheme}</cbc:ID>".encode(), 1)
    unread = read_report(changed).unread
    assert [u.value for u in unread] == [scheme]


@pytest.mark.parametrize("text", ["#2026# draft", "##AAA##text", "#aaa#x"])
def test_only_a_code_of_untdid_4451_shape_is_a_subject_code(text: str) -> None:
    """A UBL note '#X#…' gives a subject code only for three capital letters."""
    from chorus_core.model import InvoiceNote

    inv = sample_invoice().model_copy(update={"notes": (InvoiceNote(note=text),)})
    back = read(write(inv, "ubl"))
    assert back.notes == (InvoiceNote(note=text),)


def test_a_payment_reference_alone_is_reported_by_the_ubl_writer() -> None:
    """BG-16 holding only BT-83 (valid CII) gives no empty UBL PaymentMeans: BT-83 is dropped."""
    from chorus_core.model import PaymentInstructions

    inv = sample_invoice().model_copy(update={
        "payment_instructions": PaymentInstructions(remittance_information="REF-1")})
    result = convert(write(inv, "cii"), to="ubl")
    assert b"PaymentMeans" not in result.data
    assert [(loss.bt, loss.kind) for loss in result.losses] == [("BT-83", "dropped")]


# ---------------------------------------------------------------- writers and the loss report


@pytest.mark.parametrize("name", NAMES)
def test_a_writer_names_the_terms_its_xsd_requires(name: str) -> None:
    """An invoice lacking XSD-required terms raises, naming them; draft=True writes it."""
    inv = sample_invoice()
    broken = inv.model_copy(update={
        "invoice_issue_date": None,
        "lines": (inv.lines[0].model_copy(update={"net_amount": None}),)})
    with pytest.raises(IncompleteInvoiceError) as info:
        write(broken, name)
    # the UBL XSD requires cbc:LineExtensionAmount; the D16B subset leaves the line summation
    # optional (EN 16931's BR-24 still requires BT-131: the rules report it)
    # (the pivot's Ligne/MontantHT too)
    assert set(info.value.terms) == {"ubl": {"BT-2", "BT-131"}, "cii": {"BT-2"},
                                     "pes_pivot": {"BT-2", "BT-131"},
                                     "pes_asap": {"BT-2", "BT-131"}}[name]
    lost = diff_terms(broken, read(write(broken, name, draft=True)))
    assert {loss.kind for loss in lost} <= {"dropped"}
    assert {loss.bt for loss in lost} <= _not_carried(name)


@pytest.mark.parametrize("name", NAMES)
def test_misuse_is_a_usage_error(name: str) -> None:
    """A wrong argument type gives UsageError naming the argument."""
    with pytest.raises(UsageError) as info:
        write("not an invoice", name)  # type: ignore[arg-type]
    assert info.value.argument == "invoice"
    with pytest.raises(UsageError) as info:
        read(b"<a/>", format=[name])  # type: ignore[arg-type]
    assert info.value.argument == "format"


def _declared(result: object) -> set[tuple[str, str, str]]:
    return {(loss.bt, loss.path, loss.kind) for loss in result.losses  # type: ignore[attr-defined]
            if loss.kind != "unread"}


def _read_back(source: Invoice, target: bytes) -> set[tuple[str, str, str]]:
    return {(loss.bt, loss.path, loss.kind) for loss in diff_terms(source, read(target))}


@settings(max_examples=20)
@given(st.sampled_from(PAIRS), st.one_of(invoices(), incomplete_invoices()))
def test_the_declared_report_equals_the_read_back_difference(
        pair: tuple[str, str], invoice: Invoice) -> None:
    """For any invoice, convert()'s declared losses are exactly what reading the target back
    shows (the read-back comparison is the oracle of the declared report)."""
    source, target = pair
    data = write(invoice, source, draft=True)
    result = convert(data, to=target, draft=True)
    assert _declared(result) == _read_back(read(data), result.data)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: f"{p[0]}-{p[1]}")
def test_the_declared_report_equals_the_read_back_on_the_corpus(
        corpus: Path, pair: tuple[str, str]) -> None:
    """On every official example of the source syntax, declared losses = read-back losses."""
    source, target = pair
    # folders of official examples, and how many documents make the test not moot
    folders = {"ubl": (["en16931/ubl/examples", "en16931/tests/testfiles"], 10),
               "cii": (["en16931/cii/examples"], 10),
               "pes_pivot": (["pes"], 9),  # 6 flows, 9 invoices
               "pes_asap": (["pes/pes_v2"], 1)}  # one authored ASAP
    module = FORMATS[source]
    count = 0
    for folder in folders[source][0]:
        for path in sorted((corpus / folder).iterdir()):
            if path.suffix.lower() != ".xml":
                continue
            data = path.read_bytes()
            if not module.detect(etree.fromstring(data)):
                continue
            # a flow of N invoices is converted invoice by invoice
            for one in module.split(data) if hasattr(module, "split") else [data]:
                try:
                    result = convert(one, to=target)
                except IncompleteInvoiceError as exc:
                    # the target's XSD requires terms this source lacks (a pivot requires the
                    # buyer SIRET, UBL a line): really absent, and the draft is reported exactly
                    present = {bt for bt, _path, _value in term_values(read(one))}
                    assert not set(exc.terms) & present, (path.name, exc.terms)
                    result = convert(one, to=target, draft=True)
                assert _declared(result) == _read_back(read(one), result.data), path.name
                count += 1
    assert count >= folders[source][1]  # the test is not moot


def test_a_line_without_identifier_is_not_written_as_an_empty_one() -> None:
    """A line without BT-126 makes the UBL writer raise (cbc:ID is required), not write ''."""
    inv = sample_invoice()
    no_id = inv.model_copy(update={
        "lines": (inv.lines[0].model_copy(update={"identifier": None}),)})
    with pytest.raises(IncompleteInvoiceError) as info:
        write(no_id, "ubl")
    assert info.value.terms == ("BT-126",)
