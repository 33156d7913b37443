"""Directory benchmark: load a national-size synthetic export, and routing checks per second.

Run: ``python benchmarks/bench_directory.py [--structures N] [--services M] [--repeat R]``

Compares, in the same run and over the same bytes:

* load time of :func:`chorus_core.directory.read_directory` against the floor of ``csv.reader``
  merely iterating the rows (decoding included), best of interleaved runs;
* peak memory (tracemalloc) of the load against the floor of ``csv.reader`` holding every row
  as a list of strings;
* streaming memory: the peak (tracemalloc) of :func:`~chorus_core.directory.iter_structures`
  over a quarter of the structures and over all of them (every identifier distinct): flat
  when nothing grows with the distinct identifiers;
* routing checks per second, on routings (valid and each with one mutation) and on invoices.

The export is synthetic (:mod:`chorus_core.directory.generate`); never real data.
"""

from __future__ import annotations

import argparse
import csv
import gc
import io
import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import date

from chorus_core.directory import Directory, check_routing, iter_structures, read_directory
from chorus_core.directory.generate import generate_export
from chorus_core.directory.routing_checks import _siret_problem
from chorus_core.model import Buyer, Identifier, Invoice, Seller
from chorus_core.model.routing import Routing


def best_time(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` calls (the result is dropped between calls)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        del result
    return best


def peak_memory(fn: Callable[[], object]) -> tuple[int, int]:
    """``(peak, retained)`` bytes allocated by ``fn`` under tracemalloc."""
    gc.collect()
    tracemalloc.start()
    result = fn()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak, retained


def streaming_peak(data: bytes) -> int:
    """Peak bytes allocated while streaming every structure of ``data`` (each dropped)."""
    gc.collect()
    tracemalloc.start()
    for _ in iter_structures(data):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def csv_iterate(*blobs: bytes) -> int:
    """The time floor: csv.reader over the decoded bytes, rows counted and dropped."""
    n = 0
    for blob in blobs:
        text = io.TextIOWrapper(io.BytesIO(blob), encoding="utf-8", newline="")
        for _ in csv.reader(text, delimiter=";"):
            n += 1
    return n


def csv_hold(*blobs: bytes) -> list[list[list[str]]]:
    """The memory floor: csv.reader rows all held as lists of strings."""
    return [
        list(csv.reader(io.TextIOWrapper(io.BytesIO(b), encoding="utf-8", newline=""),
                        delimiter=";"))
        for b in blobs
    ]


def routings(directory: Directory, n: int, seed: int = 0) -> list[Routing]:
    """``n`` routings to active structures: half valid, half with one mutation each."""
    rng = random.Random(seed)
    targets = [s for s in directory.structures.values() if s.active]
    out: list[Routing] = []
    supplier = "35600000000048"
    for i in range(n):
        s = rng.choice(targets)
        services = [sv for sv in directory.services_of(s.identifier).values() if sv.active]
        sv = rng.choice(services) if services else None
        r = Routing.model_construct(
            buyer_siret=s.identifier, code_service=sv.code if sv else None,
            engagement="EJ-123456", cadre="A1", supplier_identifier=supplier,
            supplier_identifier_scheme="0009",
        )
        if i % 2:
            mutation = rng.randrange(3)
            if mutation == 0:
                r = r.model_copy(update={"code_service": None})
            elif mutation == 1:
                r = r.model_copy(update={"engagement": None})
            else:
                siret = s.identifier
                r = r.model_copy(update={
                    "buyer_siret": siret[:-1] + str((int(siret[-1]) + 1) % 10)})
        out.append(r)
    return out


def invoices(routes: list[Routing]) -> list[Invoice]:
    """Small invoices carrying the same routings (buyer SIRET in BT-46)."""
    return [
        Invoice.model_validate({
            "invoice_number": f"F-{i}", "invoice_issue_date": date(2025, 1, 15),
            "buyer_reference": r.code_service, "purchase_order_reference": r.engagement,
            "buyer": Buyer.model_construct(
                identifier=Identifier.model_construct(value=r.buyer_siret, scheme_id="0009")),
            "seller": Seller.model_construct(identifiers=(
                Identifier.model_construct(value=r.supplier_identifier, scheme_id="0009"),)),
        }, context={"lenient": True})
        for i, r in enumerate(routes)
    ]


def rate(fn: Callable[[object, Directory], object], items: list[object], d: Directory) -> float:
    """Calls per second of ``fn`` over ``items``, starting with a cold SIRET-validity cache."""
    _siret_problem.cache_clear()
    start = time.perf_counter()
    for item in items:
        fn(item, d)
    return len(items) / (time.perf_counter() - start)


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--structures", type=int, default=150_000)
    parser.add_argument("--services", type=int, default=400_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--checks", type=int, default=20_000)
    args = parser.parse_args()

    start = time.perf_counter()
    structures_csv, services_csv = generate_export(args.structures, args.services)
    generated = time.perf_counter() - start
    size_mb = (len(structures_csv) + len(services_csv)) / 1e6

    # Interleaved, so that a busy machine slows both sides alike.
    floor_time = load_time = float("inf")
    for _ in range(args.repeat):
        floor_time = min(floor_time, best_time(
            lambda: csv_iterate(structures_csv, services_csv), 1))
        load_time = min(load_time, best_time(
            lambda: read_directory(structures_csv, services_csv), 1))
    floor_peak, floor_kept = peak_memory(lambda: csv_hold(structures_csv, services_csv))
    load_peak, load_kept = peak_memory(lambda: read_directory(structures_csv, services_csv))

    quarter_csv, _ = generate_export(args.structures // 4, 0, seed=1)
    stream_quarter = streaming_peak(quarter_csv)
    stream_all = streaming_peak(structures_csv)

    directory = read_directory(structures_csv, services_csv)
    routes = routings(directory, args.checks)
    valid = [r for i, r in enumerate(routes) if i % 2 == 0]
    mutated = [r for i, r in enumerate(routes) if i % 2]
    bills = invoices(routes[: args.checks // 4])
    check: Callable[[object, Directory], object] = check_routing  # type: ignore[assignment]
    rate_valid = rate(check, valid, directory)  # type: ignore[arg-type]
    rate_mutated = rate(check, mutated, directory)  # type: ignore[arg-type]
    rate_invoices = rate(check, bills, directory)  # type: ignore[arg-type]
    failing = sum(not check_routing(r, directory).ok for r in mutated)

    mb = 1 / 2**20
    print(f"synthetic export: {args.structures:,} structures, {args.services:,} services, "
          f"{size_mb:.1f} MB (generated in {generated:.2f} s)")
    print()
    print(f"{'measure':<44}{'chorus_core':>14}{'csv floor':>14}{'ratio':>8}")
    print("-" * 80)
    print(f"{'load time, best of ' + str(args.repeat) + ' (s)':<44}"
          f"{load_time:>14.2f}{floor_time:>14.2f}{load_time / floor_time:>8.2f}")
    print(f"{'peak memory, tracemalloc (MiB)':<44}"
          f"{load_peak * mb:>14.1f}{floor_peak * mb:>14.1f}{load_peak / floor_peak:>8.2f}")
    print(f"{'retained after load (MiB)':<44}"
          f"{load_kept * mb:>14.1f}{floor_kept * mb:>14.1f}{load_kept / floor_kept:>8.2f}")
    print(f"{'load rate (rows/s)':<44}"
          f"{(args.structures + args.services) / load_time:>14,.0f}"
          f"{(args.structures + args.services) / floor_time:>14,.0f}")
    print(f"{'streaming peak, ' + format(args.structures // 4, ',') + ' structures (KiB)':<44}"
          f"{stream_quarter / 1024:>14.1f}")
    print(f"{'streaming peak, ' + format(args.structures, ',') + ' structures (KiB)':<44}"
          f"{stream_all / 1024:>14.1f}{'':>14}{stream_all / stream_quarter:>8.2f}")
    print("-" * 80)
    print(f"{'routing checks/s, valid Routing':<44}{rate_valid:>14,.0f}")
    print(f"{'routing checks/s, Routing with one mutation':<44}{rate_mutated:>14,.0f}"
          f"   ({failing:,}/{len(mutated):,} flagged)")
    print(f"{'routing checks/s, Invoice (routing_of incl.)':<44}{rate_invoices:>14,.0f}")


if __name__ == "__main__":
    main()
