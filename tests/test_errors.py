"""Every error code and exception is unique, well-formed and documented in docs/errors.md.

The tables of ``docs/errors.md`` between ``<!-- generated:NAME -->`` and ``<!-- end:NAME -->``
are generated here from the code; set ``CHORUS_UPDATE_DOCS=1`` to rewrite them.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from pathlib import Path

import chorus_core
from chorus_core import rules
from chorus_core.directory import ROUTING_RULES
from chorus_core.errors import ChorusError
from chorus_core.formats import pes_depense, pes_status, xsd
from chorus_core.rules.chorus import PROFILE_RULES
from chorus_core.workflow import PROBLEMS, Problem, Refusal

DOC = Path(__file__).resolve().parent.parent / "docs" / "errors.md"
CODE_RE = re.compile(r"\ACHORUS-[A-Z]+-\d{3}\Z")

#: pydantic error types raised on the building path (see chorus_core.model).
PYDANTIC_TYPES = {
    "code_unknown": "a code outside its closed list (ISO 4217, UNTDID 1001/5305/4461, …)",
    "siret_invalid": "a SIRET (scheme 0009, or the routing view) failing python-stdnum",
    "float_not_allowed": "a float given for money, a quantity, a price or a rate",
    "decimal_not_finite": "NaN or infinity given for a decimal",
}


def _exceptions() -> list[type[ChorusError]]:
    for info in pkgutil.walk_packages(chorus_core.__path__, "chorus_core."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    found: list[type[ChorusError]] = []

    def walk(cls: type[ChorusError]) -> None:
        found.append(cls)
        for sub in sorted(cls.__subclasses__(), key=lambda c: c.__name__):
            walk(sub)

    walk(ChorusError)
    return found


def _first_line(obj: object) -> str:
    return (obj.__doc__ or "").strip().splitlines()[0]


def _tables() -> dict[str, str]:
    exc_rows = [
        f"| `{c.__module__}.{c.__name__}` | {c.__mro__[1].__name__} | {_first_line(c)} |"
        for c in _exceptions()
    ]
    finding_rows = [
        f"| {r.code} | {r.severity.value} | {', '.join(r.bt)} | {r.policy.value} | {r.message_en} |"
        for r in (*ROUTING_RULES.values(), *PROFILE_RULES.values(), *pes_status.RULES.values(),
                  *pes_depense.RULES.values())
    ] + [f"| {xsd.CODE} | error | | {xsd.POLICY.value} | the document is not valid against the "
         "official XSD |",
         f"| {rules.LIMIT_CODE} | fatal or warning | | the layer's | more EN 16931 findings "
         "than `Limits.max_findings`: the rest are counted, not listed |"]
    return {
        "exceptions": "\n".join(["| Exception | Parent | When |", "| --- | --- | --- |",
                                 *exc_rows]),
        "findings": "\n".join(["| Code | Severity | BT | Policy | What |",
                               "| --- | --- | --- | --- | --- |", *finding_rows]),
        "pydantic": "\n".join(["| `type` | When |", "| --- | --- |",
                               *(f"| `{k}` | {v} |" for k, v in PYDANTIC_TYPES.items())]),
        "refusals": "\n".join(["| `Refusal` | |", "| --- | --- |",
                               *(f"| `{r.value}` | {r.name} |" for r in Refusal)]),
        "problems": "\n".join([
            "| `Problem` | Policy | Reform reason code | Motif (FR) | Motif (EN) |",
            "| --- | --- | --- | --- | --- |",
            *(f"| `{i.problem.value}` | {i.policy.value} | {i.reason_code.value} | {i.motif_fr} "
              f"| {i.motif_en} |" for i in (PROBLEMS[p] for p in Problem))]),
    }


def test_finding_codes_are_unique_and_well_formed() -> None:
    """Codes follow CHORUS-<AREA>-<3 digits> and no code is used twice."""
    codes = [*ROUTING_RULES, *PROFILE_RULES, *pes_status.RULES, *pes_depense.RULES, xsd.CODE,
             rules.LIMIT_CODE]
    assert len(codes) == len(set(codes))
    assert all(CODE_RE.match(c) for c in codes), [c for c in codes if not CODE_RE.match(c)]
    assert all(r.code == key for key, r in ROUTING_RULES.items())


def test_every_rule_has_both_messages() -> None:
    """Each finding code has a French and an English message."""
    for rule in (*ROUTING_RULES.values(), *PROFILE_RULES.values()):
        assert rule.message_fr and rule.message_en and rule.message_fr != rule.message_en


def test_every_exception_has_a_docstring() -> None:
    """Each exception says when it is raised."""
    assert all(_first_line(c) for c in _exceptions())


def test_docs_errors_lists_every_code() -> None:
    """The generated tables of docs/errors.md are up to date."""
    text = DOC.read_text(encoding="utf-8")
    updated = text
    for name, table in _tables().items():
        pattern = re.compile(
            rf"(<!-- generated:{name} -->\n)(?:.*?\n)?(<!-- end:{name} -->)", re.DOTALL)
        assert pattern.search(updated), f"docs/errors.md lacks the {name} markers"
        updated = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(2), updated)
    if updated != text and os.environ.get("CHORUS_UPDATE_DOCS") == "1":
        DOC.write_text(updated, encoding="utf-8")
        text = updated
    assert updated == text, "docs/errors.md is stale: run with CHORUS_UPDATE_DOCS=1"
