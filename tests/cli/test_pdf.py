"""A Factur-X PDF on the command line: the CLI passes the file's bytes to the library, which
reads the CII the PDF carries (chorus_core.formats.facturx)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from chorus_core.cli import main
from chorus_core.examples import sample_invoice
from chorus_core.formats import facturx, read, write


def _blank_pdf() -> bytes:
    buffer = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    """A blank page carrying the bundled example as its Factur-X CII."""
    path = tmp_path / "facture.pdf"
    path.write_bytes(facturx.attach(_blank_pdf(), write(sample_invoice(), "cii")))
    return path


def test_a_pdf_is_detected_validated_and_routed(run: Any, pdf: Path) -> None:
    """validate on a Factur-X PDF reads its CII: format cii, container pdf, no finding."""
    done = run("--format", "json", "validate", pdf, "--profile", "chorus",
               "--today", "2026-11-02")
    assert done.code == 0, done.err
    result = done.json()["results"][0]
    assert (result["format"], result["container"], result["ok"]) == ("cii", "pdf", True)
    assert [la["name"] for la in result["layers"] if la["ran"]] == ["syntax", "en16931", "chorus"]


def test_a_pdf_converts_to_ubl(pdf: Path, tmp_path: Path) -> None:
    """convert PDF --to ubl writes the UBL of the invoice the PDF carries."""
    out = tmp_path / "facture.xml"
    assert main(["convert", str(pdf), "--to", "ubl", "-o", str(out)]) == 0
    assert read(out.read_bytes()) == sample_invoice()


def test_a_pdf_without_invoice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A PDF that carries no invoice: its PdfError message in English and French, exit 1."""
    path = tmp_path / "blank.pdf"
    path.write_bytes(_blank_pdf())
    assert main(["route", str(path)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith(f"chorus-core: error: {path}: ") and "no_invoice" not in lines[0]
    assert lines[1].startswith("chorus-core: erreur : ")
