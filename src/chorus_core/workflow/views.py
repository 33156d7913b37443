"""The Chorus Pro portal's views as pure functions: synthesis, dashboard, search, archives.

The portal shows an invoice collection four ways (the seed): the « synthèse » of what needs the
user's action, the « tableau de bord » of every invoice by current status, a « moteur de
recherche », and the « archives » of invoices processed more than two years ago.  Here each is a
pure function over :class:`TrackedInvoice` records (an invoice's routing, amounts and
:class:`~chorus_core.workflow.machine.History`): no I/O, no clock, the date is passed in.

* :func:`needing_action`: what needs an actor's action now, with the allowed actions, the
  payment due date of the clock and the 7-day acknowledgement date (the API's
  ``rechercherFactureATraiterParRecipiendaire`` for the recipient);
* :func:`awaiting_acknowledgement`: the suspended and rejected invoices the supplier must
  acknowledge (``traiterFacturesRejetees`` changes no status, so it is not an action);
* :func:`dashboard`: counts and amounts by current status, grouped as asked;
* :func:`search`: the criteria of ``rechercherFactureParRecipiendaire``, with paging and sorting;
* :func:`archived`: invoices processed more than two years before a date.

More information:

* ``../shared/research/chorus-rules.md`` §9 (portal views, search criteria)

>>> from datetime import date
>>> from decimal import Decimal
>>> from chorus_core.workflow import History, Status
>>> a = TrackedInvoice(History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 2))]),
...                    number="F-1", total_ttc=Decimal("120.00"))
>>> b = TrackedInvoice(History.observed([(Status.SUSPENDUE, date(2026, 3, 4))]), number="F-2")
>>> [(c.key, c.invoices) for c in dashboard([a, b], by=("status",))]
[(('MISE_A_DISPOSITION',), 1), (('SUSPENDUE',), 1)]
>>> dashboard([a], by=("colour",))
Traceback (most recent call last):
...
chorus_core.workflow.machine.WorkflowUsageError: by: 'colour' is not a dashboard dimension ...
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any, Final, NamedTuple

from dateutil.relativedelta import relativedelta

from chorus_core.model import Invoice
from chorus_core.model.routing import DEFAULT_CADRE, DocumentKind, routing_of

from .clock import STATE_DELAY_DAYS, _due_date, acknowledgement_due
from .machine import (
    History,
    WorkflowUsageError,
    _as_history,
    _member,
    allowed_actions,
    as_date,
)
from .statuses import Actor, Status
from .transitions import DEFAULT_TABLE, Condition, Transition, TransitionTable

__all__ = [
    "ARCHIVE_AFTER_YEARS",
    "DASHBOARD_DIMENSIONS",
    "SEARCH_CRITERIA",
    "SORT_KEYS",
    "Acknowledgement",
    "ActionNeeded",
    "DashboardCell",
    "SearchPage",
    "TrackedInvoice",
    "archived",
    "awaiting_acknowledgement",
    "dashboard",
    "needing_action",
    "search",
]

ARCHIVE_AFTER_YEARS: Final = 2
"""The portal archives invoices processed more than two years ago (the seed)."""

_ZERO = Decimal("0")
_NOT_DEPOSITED = frozenset({Status.BROUILLON, Status.SUPPRIMEE})


class TrackedInvoice(NamedTuple):
    """One invoice as the portal's views see it: its history and the fields they filter on.

    ``recipient`` is the buyer SIRET (the structure), ``service`` the code service (BT-10),
    ``supplier`` the supplier identifier, ``purchase_order`` the engagement / bon de commande
    (BT-13), ``marche`` the contract (BT-12); amounts are HT (BT-109), TTC (BT-112) and due
    (BT-115).  ``key`` is the caller's identifier (e.g. ``idFactureCPP``).  Build one from an
    invoice with :meth:`of`.
    """

    history: History
    number: str | None = None
    type_code: str | None = None
    kind: DocumentKind = DocumentKind.FACTURE
    issue_date: date | None = None
    supplier: str | None = None
    recipient: str | None = None
    service: str | None = None
    cadre: str = DEFAULT_CADRE
    marche: str | None = None
    purchase_order: str | None = None
    total_ht: Decimal | None = None
    total_ttc: Decimal | None = None
    amount_due: Decimal | None = None
    key: Hashable = None

    @classmethod
    def of(cls, invoice: Invoice, history: History, *, key: Hashable = None) -> TrackedInvoice:
        """The record of ``invoice`` (read through its Chorus Pro routing view) and ``history``.

        >>> from chorus_core.examples import sample_invoice
        >>> t = TrackedInvoice.of(sample_invoice(), History())
        >>> t.number, t.cadre, t.status is None
        ('FA-2026-0042', 'A1', True)
        """
        history = _as_history(history)
        routing = routing_of(invoice)
        totals = invoice.totals
        return cls(
            history=history, number=invoice.invoice_number, type_code=invoice.invoice_type_code,
            kind=routing.kind, issue_date=invoice.invoice_issue_date,
            supplier=routing.supplier_identifier, recipient=routing.buyer_siret,
            service=routing.code_service, cadre=routing.cadre, marche=routing.marche,
            purchase_order=routing.engagement,
            total_ht=totals.total_without_vat if totals else None,
            total_ttc=totals.total_with_vat if totals else None,
            amount_due=totals.amount_due_for_payment if totals else None, key=key,
        )

    @property
    def status(self) -> Status | None:
        """The current status (None before the first event)."""
        return self.history.status

    @property
    def deposited_on(self) -> date | None:
        """The date of the first event after the draft stage (None when never deposited)."""
        for event in self.history.events:
            if event.status not in _NOT_DEPOSITED:
                return event.on
        return None


def _items(items: Iterable[TrackedInvoice]) -> list[TrackedInvoice]:
    out = list(items) if not isinstance(items, list) else items
    for index, item in enumerate(out):
        if not isinstance(item, TrackedInvoice):
            raise WorkflowUsageError(
                f"items[{index}]: {type(item).__name__} is not a TrackedInvoice (build one with "
                "TrackedInvoice.of(invoice, history))",
                f"items[{index}] : {type(item).__name__} n'est pas un TrackedInvoice "
                "(TrackedInvoice.of(facture, historique))",
                argument="items",
            )
    return out


# ---------------------------------------------------------------- synthèse


class ActionNeeded(NamedTuple):
    """An invoice that needs the actor's action: the ``actions`` it may take now (never
    empty), the payment due date of the clock (``payment_due``, None unless it runs) and the
    supplier's acknowledgement date (``acknowledge_by``, for suspended invoices)."""

    item: TrackedInvoice
    actions: tuple[Transition, ...]
    payment_due: date | None
    acknowledge_by: date | None


