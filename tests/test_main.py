"""The demo runs the main job on the bundled example; ``python -m chorus_core`` is the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from chorus_core.__main__ import main
from chorus_core.errors import SchemaNotFoundError
from chorus_core.examples import sample_invoice
from chorus_core.formats import convert, schema_path, write


def test_demo_prints_routing_and_totals(capsys: pytest.CaptureFixture[str]) -> None:
    """demo shows the seller, the buyer SIRET, the code service and the amount due."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "21690123100011" in out and "SERV-TECHNIQUES" in out and "1219.04" in out
    seller = sample_invoice().seller
    assert seller is not None and seller.name  # the example names its seller (BT-27)
    assert f"Fournisseur / seller (BT-27)    : {seller.name}" in out


def test_demo_runs_every_capability(capsys: pytest.CaptureFixture[str]) -> None:
    """demo checks the routing (and a broken copy), round-trips both formats, shows the clock,
    and explains each part in one French and one English line."""
    assert main(["demo", "--today", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    assert "no finding" in out and "CHORUS-ROUTING-020" in out
    assert out.count("read back equal: True") == 2 and "UBL -> CII: 0 perte(s)" in out
    assert "25 jours" in out and "5 restants" in out and "échéance / due 2026-11-29" in out
    lines = out.splitlines()
    heads = [i for i, line in enumerate(lines) if line.startswith("== ")]
    assert len(heads) == 7
    for i in heads:  # the explanation: one French line, one English line
        assert lines[i + 1].startswith("   ") and lines[i + 2].startswith("   ")
    assert "None" not in out


def test_demo_shows_a_lossy_conversion(capsys: pytest.CaptureFixture[str]) -> None:
    """The pivot part prints the number of losses of the library's conversion, and the terms."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    losses = convert(write(sample_invoice(), "ubl"), to="pes_pivot").losses
    assert losses  # the pivot cannot carry every term of the example
    assert "UBL -> PES_PIVOT: " in out and f"{len(losses)} perte(s) / loss(es)" in out
    for loss in losses:
        assert loss.bt in out


def test_demo_validates_with_xsd_or_says_why_not(capsys: pytest.CaptureFixture[str]) -> None:
    """XSD validation runs when the UBL schema is found, and is said skipped with the reason
    otherwise; the Chorus rules are run and their findings printed."""
    assert main(["demo", "--today", "2026-11-02"]) == 0
    out = capsys.readouterr().out
    try:
        schema_path("ubl", "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice")
    except SchemaNotFoundError as exc:
        assert "ignorée / skipped" in out and str(exc) in out
    else:
        assert "UBL: valide / valid" in out
    assert "BR-02 fatal [BT-1]" in out and "CHORUS-PROFILE-001" in out


def test_demo_explains_a_clock_not_started(capsys: pytest.CaptureFixture[str]) -> None:
    """With a date before the invoice is made available, the clock is said not started
    (no 'due None'), and the invoice's own date is flagged by the Chorus profile."""
    assert main(["demo", "--today", "2020-01-01"]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    assert "the clock has not started: the invoice is made available on 2026-10-30" in out
    assert "CHORUS-PROFILE-004" in out
    assert "supplier (fournisseur): aucune action" in out


def test_module_entry_point_outside_the_source_tree(tmp_path: Path) -> None:
    """python -m chorus_core demo exits 0 from a folder with no project files around it."""
    env = {k: v for k, v in os.environ.items() if k != "CHORUS_CORE_SCHEMAS"}
    done = subprocess.run([sys.executable, "-m", "chorus_core", "demo"], capture_output=True,
                          text=True, check=False, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("== 1. Facture / invoice ==") and done.stderr == ""


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses an unknown command with exit status 2."""
    with pytest.raises(SystemExit) as exc:
        main(["nope"])
    assert exc.value.code == 2
    assert "invalid choice: 'nope'" in capsys.readouterr().err
