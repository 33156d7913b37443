"""JSON Schema of the canonical model, published in ``schemas/`` for other languages.

Every property of the schema carries its EN 16931 id as ``"bt"`` (and ``"sub"`` for the
scheme sub-identifiers), as in the pydantic field metadata.

>>> schema = invoice_json_schema()
>>> schema["properties"]["buyer_reference"]["bt"]
'BT-10'
"""

from __future__ import annotations

import json
from typing import Any

from .invoice import Invoice

__all__ = ["invoice_json_schema", "invoice_json_schema_text"]

SCHEMA_ID = "https://chorus-core.invalid/schemas/invoice.schema.json"


def invoice_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :class:`~chorus_core.model.Invoice` in JSON mode."""
    schema = Invoice.model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def invoice_json_schema_text() -> str:
    """The schema as the stable text committed in ``schemas/invoice.schema.json``."""
    return json.dumps(invoice_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