def _urgency(entry: ActionNeeded) -> date:
    ack, due = entry.acknowledge_by, entry.payment_due
    if ack is None:
        return due or date.max
    return ack if due is None or ack < due else due


def needing_action(
    items: Iterable[TrackedInvoice],
    actor: Actor | str,
    on: date | str,
    *,
    table: TransitionTable = DEFAULT_TABLE,
    delay_days: int = STATE_DELAY_DAYS,
) -> tuple[ActionNeeded, ...]:
    """The invoices ``actor`` can act on at ``on``, the most urgent first.

    An invoice is listed exactly when :func:`~chorus_core.workflow.machine.allowed_actions`
    gives this actor something to do: for the supplier drafts, invoices to recycle, suspended
    ones; for the recipient the invoices made available, completed or in processing.  Rejected
    invoices are terminal (see :func:`awaiting_acknowledgement`).  Urgency: the earliest of the
    acknowledgement and payment due dates (ties, and invoices without one, in input order).

    >>> from chorus_core.workflow import History, Status
    >>> new = TrackedInvoice(History.observed([(Status.MISE_A_DISPOSITION, "2026-03-02")]))
    >>> [(e.payment_due, len(e.actions) > 0) for e in needing_action([new], "recipient",
    ...                                                                "2026-03-10")]
    [(datetime.date(2026, 4, 1), True)]
    >>> needing_action([new], Actor.SUPPLIER, "2026-03-10")
    ()
    """
    who: Actor = _member(Actor, actor, "actor", "un acteur")
    today = as_date(on, "on")
    ack_wanted = who is Actor.SUPPLIER
    delay = table.validation_delay_days
    # The allowed actions depend only on the status, the context, an earlier suspension and
    # whether the validation delay has run out: computed once per combination, and the last
    # two only looked at when a row leaving the status has such a condition.
    known: dict[tuple[Any, ...], tuple[Transition, ...]] = {}
    uses: dict[Status | None, tuple[bool, bool]] = {}
    terminal = table.terminal
    out: list[ActionNeeded] = []
    for item in _items(items):
        history = item.history
        events = history.events
        if events and today < events[-1].on:
            continue  # a date before the last event allows nothing
        status = events[-1].status if events else None
        if not table.is_terminal(status) and any(e.status in terminal for e in events):
            continue  # observed past a terminal status (paid, then « mandatée »): nothing
        flags = uses.get(status)
        if flags is None:
            conditions = {c for row in table.leaving(status) for c in row.conditions}
            flags = uses[status] = (Condition.FIRST_SUSPENSION in conditions,
                                    Condition.VALIDATION_DELAY_EXPIRED in conditions)
        suspended = flags[0] and history.suspended_before
        expired = False
        if flags[1]:
            entered = history.entered_current_status()
            expired = entered is not None and (today - entered).days >= delay
        ctx = history.context
        key = (status, ctx.cadre, ctx.second_validator, ctx.helios, ctx.payment_status_managed,
               suspended, expired)
        actions = known.get(key)
        if actions is None:
            actions = known[key] = allowed_actions(history, who, today, table=table)
        if not actions:
            continue
        ack = acknowledgement_due(history) if ack_wanted else None
        out.append(ActionNeeded(item, actions, _due_date(history, today, delay_days), ack))
    out.sort(key=_urgency)
    return tuple(out)


