"""Tests of the workflow package's public surface."""

from __future__ import annotations

import chorus_core.workflow as workflow


def test_all_names_resolve_and_are_unique() -> None:
    """Every name in __all__ exists and appears once."""
    assert len(set(workflow.__all__)) == len(workflow.__all__)
    assert all(hasattr(workflow, name) for name in workflow.__all__)
