"""Tests of the portal's views: synthesis, acknowledgements, dashboard, search, archives."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from chorus_core.examples import sample_invoice
from chorus_core.workflow import (
    DASHBOARD_DIMENSIONS,
    Actor,
    History,
    Status,
    TrackedInvoice,
    WorkflowUsageError,
    allowed_actions,
    archived,
    awaiting_acknowledgement,
    dashboard,
    needing_action,
    search,
)

D0 = date(2026, 3, 2)
_STATUSES = [Status.BROUILLON, Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.SUSPENDUE,
             Status.COMPLETEE, Status.A_RECYCLER, Status.REJETEE, Status.SERVICE_FAIT,
             Status.MANDATEE, Status.MISE_EN_PAIEMENT, Status.A_VALIDER_1]


def _tracked(*steps: tuple[Status, int], **fields: object) -> TrackedInvoice:
    history = History.observed([(s, D0 + timedelta(days=d)) for s, d in steps])
    return TrackedInvoice(history, **fields)  # type: ignore[arg-type]


@st.composite
def tracked_invoices(draw: st.DrawFn) -> TrackedInvoice:
    """Invoices with a short observed history and random routing fields and amounts."""
    steps = draw(st.lists(st.tuples(st.sampled_from(_STATUSES), st.integers(0, 400)),
                          max_size=4))
    day, pairs = D0, []
    for status, gap in steps:
        day += timedelta(days=gap)
        pairs.append((status, day))
    amount = st.none() | st.decimals(0, 10**6, places=2)
    return TrackedInvoice(
        History.observed(pairs),
        number=draw(st.none() | st.sampled_from(["F-1", "F-2", "F-3"])),
        recipient=draw(st.none() | st.sampled_from(["21310555400017", "11000201100044"])),
        service=draw(st.none() | st.sampled_from(["COMPTA", "ACHATS"])),
        cadre=draw(st.sampled_from(["A1", "A2", "A9"])),
        supplier=draw(st.none() | st.just("35600000000048")),
        issue_date=draw(st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1))),
        total_ht=draw(amount), total_ttc=draw(amount),
    )


collections = st.lists(tracked_invoices(), max_size=25)


# ---------------------------------------------------------------- synthèse


@given(collections, st.sampled_from(list(Actor)), st.integers(0, 900))
def test_needing_action_lists_exactly_the_invoices_with_allowed_actions(
    items: list[TrackedInvoice], actor: Actor, offset: int
) -> None:
    """An invoice is listed for an actor exactly when its allowed actions are not empty."""
    on = D0 + timedelta(days=offset)
    listed = {id(e.item) for e in needing_action(items, actor, on)}
    expected = {id(t) for t in items if allowed_actions(t.history, actor, on)}
    assert listed == expected
    assert all(e.actions for e in needing_action(items, actor, on))


def test_the_recipient_sees_what_it_must_process() -> None:
    """The seed's synthesis: made-available invoices need the recipient, with their due date."""
    available = _tracked((Status.MISE_A_DISPOSITION, 0), number="F-1")
    draft = _tracked((Status.BROUILLON, 0), number="F-2")
    (entry,) = needing_action([available, draft], Actor.RECIPIENT, D0 + timedelta(days=5))
    assert (entry.item.number, entry.payment_due) == ("F-1", D0 + timedelta(days=30))


def test_the_supplier_sees_drafts_recycling_and_suspensions() -> None:
    """The seed's synthesis: drafts, invoices to recycle and suspended ones need the supplier."""
    items = [_tracked((Status.BROUILLON, 0), number="draft"),
             _tracked((Status.MISE_A_DISPOSITION, 0), (Status.A_RECYCLER, 1), number="recycle"),
             _tracked((Status.MISE_A_DISPOSITION, 0), (Status.SUSPENDUE, 2), number="suspended"),
             _tracked((Status.MISE_A_DISPOSITION, 0), number="waiting")]
    found = needing_action(items, "supplier", D0 + timedelta(days=3))
    assert {e.item.number for e in found} == {"draft", "recycle", "suspended"}
    suspended = next(e for e in found if e.item.number == "suspended")
    assert suspended.acknowledge_by == D0 + timedelta(days=9)
    assert found[0].item.number == "suspended"  # the one with a date comes first


def test_rejected_invoices_await_acknowledgement() -> None:
    """Chorus Pro's tracking page: a rejected invoice is to be acknowledged within 7 days."""
    rejected = _tracked((Status.MISE_A_DISPOSITION, 0), (Status.REJETEE, 1))
    (ack,) = awaiting_acknowledgement([rejected, _tracked((Status.MANDATEE, 0))],
                                      D0 + timedelta(days=9))
    assert (ack.due, ack.overdue) == (D0 + timedelta(days=8), True)


def test_needing_action_refuses_an_unknown_actor() -> None:
    """An actor that is not an Actor raises a typed usage error naming ``actor``."""
    with pytest.raises(WorkflowUsageError) as caught:
        needing_action([], "ordonnateur", D0)
    assert caught.value.argument == "actor"


# ---------------------------------------------------------------- tableau de bord


@given(collections, st.lists(st.sampled_from(sorted(DASHBOARD_DIMENSIONS)), max_size=3,
                             unique=True))
def test_every_invoice_is_in_exactly_one_dashboard_cell(
    items: list[TrackedInvoice], by: list[str]
) -> None:
    """Cell counts add up to the collection and no key appears twice."""
    cells = dashboard(items, by=by)
    assert sum(c.invoices for c in cells) == len(items)
    assert len({c.key for c in cells}) == len(cells)


