"""The independent oracles used by the tests: official XSDs and EN 16931 Schematron (saxonche).

Compiled once per session.  Nothing here is part of the package: the library never depends on
saxonche, the tests do (``pip install .[test]``).
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
ARTIFACTS = "en16931/artifacts/eInvoicing-EN16931-1.3.16"


@functools.cache
def _processor():  # type: ignore[no-untyped-def]
    from saxonche import PySaxonProcessor

    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(corpus: Path, syntax: str):  # type: ignore[no-untyped-def]
    name = "EN16931-UBL-validation.xslt" if syntax == "ubl" else "EN16931-CII-validation.xslt"
    path = corpus / ARTIFACTS / syntax / "xslt" / name
    proc = _processor()
    return proc.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def schematron_failures(corpus: Path, syntax: str, data: bytes) -> list[tuple[str, str]]:
    """Run the official EN 16931 XSLT (``syntax`` is ``"ubl"`` or ``"cii"``) on ``data``.

    Returns ``(rule id, flag)`` for every failed assert, flag ``fatal`` or ``warning``.
    """
    proc = _processor()
    node = proc.parse_xml(xml_text=data.decode("utf-8"))
    svrl = _stylesheet(corpus, syntax).transform_to_string(xdm_node=node)
    root = etree.fromstring(svrl.encode("utf-8"))
    return [
        (fa.get("id", ""), fa.get("flag", "fatal"))
        for fa in root.iter(f"{{{SVRL}}}failed-assert")
    ]


def schematron_errors(corpus: Path, syntax: str, data: bytes) -> set[str]:
    """The ids of the fatal failed asserts (warnings left out)."""
    return {rid for rid, flag in schematron_failures(corpus, syntax, data) if flag != "warning"}
