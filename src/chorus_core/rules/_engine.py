"""The rule engine: a rule is an official id, a flag, its terms, two messages and a small check.

A check is a function over the canonical :class:`~chorus_core.model.Invoice` that yields the
model path (``lines[2].net_amount``) of every place where the rule fails; :meth:`Rule.run` turns
each into a :class:`~chorus_core.errors.Finding`.  Helpers below mirror the XPath semantics of
the official Schematron where they matter (``normalize-space``, ``round``, text decimals).

>>> from chorus_core.model import Invoice
>>> r = rule("BR-02", "fatal", ("BT-1",), "An Invoice shall have an Invoice number (BT-1).",
...          "Une facture doit avoir un numéro de facture (BT-1).")(
...     lambda inv: [] if filled(inv.invoice_number) else ["invoice_number"])
>>> [f.path for f in r.run(Invoice(), layer="en16931", policy=Policy.REJECT)]
['invoice_number']
>>> r.run(Invoice(invoice_number="F-1"), layer="en16931", policy=Policy.REJECT)
[]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal
from types import MappingProxyType
from typing import Literal

from chorus_core.errors import Finding, Policy, Severity
from chorus_core.model import Invoice

__all__ = [
    "Check",
    "Flag",
    "Rule",
    "decimals",
    "filled",
    "in_list",
    "rule",
    "xround",
    "xround2",
]

Flag = Literal["fatal", "warning"]
Check = Callable[[Invoice], Iterable[str]]
"""A check yields the model path of each failure (nothing when the rule holds)."""

_SEVERITY = {"fatal": Severity.FATAL, "warning": Severity.WARNING}


@dataclass(frozen=True)
class Rule:
    """One business rule: official ``id``, ``flag`` (fatal or warning), the BT/BG ``terms`` it
    concerns, its English and French messages and its ``check``.

    ``variants`` maps a syntax (``"cii"``) to the check of its official binding where that
    binding gives the rule another meaning than the default one (the UBL binding, exercised by
    the official unit tests); see :meth:`variant`.
    """

    id: str
    flag: Flag
    terms: tuple[str, ...]
    message_en: str
    message_fr: str
    check: Check
    variants: Mapping[str, Check] = field(default_factory=lambda: MappingProxyType({}))

    def variant(self, binding: str, check: Check) -> Rule:
        """This rule with ``check`` used for documents of the syntax ``binding``."""
        return replace(self, variants=MappingProxyType({**self.variants, binding: check}))

    def run(self, invoice: Invoice, *, layer: str, policy: Policy,
            binding: str | None = None) -> list[Finding]:
        """The findings of this rule on ``invoice``, one per failing place.

        ``binding`` is the syntax the invoice was read from, if any (it selects a variant).
        ``policy`` applies to fatal findings; warnings always carry :attr:`Policy.NONE`.
        """
        return [self.finding(path, layer=layer, policy=policy)
                for path in self.check_for(binding)(invoice)]

    def check_for(self, binding: str | None) -> Check:
        """The check that applies to a document of the syntax ``binding`` (None: default)."""
        return self.variants.get(binding, self.check) if binding else self.check

    def finding(self, path: str, *, layer: str, policy: Policy) -> Finding:
        """The finding of this rule failing at ``path``."""
        return Finding(code=self.id, severity=_SEVERITY[self.flag], bt=self.terms,
                       path=path or None, message_fr=self.message_fr,
                       message_en=self.message_en,
                       policy=policy if self.flag == "fatal" else Policy.NONE, layer=layer)


def rule(id: str, flag: Flag, terms: tuple[str, ...], message_en: str,
         message_fr: str) -> Callable[[Check], Rule]:
    """Decorator: turn a check function into a :class:`Rule` (it registers nothing)."""

    def wrap(check: Check) -> Rule:
        return Rule(id, flag, terms, message_en, message_fr, check)

    return wrap


# ---------------------------------------------------------------- XPath-like helpers


def filled(value: str | None) -> bool:
    """``normalize-space(value) != ''``: present and not blank."""
    return value is not None and value.strip() != ""


def in_list(code: str, codes: frozenset[str]) -> bool:
    """The Schematron code-list test: one token after ``normalize-space``, and in ``codes``."""
    token = " ".join(code.split())
    return token != "" and " " not in token and token in codes


_ONE = Decimal(1)


def xround(value: Decimal) -> Decimal:
    """XPath ``round()``: to the nearest integer, halves towards positive infinity."""
    return (value + Decimal("0.5")).quantize(_ONE, rounding=ROUND_FLOOR)


def xround2(value: Decimal) -> Decimal:
    """XPath ``round(value * 100) div 100``, the rounding of the official totals rules."""
    return xround(value * 100) / 100


def decimals(value: Decimal | None) -> int:
    """The number of decimals as written (``Decimal('1.230')`` → 3); 0 when absent."""
    if value is None:
        return 0
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
