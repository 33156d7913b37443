"""The compiled writer (formats/_codegen.py) writes exactly what the plan interpreter writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chorus_core.errors import ChorusError, IncompleteInvoiceError
from chorus_core.formats import FORMATS, read
from chorus_core.model import Invoice
from chorus_core.testing import incomplete_invoices, invoices

NAMES = sorted(FORMATS)


def _attempt(name: str, invoice: Invoice, draft: bool, interpret: bool) -> object:
    try:
        return FORMATS[name].SYNTAX.write(invoice, draft=draft, interpret=interpret)
    except IncompleteInvoiceError as exc:
        return exc.terms


@settings(max_examples=30)
@given(st.sampled_from(NAMES), st.one_of(invoices(), incomplete_invoices()), st.booleans())
def test_the_compiled_writer_writes_what_the_plan_says(
        name: str, invoice: Invoice, draft: bool) -> None:
    """The writer compiled to Python source and the plan interpreter give the same bytes,
    the same report and the same refusal, strict or draft."""
    assert _attempt(name, invoice, draft, False) == _attempt(name, invoice, draft, True)


@pytest.mark.parametrize("name", NAMES)
def test_the_compiled_writer_agrees_on_the_corpus(corpus: Path, name: str) -> None:
    """On every official example read into the model, both writers agree, strict and draft."""
    count = 0
    for path in sorted((corpus / "en16931").rglob("*")):
        if path.suffix.lower() != ".xml":
            continue
        try:
            invoice = read(path.read_bytes())
        except ChorusError:
            continue
        for draft in (False, True):
            assert _attempt(name, invoice, draft, False) == _attempt(name, invoice, draft, True)
        count += 1
    assert count > 50



@pytest.mark.parametrize("name", ["ubl", "cii"])
def test_attributes_of_an_absent_attachment_are_reported_by_both_writers(name: str) -> None:
    """A file name and MIME type without the attached bytes (BT-125) are not written: both
    writers report BT-125-1 and BT-125-2 as not carried."""
    from chorus_core.examples import sample_invoice
    from chorus_core.model import SupportingDocument

    invoice = sample_invoice().model_copy(update={"supporting_documents": (SupportingDocument(
        reference="D-1", mime_code="application/pdf", filename="a.pdf"),)})
    fast = FORMATS[name].SYNTAX.write(invoice)
    assert {bt for bt, _, _ in fast.missing} == {"BT-125-1", "BT-125-2"}
    assert fast == FORMATS[name].SYNTAX.write(invoice, interpret=True)
