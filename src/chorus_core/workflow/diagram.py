"""Workflow pictures and tables: Mermaid and Markdown text generated from the transition table.

:func:`mermaid` draws the state machine of a
:class:`~chorus_core.workflow.transitions.TransitionTable` as a Mermaid ``stateDiagram-v2``
(one arrow per from/action/to, labelled with the actors and the conditions all its rows share;
terminal statuses lead to ``[*]``);
:func:`transitions_markdown` and :func:`statuses_markdown` render the tables of
``docs/workflow.md``.  The docs embed this output between markers, and a test fails when they
drift, so the page always shows the data the code uses.

>>> from chorus_core.workflow.statuses import Actor
>>> print(mermaid(TransitionTable([Transition(Status.SUSPENDUE, Action.COMPLETE,
...                                           Status.COMPLETEE, Actor.SUPPLIER)])))
stateDiagram-v2
    SUSPENDUE --> COMPLETEE : complete (supplier)
"""

from __future__ import annotations

from collections.abc import Iterable

from .policies import PROBLEMS
from .statuses import ACTOR_LABELS_FR, STATUSES, Status
from .transitions import (
    ACTION_LABELS_FR,
    DEFAULT_TABLE,
    Action,
    Transition,
    TransitionTable,
)

__all__ = [
    "generated_sections",
    "mermaid",
    "problems_markdown",
    "statuses_markdown",
    "transitions_markdown",
]


def mermaid(table: TransitionTable = DEFAULT_TABLE) -> str:
    """The Mermaid ``stateDiagram-v2`` text of ``table``.

    >>> for line in mermaid().splitlines()[:3]:
    ...     print(line)
    stateDiagram-v2
        [*] --> BROUILLON : save_draft (supplier)
        [*] --> DEPOSEE : deposit (supplier) if no_validation_circuit
    """
    arrows: dict[tuple[str, str, Action], list[Transition]] = {}
    for row in table.rows:
        source = "[*]" if row.source is None else row.source.value
        arrows.setdefault((source, row.target.value, row.action), []).append(row)
    lines = ["stateDiagram-v2"]
    for (source, target, action), rows in arrows.items():
        actors = ", ".join(dict.fromkeys(row.actor.value for row in rows))
        common = frozenset.intersection(*(row.conditions for row in rows))
        when = f" if {' and '.join(sorted(common))}" if common else ""
        lines.append(f"    {source} --> {target} : {action.value} ({actors}){when}")
    lines += [
        f"    {status.value} --> [*]"
        for status in table.statuses() if table.is_terminal(status)
    ]
    return "\n".join(lines)


def _join(values: Iterable[str]) -> str:
    return ", ".join(sorted(values)) or "—"


def _row(row: Transition) -> str:
    source = "*(nouvelle facture)*" if row.source is None else f"`{row.source.value}`"
    return (
        f"| {source} | `{row.action.value}` — {ACTION_LABELS_FR[row.action]} "
        f"| `{row.target.value}` | {row.actor.value} ({ACTOR_LABELS_FR[row.actor]}) "
        f"| {_join(r.value for r in row.requires)} "
        f"| {_join(c.value for c in row.conditions)} "
        f"| {row.basis.value} | {row.note or '—'} |"
    )


def transitions_markdown(table: TransitionTable = DEFAULT_TABLE) -> str:
    """The Markdown table of every row of ``table``, in table order.

    >>> transitions_markdown().splitlines()[0]
    '| From | Action | To | Actor | Requires | Conditions | Basis | Note |'
    """
    head = [
        "| From | Action | To | Actor | Requires | Conditions | Basis | Note |",
        "|---|---|---|---|---|---|---|---|",
    ]
    return "\n".join(head + [_row(row) for row in table.rows])


def statuses_markdown(table: TransitionTable = DEFAULT_TABLE) -> str:
    """The Markdown table of the 57 statuses; ``in table`` marks those ``table`` uses.

    >>> statuses_markdown().splitlines()[2]
    '| `BROUILLON` | — | Brouillon | Draft | supplier | sending | no | no | yes |'
    """
    used: set[Status] = set(table.statuses())
    head = [
        "| Status | Code | Libellé | Label | Producer | Family | Optional | Terminal | In table |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def yes(flag: bool) -> str:
        return "yes" if flag else "no"

    rows = [
        f"| `{s.value}` | "
        f"{'—' if i.code is None else str(i.code) + ('?' if i.code_inferred else '')} | "
        f"{i.label_fr} | {i.label_en} | {i.producer.value} | {i.family.value} | "
        f"{yes(i.optional)} | {yes(i.terminal)} | {yes(s in used)} |"
        for s, i in STATUSES.items()
    ]
    return "\n".join(head + rows)


def problems_markdown() -> str:
    """The Markdown table of the problem vocabulary, its policy and reform reason code.

    >>> problems_markdown().splitlines()[2]
    '| `wrong_recipient_siret` | recycle | `SIRET_ERR` | SIRET du destinataire erroné |'
    """
    head = ["| Problem | Policy | Reform code | Motif |", "|---|---|---|---|"]
    rows = [
        f"| `{p.value}` | {i.policy.value} | `{i.reason_code.value}` | {i.motif_fr} |"
        for p, i in PROBLEMS.items()
    ]
    return "\n".join(head + rows)


def generated_sections(table: TransitionTable = DEFAULT_TABLE) -> dict[str, str]:
    """The generated blocks of ``docs/workflow.md``, by marker name.

    >>> sorted(generated_sections())
    ['mermaid', 'problems', 'statuses', 'transitions']
    """
    return {
        "mermaid": f"```mermaid\n{mermaid(table)}\n```",
        "statuses": statuses_markdown(table),
        "transitions": transitions_markdown(table),
        "problems": problems_markdown(),
    }
