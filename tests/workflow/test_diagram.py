"""Tests of the generated picture and tables, and of docs/workflow.md staying in sync.

Set ``CHORUS_UPDATE_DOCS=1`` to rewrite the generated blocks of ``docs/workflow.md`` instead of
failing; review the diff before committing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chorus_core.workflow import (
    DEFAULT_TABLE,
    STATUSES,
    TRANSITIONS,
    Action,
    Actor,
    Status,
    Transition,
    TransitionTable,
    generated_sections,
    mermaid,
    statuses_markdown,
    transitions_markdown,
)

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"
_BLOCK = re.compile(r"(<!-- generated:(\w+) -->\n)(.*?)(<!-- end:\2 -->)", re.S)


def test_mermaid_draws_every_row() -> None:
    """Every row of the table appears as an arrow labelled with its action and actor."""
    text = mermaid()
    for row in TRANSITIONS:
        source = "[*]" if row.source is None else row.source.value
        arrow = re.compile(
            rf"^    {re.escape(source)} --> {row.target.value} : {row.action.value} \(.*"
            rf"\b{row.actor.value}\b.*\)( if [a-z_ ]+)?$", re.M)
        assert arrow.search(text), row


def test_mermaid_shows_shared_conditions() -> None:
    """Arrows whose rows share conditions name them; the two deposits are told apart."""
    text = mermaid()
    assert "    [*] --> A_VALIDER_1 : deposit (supplier) if validation_circuit" in text
    assert ("    COMPLETEE --> MISE_EN_PAIEMENT : pay (recipient, accountant) "
            "if payment_status_managed") in text


def test_mermaid_ends_terminal_statuses() -> None:
    """Terminal statuses reached by the table lead to the end state."""
    text = mermaid()
    for status in DEFAULT_TABLE.statuses():
        assert (f"    {status.value} --> [*]" in text) is DEFAULT_TABLE.is_terminal(status)


def test_mermaid_follows_a_caller_table() -> None:
    """The picture of a one-row table has one arrow."""
    table = TransitionTable([Transition(Status.SUSPENDUE, Action.COMPLETE, Status.COMPLETEE,
                                        Actor.SUPPLIER)])
    assert mermaid(table).splitlines()[1:] == ["    SUSPENDUE --> COMPLETEE : complete (supplier)"]


def test_tables_have_one_line_per_row_and_status() -> None:
    """The transition table has one line per row, the status table one per status."""
    assert len(transitions_markdown().splitlines()) == 2 + len(TRANSITIONS)
    assert len(statuses_markdown().splitlines()) == 2 + len(STATUSES)


def test_docs_embed_the_generated_blocks() -> None:
    """docs/workflow.md holds exactly the generated picture and tables (no drift)."""
    text = DOC.read_text("utf-8")
    sections = generated_sections()
    found = {m.group(2) for m in _BLOCK.finditer(text)}
    assert found == set(sections), "docs/workflow.md lacks or has extra generated blocks"
    updated = _BLOCK.sub(lambda m: m.group(1) + sections[m.group(2)] + "\n" + m.group(4), text)
    if updated != text and os.environ.get("CHORUS_UPDATE_DOCS") == "1":
        DOC.write_text(updated, "utf-8")
        pytest.fail("docs/workflow.md was stale and has been rewritten; review and commit it")
    assert updated == text, "docs/workflow.md is stale: run with CHORUS_UPDATE_DOCS=1"
