"""Each command, driven in a subprocess: its output and exit status on the bundled example."""

from __future__ import annotations

import importlib.metadata
import json
from datetime import date
from pathlib import Path
from typing import Any

import chorus_core
from chorus_core.cli import main
from chorus_core.examples import sample_invoice
from chorus_core.formats import detect_format, read, write
from chorus_core.workflow import STATUSES, Actor, History, Status, allowed_actions
from chorus_core.workflow.diagram import mermaid


def test_version_is_the_installed_one(run: Any) -> None:
    """--version prints the program name and the installed distribution's version, exit 0."""
    done = run("--version")
    assert done.code == 0, done.err
    assert done.text.split() == ["python", "-m", "chorus_core",
                                 importlib.metadata.version("chorus_core")]
    assert chorus_core.__version__ == importlib.metadata.version("chorus_core")


def test_help_lists_every_command_in_plain_text(run: Any) -> None:
    """--help names the program as invoked and lists the commands, with no reST markup."""
    done = run("--help")
    assert done.code == 0
    assert done.text.startswith("usage: python -m chorus_core ")
    for command in ("demo", "detect", "convert", "validate", "route", "status"):
        assert f"\n    {command} " in done.text
    assert "``" not in done.text and ":mod:" not in done.text and ":func:" not in done.text


def test_detect_prints_the_format_name(run: Any, ubl: Path) -> None:
    """detect prints the format of a file on its own line and exits 0."""
    done = run("detect", ubl)
    assert (done.code, done.text) == (0, "ubl\n")


def test_detect_reads_standard_input(run: Any) -> None:
    """IN '-' reads the document from stdin."""
    done = run("detect", "-", stdin=write(sample_invoice(), "cii"))
    assert (done.code, done.text) == (0, "cii\n")


def test_convert_writes_the_target_bytes_to_stdout(run: Any, ubl: Path) -> None:
    """convert without --output writes the target document to stdout; the format name is
    case-insensitive, and an empty loss report is said on stderr."""
    done = run("convert", ubl, "--to", "CII")
    assert done.code == 0, done.err
    assert detect_format(done.out) == "cii"
    assert read(done.out) == sample_invoice()
    assert "ubl -> cii: 0 loss" in done.err


def test_lossy_conversion_lists_losses_and_exits_0(run: Any, ubl: Path, tmp_path: Path) -> None:
    """A conversion that loses terms writes --output, lists every loss on stderr, exits 0."""
    target = tmp_path / "pivot.xml"
    done = run("convert", ubl, "--to", "pes_pivot", "--output", target)
    assert done.code == 0, done.err
    assert done.out == b""
    assert detect_format(target.read_bytes()) == "pes_pivot"
    lines = done.err.splitlines()
    count = int(lines[0].split(": ")[1].split()[0])
    assert count > 0 and len(lines) == count + 1
    assert any(line.startswith("  BT-9 (Payment due date) dropped") for line in lines)


def test_strict_conversion_with_losses_exits_1(run: Any, ubl: Path, tmp_path: Path) -> None:
    """--strict turns a lossy conversion into exit status 1, in the JSON document too."""
    done = run("--format", "json", "convert", ubl, "--to", "pes_pivot", "--strict",
               "-o", tmp_path / "p.xml")
    assert done.code == 1
    doc = done.json()
    assert doc["exit_code"] == 1 and doc["results"][0]["ok"] is False
    assert doc["summary"]["losses"] == len(doc["results"][0]["losses"]) > 0
    loss = doc["results"][0]["losses"][0]
    assert set(loss) == {"bt", "name", "path", "kind", "source", "target", "reason"}
    assert doc["results"][0]["output"] == str(tmp_path / "p.xml")


def test_validate_reports_routing_findings_and_exits_1(
        run: Any, tmp_path: Path, annuaire: tuple[Path, Path]) -> None:
    """validate with a directory applies the chorus profile: a missing code service is a
    blocking finding, so the exit status is 1."""
    path = tmp_path / "sans-service.xml"
    path.write_bytes(write(sample_invoice().model_copy(update={"buyer_reference": None}), "ubl"))
    structures, services = annuaire
    done = run("validate", path, "--structures", structures, "--services", services,
               "--today", "2026-11-02")
    assert done.code == 1, done.err
    assert "CHORUS-ROUTING-020 error [BT-10] (refused_at_deposit)" in done.text
    assert done.text.splitlines()[-1].startswith(f"{path}: ubl, profile chorus: not valid")


