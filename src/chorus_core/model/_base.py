"""Building blocks of the canonical model: the base class, BT metadata, typed values.

Two ways in, one model:

* **Building** (``Invoice(...)``, ``Invoice.model_validate(data)``) is strict: closed code lists,
  SIRET check digits, no float money.
* **Reading** (:func:`lenient`, used by every format reader) keeps invalid codes and identifiers
  exactly as read so that the business rules can report them (BR-CL-04 for an unknown
  currency, …).  Only what cannot be represented at all (an amount that is not a number) fails.

The switch is the pydantic *validation context*: ``{"lenient": True}``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siret

__all__ = [
    "LENIENT",
    "REPR_MAX",
    "Amount",
    "CanonicalModel",
    "Percentage",
    "Quantity",
    "UnitPrice",
    "brief",
    "bt",
    "capped",
    "check_siret",
    "coded",
    "is_lenient",
    "lenient",
]

LENIENT: dict[str, Any] = {"lenient": True}
"""The validation context used by readers (see :func:`lenient`)."""

M = TypeVar("M", bound=BaseModel)


REPR_MAX = 299
"""Longest ``repr`` of a model: a document never dumps itself whole in a notebook or a log."""

_VALUE_MAX = 40


def brief(value: Any, limit: int = _VALUE_MAX) -> str:
    """A short text for one field value in a ``repr``: strings and numbers cut at ``limit``,
    a nested model by its own short repr, a repeating group by its size, bytes by their size.

    >>> brief("x" * 50, 10)
    "'xxxxxxxxx…'"
    >>> brief((1, 2, 3)), brief(b"abc"), brief(Decimal("12.50"))
    ('[3 items]', '<3 bytes>', '12.50')
    """
    if isinstance(value, str):
        return repr(value if len(value) <= limit else value[: limit - 1] + "…")
    if isinstance(value, tuple | list):
        kinds = {type(v).__name__ for v in value}
        kind = kinds.pop() if len(kinds) == 1 and isinstance(value[0], BaseModel) else "item"
        return f"[{len(value)} {kind}{'' if len(value) == 1 else 's'}]"
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    text = repr(value) if isinstance(value, BaseModel) else str(value)
    return text if len(text) <= 2 * limit else text[: 2 * limit - 2] + "…)"


def capped(text: str, limit: int = REPR_MAX) -> str:
    """``text`` cut to ``limit`` characters, ending with ``…)`` when cut."""
    return text if len(text) <= limit else text[: limit - 2] + "…)"


class CanonicalModel(BaseModel):
    """Base of every canonical model: immutable, no unknown fields, bytes as base64 in JSON.

    Its ``repr`` (and ``str``) names only the fields that are set, each cut short, and never
    exceeds :data:`REPR_MAX` characters.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        ser_json_bytes="base64",
        val_json_bytes="base64",
        validate_default=False,
    )

    def __repr__(self) -> str:
        values = self.__dict__
        parts = [
            f"{name}={brief(values[name])}"
            for name in type(self).model_fields
            if values.get(name) is not None and values.get(name) != ()
        ]
        return capped(f"{type(self).__name__}({', '.join(parts)})")

    def __str__(self) -> str:
        return repr(self)


def is_lenient(info: ValidationInfo) -> bool:
    """True when validation runs on the lenient (reading) path."""
    ctx = info.context
    return bool(ctx and ctx.get("lenient"))


def lenient(cls: type[M], /, **fields: Any) -> M:
    """Build ``cls`` on the reading path: invalid codes and identifiers are kept as given.

    >>> from chorus_core.model import Invoice
    >>> inv = lenient(Invoice, invoice_currency_code="EURO")
    >>> inv.invoice_currency_code
    'EURO'
    """
    return cls.model_validate(fields, context=LENIENT)


def bt(term: str, description: str | None = None, /, **sub: str) -> Any:
    """A pydantic ``Field`` that records its EN 16931 term id (``BT-…`` or ``BG-…``).

    ``sub`` maps the field names of a nested identifier to the sub-term ids, e.g.
    ``bt("BT-46", scheme_id="BT-46-1")``.  Repeating groups default to an empty tuple; other
    fields default to ``None`` (everything is optional at the type level so that incomplete
    documents load and the rules say what is missing).
    """
    extra: dict[str, Any] = {"bt": term}
    if sub:
        extra["sub"] = dict(sub)
    return Field(default=None, description=description, json_schema_extra=extra)


def bt_many(term: str, description: str | None = None, /, **sub: str) -> Any:
    """Like :func:`bt` for a repeating term or group (``0..n`` / ``1..n``): defaults to ``()``."""
    extra: dict[str, Any] = {"bt": term}
    if sub:
        extra["sub"] = dict(sub)
    return Field(default=(), description=description, json_schema_extra=extra)


def _decimal(value: Any, info: ValidationInfo) -> Any:
    """One pass for every number: parse text, refuse NaN and infinities, and refuse floats
    when building (when reading, a float is kept as written: ``10.1`` → ``Decimal('10.1')``)."""
    if value.__class__ is Decimal and value.is_finite():  # the readers' case: fast path
        return value
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except ArithmeticError:
            return value  # pydantic's own decimal_parsing error names the field
    elif isinstance(value, float):
        if is_lenient(info):
            return Decimal(repr(value))  # the shortest text that reads back as this float
        raise PydanticCustomError(
            "float_not_allowed",
            "money, quantities and rates must be Decimal, int or str, not float ({value})",
            {"value": value},
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise PydanticCustomError("decimal_not_finite", "{value} is not a finite number",
                                  {"value": str(value)})
    return value


_DecimalSer = PlainSerializer(lambda d: str(d), return_type=str, when_used="json")

Amount = Annotated[Decimal, BeforeValidator(_decimal), _DecimalSer]
"""A monetary amount (EN 16931 *Amount*): Decimal, never float."""
UnitPrice = Annotated[Decimal, BeforeValidator(_decimal), _DecimalSer]
"""A unit price amount (EN 16931 *Unit Price Amount*)."""
Quantity = Annotated[Decimal, BeforeValidator(_decimal), _DecimalSer]
"""A quantity (EN 16931 *Quantity*)."""
Percentage = Annotated[Decimal, BeforeValidator(_decimal), _DecimalSer]
"""A percentage or rate (EN 16931 *Percentage*), e.g. ``Decimal("20")`` for 20 %."""


def coded(list_name: str, codes: frozenset[str]) -> Callable[[str, ValidationInfo], str]:
    """Validator factory: a value must be in ``codes`` on the building path.

    The pydantic error type is ``code_unknown`` and its context names the list.
    """

    def check(value: str, info: ValidationInfo) -> str:
        if value not in codes and not is_lenient(info):
            raise PydanticCustomError(
                "code_unknown",
                "'{value}' is not a code of {code_list}",
                {"value": value, "code_list": list_name},
            )
        return value

    return check


def check_siret(value: str) -> str:
    """Raise ``PydanticCustomError('siret_invalid')`` unless ``value`` is a valid SIRET.

    Uses python-stdnum (Luhn, with the La Poste exception).
    """
    try:
        siret.validate(value)
    except StdnumValidationError as exc:
        raise PydanticCustomError(
            "siret_invalid", "'{value}' is not a valid SIRET: {reason}",
            {"value": value, "reason": str(exc)},
        ) from None
    return value
