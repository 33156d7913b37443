"""The binding engine (formats/_engine.py): behaviours of the reader walk itself."""

from __future__ import annotations

import pytest

from chorus_core.examples import sample_invoice
from chorus_core.formats import read_report, write


@pytest.mark.parametrize("name", ["ubl", "cii"])
def test_an_element_inside_a_text_value_is_reported(name: str) -> None:
    """Markup inside a plain text value (BT-10) is not a term: it is listed, the text kept."""
    data = write(sample_invoice(), name)
    marked = data.replace(b"SERV-TECHNIQUES", b"SERV-<x:b xmlns:x='urn:x'>bold</x:b>TECH", 1)
    reading = read_report(marked)
    assert reading.invoice.buyer_reference == "SERV-TECH"
    assert [u.path.rsplit("/", 1)[-1] for u in reading.unread] == ["x:b"]
