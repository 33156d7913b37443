"""A PES Pivot flow of N invoices with 1 MB attachments: time and peak memory of reading it.

The flow is generated from the bundled example (no corpus needed): N invoices, each with one
supporting document of ``--attachment`` bytes (random, so the ZIP is stored at full size).  In
fresh processes, with the limits raised for such a document, three ways are measured: lxml
parsing the same bytes (the floor), ``read_flow`` (every invoice kept) and ``iter_flow``
(invoice by invoice, nothing kept).  Peak memory is the kernel's high-water mark (``VmHWM``,
reset in the child: ``ru_maxrss`` survives exec) above the process's memory after loading the
bytes; ``iter_flow``'s must not grow with N.

Run: ``python benchmarks/bench_pes_pivot.py [--invoices 100 300 1000] [--attachment 1000000]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = """
import sys, time
from chorus_core.limits import using_limits
data = open(sys.argv[1], "rb").read()
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
open("/proc/self/clear_refs", "w").write("5")  # reset the high-water mark (kept across exec)
base = hwm()
start = time.perf_counter()
with using_limits(max_document_bytes=len(data) + 1, max_elements=10**8):
    if sys.argv[2] == "lxml":
        from lxml import etree
        root = etree.fromstring(data, etree.XMLParser(huge_tree=True))
        count = len(root.findall("CPPFactures/CPPFacturePivotUnitaire"))
    elif sys.argv[2] == "read_flow":
        from chorus_core.formats.pes_pivot import read_flow
        count = len(read_flow(data).invoices)
    else:
        from chorus_core.formats.pes_pivot import iter_flow
        count = sum(1 for _ in iter_flow(data))
elapsed = time.perf_counter() - start
print(count, elapsed, hwm() - base)
"""


def flow(invoices: int, attachment: int) -> bytes:
    """A pivot flow of ``invoices`` copies of the example, each with one attachment."""
    from chorus_core.examples import sample_invoice
    from chorus_core.formats.pes_pivot import write_flow
    from chorus_core.limits import using_limits
    from chorus_core.model import SupportingDocument

    base = sample_invoice()
    items = []
    for n in range(invoices):
        document = SupportingDocument(reference=f"PJ-{n}", attached_document=os.urandom(
            attachment), mime_code="application/pdf", filename=f"pj{n}.pdf")
        items.append(base.model_copy(update={"invoice_number": f"FA-{n:06d}",
                                             "supporting_documents": (document,)}))
    with using_limits(max_document_bytes=2**40):
        return write_flow(items)


def measure(path: Path, how: str) -> tuple[int, float, int]:
    """(invoices read, seconds, peak bytes above the loaded document) in a fresh process."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), how], check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), float(out[1]), int(out[2])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--attachment", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print(f"{'invoices':>8} {'MB':>7} {'lxml s':>7} {'lxml MB':>8} {'read_flow s':>11} "
          f"{'MB':>6} {'iter_flow s':>11} {'MB':>6}")
    with tempfile.TemporaryDirectory() as folder:
        for invoices in args.invoices:
            path = Path(folder) / f"flow-{invoices}.xml"
            path.write_bytes(flow(invoices, args.attachment))
            size = path.stat().st_size
            row = [measure(path, how) for how in ("lxml", "read_flow", "iter_flow")]
            assert all(count == invoices for count, _, _ in row), row
            cells = " ".join(f"{seconds:{w}.2f} {peak / 1e6:{m}.0f}" for (_, seconds, peak), w, m
                             in zip(row, (7, 11, 11), (8, 6, 6), strict=True))
            print(f"{invoices:8d} {size / 1e6:7.0f} {cells}")
            path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
