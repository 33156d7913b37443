"""The command line runs the main job on the bundled example."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chorus_core.__main__ import main


def test_demo_prints_routing_and_totals(capsys: pytest.CaptureFixture[str]) -> None:
    """demo shows the buyer SIRET, the code service and the amount due."""
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "21690123100011" in out and "SERV-TECHNIQUES" in out and "1219.04" in out


def test_demo_runs_every_capability(capsys: pytest.CaptureFixture[str]) -> None:
    """demo checks the routing (and a broken copy), round-trips both formats, shows the clock."""
    assert main(["demo", "--today", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    assert "no finding" in out and "CHORUS-ROUTING-020" in out
    assert out.count("read back equal: True") == 2 and "0 perte(s)" in out
    assert "25 jours" in out and "5 restants" in out and "2026-11-29" in out


def test_module_entry_point() -> None:
    """python -m chorus_core demo exits 0."""
    done = subprocess.run([sys.executable, "-m", "chorus_core", "demo"], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses an unknown command with exit status 2."""
    with pytest.raises(SystemExit) as exc:
        main(["nope"])
    assert exc.value.code == 2
