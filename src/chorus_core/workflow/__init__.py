"""Chorus Pro invoice workflow: statuses, transition rules, return policies, payment-delay clock.

Everything here is pure: no clock reads, no I/O.  The caller passes dates ("today") and gets
new values back.

* :mod:`~chorus_core.workflow.statuses`: the 57 API statuses with codes, labels and producers.
* :mod:`~chorus_core.workflow.transitions`: the transition table as data (replaceable).
* :mod:`~chorus_core.workflow.machine`: the append-only :class:`History`, :func:`apply` and
  :func:`allowed_actions`.
* :mod:`~chorus_core.workflow.policies`: recycle / suspend / reject recommendations.
* :mod:`~chorus_core.workflow.clock`: the délai global de paiement, interest and indemnity.
* :mod:`~chorus_core.workflow.diagram`: Mermaid and Markdown generated from the table.

>>> from datetime import date
>>> h = History.observed([(Status.MISE_A_DISPOSITION, date(2026, 3, 1))])
>>> payment_delay(h, date(2026, 3, 26)).days_left
5
"""

from .clock import (
    ACKNOWLEDGEMENT_DAYS,
    CLOCK_RUNS,
    CLOCK_STOPS,
    FIXED_INDEMNITY,
    HEALTH_DELAY_DAYS,
    MORATORIUM_MARGIN,
    NEW_DELAY_AFTER_SUSPENSION_DAYS,
    PUBLIC_ENTERPRISE_DELAY_DAYS,
    STATE_DELAY_DAYS,
    ClockStart,
    ClockState,
    LatePaymentCost,
    PaymentDelay,
    acknowledgement_due,
    late_payment_cost,
    moratorium_rate,
    payment_delay,
)
from .diagram import (
    generated_sections,
    mermaid,
    problems_markdown,
    statuses_markdown,
    transitions_markdown,
)
from .machine import (
    Event,
    History,
    NewRouting,
    Refusal,
    TransitionRefused,
    WorkflowUsageError,
    allowed_actions,
    apply,
    as_date,
)
from .policies import (
    POLICY_ACTIONS,
    PROBLEMS,
    REASON_CODES_BY_REFORM_STATUS,
    Problem,
    ProblemInfo,
    ReasonCode,
    Recommendation,
    recommend,
    truncate_motif,
)
from .statuses import (
    ACTOR_LABELS_FR,
    PIVOT_STATUS_CODES,
    STATUSES,
    Actor,
    Family,
    Status,
    StatusCodeError,
    StatusInfo,
    status_by_code,
)
from .transitions import (
    ACTION_LABELS_FR,
    DEFAULT_TABLE,
    MOTIF_MAX_LENGTH,
    TRANSITIONS,
    VALIDATION_DELAY_DAYS,
    Action,
    Basis,
    Condition,
    Context,
    Requirement,
    TableError,
    Transition,
    TransitionTable,
    condition_holds,
)

__all__ = [
    "ACKNOWLEDGEMENT_DAYS",
    "ACTION_LABELS_FR",
    "ACTOR_LABELS_FR",
    "CLOCK_RUNS",
    "CLOCK_STOPS",
    "DEFAULT_TABLE",
    "FIXED_INDEMNITY",
    "HEALTH_DELAY_DAYS",
    "MORATORIUM_MARGIN",
    "MOTIF_MAX_LENGTH",
    "NEW_DELAY_AFTER_SUSPENSION_DAYS",
    "PIVOT_STATUS_CODES",
    "POLICY_ACTIONS",
    "PROBLEMS",
    "PUBLIC_ENTERPRISE_DELAY_DAYS",
    "REASON_CODES_BY_REFORM_STATUS",
    "STATE_DELAY_DAYS",
    "STATUSES",
    "TRANSITIONS",
    "VALIDATION_DELAY_DAYS",
    "Action",
    "Actor",
    "Basis",
    "ClockStart",
    "ClockState",
    "Condition",
    "Context",
    "Event",
    "Family",
    "History",
    "LatePaymentCost",
    "NewRouting",
    "PaymentDelay",
    "Problem",
    "ProblemInfo",
    "ReasonCode",
    "Recommendation",
    "Refusal",
    "Requirement",
    "Status",
    "StatusCodeError",
    "StatusInfo",
    "TableError",
    "Transition",
    "TransitionRefused",
    "TransitionTable",
    "WorkflowUsageError",
    "acknowledgement_due",
    "allowed_actions",
    "apply",
    "as_date",
    "condition_holds",
    "generated_sections",
    "late_payment_cost",
    "mermaid",
    "moratorium_rate",
    "payment_delay",
    "problems_markdown",
    "recommend",
    "status_by_code",
    "statuses_markdown",
    "transitions_markdown",
    "truncate_motif",
]
