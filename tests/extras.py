"""Optional extras in the tests: skipped with the reason on a developer's machine without them,
a failure in CI (``CI`` set), where ``.ci/run`` installs every extra."""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` from the extra ``extra``; skip without it, fail when ``CI`` is set."""
    try:
        return importlib.import_module(module)
    except ImportError:
        reason = f"{module} is missing: pip install -e '.[{extra}]'"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}")
        pytest.skip(reason)