def test_validate_json_lists_layers_and_findings(run: Any, ubl: Path) -> None:
    """validate --format json gives the layers run or skipped and exits 0 on a clean invoice."""
    done = run("validate", ubl, "--profile", "chorus", "--today", "2026-11-02",
               "--format", "json")
    assert done.code == 0, done.err
    doc = done.json()
    assert doc["command"] == "validate" and doc["exit_code"] == 0
    result = doc["results"][0]
    assert result["path"] == str(ubl) and result["format"] == "ubl" and result["ok"] is True
    assert result["profile"] == "chorus" and result["findings"] == []
    assert [la["name"] for la in result["layers"]] == ["xsd", "syntax", "en16931", "chorus"]
    xsd = result["layers"][0]
    assert xsd["ran"] is False and "UBL-Invoice-2.1.xsd" in xsd["reason"]  # no schema installed
    assert doc["summary"] == {"files": 1, "ok": 1, "failed": 0, "errors": 0, "findings": 0,
                              "losses": 0}


def test_route_prints_the_chorus_routing(run: Any, ubl: Path) -> None:
    """route shows the buyer SIRET with the term it came from, the code service, engagement."""
    done = run("route", ubl)
    assert done.code == 0, done.err
    assert "21690123100011 [BT-46]" in done.text
    assert "SERV-TECHNIQUES" in done.text and "EJ-2026-000123" in done.text


def test_route_checks_against_a_directory(run: Any, tmp_path: Path,
                                          annuaire: tuple[Path, Path]) -> None:
    """route with a directory adds check_routing: an inactive service is a finding, exit 1."""
    path = tmp_path / "ccas.xml"
    inv = sample_invoice().model_copy(update={"buyer_reference": "ANCIEN-CCAS"})
    path.write_bytes(write(inv, "ubl"))
    structures, services = annuaire
    done = run("--format", "json", "route", path, "--structures", structures,
               "--services", services)
    assert done.code == 1, done.err
    result = done.json()["results"][0]
    assert result["routing"]["code_service"] == "ANCIEN-CCAS" and result["directory"] is True
    assert result["findings"] and all(f["code"].startswith("CHORUS-ROUTING-")
                                      for f in result["findings"])


def test_status_without_argument_draws_the_lifecycle(run: Any) -> None:
    """status alone prints the Mermaid diagram generated from the transition table."""
    done = run("status")
    assert done.code == 0
    assert done.text == mermaid() + "\n"
    assert done.text.startswith("stateDiagram-v2\n")


def test_status_lists_the_actions_of_an_actor(run: Any) -> None:
    """status STATUS --actor lists what that actor may do from the status (name any case),
    each action with its target and the data it requires."""
    done = run("status", "suspendue", "--actor", "supplier")
    assert done.code == 0, done.err
    rows = allowed_actions(History.observed([(Status.SUSPENDUE, date(2026, 1, 1))]),
                           Actor.SUPPLIER)
    assert rows  # the supplier completes a suspended invoice
    lines = done.text.splitlines()
    code = STATUSES[Status.SUSPENDUE].code
    assert lines[0].startswith(f"SUSPENDUE ({code:02d}): ") and lines[1] == "  supplier:"
    assert [line.split()[:3] for line in lines[2:]] == [
        [row.action.value, "->", row.target.value + ":"] for row in rows]
    for line, row in zip(lines[2:], rows, strict=True):
        for need in row.requires:
            assert need.value in line


def test_status_json(capsys: Any) -> None:
    """status --format json: one result with the status, its labels and each actor's actions
    as the library gives them; without a status, the diagram."""
    assert main(["--format", "json", "status", "suspendue"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["command"], doc["exit_code"], doc["summary"]) == ("status", 0, {})
    (result,) = doc["results"]
    assert (result["status"], result["ok"]) == ("SUSPENDUE", True)
    assert result["code"] == STATUSES[Status.SUSPENDUE].code
    history = History.observed([(Status.SUSPENDUE, date(2026, 1, 1))])
    assert set(result["actions"]) == {a.value for a in Actor}
    for actor in Actor:
        assert [(a["action"], a["target"]) for a in result["actions"][actor.value]] == [
            (row.action.value, row.target.value) for row in allowed_actions(history, actor)]
    assert main(["status", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"][0]["diagram"] == mermaid()
