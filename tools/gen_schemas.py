"""Rewrite ``schemas/invoice.schema.json`` from the pydantic model (run after a model change)."""

from pathlib import Path

from chorus_core.model.schema import invoice_json_schema_text

TARGET = Path(__file__).resolve().parent.parent / "schemas" / "invoice.schema.json"

if __name__ == "__main__":
    TARGET.write_text(invoice_json_schema_text(), encoding="utf-8")
    print(f"wrote {TARGET}")
