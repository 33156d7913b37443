"""The package is installed with its metadata, typing marker and bundled examples."""

from __future__ import annotations

from importlib.metadata import version
from importlib.resources import files

import chorus_core


def test_version_comes_from_installed_metadata() -> None:
    """__version__ is the installed distribution's version."""
    assert chorus_core.__version__ == version("chorus_core")


def test_package_is_typed() -> None:
    """py.typed ships so that mypy users see our annotations."""
    assert files("chorus_core").joinpath("py.typed").is_file()


def test_bundled_example_is_a_consistent_invoice() -> None:
    """The demo invoice loads on the strict path and its totals are consistent."""
    from chorus_core.examples import sample_invoice
    from chorus_core.model.totals import with_totals

    inv = sample_invoice()
    assert with_totals(inv) == inv
