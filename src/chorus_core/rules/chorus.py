"""Chorus Pro profile: the rules Chorus Pro applies on top of EN 16931 (ids CHORUS-PROFILE-0xx).

Skeleton; the full rule table follows.

>>> from chorus_core.examples import sample_invoice
>>> check(sample_invoice())
[]
"""

from __future__ import annotations

import datetime

from chorus_core.directory import Directory, check_routing
from chorus_core.errors import Finding, Policy, Severity
from chorus_core.model import Invoice

__all__ = ["check"]

LAYER = "chorus"


def check(invoice: Invoice, *, today: datetime.date | None = None,
          directory: Directory | None = None) -> list[Finding]:
    """Return the Chorus Pro profile findings of ``invoice`` (plus routing when ``directory``)."""
    found: list[Finding] = []
    # research/chorus-rules.md: the invoice number (BT-1) is mandatory at deposit.
    if not (invoice.invoice_number or "").strip():
        found.append(Finding(code="CHORUS-PROFILE-001", severity=Severity.ERROR, bt=("BT-1",),
                             message_fr="Numéro de facture absent",
                             message_en="Invoice number missing",
                             policy=Policy.REFUSED_AT_DEPOSIT, layer=LAYER))
    if directory is not None:
        found.extend(check_routing(invoice, directory).findings)
    return found
