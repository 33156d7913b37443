"""Portal views benchmark: needing_action, dashboard, search and archived on 100,000 invoices.

Run: ``python benchmarks/bench_views.py [--invoices N] [--repeat R]``

The collection is synthetic: invoices spread over 500 structures, 3 services each, 4 cadres,
with observed histories drawn from the usual paths (made available, suspended and completed,
to recycle, rejected, mandated, paid).  Each view is timed best of ``repeat``; a plain Python
loop over the same records (reading one attribute) is the in-run floor.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from chorus_core.workflow import (
    Actor,
    History,
    Status,
    TrackedInvoice,
    archived,
    dashboard,
    needing_action,
    search,
)

_PATHS: tuple[tuple[Status, ...], ...] = (
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.SUSPENDUE),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.SUSPENDUE, Status.COMPLETEE),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.A_RECYCLER),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.REJETEE),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.MANDATEE),
    (Status.DEPOSEE, Status.MISE_A_DISPOSITION, Status.MANDATEE, Status.MISE_EN_PAIEMENT),
    (Status.BROUILLON,),
)


def collection(n: int, seed: int = 0) -> list[TrackedInvoice]:
    """``n`` synthetic invoices with their histories (deterministic for ``seed``)."""
    rng = random.Random(seed)
    start = date(2022, 1, 1)
    histories: dict[tuple[Status, ...], list[History]] = {}
    out = []
    for i in range(n):
        path = rng.choice(_PATHS)
        day = start + timedelta(days=rng.randrange(1500))
        pairs = []
        for status in path:
            day += timedelta(days=rng.randrange(0, 20))
            pairs.append((status, day))
        history = History.observed(pairs)
        histories.setdefault(path, []).append(history)
        ht = Decimal(rng.randrange(100, 10**7)) / 100
        out.append(TrackedInvoice(
            history, number=f"F-{i}", issue_date=pairs[0][1],
            supplier=f"356000000{i % 1000:05d}", recipient=f"2131055540{i % 500:04d}",
            service=f"S-{i % 3}", cadre=("A1", "A2", "A9", "A12")[i % 4],
            total_ht=ht, total_ttc=ht * Decimal("1.2"), key=i,
        ))
    return out


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    """Build the collection, time each view and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    items = collection(args.invoices)
    built = time.perf_counter() - t0
    on = date(2026, 6, 1)
    cases: list[tuple[str, Callable[[], object]]] = [
        ("floor: loop reading .history.status", lambda: [t.history.status for t in items]),
        ("needing_action(recipient)", lambda: needing_action(items, Actor.RECIPIENT, on)),
        ("needing_action(supplier)", lambda: needing_action(items, Actor.SUPPLIER, on)),
        ("dashboard(status, structure, service, cadre)", lambda: dashboard(items)),
        ("search() no criteria", lambda: search(items)),
        ("search(recipient, status, ttc_min, page 1 of 50)", lambda: search(
            items, recipient="21310555400017", status="MISE_A_DISPOSITION", ttc_min="1000",
            per_page=50)),
        ("search(sort_by=total_ttc, descending)", lambda: search(
            items, sort_by="total_ttc", descending=True, per_page=50)),
        ("archived(on)", lambda: archived(items, on)),
    ]
    print(f"{args.invoices:,} synthetic invoices (built in {built:.2f} s); best of {args.repeat}")
    print(f"{'view':<52}{'seconds':>10}{'results':>10}")
    print("-" * 72)
    for name, fn in cases:
        result = fn()
        size = (result.total if hasattr(result, "total") else len(result))  # type: ignore[arg-type]
        print(f"{name:<52}{best(fn, args.repeat):>10.3f}{size:>10,}")


if __name__ == "__main__":
    main()
