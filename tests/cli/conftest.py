"""Helpers of the command-line tests: run the CLI in a subprocess, and documents to run it on.

Documents are written from the bundled example with ``chorus_core.formats.write`` into
``tmp_path``; the directory CSVs are the official export of the bundled sample directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chorus_core.directory import write_services, write_structures
from chorus_core.examples import sample_directory, sample_invoice
from chorus_core.formats import write


@dataclass
class Done:
    """A finished CLI run: exit status, stdout bytes, stderr text."""

    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        """Standard output as text."""
        return self.out.decode("utf-8")

    def json(self) -> Any:
        """Standard output parsed as the JSON document of the run."""
        return json.loads(self.out)


def cli(*args: str | Path, stdin: bytes | None = None, cwd: Path | None = None) -> Done:
    """Run ``python -m chorus_core ARGS`` in a subprocess (stderr not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "CHORUS_CORE_SCHEMAS"}
    done = subprocess.run([sys.executable, "-m", "chorus_core", *map(str, args)],
                          input=stdin, capture_output=True, check=False, cwd=cwd, env=env,
                          timeout=120)
    return Done(done.returncode, done.stdout, done.stderr.decode("utf-8"))


@pytest.fixture
def ubl(tmp_path: Path) -> Path:
    """The bundled example as a UBL file."""
    path = tmp_path / "facture.xml"
    path.write_bytes(write(sample_invoice(), "ubl"))
    return path


@pytest.fixture
def annuaire(tmp_path: Path) -> tuple[Path, Path]:
    """The bundled sample directory as the two official CSV exports (structures, services)."""
    directory = sample_directory()
    structures = tmp_path / "structures.csv"
    services = tmp_path / "services.csv"
    structures.write_bytes(write_structures(directory.structures.values()))
    services.write_bytes(write_services(
        s for siret in directory.structures for s in directory.services_of(siret).values()))
    return structures, services


@pytest.fixture
def run() -> Any:
    """The function that runs the CLI in a subprocess (see :func:`cli`)."""
    return cli
