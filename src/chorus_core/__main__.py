"""Command line of chorus_core: the thin edge where files are read and results printed.

``python -m chorus_core demo`` runs the main job on a bundled example invoice.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date, timedelta

from .directory import check_routing
from .examples import sample_directory, sample_invoice
from .formats import convert, read, write
from .model import Invoice
from .model.routing import CADRES, routing_of
from .workflow import Actor, History, Status, allowed_actions, payment_delay


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
    print("== 1. Facture / invoice (exemple fourni / bundled example) ==")
    _print_invoice(inv)

    print("\n== 2. Annuaire / directory routing check ==")
    directory = sample_directory()
    report = check_routing(inv, directory)
    print(f"  {directory!r}: {'aucune anomalie / no finding' if report.ok else report.codes}")
    broken = inv.model_copy(update={"buyer_reference": None})
    for f in check_routing(broken, directory):
        print(f"  Sans code service / without code service -> {f.code} [{', '.join(f.bt)}]"
              f" {f.policy.value}: {f.message_fr}")

    print("\n== 3. Formats ==")
    for fmt in ("ubl", "cii"):
        data = write(inv, fmt)
        back = read(data)
        print(f"  {fmt.upper()}: {len(data)} octets/bytes, relu identique / read back equal: "
              f"{back == inv}")
    conversion = convert(write(inv, "ubl"), to="cii")
    print(f"  UBL -> CII: {len(conversion.losses)} perte(s) / loss(es)")

    print("\n== 4. Suivi / workflow ==")
    available = inv.invoice_issue_date or date.today()
    today = args.today or available + timedelta(days=25)
    history = History.observed([(Status.DEPOSEE, available),
                                (Status.MISE_A_DISPOSITION, available)])
    delay = payment_delay(history, today)
    print(f"  Statut / status: {history.status}, au / on {today}: "
          f"{delay.days_elapsed} jours écoulés / days elapsed, {delay.days_left} restants / left,"
          f" échéance / due {delay.due_date}")
    for actor in (Actor.SUPPLIER, Actor.RECIPIENT):
        actions = [row.action.value for row in allowed_actions(history, actor)] or ["-"]
        print(f"  {actor.value}: {', '.join(actions)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m chorus_core``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m chorus_core", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="run the main job on a bundled example invoice")
    demo.add_argument("--today", type=date.fromisoformat, default=None,
                      help="date of the workflow view (default: 25 days after availability)")
    demo.set_defaults(func=_demo)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
