"""chorus_core: French public-sector e-invoicing (Chorus Pro, Hélios) on the EN 16931 model."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("chorus_core")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
