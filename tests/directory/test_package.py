"""The directory package's public surface."""

from __future__ import annotations

import inspect
import subprocess
import sys

import chorus_core.directory as directory


def test_all_names_resolve_are_unique_and_documented() -> None:
    """Every name in __all__ exists once and every public class or function has a docstring."""
    assert len(set(directory.__all__)) == len(directory.__all__)
    for name in directory.__all__:
        obj = getattr(directory, name)
        if inspect.isclass(obj) or inspect.isfunction(obj):
            assert inspect.getdoc(obj), name


def test_library_does_not_import_hypothesis() -> None:
    """Importing the directory (not its strategies) never imports hypothesis."""
    code = "import sys, chorus_core.directory; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
