"""Peak memory of read and convert on large documents, against the document's size.

A UBL invoice of N lines is generated from the bundled example (no corpus needed), written, and
read, then converted to CII, each in a fresh process whose peak resident memory (the kernel's
high-water mark ``VmHWM``, reset in the child: ``ru_maxrss`` survives exec) is measured above
the same process's memory after import.  lxml's memory is invisible to
tracemalloc, hence processes.  Issue 12 aims at a read peak of at most 10× the document size.

Run: ``python benchmarks/bench_memory.py [--lines 2000 20000 100000]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import sys
from chorus_core.formats import convert, read
from chorus_core.limits import using_limits
data = open(sys.argv[1], "rb").read()
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
open("/proc/self/clear_refs", "w").write("5")  # reset the high-water mark (kept across exec)
base = hwm()
with using_limits(max_elements=10**8):  # the default refuses over 1,000,000 elements
    if sys.argv[2] == "read":
        invoice = read(data)
    else:
        result = convert(data, to="cii")
print(hwm() - base)
"""


def document(lines: int) -> bytes:
    """The bundled example invoice with ``lines`` copies of its first line, as UBL."""
    from chorus_core.examples import sample_invoice
    from chorus_core.formats import write
    from chorus_core.model.totals import with_totals

    invoice = sample_invoice()
    line = invoice.lines[0]
    many = tuple(line.model_copy(update={"identifier": str(i + 1)}) for i in range(lines))
    return write(with_totals(invoice.model_copy(update={"lines": many})), "ubl")


def peak(path: Path, what: str) -> int:
    """Peak memory above the post-import baseline of one call, in bytes, in a new process."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), what], check=True,
                         capture_output=True, text=True)
    return int(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[2000, 20000, 100000])
    args = parser.parse_args(argv)
    print(f"{'lines':>8} {'document MB':>12} {'read MB':>9} {'read ×':>7} {'convert MB':>11} "
          f"{'convert ×':>9}")
    with tempfile.TemporaryDirectory() as folder:
        for lines in args.lines:
            data = document(lines)
            path = Path(folder) / f"invoice-{lines}.xml"
            path.write_bytes(data)
            size = len(data)
            read_peak, convert_peak = peak(path, "read"), peak(path, "convert")
            print(f"{lines:8d} {size / 1e6:12.1f} {read_peak / 1e6:9.0f} "
                  f"{read_peak / size:7.1f} {convert_peak / 1e6:11.0f} "
                  f"{convert_peak / size:9.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
