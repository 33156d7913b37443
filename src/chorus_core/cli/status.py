"""The ``status`` command: the Chorus Pro invoice lifecycle, and what each actor may do.

Without a status, the lifecycle picture generated from the transition table
(:func:`chorus_core.workflow.diagram.mermaid`, or the Markdown table of its rows); with one,
the actions each actor may take from it (:func:`chorus_core.workflow.allowed_actions`).

>>> status_of("mise_a_disposition")
<Status.MISE_A_DISPOSITION: 'MISE_A_DISPOSITION'>
>>> status_of("3") is Status.MISE_A_DISPOSITION
True
>>> [a["action"] for a in actions(Status.SUSPENDUE, Actor.SUPPLIER)]
['complete']
"""

from __future__ import annotations

import datetime
from typing import Any

from ..errors import UsageError
from ..workflow import (
    STATUSES,
    Actor,
    History,
    Status,
    StatusCodeError,
    allowed_actions,
    status_by_code,
)
from ..workflow.transitions import ACTION_LABELS_FR

__all__ = ["actions", "status_of", "status_result"]

_SOME_DAY = datetime.date(2000, 1, 1)
"""The date the status is observed on: without a date of question, no delay-based action
(tacit validation) is offered, so the date itself does not change the answer."""


def status_of(text: str) -> Status:
    """The status named ``text`` (API name, any case) or numbered ``text`` (life-cycle code)."""
    if text.strip().isdigit():
        try:
            return status_by_code(int(text))
        except StatusCodeError as exc:  # on the command line, a wrong code is a usage error
            raise UsageError(exc.message_en, exc.message_fr, argument="STATUS") from None
    try:
        return Status(text.strip().upper())
    except ValueError:
        raise UsageError(
            f"unknown status {text!r}: an API name such as MISE_A_DISPOSITION, or a life-cycle "
            "code (see chorus-core status)",
            f"statut inconnu {text!r} : un nom de l'API comme MISE_A_DISPOSITION, ou un code "
            "de cycle de vie (voir chorus-core status)",
            argument="STATUS") from None


def actions(status: Status, actor: Actor) -> list[dict[str, Any]]:
    """What ``actor`` may do from ``status``: the action, its French label, the target status
    and the data it needs."""
    history = History.observed([(status, _SOME_DAY)])
    return [
        {"action": row.action.value, "label_fr": ACTION_LABELS_FR[row.action],
         "target": row.target.value, "requires": sorted(r.value for r in row.requires)}
        for row in allowed_actions(history, actor)
    ]


def status_result(status: Status, actors: list[Actor]) -> dict[str, Any]:
    """The JSON result of ``status STATUS``: the status, its labels and each actor's actions."""
    info = STATUSES[status]
    return {"ok": True, "status": status.value, "code": info.code, "label_fr": info.label_fr,
            "label_en": info.label_en, "terminal": info.terminal,
            "actions": {actor.value: actions(status, actor) for actor in actors}}
