"""The ``demo`` command: the main job of chorus_core on the bundled example invoice.

Each part says in one line, in French and English, what it shows: the invoice read into the
EN 16931 model and its Chorus Pro routing, the directory check, writing and reading back
UBL and CII, a conversion to the Chorus Pro pivot with the terms it loses, XSD validation
(skipped, with the reason, when no schema is installed: chorus_core ships none), the EN 16931
and Chorus Pro rules, and the payment-delay clock with who may act.  It needs nothing but the
installed package.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from .. import rules
from ..directory import check_routing
from ..errors import Report, SchemaNotFoundError
from ..examples import sample_directory, sample_invoice
from ..formats import convert, read, validate_xsd, write
from ..model import Invoice
from ..model.routing import CADRES, routing_of
from ..workflow import (
    ACTOR_LABELS_FR,
    Actor,
    ClockState,
    History,
    PaymentDelay,
    Status,
    allowed_actions,
    payment_delay,
)

__all__ = ["LOSSES_SHOWN", "run_demo"]

LOSSES_SHOWN = 5
"""Losses of the pivot conversion printed in full; the others are listed by term id."""

Print = Callable[[str], None]

_KINDS_FR = {"dropped": "non porté", "changed": "modifié", "added": "ajouté", "unread": "non lu"}


def _section(say: Print, number: int, title: str, fr: str, en: str) -> None:
    say(f"\n== {number}. {title} ==" if number > 1 else f"== {number}. {title} ==")
    say(f"   {fr}")
    say(f"   {en}")


def _invoice(say: Print, inv: Invoice) -> None:
    r = routing_of(inv)
    cadre = CADRES.get(r.cadre)
    seller, buyer = inv.seller, inv.buyer
    say(f"  Facture {inv.invoice_number} du {inv.invoice_issue_date} ({r.kind.value})")
    supplier_id = f", {r.supplier_identifier} (BT-29)" if r.supplier_identifier else ""
    say(f"  Fournisseur / seller (BT-27)    : {seller.name if seller else '-'}{supplier_id}")
    say(f"  Destinataire / buyer (BT-44)    : {buyer.name if buyer else '-'}")
    say("  Acheminement Chorus Pro / routing")
    say(f"    SIRET destinataire (BT-46/47/49) : {r.buyer_siret} [{r.buyer_siret_term}]")
    say(f"    Code service (BT-10)             : {r.code_service or '-'}")
    say(f"    Numéro d'engagement (BT-13)      : {r.engagement or '-'}")
    say(f"    Numéro de marché (BT-12)         : {r.marche or '-'}")
    say(f"    Cadre de facturation (BT-23)     : {r.cadre} {cadre.label_fr if cadre else ''}")
    t = inv.totals
    if t is not None:
        cur = inv.invoice_currency_code or ""
        say("  Totaux / totals")
        say(f"    Total HT (BT-109)   : {t.total_without_vat} {cur}")
        say(f"    TVA (BT-110)        : {t.total_vat_amount} {cur}")
        say(f"    Total TTC (BT-112)  : {t.total_with_vat} {cur}")
        say(f"    Net à payer (BT-115): {t.amount_due_for_payment} {cur}")
    for b in inv.vat_breakdown:
        say(f"    TVA {b.category_code} {b.rate} % : base {b.taxable_amount}, taxe {b.tax_amount}")


def _directory(say: Print, inv: Invoice) -> None:
    directory = sample_directory()
    report = check_routing(inv, directory)
    say(f"  {directory!r}: {'aucune anomalie / no finding' if report.ok else report.codes}")
    broken = inv.model_copy(update={"buyer_reference": None})
    for f in check_routing(broken, directory):
        say(f"  Sans code service / without code service -> {f.code} [{', '.join(f.bt)}]"
            f" {f.policy.value}: {f.message_fr}")


def _formats(say: Print, inv: Invoice, ubl: bytes) -> None:
    for fmt in ("ubl", "cii"):
        data = ubl if fmt == "ubl" else write(inv, fmt)
        say(f"  {fmt.upper()}: {len(data)} octets/bytes, relu identique / read back equal: "
            f"{read(data) == inv}")
    say(f"  UBL -> CII: {len(convert(ubl, to='cii').losses)} perte(s) / loss(es)")


def _pivot(say: Print, ubl: bytes) -> None:
    conversion = convert(ubl, to="pes_pivot")
    say(f"  UBL -> PES_PIVOT: {len(conversion.data)} octets/bytes, "
        f"{len(conversion.losses)} perte(s) / loss(es)")
    for loss in conversion.losses[:LOSSES_SHOWN]:
        say(f"    {loss.bt} {loss.name_fr} / {loss.name}: {_KINDS_FR[loss.kind]} / {loss.kind}")
    rest = conversion.losses[LOSSES_SHOWN:]
    if rest:
        say(f"    … et {len(rest)} autres / and {len(rest)} more: "
            f"{', '.join(dict.fromkeys(loss.bt for loss in rest))}")


def _xsd(say: Print, ubl: bytes) -> None:
    try:
        report = validate_xsd(ubl, "ubl")
    except SchemaNotFoundError as exc:
        say("  ignorée / skipped: aucun schéma UBL installé / no UBL schema installed")
        say(f"    ({exc})")
        return
    verdict = "valide / valid" if report.ok else f"{len(report)} erreur(s) / error(s)"
    say(f"  UBL: {verdict}")
    for f in report.findings[:3]:
        say(f"    {f.message_en}")


def _findings(say: Print, label: str, report: Report) -> None:
    if not report.findings:
        say(f"  {label}: aucun constat / no finding")
        return
    say(f"  {label}: {len(report)} constat(s) / finding(s)")
    for f in report:
        say(f"    {f.code} {f.severity.value} [{', '.join(f.bt)}] {f.policy.value}: {f.message_fr}")


def _rules(say: Print, inv: Invoice, ubl: bytes, today: date) -> None:
    directory = sample_directory()
    report = rules.validate(ubl, "chorus", directory, today=today)
    ran = ", ".join(f"{la.name} {'✓' if la.ran else '– skipped'}" for la in report.layers)
    say(f"  couches / layers: {ran}")
    _findings(say, f"facture d'exemple / example (au / on {today})", report)
    broken = write(inv.model_copy(update={"invoice_number": None}), "ubl", draft=True)
    _findings(say, "sans numéro / without invoice number (BT-1)",
              rules.validate(broken, "chorus", directory, today=today))


def _clock_words(delay: PaymentDelay, available: date) -> str:
    if delay.state == ClockState.NOT_STARTED:
        return (f"délai non commencé au {delay.today} : la facture est mise à disposition le "
                f"{available} / the clock has not started: the invoice is made available on "
                f"{available}")
    if delay.state == ClockState.PAUSED:
        return "délai suspendu / the clock is paused"
    if delay.days_late:
        return (f"échéance / due {delay.due_date}, dépassée de {delay.days_late} jours / "
                f"{delay.days_late} days late")
    return f"échéance / due {delay.due_date}"


def _workflow(say: Print, inv: Invoice, today: date, available: date) -> None:
    history = History.observed([(Status.DEPOSEE, available),
                                (Status.MISE_A_DISPOSITION, available)])
    delay = payment_delay(history, today)
    say(f"  Statut / status: {history.status} (le / on {available}); au / on {today}: "
        f"{delay.days_elapsed} jours écoulés / days elapsed, {delay.days_left} restants / left")
    say(f"  {_clock_words(delay, available)}")
    for actor in (Actor.SUPPLIER, Actor.RECIPIENT):
        rows = allowed_actions(history, actor)
        who = f"{actor.value} ({ACTOR_LABELS_FR[actor]})"
        if rows:
            say(f"  {who}: {', '.join(row.action.value for row in rows)}")
        else:
            say(f"  {who}: aucune action, la facture attend le destinataire / "
                "no action, the invoice waits for the recipient")


def run_demo(say: Print, today: date | None = None) -> int:
    """Print the demo through ``say`` (one line per call); ``today`` dates the workflow part
    (default: 25 days after the invoice is made available).  Returns the exit status, 0."""
    inv = sample_invoice()
    ubl = write(inv, "ubl")
    available = inv.invoice_issue_date or date(2026, 1, 1)
    today = today or available + timedelta(days=25)
    _section(say, 1, "Facture / invoice",
             "La facture d'exemple fournie, lue dans le modèle EN 16931, et son acheminement.",
             "The bundled example invoice in the EN 16931 model, and its Chorus Pro routing.")
    _invoice(say, inv)
    _section(say, 2, "Annuaire / directory",
             "Le destinataire et son service sont cherchés dans un petit annuaire Chorus Pro.",
             "The recipient and its service are looked up in a small Chorus Pro directory.")
    _directory(say, inv)
    _section(say, 3, "Formats",
             "Écrite en UBL et en CII puis relue, la facture ne change pas ; vers CII, rien perdu.",
             "Written as UBL and CII and read back, the invoice is unchanged; to CII, no loss.")
    _formats(say, inv, ubl)
    _section(say, 4, "Conversion avec pertes / lossy conversion",
             "Le pivot Chorus Pro ne porte pas tous les termes : chaque perte est listée.",
             "The Chorus Pro pivot cannot carry every term: each loss is listed.")
    _pivot(say, ubl)
    _section(say, 5, "Validation XSD",
             "Le document UBL contre le schéma officiel (non fourni : installé à part).",
             "The UBL document against the official schema (not bundled: installed separately).")
    _xsd(say, ubl)
    _section(say, 6, "Règles / rules",
             "Règles EN 16931 et profil Chorus Pro (avec l'annuaire) sur le document UBL.",
             "EN 16931 rules and the Chorus Pro profile (with the directory) on the UBL document.")
    _rules(say, inv, ubl, today)
    _section(say, 7, "Suivi / workflow",
             "Le délai global de paiement de 30 jours et qui peut agir sur la facture.",
             "The 30-day payment-delay clock, and who may act on the invoice.")
    _workflow(say, inv, today, available)
    return 0