@given(collections)
def test_dashboard_totals_are_the_sums_of_their_invoices(items: list[TrackedInvoice]) -> None:
    """Each cell's HT total is the sum of the HT amounts of the invoices in that status."""
    for cell in dashboard(items, by=("status",)):
        mine = [t for t in items if (t.status.value if t.status else None) == cell.key[0]]
        assert cell.total_ht == sum((t.total_ht or Decimal(0) for t in mine), Decimal(0))


def test_dashboard_refuses_an_unknown_dimension() -> None:
    """Grouping by an unknown dimension raises a typed usage error naming ``by``."""
    with pytest.raises(WorkflowUsageError) as caught:
        dashboard([], by=("colour",))
    assert caught.value.argument == "by"


# ---------------------------------------------------------------- search


@given(collections)
def test_search_without_criteria_returns_everything(items: list[TrackedInvoice]) -> None:
    """With no criterion every invoice is found, once each."""
    page = search(items)
    assert page.total == len(items)
    assert sorted(map(id, page.items)) == sorted(map(id, items))


@given(collections, st.sampled_from(["21310555400017", "11000201100044"]),
       st.decimals(0, 10**6, places=2))
def test_search_criteria_match_as_a_filter_would(
    items: list[TrackedInvoice], recipient: str, low: Decimal
) -> None:
    """Recipient and a TTC lower bound keep exactly the invoices a plain filter keeps."""
    found = search(items, recipient=recipient, ttc_min=low).items
    expected = [t for t in items if t.recipient == recipient
                and t.total_ttc is not None and t.total_ttc >= low]
    assert sorted(map(id, found)) == sorted(map(id, expected))


@given(collections, st.integers(1, 5))
def test_pages_partition_the_results(items: list[TrackedInvoice], per_page: int) -> None:
    """Concatenated pages give the sorted results once each, in order."""
    full = search(items, sort_by="number").items
    pages: list[TrackedInvoice] = []
    for page in range(1, len(items) // per_page + 2):
        pages += search(items, sort_by="number", page=page, per_page=per_page).items
    assert [id(t) for t in pages] == [id(t) for t in full]


def test_search_by_status_and_deposit_dates() -> None:
    """Current status and deposit date range select as rechercherFactureParRecipiendaire does."""
    early = _tracked((Status.DEPOSEE, 0), (Status.MISE_A_DISPOSITION, 0), number="early")
    late = _tracked((Status.DEPOSEE, 10), (Status.MISE_A_DISPOSITION, 10), number="late")
    paid = _tracked((Status.DEPOSEE, 10), (Status.MISE_EN_PAIEMENT, 20), number="paid")
    found = search([early, late, paid], status=Status.MISE_A_DISPOSITION,
                   deposited_from=D0 + timedelta(days=5))
    assert [t.number for t in found.items] == ["late"]


def test_search_sorts_descending_with_missing_values_last() -> None:
    """Sorting by TTC descending puts the largest first and invoices without TTC last."""
    items = [_tracked(number=n, total_ttc=v)
             for n, v in (("a", Decimal(5)), ("b", None), ("c", Decimal(9)))]
    assert [t.number for t in search(items, sort_by="total_ttc", descending=True).items] == [
        "c", "a", "b"]


def test_search_refuses_an_unknown_criterion() -> None:
    """An unknown criterion raises a typed usage error naming it."""
    with pytest.raises(WorkflowUsageError) as caught:
        search([], colour="red")
    assert caught.value.argument == "colour"


def test_search_refuses_a_bad_page() -> None:
    """Page 0 raises a typed usage error naming ``page``."""
    with pytest.raises(WorkflowUsageError) as caught:
        search([], page=0)
    assert caught.value.argument == "page"


def test_views_refuse_items_that_are_not_tracked_invoices() -> None:
    """A collection of bare histories raises a typed usage error naming ``items``."""
    with pytest.raises(WorkflowUsageError) as caught:
        search([History()])  # type: ignore[list-item]
    assert caught.value.argument == "items"


# ---------------------------------------------------------------- archives


def test_archives_hold_invoices_processed_more_than_two_years_ago() -> None:
    """The seed: the archives hold the invoices processed more than two years ago."""
    paid = _tracked((Status.MISE_A_DISPOSITION, 0), (Status.MISE_EN_PAIEMENT, 10))
    pending = _tracked((Status.MISE_A_DISPOSITION, 0))
    two_years = date(2028, 3, 12)  # the payment date plus two years
    assert archived([paid, pending], two_years) == ()
    assert archived([paid, pending], two_years + timedelta(days=1)) == (paid,)


@given(collections, st.integers(0, 2000))
def test_archived_invoices_are_all_terminal(items: list[TrackedInvoice], offset: int) -> None:
    """Every archived invoice has reached a terminal status at least two years earlier."""
    on = D0 + timedelta(days=offset)
    for t in archived(items, on):
        first = next(e.on for e in t.history.events
                     if e.status in {Status.REJETEE, Status.MISE_EN_PAIEMENT})
        assert first < on - relativedelta(years=2)


# ---------------------------------------------------------------- building records


def test_tracked_invoice_reads_the_routing_view() -> None:
    """TrackedInvoice.of takes the number, recipient SIRET, code service and totals."""
    invoice = sample_invoice()
    t = TrackedInvoice.of(invoice, History(), key="cpp-1")
    assert invoice.totals is not None
    assert (t.number, t.service, t.total_ttc, t.key) == (
        invoice.invoice_number, invoice.buyer_reference, invoice.totals.total_with_vat, "cpp-1")
