"""chorus_core: French public-sector e-invoicing (Chorus Pro, Hélios) on the EN 16931 model.

The curated front of the library; the sub-packages hold the rest:
:mod:`chorus_core.model` (canonical invoice, totals, routing view),
:mod:`chorus_core.rules` (EN 16931 business rules, layered validation),
:mod:`chorus_core.formats` (UBL, CII, conversion, XSD), :mod:`chorus_core.workflow`
(statuses, transitions, policies, payment clock), :mod:`chorus_core.directory` (annuaire and
routing checks), :mod:`chorus_core.limits` (the caps on hostile input), :mod:`chorus_core.errors`,
:mod:`chorus_core.testing` (hypothesis strategies).

>>> import chorus_core
>>> from chorus_core.examples import sample_invoice
>>> ubl = chorus_core.write(sample_invoice(), "ubl")
>>> chorus_core.detect_format(ubl)
'ubl'
>>> result = chorus_core.convert(ubl, to="cii")
>>> chorus_core.read(result.data).invoice_number
'FA-2026-0042'
"""

from importlib.metadata import PackageNotFoundError, version

from .directory import Directory, Service, Structure, check_routing, read_directory
from .errors import (
    ChorusError,
    ConversionError,
    DirectoryError,
    Finding,
    FormatError,
    MalformedXMLError,
    Policy,
    ReadError,
    Report,
    SchemaNotFoundError,
    Severity,
    UnknownFormatError,
    WorkflowError,
)
from .formats import Conversion, Loss, convert, detect_format, read, validate_xsd, write
from .limits import Limits
from .model import Invoice, lenient
from .model.routing import Routing, routing_of
from .model.totals import with_totals
from .rules import validate
from .workflow import (
    Action,
    Actor,
    History,
    Status,
    TrackedInvoice,
    TransitionRefused,
    allowed_actions,
    apply,
    archived,
    dashboard,
    needing_action,
    payment_delay,
    recommend,
    search,
)

try:
    __version__ = version("chorus_core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "Action",
    "Actor",
    "ChorusError",
    "Conversion",
    "ConversionError",
    "Directory",
    "DirectoryError",
    "Finding",
    "FormatError",
    "History",
    "Invoice",
    "Limits",
    "Loss",
    "MalformedXMLError",
    "Policy",
    "ReadError",
    "Report",
    "Routing",
    "SchemaNotFoundError",
    "Service",
    "Severity",
    "Status",
    "Structure",
    "TrackedInvoice",
    "TransitionRefused",
    "UnknownFormatError",
    "WorkflowError",
    "__version__",
    "allowed_actions",
    "apply",
    "archived",
    "check_routing",
    "convert",
    "dashboard",
    "detect_format",
    "lenient",
    "needing_action",
    "payment_delay",
    "read",
    "read_directory",
    "recommend",
    "routing_of",
    "search",
    "validate",
    "validate_xsd",
    "with_totals",
    "write",
]
