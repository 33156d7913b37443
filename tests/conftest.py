"""Shared test configuration: hypothesis profiles and the one corpus fixture.

The reference corpus lives beside the project (``../shared/corpus``), never inside it.  Set
``CHORUS_CORPUS`` to use another location.  Tests that need it take the ``corpus`` fixture: it
fails loudly when ``CI`` is set and the corpus is missing, and skips with a reason otherwise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

_DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _searched() -> Path:
    return Path(os.environ.get("CHORUS_CORPUS", _DEFAULT_CORPUS))


def corpus_path() -> Path | None:
    """The corpus folder if it exists, else None."""
    path = _searched()
    return path if (path / "en16931").is_dir() else None


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Path of the read-only reference corpus (``../shared/corpus``)."""
    path = corpus_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but the reference corpus is missing at {_searched()}")
        pytest.skip(f"reference corpus not found at {_searched()} (set CHORUS_CORPUS)")
    return path
