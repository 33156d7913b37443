"""XML plumbing shared by every format: the one hardened parser and the attachment packing.

:mod:`chorus_core.xml.parser` parses every document under the limits in force;
:mod:`chorus_core.xml.packing` unwraps base64, ZIP and gzip attachments safely.

>>> parse_xml(b"<a/>").tag
'a'
"""

from .packing import b64decode, b64encode, gunzip, gzip_bytes, unzip_single, zip_single
from .parser import BINARY_ELEMENTS, MAX_DOCUMENT_BYTES, iter_elements, parse_xml, serialize

__all__ = [
    "BINARY_ELEMENTS",
    "MAX_DOCUMENT_BYTES",
    "b64decode",
    "b64encode",
    "gunzip",
    "gzip_bytes",
    "iter_elements",
    "parse_xml",
    "serialize",
    "unzip_single",
    "zip_single",
]
