"""What the benchmarks share: the corpus beside the project and the warm best-of timer."""

from __future__ import annotations

import time
import timeit
from collections.abc import Callable
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
"""``../shared/corpus``, beside the project root (override with ``--corpus``)."""


def best(call: Callable[[], object], budget: float) -> float:
    """Best time of one call in microseconds: 5 repeats of about ``budget / 5`` seconds each."""
    start = time.perf_counter()
    call()
    once = max(time.perf_counter() - start, 1e-7)
    number = max(1, int(budget / 5 / once))
    timer = timeit.Timer(call)
    return min(timer.repeat(repeat=5, number=number)) / number * 1e6
