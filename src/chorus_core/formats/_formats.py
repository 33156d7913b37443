"""Format descriptors: what the registry, the readers, the writers and XSD validation share.

Each format module (:mod:`~chorus_core.formats.ubl`, :mod:`~chorus_core.formats.cii`) builds one
:class:`Descriptor` from its :class:`~chorus_core.formats._engine.Syntax` and exposes its bound
methods as the module's verbs: ``detect``, ``read``, ``read_report``, ``write``,
``write_report``.  ``schemas`` maps each root element to its XSD file name and the relative
places it is looked for (see :mod:`chorus_core.formats.xsd`), so that xsd.py holds no format
name.

>>> from chorus_core.formats import cii
>>> cii.DESCRIPTOR.title
'UN/CEFACT CII D16B CrossIndustryInvoice'
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..errors import UnknownFormatError
from ..model import Invoice
from ._engine import Reading, Syntax, Written
from ._input import parse_document

__all__ = ["Descriptor"]

Element = etree._Element


@dataclass(frozen=True)
class Descriptor:
    """One format: its name, roots, schema files and its syntax in the binding table."""

    name: str
    title: str
    syntax: Syntax
    schemas: dict[str, tuple[str, tuple[str, ...]]]
    """Root element (Clark name) → (XSD file name, relative places tried in a directory)."""
    packages: tuple[tuple[str, str], ...] = ()
    """Installed packages that ship the schemas: (import name, sub-directory)."""

    @property
    def roots(self) -> tuple[str, ...]:
        """The root elements of the format (Clark names)."""
        return tuple(self.syntax.columns)

    def detect(self, root: Element) -> bool:
        """True when ``root`` is a root element of this format."""
        return root.tag in self.syntax.columns

    def parse(self, data: bytes | str | Element) -> Element:
        """Parse ``data`` (bytes, XML text, a Factur-X PDF: :func:`parse_document`) with the
        hardened parser and check that its root is of this format."""
        root = parse_document(data)
        if root.tag not in self.syntax.columns:
            qname = etree.QName(root)
            where = f" in namespace {qname.namespace}" if qname.namespace else ""
            raise UnknownFormatError(
                f"not a {self.title}: root element is {qname.localname}{where}")
        return root

    def read(self, data: bytes | str | Element) -> Invoice:
        """Read a document (bytes, str or a parsed root) into the canonical model.

        Lenient: missing terms stay ``None``, invalid codes are kept as read, text is kept
        exactly.  Raises :class:`~chorus_core.errors.MalformedXMLError` for malformed or hostile
        XML, :class:`~chorus_core.errors.UnknownFormatError` for another root and
        :class:`~chorus_core.errors.ReadError` (with the path and the BT) for a value the model
        cannot hold.
        """
        return self.syntax.read(self.parse(data)).invoice

    def read_report(self, data: bytes | str | Element) -> Reading:
        """Like :meth:`read`, with everything of the source the model does not hold."""
        return self.syntax.read(self.parse(data))

    def write(self, invoice: Invoice, *, draft: bool = False) -> bytes:
        """Write ``invoice`` in this format.

        Raises :class:`~chorus_core.errors.IncompleteInvoiceError` naming the terms the XSD
        requires and the invoice lacks, unless ``draft`` (then written empty), and
        :class:`~chorus_core.errors.ConversionError` for a character XML cannot carry.
        """
        return self.syntax.write(invoice, draft=draft, report=False).data

    def write_report(self, invoice: Invoice, *, draft: bool = False) -> Written:
        """Like :meth:`write`, with what the target did not carry as the model held it."""
        return self.syntax.write(invoice, draft=draft)