class Acknowledgement(NamedTuple):
    """A suspended or rejected invoice the supplier must acknowledge by ``due`` (``overdue``
    when that date is past)."""

    item: TrackedInvoice
    due: date
    overdue: bool


def awaiting_acknowledgement(
    items: Iterable[TrackedInvoice], on: date | str
) -> tuple[Acknowledgement, ...]:
    """The suspended and rejected invoices with their acknowledgement date, earliest first.

    The supplier must acknowledge them within 7 days (Chorus Pro's tracking page).  Whether it
    did is not in the status history, so every suspended or rejected invoice is listed.

    >>> from chorus_core.workflow import History, Status
    >>> r = TrackedInvoice(History.observed([(Status.REJETEE, "2026-03-02")]))
    >>> awaiting_acknowledgement([r], "2026-03-10")[0][1:]
    (datetime.date(2026, 3, 9), True)
    """
    today = as_date(on, "on")
    out = []
    for item in _items(items):
        due = acknowledgement_due(item.history)
        if due is not None:
            out.append(Acknowledgement(item, due, due < today))
    out.sort(key=lambda a: a.due)
    return tuple(out)


# ---------------------------------------------------------------- tableau de bord


class DashboardCell(NamedTuple):
    """One cell of the dashboard: the values of the ``by`` dimensions (``key``), the number of
    ``invoices`` and their HT and TTC totals (missing amounts count as zero)."""

    key: tuple[str | None, ...]
    invoices: int
    total_ht: Decimal
    total_ttc: Decimal


def _status_value(item: TrackedInvoice) -> str | None:
    events = item.history.events
    return events[-1].status.value if events else None


DASHBOARD_DIMENSIONS: Final[dict[str, Callable[[TrackedInvoice], str | None]]] = {
    "status": _status_value,
    "structure": attrgetter("recipient"),
    "service": attrgetter("service"),
    "cadre": attrgetter("cadre"),
    "supplier": attrgetter("supplier"),
    "kind": attrgetter("kind.value"),
}
"""The dimensions a dashboard can group by: current status, structure (recipient SIRET),
service, cadre, supplier and document kind."""


