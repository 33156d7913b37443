"""Cost of the hardened parser's limit checks against an in-run raw lxml baseline.

Three documents built from the corpus invoice ``ubl-tc434-example1.xml``, in one run:

* about 1 MB of invoice lines (about 19,000 elements);
* about 20 MB of invoice lines (about 385,000 elements);
* about 20 MB with one base64 attachment (libxml2's 10 MB text-node cap must be lifted).

``lxml`` is ``etree.fromstring`` with the parser chorus_core used before the limits (entities
off, no network, no DTD, ``huge_tree`` on); ``parse_xml`` is :func:`chorus_core.xml.parse_xml`
with the default :class:`~chorus_core.limits.Limits` (byte counts before the parse, XInclude and
encoding checks, depth and text checks where libxml2's caps are lifted).  Times are the best of
several repeats, in milliseconds.

Run: ``python benchmarks/bench_parser.py [--corpus ../shared/corpus] [--quick]``.
"""

from __future__ import annotations

import argparse
import base64
import gc
import time
from collections.abc import Callable
from pathlib import Path

from _timing import DEFAULT_CORPUS  # benchmarks/, beside this script
from lxml import etree

from chorus_core.xml import parse_xml

_MIB = 1 << 20


def best(call: Callable[[], object], repeat: int) -> float:
    """Best time of one call in milliseconds (the previous result freed outside the timing)."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        del result
    return min(times) * 1e3


def documents(corpus: Path) -> dict[str, bytes]:
    """The three documents, built from the corpus example."""
    source = (corpus / "en16931/ubl/examples/ubl-tc434-example1.xml").read_bytes()
    head, _, rest = source.partition(b"<cac:InvoiceLine>")
    line, _, tail = rest.partition(b"</cac:InvoiceLine>")
    tail = tail[tail.rfind(b"</cac:InvoiceLine>") + len(b"</cac:InvoiceLine>"):]
    unit = b"<cac:InvoiceLine>" + line + b"</cac:InvoiceLine>"

    def lines(size: int) -> bytes:
        return head + unit * (size // len(unit)) + tail

    blob = base64.b64encode(bytes(range(256)) * (20 * _MIB * 3 // 4 // 256))
    attachment = (b"<cac:AdditionalDocumentReference><cbc:ID>A</cbc:ID><cac:Attachment>"
                  b"<cbc:EmbeddedDocumentBinaryObject mimeCode='application/pdf' "
                  b"filename='a.pdf'>" + blob + b"</cbc:EmbeddedDocumentBinaryObject>"
                  b"</cac:Attachment></cac:AdditionalDocumentReference>")
    at = head.find(b"<cac:AccountingSupplierParty>")
    return {"1 MB of lines": lines(_MIB), "20 MB of lines": lines(20 * _MIB),
            "20 MB attachment": head[:at] + attachment + head[at:] + unit + tail}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args(argv)
    repeat = 3 if args.quick else 9
    before = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=True)
    print(f"{'document':18} {'MB':>6} {'elements':>9} {'lxml ms':>9} {'parse_xml ms':>13} "
          f"{'overhead':>9}")
    for name, data in documents(args.corpus).items():
        elements = sum(1 for _ in etree.fromstring(data, before).iter())
        raw = best(lambda data=data: etree.fromstring(data, before), repeat)
        ours = best(lambda data=data: parse_xml(data), repeat)
        print(f"{name:18} {len(data) / 1e6:6.1f} {elements:9} {raw:9.1f} {ours:13.1f} "
              f"{(ours / raw - 1) * 100:+8.0f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
