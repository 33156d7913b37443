"""XML plumbing shared by every format: the one hardened parser and the namespaces."""

from .parser import MAX_DOCUMENT_BYTES, parse_xml, serialize

__all__ = ["MAX_DOCUMENT_BYTES", "parse_xml", "serialize"]
