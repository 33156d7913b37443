"""The directory of public structures (annuaire Chorus Pro) and the routing checks against it.

* :mod:`.models`: :class:`Structure`, :class:`Service`, the immutable :class:`Directory`.
* :mod:`.csv_export`: the official ``;``-separated exports, read (streaming) and written.
* :mod:`.api_json`: the Chorus Pro API shapes ``consulterStructure`` and
  ``rechercherServicesStructure``.
* :mod:`.routing_checks`: :func:`check_routing` and :func:`check_deposit` (the deposit
  limits), findings ``CHORUS-ROUTING-0xx``.
* :mod:`.generate`: a synthetic national-size export for benchmarks (never real data).
* :mod:`.strategies`: hypothesis strategies (imported only by tests; needs hypothesis).

>>> from chorus_core.directory import read_directory, check_routing
>>> callable(read_directory) and callable(check_routing)
True
"""

from .api_json import (
    ApiShapeError,
    apply_service_parameters,
    services_from_api,
    services_to_api,
    structure_from_api,
    structure_to_api,
)
from .csv_export import (
    MAX_ERRORS_KEPT,
    SERVICE_COLUMNS,
    STRUCTURE_COLUMNS,
    EncodingError,
    FieldValueError,
    HeaderError,
    MalformedCsvError,
    RowLengthError,
    iter_services,
    iter_structures,
    read_directory,
    write_services,
    write_structures,
)
from .models import (
    Directory,
    DuplicateEntryError,
    IdentifierType,
    LoadReport,
    Service,
    Structure,
)
from .routing_checks import (
    ATTACHMENT_EXTENSIONS,
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_NAME_MAX_LENGTH,
    ATTACHMENTS_MAX_BYTES,
    CODE_SERVICE_MAX_LENGTH,
    ENGAGEMENT_MAX_LENGTH,
    INVOICE_NUMBER_MAX_LENGTH,
    PUBLIC_INVOICES_SERVICE,
    ROUTING_RULES,
    RoutingRule,
    check_deposit,
    check_routing,
    supplier_identifier_type,
)

__all__ = [
    "ATTACHMENTS_MAX_BYTES",
    "ATTACHMENT_EXTENSIONS",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_NAME_MAX_LENGTH",
    "CODE_SERVICE_MAX_LENGTH",
    "ENGAGEMENT_MAX_LENGTH",
    "INVOICE_NUMBER_MAX_LENGTH",
    "MAX_ERRORS_KEPT",
    "PUBLIC_INVOICES_SERVICE",
    "ROUTING_RULES",
    "SERVICE_COLUMNS",
    "STRUCTURE_COLUMNS",
    "ApiShapeError",
    "Directory",
    "DuplicateEntryError",
    "EncodingError",
    "FieldValueError",
    "HeaderError",
    "IdentifierType",
    "LoadReport",
    "MalformedCsvError",
    "RoutingRule",
    "RowLengthError",
    "Service",
    "Structure",
    "apply_service_parameters",
    "check_deposit",
    "check_routing",
    "iter_services",
    "iter_structures",
    "read_directory",
    "services_from_api",
    "services_to_api",
    "structure_from_api",
    "structure_to_api",
    "supplier_identifier_type",
    "write_services",
    "write_structures",
]
