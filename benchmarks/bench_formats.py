"""Throughput of the UBL and CII formats against an in-run lxml baseline, per corpus document.

For each UBL and CII document of the corpus, in one run:

* ``floor``: lxml parse + serialize of the bytes (the least any XML converter must do);
* ``read``: our reader (bytes → canonical model);
* ``write``: our writer of the same syntax (model → bytes);
* ``rw``: read + write of the same syntax;
* ``conv``: conversion to the other syntax (read + write, UBL→CII or CII→UBL);
* ``conv+report``: :func:`chorus_core.formats.convert`, with its declared loss report;
* ``xsd``: :func:`chorus_core.formats.validate_xsd` (parse + validate, compiled schema reused);
* ``bound``: what any read + write on this architecture costs with no mapping logic at all —
  the hardened parse, one bare walk over the elements (tag, text, attributes), pydantic
  validation of the invoice's data and lxml serialization of the tree.  When ``bound`` alone
  is above a target, the target cannot be met by tuning the engine.

Times are the best of several repeats (warm), in microseconds per document; ``×`` columns are
ratios to the floor of the same document.  The first call in a fresh process (import, table
compilation, first read and write) is measured apart, in a subprocess.  Targets (issue 8):
read + write within 2× the floor, ``convert`` with its report within 2.5× (medians).

Run: ``python benchmarks/bench_formats.py [--corpus ../shared/corpus] [--quick]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from _timing import DEFAULT_CORPUS, best  # benchmarks/, beside this script
from lxml import etree

from chorus_core.formats import cii, convert, ubl, validate_xsd
from chorus_core.model import LENIENT, Invoice
from chorus_core.xml.parser import parse_xml

_COLD = """
import time
t0 = time.perf_counter()
import chorus_core
from chorus_core.formats import convert, read, write
t1 = time.perf_counter()
data = open(PATH, "rb").read()
invoice = read(data)
t2 = time.perf_counter()
write(invoice, "ubl")
t3 = time.perf_counter()
convert(data, to="cii")
t4 = time.perf_counter()
read(data)
t5 = time.perf_counter()
print(f"first call in a fresh process (NAME): import {(t1 - t0) * 1e3:.0f} ms, "
      f"first read {(t2 - t1) * 1e3:.0f} ms (compiles the UBL table), first write "
      f"{(t3 - t2) * 1e3:.0f} ms (compiles the writer), first convert to CII "
      f"{(t4 - t3) * 1e3:.0f} ms (the CII table), second read {(t5 - t4) * 1e3:.2f} ms")
"""


def cold(path: Path) -> str:
    """The cost of the first calls in a fresh interpreter (import, table compilation)."""
    import subprocess

    code = _COLD.replace("PATH", repr(str(path))).replace("NAME", path.name)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    args = parser.parse_args(argv)
    base = args.corpus / "en16931"
    schemas = base / "schemas"
    budget = 0.1 if args.quick else 0.5
    docs = [("ubl", p) for p in sorted((base / "ubl/examples").iterdir())]
    docs += [("ubl", p) for p in sorted((base / "tests/testfiles").iterdir())]
    docs += [("cii", p) for p in sorted((base / "cii/examples").iterdir())]
    modules = {"ubl": ubl, "cii": cii}
    other = {"ubl": "cii", "cii": "ubl"}

    start = time.perf_counter()
    for fmt in modules:  # compile the schemas once, outside the timings
        first = next(p for f, p in docs if f == fmt)
        validate_xsd(first.read_bytes(), fmt, schema_dir=schemas)

    header = (f"{'document':44} {'fmt':>4} {'KB':>7} {'floor µs':>9} {'read×':>6} "
              f"{'write×':>6} {'rw×':>6} {'conv×':>6} {'conv+rep×':>9} {'xsd×':>5} "
              f"{'bound×':>6} {'conv docs/s':>11}")
    print(header)
    print("-" * len(header))
    names = ("read", "write", "rw", "conv", "report", "xsd", "bound")
    ratios: dict[str, list[float]] = {k: [] for k in names}
    by_format: dict[str, dict[str, list[float]]] = {f: {k: [] for k in names} for f in modules}
    for fmt, path in docs:
        data = path.read_bytes()
        module, target = modules[fmt], modules[other[fmt]]
        invoice = module.read(data)
        fields = invoice.model_dump()

        def floor(data: bytes = data) -> bytes:
            return bytes(etree.tostring(etree.fromstring(data)))

        def read(data: bytes = data, module: object = module) -> object:
            return module.read(data)  # type: ignore[attr-defined]

        def write(invoice: object = invoice, module: object = module) -> object:
            return module.write(invoice)  # type: ignore[attr-defined]

        def rw(data: bytes = data, module: object = module) -> object:
            return module.write(module.read(data))  # type: ignore[attr-defined]

        def conv(data: bytes = data, module: object = module, target: object = target) -> object:
            return target.write(module.read(data))  # type: ignore[attr-defined]

        def report(data: bytes = data, to: str = other[fmt]) -> object:
            return convert(data, to=to)

        def xsd(data: bytes = data, fmt: str = fmt) -> object:
            return validate_xsd(data, fmt, schema_dir=schemas)

        def bound(data: bytes = data, fields: dict[str, object] = fields) -> object:
            root = parse_xml(data)
            for element in root.iter():
                element.tag, element.text, element.attrib  # noqa: B018 - the least a reader reads
            Invoice.model_validate(fields, context=LENIENT)
            return etree.tostring(root)

        t_floor = best(floor, budget)
        row = {name: best(call, budget) / t_floor for name, call in (
            ("read", read), ("write", write), ("rw", rw), ("conv", conv), ("report", report),
            ("xsd", xsd), ("bound", bound))}
        for name, value in row.items():
            ratios[name].append(value)
            by_format[fmt][name].append(value)
        per_second = 1e6 / (row["conv"] * t_floor)
        print(f"{path.name[:44]:44} {fmt:>4} {len(data) / 1024:7.1f} {t_floor:9.0f} "
              f"{row['read']:6.2f} {row['write']:6.2f} {row['rw']:6.2f} {row['conv']:6.2f} "
              f"{row['report']:9.2f} {row['xsd']:5.2f} {row['bound']:6.2f} {per_second:11.0f}")
    print("-" * len(header))
    rows = [(f"median {fmt} documents", "", by_format[fmt], statistics.median) for fmt in modules]
    rows += [("median", "", ratios, statistics.median), ("max", "", ratios, max)]
    for label, _, values, agg in rows:
        print(f"{label:44} {'':>4} {'':>7} {'':>9} {agg(values['read']):6.2f} "
              f"{agg(values['write']):6.2f} {agg(values['rw']):6.2f} {agg(values['conv']):6.2f} "
              f"{agg(values['report']):9.2f} {agg(values['xsd']):5.2f} "
              f"{agg(values['bound']):6.2f}")
    first = next(p for f, p in docs if f == "ubl")
    print("\n" + cold(first))
    print(f"\n{len(docs)} documents in {time.perf_counter() - start:.1f} s "
          f"(Python {sys.version.split()[0]}, lxml {'.'.join(map(str, etree.LXML_VERSION))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
