"""Example invoices bundled with chorus_core (authored for the project, fictitious parties).

>>> inv = sample_invoice()
>>> inv.invoice_number, inv.buyer_reference
('FA-2026-0042', 'SERV-TECHNIQUES')
>>> sample_directory()
Directory(1 structures, 2 services)
"""

from __future__ import annotations

from importlib.resources import files

from ..directory import Directory, Service, Structure
from ..model import Invoice

__all__ = ["SAMPLES", "sample_directory", "sample_invoice"]

SAMPLES = ("facture-commune",)
"""Names of the bundled examples."""


def sample_invoice(name: str = "facture-commune") -> Invoice:
    """Load a bundled example invoice (package data, strict building path)."""
    if name not in SAMPLES:
        raise ValueError(f"unknown example {name!r}; known: {', '.join(SAMPLES)}")
    text = files(__package__).joinpath(f"{name}.json").read_text(encoding="utf-8")
    return Invoice.model_validate_json(text)


def sample_directory() -> Directory:
    """A tiny directory (annuaire) in which the sample invoice's recipient is listed.

    The commune requires a code service; its technical service requires an engagement number.
    """
    siret = "21690123100011"
    name = "COMMUNE DE SAINT-EXEMPLE"
    commune = Structure(siret, name, service_required=True, active=True)
    return Directory.of(
        [commune],
        [
            Service(siret, "SERV-TECHNIQUES", "Services techniques", name,
                    engagement_required=True),
            Service(siret, "ANCIEN-CCAS", "Ancien CCAS", name, active=False),
        ],
    )
