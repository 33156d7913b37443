"""docs/validation.md lists every rule of the registry (generated, with a staleness test).

The parts between ``<!-- generated:NAME -->`` and ``<!-- end:NAME -->`` are generated here from
:data:`chorus_core.rules.RULES`; set ``CHORUS_UPDATE_DOCS=1`` to rewrite them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from chorus_core.rules import FAMILIES, RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _tables() -> dict[str, str]:
    rows = ["| Id | Flag | Terms | Message | Message (FR) |", "| --- | --- | --- | --- | --- |"]
    for module in FAMILIES.values():
        for r in module.RULES:
            rows.append(f"| {r.id} | {r.flag} | {', '.join(r.terms)} | {_cell(r.message_en)} "
                        f"| {_cell(r.message_fr)} |")
    variants = ", ".join(rid for rid, r in RULES.items() if r.variants)
    return {"rules": "\n".join(rows), "variants": variants}


def test_docs_validation_lists_every_rule() -> None:
    """The generated parts of docs/validation.md are up to date with the registry."""
    text = DOC.read_text(encoding="utf-8")
    updated = text
    for name, table in _tables().items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- end:{name} -->)", re.DOTALL)
        assert pattern.search(updated), f"docs/validation.md lacks the {name} markers"
        updated = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(2), updated)
    if updated != text and os.environ.get("CHORUS_UPDATE_DOCS") == "1":
        DOC.write_text(updated, encoding="utf-8")
        text = updated
    assert updated == text, "docs/validation.md is stale: run with CHORUS_UPDATE_DOCS=1"


def test_every_rule_id_appears_once_in_the_table() -> None:
    """Each of the 223 rule ids has exactly one row."""
    text = DOC.read_text(encoding="utf-8")
    for rid in RULES:
        assert len(re.findall(rf"^\| {re.escape(rid)} \|", text, re.MULTILINE)) == 1, rid
