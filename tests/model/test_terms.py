"""The model carries exactly the business terms of EN 16931."""

from __future__ import annotations

import csv
from pathlib import Path

from chorus_core.model import TERMS, Invoice, model_terms, term_values
from chorus_core.model.terms import Term


def test_model_ids_equal_the_term_table() -> None:
    """Every BT/BG of the term table is in the model's metadata, and none is invented."""
    assert model_terms() == set(TERMS)


def test_term_table_has_every_business_term() -> None:
    """BT-1…BT-165 without BT-4, the 16 sub-identifiers and BG-1…BG-32."""
    bts = {f"BT-{n}" for n in range(1, 166)} - {"BT-4"}
    bgs = {f"BG-{n}" for n in range(1, 33)}
    subs = {t for t in TERMS if t.count("-") == 2}
    assert bts | bgs <= set(TERMS)
    assert len(subs) == 16
    assert set(TERMS) == bts | bgs | subs


def test_term_table_matches_the_official_mapping(corpus: Path) -> None:
    """Ids and cardinalities equal the EN 16931 mapping table of the corpus."""
    path = corpus / "en16931/mapping/en16931_bt_ubl_cii_xpaths.csv"
    with path.open(encoding="utf-8") as f:
        rows = {row["id"]: row["card"] for row in csv.DictReader(f)}
    assert rows == {t.id: t.cardinality for t in TERMS.values()}


def test_every_term_has_a_french_label() -> None:
    """Labels exist in both languages and differ from the id."""
    for term in TERMS.values():
        assert term.name_en and term.name_fr and term.name_fr != term.id


def test_term_properties() -> None:
    """Group, mandatory and repeat flags follow the cardinality."""
    assert Term("BG-25", "1..n", "x", "y").repeats and TERMS["BG-25"].is_group
    assert TERMS["BT-1"].mandatory and not TERMS["BT-10"].mandatory


def test_term_values_reach_nested_sub_identifiers() -> None:
    """Sub-identifier values (scheme ids) are reported with their own ids."""
    inv = Invoice.model_validate(
        {"lines": [{"item": {"classification_identifiers": [
            {"value": "123", "scheme_id": "STI", "scheme_version_id": "2"}]}}]}
    )
    assert list(term_values(inv)) == [
        ("BT-158", "lines[0].item.classification_identifiers[0].value", "123"),
        ("BT-158-1", "lines[0].item.classification_identifiers[0].scheme_id", "STI"),
        ("BT-158-2", "lines[0].item.classification_identifiers[0].scheme_version_id", "2"),
    ]
