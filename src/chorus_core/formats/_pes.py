"""What the PES format modules (:mod:`.pes_pivot`, :mod:`.pes_asap`) share: the frozen base of
their extension models, the argument check and parse, the refusal of another root, the
insertion of a child at its XSD place and the relaxing of the XSD order for what they write
themselves beside the engine's output."""

from __future__ import annotations

from collections.abc import Mapping

from lxml import etree
from pydantic import BaseModel, ConfigDict

from ..errors import UnknownFormatError, UsageError
from ..model import Invoice

Element = etree._Element
Order = dict[str, tuple[tuple[str, bool, bool], ...]]


class Frozen(BaseModel):
    """Immutable, and no field beyond the declared ones."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def unknown_root(root: Element, what: str) -> UnknownFormatError:
    """The refusal of ``root`` as ``what``."""
    qname = etree.QName(root)
    where = f" in namespace {qname.namespace}" if qname.namespace else ""
    return UnknownFormatError(f"not {what}: root element is {qname.localname}{where}")


def check_invoice(invoice: object) -> None:
    """The :class:`~chorus_core.errors.UsageError` of an ``invoice`` that is no Invoice."""
    if not isinstance(invoice, Invoice):
        raise UsageError(
            f"invoice must be a chorus_core Invoice, not {type(invoice).__name__}",
            f"invoice doit être une Invoice de chorus_core, pas {type(invoice).__name__}",
            argument="invoice")


def insert(parent: Element, tag: str, order: tuple[str, ...]) -> Element:
    """A new child ``tag`` of ``parent``, before the first child that ``order`` (the XSD
    sequence of ``parent``) puts after it."""
    rank = order.index(tag)
    child = etree.Element(tag)
    for position, sibling in enumerate(parent):
        if sibling.tag in order and order.index(str(sibling.tag)) > rank:
            parent.insert(position, child)
            return child
    parent.append(child)
    return child


def relaxed(order: Order, optional: Mapping[str, tuple[str, ...]]) -> Order:
    """``order`` with the children ``optional`` names no longer required (the module writes
    them itself)."""
    return {path: tuple((tag, required and tag not in optional.get(path, ()), many)
                        for tag, required, many in children)
            for path, children in order.items()}
