"""Command line of chorus_core: the thin edge where files are read and results printed.

``python -m chorus_core demo`` runs the main job on a bundled example invoice.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .examples import sample_invoice
from .model import Invoice
from .model.routing import CADRES, routing_of


def _print_invoice(inv: Invoice) -> None:
    r = routing_of(inv)
    t = inv.totals
    cadre = CADRES.get(r.cadre)
    print(f"Facture {inv.invoice_number} du {inv.invoice_issue_date} ({r.kind.value})")
    print(f"  Fournisseur : {inv.seller.name if inv.seller else '-'}")
    print(f"  Destinataire : {inv.buyer.name if inv.buyer else '-'}")
    print("Acheminement Chorus Pro / routing")
    print(f"  SIRET destinataire (BT-46/47/49) : {r.buyer_siret} [{r.buyer_siret_term}]")
    print(f"  Code service (BT-10)             : {r.code_service or '-'}")
    print(f"  Numéro d'engagement (BT-13)      : {r.engagement or '-'}")
    print(f"  Numéro de marché (BT-12)         : {r.marche or '-'}")
    print(f"  Cadre de facturation (BT-23)     : {r.cadre} {cadre.label_fr if cadre else ''}")
    if t is not None:
        cur = inv.invoice_currency_code or ""
        print("Totaux / totals")
        print(f"  Total HT (BT-109)  : {t.total_without_vat} {cur}")
        print(f"  TVA (BT-110)       : {t.total_vat_amount} {cur}")
        print(f"  Total TTC (BT-112) : {t.total_with_vat} {cur}")
        print(f"  Net à payer (BT-115): {t.amount_due_for_payment} {cur}")
    for b in inv.vat_breakdown:
        print(f"  TVA {b.category_code} {b.rate} % : base {b.taxable_amount}, taxe {b.tax_amount}")


def _demo(args: argparse.Namespace) -> int:
    inv = sample_invoice()
    _print_invoice(inv)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m chorus_core``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m chorus_core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the main job on a bundled example invoice")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
