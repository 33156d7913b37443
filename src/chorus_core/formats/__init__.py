"""Document formats: one module per syntax, the same verbs in each, and conversion between them.

Every format module offers ``read(data) -> Invoice``, ``read_report(data) -> Reading``,
``write(invoice, *, draft=False) -> bytes``, ``write_report(...)`` and ``detect(root) -> bool``,
all generated from one declaration: the binding table ``bindings.csv``, one row per EN 16931
term (see :mod:`chorus_core.formats._table` and :mod:`chorus_core.formats._engine`).  A module
holds only its descriptor and the hooks of what a path cannot say.  :data:`FORMATS` is the
explicit registry (nothing registers itself on import); :mod:`chorus_core.formats.conversion`
loops over it to detect, read, write and convert with a loss report;
:mod:`chorus_core.formats.xsd` validates against the official schemas.

The same entry points take a Factur-X / ZUGFeRD PDF: its embedded CII is found and read
(:mod:`chorus_core.formats.facturx`, which also attaches a CII to a PDF).  They take the
document's bytes or XML text, never a file path: the library reads no file.

>>> sorted(FORMATS)
['cii', 'pes_asap', 'pes_pivot', 'ubl']
"""

from types import ModuleType

from . import cii, pes_asap, pes_pivot, ubl

FORMATS: dict[str, ModuleType] = {
    "ubl": ubl, "cii": cii, "pes_pivot": pes_pivot, "pes_asap": pes_asap}
"""Format name → module with ``read``, ``write`` and ``detect`` (detection tries them in order)."""

# the conversion and validation helpers use FORMATS: imported after it
from . import facturx  # noqa: E402
from ._engine import Reading, Unread  # noqa: E402
from .conversion import (  # noqa: E402
    Conversion,
    Loss,
    convert,
    detect_format,
    diff_terms,
    ignored_elements,
    parse_document,
    read,
    read_report,
    write,
)
from .xsd import XsdFinding, schema_path, validate_xsd  # noqa: E402

__all__ = [
    "FORMATS",
    "Conversion",
    "Loss",
    "Reading",
    "Unread",
    "XsdFinding",
    "cii",
    "convert",
    "detect_format",
    "diff_terms",
    "facturx",
    "ignored_elements",
    "parse_document",
    "pes_asap",
    "pes_pivot",
    "read",
    "read_report",
    "schema_path",
    "ubl",
    "validate_xsd",
    "write",
]
