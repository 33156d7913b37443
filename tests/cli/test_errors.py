"""Misuse and hostile input give one clear message and the documented exit status, never a
traceback: 2 for the command line itself, 1 for a document that cannot be read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chorus_core.cli import main
from chorus_core.examples import sample_invoice
from chorus_core.formats import write

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol3;</Invoice>
"""


def test_missing_file_is_a_usage_error(run: Any, tmp_path: Path) -> None:
    """A file that does not exist: exit 2, the message in English and French, no traceback."""
    done = run("validate", tmp_path / "absent.xml")
    assert done.code == 2
    assert done.err.splitlines() == [
        f"python -m chorus_core: error: no such file or folder: {tmp_path / 'absent.xml'}",
        f"python -m chorus_core: erreur : fichier ou dossier introuvable : "
        f"{tmp_path / 'absent.xml'}",
    ]


def test_unknown_target_format_is_a_usage_error(run: Any, ubl: Path) -> None:
    """An unknown --to format: argparse's exit 2, naming the known formats."""
    done = run("convert", ubl, "--to", "pdf")
    assert done.code == 2 and done.out == b""
    assert "unknown format 'pdf' (choose from ubl, cii, pes_pivot, pes_asap)" in done.err
    assert "Traceback" not in done.err


def test_hostile_document_is_refused_with_a_message(run: Any, tmp_path: Path) -> None:
    """An entity bomb is refused by the hardened parser: exit 1, its message, no traceback."""
    path = tmp_path / "bomb.xml"
    path.write_bytes(BILLION_LAUGHS)
    done = run("detect", path)
    assert done.code == 1 and done.out == b""
    assert done.err == (f"python -m chorus_core: error: {path}: "
                        "DTD and entity declarations are not allowed\n")


@pytest.mark.parametrize("args", [["detect", "x", "--bogus"], ["frobnicate"], ["convert", "x"],
                                  ["validate", "x", "--today", "yesterday"]])
def test_bad_arguments_exit_2(args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses an unknown option or command, a missing --to and a bad date: exit 2."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    assert exc.value.code == 2
    assert "usage:" in capsys.readouterr().err


def test_truncated_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A truncated XML document: exit 1, the parser's message with its line, no traceback."""
    path = tmp_path / "cut.xml"
    path.write_bytes(write(sample_invoice(), "ubl")[:300])
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"chorus-core: error: {path}: ") and "(line " in err


def test_unknown_document_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Well-formed XML that is no supported format: exit 1 with UnknownFormatError's message."""
    path = tmp_path / "other.xml"
    path.write_bytes(b"<Order/>")
    assert main(["--format", "json", "detect", str(path)]) == 1
    out = capsys.readouterr().out
    assert '"type": "UnknownFormatError"' in out and "root element Order" in out


@pytest.mark.parametrize(("args", "message"), [
    (["validate", "{ubl}", "--structures", "{tmp}/none.csv"], "--structures: no such file"),
    (["validate", "{ubl}", "--services", "{ubl}"], "--services needs --structures"),
    (["validate", "{ubl}", "--structures", "{tmp}"], "--structures: not a file"),
    (["convert", "{ubl}", "--to", "cii", "-o", "{tmp}"], "--output: a folder, a file is needed"),
    (["convert", "{tmp}", "--to", "cii"], "converting a folder needs --output"),
    (["--format", "json", "convert", "{ubl}", "--to", "cii"], "with --format json the JSON"),
    (["status", "no_such_status"], "unknown status 'no_such_status'"),
    (["status", "99"], "99 is not a Chorus Pro status code"),
    (["--format", "json", "demo"], "demo prints text only"),
])
def test_misuse_is_a_usage_error(args: list[str], message: str, ubl: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    """A wrong combination of options or a wrong value: exit 2, one message, EN then FR."""
    argv = [a.format(ubl=ubl, tmp=tmp_path) for a in args]
    assert main(argv) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"chorus-core: error: {message}")
    assert lines[1].startswith("chorus-core: erreur : ")


def test_malformed_directory_export(ubl: Path, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """A directory export that is not one: its DirectoryError's message, exit 1."""
    csv = tmp_path / "structures.csv"
    csv.write_bytes(b"not;a;header\n1;2;3\n")
    assert main(["validate", str(ubl), "--structures", str(csv)]) == 1
    assert capsys.readouterr().err.startswith("chorus-core: error: line 1: ")


def test_console_script_usage_names_itself(capsys: pytest.CaptureFixture[str]) -> None:
    """Run other than as ``python -m chorus_core`` (the console script), usage says chorus-core."""
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("usage: chorus-core [-h] [--version]")
