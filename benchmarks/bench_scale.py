"""Throughput of the scale-out recipe (docs/scale.md) against a plain loop measured in the same run.

Generates ``--documents`` invoices (variants of the bundled sample, UBL and CII, one in twenty
truncated on purpose) in a temporary folder, then, on the same files:

* ``loop``: the baseline, one plain Python loop in this process (read the file, validate it,
  one JSON line per document into one file): what one core does with no engine at all;
* ``dask N``: the recipe of docs/scale.md on a ``LocalCluster`` of N worker processes (one
  thread each): a ``dask.bag`` of paths, ``--partition`` files per partition, the same function
  mapped, ``to_textfiles`` of JSON lines.

Documents per second count the whole map, the writing of the results included; ``×`` is the
ratio to the loop of the same run; each is the best of ``--repeat`` runs.  The cluster's
start-up (scheduler, worker processes, their import of chorus_core) and its warm-up (a first
validation in each worker) are reported apart: they are paid once per cluster, not per
document.  The resident memory of each worker after the runs is shown.  The machine's load
average is printed: on a shared machine the figures move with it.

Run: ``python benchmarks/bench_scale.py [--documents 4000] [--partition 250] [--workers 1,2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from chorus_core.examples import sample_invoice
from chorus_core.formats import write
from chorus_core.scale import validate_one


def check(path: str) -> dict[str, object]:
    """The task of the recipe: read one file, validate it, return its record."""
    return dict(validate_one(path, Path(path).read_bytes()))


def generate(folder: Path, count: int) -> list[str]:
    """Write ``count`` documents into ``folder``; return their paths."""
    base = sample_invoice()
    paths = []
    for i in range(count):
        fmt = "ubl" if i % 2 else "cii"
        data = write(base.model_copy(update={"invoice_number": f"FA-{i}"}), fmt)
        if i % 20 == 7:
            data = data[: len(data) // 2]
        path = folder / f"{i:07}.xml"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def loop(paths: list[str], out: Path, repeat: int) -> float:
    """The baseline: one process, one loop, one JSON-lines file; best of ``repeat``, seconds."""
    check(paths[0])  # warm, as the workers are
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        with (out / "loop.jsonl").open("w", encoding="utf-8") as stream:
            for path in paths:
                stream.write(json.dumps(check(path)) + "\n")
        times.append(time.perf_counter() - start)
    return min(times)


def _warm(path: str) -> int:
    check(path)
    return os.getpid()


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def on_dask(paths: list[str], out: Path, workers: int, partition: int,
            repeat: int) -> tuple[float, float, float, list[int]]:
    """The recipe on a fresh LocalCluster: (start-up, warm-up, best run) seconds, worker RSS.

    The start-up includes the workers' import of chorus_core: a spawned worker imports the
    driver's main module (this script) before it takes any task.
    """
    import dask.bag as db
    from distributed import Client, LocalCluster

    start = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.wait_for_workers(workers)
        started = time.perf_counter()
        client.run(_warm, paths[0])
        warmed = time.perf_counter()
        times = []
        for _ in range(repeat):
            begin = time.perf_counter()
            bag = db.from_sequence(paths, partition_size=partition).map(check)
            files = bag.map(json.dumps).to_textfiles(str(out / f"dask{workers}-*.jsonl"))
            times.append(time.perf_counter() - begin)
            assert len(files) == -(-len(paths) // partition)
        rss = sorted(client.run(_rss).values())
    return started - start, warmed - started, min(times), rss


def count_lines(out: Path, pattern: str) -> int:
    """Lines written by one run (every document once)."""
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in out.glob(pattern))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=4000)
    parser.add_argument("--partition", type=int, default=250, help="files per partition")
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, the best kept")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "archive", Path(tmp) / "out"
        folder.mkdir()
        out.mkdir()
        t0 = time.perf_counter()
        paths = generate(folder, args.documents)
        size = sum(Path(p).stat().st_size for p in paths)
        print(f"{len(paths)} documents ({size / len(paths) / 1024:.1f} KB each, UBL and CII, "
              f"1 in 20 truncated) generated in {time.perf_counter() - t0:.1f} s; "
              f"{args.partition} files per partition; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f}")
        base = loop(paths, out, args.repeat)
        assert count_lines(out, "loop.jsonl") == len(paths)
        header = (f"{'run':10} {'start-up s':>10} {'warm-up s':>9} {'run s':>7} "
                  f"{'docs/s':>8} {'×':>6} {'worker RSS MB':>14}")
        print(header)
        print("-" * len(header))
        print(f"{'loop':10} {'':>10} {'':>9} {base:7.2f} {len(paths) / base:8.0f} "
              f"{1.0:6.2f} {_rss() / 2**20:14.0f}")
        for workers in counts:
            startup, warmup, run, rss = on_dask(paths, out, workers, args.partition,
                                                   args.repeat)
            assert count_lines(out, f"dask{workers}-*.jsonl") == len(paths)
            memory = ", ".join(f"{r / 2**20:.0f}" for r in rss)
            print(f"{f'dask {workers}':10} {startup:10.2f} {warmup:9.2f} {run:7.2f} "
                  f"{len(paths) / run:8.0f} {base / run:6.2f} {memory:>14}")
    print(f"(loop RSS is this whole process; Python {sys.version.split()[0]}, load average "
          f"now {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