def _none_first(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((v is not None, v if v is not None else "") for v in key)


def dashboard(
    items: Iterable[TrackedInvoice],
    by: Iterable[str] = ("status", "structure", "service", "cadre"),
) -> tuple[DashboardCell, ...]:
    """Counts and amounts grouped by the ``by`` dimensions (:data:`DASHBOARD_DIMENSIONS`).

    Every invoice is in exactly one cell; cells are sorted by key (missing values first).

    >>> from chorus_core.workflow import History, Status
    >>> h = History.observed([(Status.MANDATEE, "2026-03-02")])
    >>> (cell,) = dashboard([TrackedInvoice(h, service="COMPTA", total_ht=Decimal("100"))],
    ...                     by=("status", "service"))
    >>> cell.key, cell.invoices, cell.total_ht, cell.total_ttc
    (('MANDATEE', 'COMPTA'), 1, Decimal('100'), Decimal('0'))
    """
    dims = tuple(by) if not isinstance(by, str) else (by,)
    getters = []
    for name in dims:
        getter = DASHBOARD_DIMENSIONS.get(name) if isinstance(name, str) else None
        if getter is None:
            known = ", ".join(DASHBOARD_DIMENSIONS)
            raise WorkflowUsageError(
                f"by: {name!r} is not a dashboard dimension (one of: {known})",
                f"by : {name!r} n'est pas une dimension du tableau de bord (valeurs : {known})",
                argument="by",
            )
        getters.append(getter)
    # Group first, add the amounts once per cell: the loop only builds keys.
    groups: dict[tuple[str | None, ...], list[TrackedInvoice]] = {}
    for item in _items(items):
        key = tuple([g(item) for g in getters])
        group = groups.get(key)
        if group is None:
            groups[key] = [item]
        else:
            group.append(item)
    cells = []
    for key in sorted(groups, key=_none_first):
        group = groups[key]
        ht = sum([t.total_ht for t in group if t.total_ht is not None], _ZERO)
        ttc = sum([t.total_ttc for t in group if t.total_ttc is not None], _ZERO)
        cells.append(DashboardCell(key, len(group), ht, ttc))
    return tuple(cells)


# ---------------------------------------------------------------- moteur de recherche


class SearchPage(NamedTuple):
    """One page of search results: the ``items`` of page ``page`` (1-based) of ``per_page``
    (None: everything on one page), out of ``total`` matching invoices."""

    items: tuple[TrackedInvoice, ...]
    total: int
    page: int
    per_page: int | None


def _deposited(t: TrackedInvoice) -> date | None:
    return t.deposited_on


SORT_KEYS: Final[dict[str, Callable[[TrackedInvoice], Any]]] = {
    "deposited_on": _deposited,
    "issue_date": lambda t: t.issue_date,
    "number": lambda t: t.number,
    "total_ht": lambda t: t.total_ht,
    "total_ttc": lambda t: t.total_ttc,
    "status": _status_value,
    "supplier": lambda t: t.supplier,
    "recipient": lambda t: t.recipient,
    "service": lambda t: t.service,
    "cadre": lambda t: t.cadre,
}
"""The columns results can be sorted by (``triColonne``)."""

_SET_CRITERIA: Final[dict[str, Callable[[TrackedInvoice], Any]]] = {
    "supplier": lambda t: t.supplier,
    "service": lambda t: t.service,
    "recipient": lambda t: t.recipient,
    "number": lambda t: t.number,
    "type_code": lambda t: t.type_code,
    "kind": lambda t: t.kind.value,
    "cadre": lambda t: t.cadre,
    "status": _status_value,
    "marche": lambda t: t.marche,
    "purchase_order": lambda t: t.purchase_order,
}
_RANGE_CRITERIA: Final[dict[str, tuple[Callable[[TrackedInvoice], Any], bool, type]]] = {
    "deposited_from": (_deposited, False, date), "deposited_to": (_deposited, True, date),
    "issued_from": (lambda t: t.issue_date, False, date),
    "issued_to": (lambda t: t.issue_date, True, date),
    "ht_min": (lambda t: t.total_ht, False, Decimal),
    "ht_max": (lambda t: t.total_ht, True, Decimal),
    "ttc_min": (lambda t: t.total_ttc, False, Decimal),
    "ttc_max": (lambda t: t.total_ttc, True, Decimal),
}

SEARCH_CRITERIA: Final = frozenset(_SET_CRITERIA) | frozenset(_RANGE_CRITERIA)
"""The criteria of :func:`search`, after ``rechercherFactureParRecipiendaire``: equality (one
value or a collection of values) on supplier, service, recipient, number, type_code, kind,
cadre, status, marche, purchase_order; inclusive bounds on deposit and issue dates and on the
HT and TTC totals."""


def _usage(argument: str, en: str, fr: str) -> WorkflowUsageError:
    return WorkflowUsageError(f"{argument}: {en}", f"{argument} : {fr}", argument=argument)


def _values(name: str, value: object) -> frozenset[Any]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, Collection):
        return frozenset(v.value if isinstance(v, Status | DocumentKind) else v for v in value)
    raise _usage(name, f"{value!r} is not a value or a collection of values",
                 f"{value!r} n'est ni une valeur ni une collection de valeurs")


def _bound(name: str, value: object, kind: type) -> Any:
    if kind is date:
        return as_date(value, name)
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            pass
    raise _usage(name, f"{value!r} is not an amount (Decimal, int or text)",
                 f"{value!r} n'est pas un montant (Decimal, int ou texte)")


def _member_of(get: Callable[[TrackedInvoice], Any],
               wanted: frozenset[Any]) -> Callable[[TrackedInvoice], bool]:
    return lambda t: get(t) in wanted


def _within(get: Callable[[TrackedInvoice], Any], bound: Any,
            upper: bool) -> Callable[[TrackedInvoice], bool]:
    def test(t: TrackedInvoice) -> bool:
        value = get(t)
        return value is not None and (value <= bound if upper else value >= bound)
    return test


