"""Native EN 16931 validation against the official XSLT (saxonche), per corpus document.

For each UBL and CII document of the corpus, in one run and on the same bytes:

* ``floor``: lxml parse + serialize of the bytes (the least any XML tool must do);
* ``native``: :func:`chorus_core.validate` on the bytes, profile ``en16931`` (parse, syntax
  layer, lenient read, the 223 BR rules; the XSD layer is left out, as the XSLT has none);
* ``xslt``: the official EN 16931 XSLT through saxonche (parse + transform to SVRL), the
  stylesheets compiled once beforehand (compile time reported apart);
* ``rules``: the 223 BR rules alone on an already-read invoice;
* where the native time goes: ``read`` (parse + lenient read) and ``syntax`` (the syntax layer
  on an already-parsed tree);
* ``bound``: what any validation on this architecture must do before its first rule, with no
  logic at all: the hardened parse, one bare walk over the elements (tag, text, attributes)
  and pydantic validation of the invoice's data.  ``bound`` + ``rules`` is a floor of the
  native engine as built (one lxml tree, one pydantic model, the rules in Python).

Times are the best of several repeats, in microseconds per document; ``×`` columns are ratios
to the floor of the same document, ``xslt/native`` the speed-up.  Targets (issue 10): native at
least 8× faster than the XSLT, and within 3× of the floor.

Run: ``python benchmarks/bench_rules.py [--corpus ../shared/corpus] [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _timing import DEFAULT_CORPUS, best  # benchmarks/, beside this script
from lxml import etree

import chorus_core
from chorus_core.model import LENIENT, Invoice
from chorus_core.rules import check_en16931, syntax
from chorus_core.xml.parser import parse_xml

_ARTIFACTS = "en16931/artifacts/eInvoicing-EN16931-1.3.16"




def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="shorter timing budget")
    args = parser.parse_args(argv)
    from saxonche import PySaxonProcessor  # the test extra; the library never needs it

    base = args.corpus / "en16931"
    budget = 0.1 if args.quick else 0.5
    docs = [("ubl", p) for p in sorted((base / "ubl/examples").iterdir())]
    docs += [("ubl", p) for p in sorted((base / "tests/testfiles").iterdir())]
    docs += [("cii", p) for p in sorted((base / "cii/examples").iterdir())]
    os.environ.pop("CHORUS_CORE_SCHEMAS", None)
    no_schemas = tempfile.mkdtemp()  # nothing there: validate() skips the XSD layer if it can

    proc = PySaxonProcessor(license=False)
    compiled = {}
    start = time.perf_counter()
    for fmt_name, name in (("ubl", "EN16931-UBL-validation.xslt"),
                         ("cii", "EN16931-CII-validation.xslt")):
        path = args.corpus / _ARTIFACTS / fmt_name / "xslt" / name
        compiled[fmt_name] = proc.new_xslt30_processor().compile_stylesheet(
            stylesheet_file=str(path))
    compile_s = time.perf_counter() - start

    header = (f"{'document':44} {'fmt':>4} {'KB':>7} {'floor µs':>9} {'native×':>8} "
              f"{'xslt×':>7} {'rules×':>7} {'read×':>6} {'syntax×':>7} {'xslt/native':>11} "
              f"{'bound×':>6} {'native docs/s':>13}")
    print(header)
    print("-" * len(header))
    names = ("native", "xslt", "rules", "read", "syntax", "bound", "speedup")
    values: dict[str, dict[str, list[float]]] = {f: {k: [] for k in names} for f in ("ubl", "cii")}
    xsd_ran = set()
    start = time.perf_counter()
    for fmt, path in docs:
        data = path.read_bytes()
        text = data.decode("utf-8")
        invoice = chorus_core.read(data)
        fields = invoice.model_dump()
        report = chorus_core.validate(data, schema_dir=no_schemas)
        if report.layers[0].ran:
            xsd_ran.add(fmt)

        def floor(data: bytes = data) -> bytes:
            return bytes(etree.tostring(etree.fromstring(data)))

        def native(data: bytes = data) -> object:
            return chorus_core.validate(data, schema_dir=no_schemas)

        def xslt(text: str = text, fmt: str = fmt) -> object:
            node = proc.parse_xml(xml_text=text)
            return compiled[fmt].transform_to_string(xdm_node=node)

        def rules(invoice: object = invoice, fmt: str = fmt) -> object:
            return check_en16931(invoice, binding=fmt)  # type: ignore[arg-type]

        def read(data: bytes = data) -> object:
            return chorus_core.read(data)

        def syntax_layer(root: object = parse_xml(data), fmt: str = fmt) -> object:
            return syntax.check(root, fmt)  # type: ignore[arg-type]

        def bound(data: bytes = data, fields: dict[str, object] = fields) -> object:
            root = parse_xml(data)
            for element in root.iter():
                element.tag, element.text, element.attrib  # noqa: B018 - the least a reader reads
            return Invoice.model_validate(fields, context=LENIENT)

        t_floor = best(floor, budget)
        t = {name: best(call, budget) for name, call in (
            ("native", native), ("xslt", xslt), ("rules", rules), ("read", read),
            ("syntax", syntax_layer), ("bound", bound))}
        row = {name: t[name] / t_floor for name in t}
        row["speedup"] = t["xslt"] / t["native"]
        for name, value in row.items():
            values[fmt][name].append(value)
        print(f"{path.name[:44]:44} {fmt:>4} {len(data) / 1024:7.1f} {t_floor:9.0f} "
              f"{row['native']:8.2f} {row['xslt']:7.2f} {row['rules']:7.2f} {row['read']:6.2f} "
              f"{row['syntax']:7.2f} {row['speedup']:11.1f} {row['bound']:6.2f} "
              f"{1e6 / t['native']:13.0f}")
    print("-" * len(header))
    every = {k: values["ubl"][k] + values["cii"][k] for k in names}
    for label, vals, agg in (("median ubl", values["ubl"], statistics.median),
                             ("median cii", values["cii"], statistics.median),
                             ("median", every, statistics.median), ("max ratio", every, max),
                             ("min (speed-up: the smallest)", every, min)):
        print(f"{label:44} {'':>4} {'':>7} {'':>9} {agg(vals['native']):8.2f} "
              f"{agg(vals['xslt']):7.2f} {agg(vals['rules']):7.2f} {agg(vals['read']):6.2f} "
              f"{agg(vals['syntax']):7.2f} {agg(vals['speedup']):11.1f} {agg(vals['bound']):6.2f}")
    print(f"\nXSLT compile (UBL + CII, apart): {compile_s:.2f} s; XSD layer "
          f"{'ran for ' + ', '.join(sorted(xsd_ran)) if xsd_ran else 'skipped (no schema)'}")
    print(f"{len(docs)} documents in {time.perf_counter() - start:.1f} s "
          f"(Python {sys.version.split()[0]}, lxml {'.'.join(map(str, etree.LXML_VERSION))})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
