"""Example invoices bundled with chorus_core (authored for the project, fictitious parties).

>>> inv = sample_invoice()
>>> inv.invoice_number, inv.buyer_reference
('FA-2026-0042', 'SERV-TECHNIQUES')
"""

from __future__ import annotations

from importlib.resources import files

from ..model import Invoice

__all__ = ["SAMPLES", "sample_invoice"]

SAMPLES = ("facture-commune",)
"""Names of the bundled examples."""


def sample_invoice(name: str = "facture-commune") -> Invoice:
    """Load a bundled example invoice (package data, strict building path)."""
    if name not in SAMPLES:
        raise ValueError(f"unknown example {name!r}; known: {', '.join(SAMPLES)}")
    text = files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return Invoice.model_validate_json(text)