def _tests(criteria: dict[str, Any]) -> list[Callable[[TrackedInvoice], bool]]:
    tests: list[Callable[[TrackedInvoice], bool]] = []
    for name, value in criteria.items():
        if value is None:
            continue
        if name in _SET_CRITERIA:
            tests.append(_member_of(_SET_CRITERIA[name], _values(name, value)))
        elif name in _RANGE_CRITERIA:
            get, upper, kind = _RANGE_CRITERIA[name]
            tests.append(_within(get, _bound(name, value, kind), upper))
        else:
            known = ", ".join(sorted(SEARCH_CRITERIA))
            raise _usage(name, f"unknown search criterion (one of: {known})",
                         f"critère de recherche inconnu (valeurs : {known})")
    return tests


def search(
    items: Iterable[TrackedInvoice],
    *,
    sort_by: str = "deposited_on",
    descending: bool = False,
    page: int = 1,
    per_page: int | None = None,
    **criteria: Any,
) -> SearchPage:
    """The invoices matching every criterion given (:data:`SEARCH_CRITERIA`), sorted and paged.

    A criterion set to None is ignored; with none, every invoice matches.  ``sort_by`` is one
    of :data:`SORT_KEYS` (missing values first, ties kept in input order); ``page`` is 1-based
    and ``per_page=None`` puts everything on one page.

    >>> from chorus_core.workflow import History, Status
    >>> h = History.observed([(Status.MISE_A_DISPOSITION, "2026-03-02")])
    >>> items = [TrackedInvoice(h, number=f"F-{n}", total_ttc=Decimal(n)) for n in (30, 10, 20)]
    >>> found = search(items, ttc_min="15", sort_by="total_ttc", descending=True)
    >>> [t.number for t in found.items], found.total
    (['F-30', 'F-20'], 2)
    """
    keyed = SORT_KEYS.get(sort_by) if isinstance(sort_by, str) else None
    if keyed is None:
        raise _usage("sort_by", f"{sort_by!r} is not a sort column (one of: "
                     f"{', '.join(SORT_KEYS)})",
                     f"{sort_by!r} n'est pas une colonne de tri (valeurs : "
                     f"{', '.join(SORT_KEYS)})")
    if not isinstance(page, int) or isinstance(page, bool) or page < 1:
        raise _usage("page", f"{page!r} is not a page number (1, 2, …)",
                     f"{page!r} n'est pas un numéro de page (1, 2, …)")
    if per_page is not None and (not isinstance(per_page, int) or isinstance(per_page, bool)
                                 or per_page < 1):
        raise _usage("per_page", f"{per_page!r} is not a page size (a positive int or None)",
                     f"{per_page!r} n'est pas une taille de page (entier positif ou None)")
    tests = _tests(criteria)
    found = _items(items)
    for test in tests:
        found = [t for t in found if test(t)]
    if found is items:
        found = list(found)

    def order(t: TrackedInvoice) -> tuple[bool, Any]:
        value = keyed(t)
        return (value is not None, value if value is not None else "")

    found.sort(key=order, reverse=descending)
    if per_page is None:
        return SearchPage(tuple(found), len(found), page, None)
    start = (page - 1) * per_page
    return SearchPage(tuple(found[start:start + per_page]), len(found), page, per_page)


# ---------------------------------------------------------------- archives


def _processed_on(history: History, terminal: frozenset[Status]) -> date | None:
    for event in history.events:
        if event.status in terminal:
            return event.on
    return None


def archived(
    items: Iterable[TrackedInvoice],
    on: date | str,
    *,
    table: TransitionTable = DEFAULT_TABLE,
) -> tuple[TrackedInvoice, ...]:
    """The invoices processed more than two years before ``on``, in input order.

    **The library's choice** of « processed »: the invoice reached a terminal status of
    ``table`` (paid, rejected, deleted, refused), and it did so before ``on`` minus two years.

    >>> from chorus_core.workflow import History, Status
    >>> paid = TrackedInvoice(History.observed([(Status.MISE_EN_PAIEMENT, "2024-03-01")]))
    >>> len(archived([paid], "2026-03-01")), len(archived([paid], "2026-03-02"))
    (0, 1)
    """
    limit = as_date(on, "on") - relativedelta(years=ARCHIVE_AFTER_YEARS)
    terminal = table.terminal
    out = []
    for item in _items(items):
        processed = _processed_on(item.history, terminal)
        if processed is not None and processed < limit:
            out.append(item)
    return tuple(out)
