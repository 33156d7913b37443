"""The published JSON Schema is generated from the model and kept up to date."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from hypothesis import given, settings

from chorus_core.model import Invoice
from chorus_core.model.schema import invoice_json_schema, invoice_json_schema_text
from chorus_core.testing import invoices

SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "invoice.schema.json"


def test_published_schema_is_not_stale() -> None:
    """schemas/invoice.schema.json equals the schema generated now (run tools/gen_schemas.py)."""
    assert SCHEMA.read_text(encoding="utf-8") == invoice_json_schema_text()


def test_schema_properties_carry_bt_ids() -> None:
    """Each business term of the invoice appears with its id in the schema."""
    schema = invoice_json_schema()
    assert schema["properties"]["invoice_number"]["bt"] == "BT-1"
    assert schema["$defs"]["InvoiceLine"]["properties"]["net_amount"]["bt"] == "BT-131"


@settings(max_examples=10)
@given(invoices())
def test_generated_invoices_validate_against_the_schema(inv: Invoice) -> None:
    """The JSON of a valid invoice validates against the published schema (jsonschema)."""
    validator = jsonschema.Draft202012Validator(invoice_json_schema())
    assert list(validator.iter_errors(json.loads(inv.model_dump_json()))) == []


def test_schema_rejects_a_wrongly_typed_document() -> None:
    """A list where an object is expected is reported by the schema."""
    validator = jsonschema.Draft202012Validator(invoice_json_schema())
    assert list(validator.iter_errors({"seller": []}))
