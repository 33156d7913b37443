"""A folder as IN: every document in it, in sorted order, one broken file reported and the
rest processed, a summary table, and the same results with a pool of worker processes."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from chorus_core.cli import batch, main
from chorus_core.cli.commands import Options
from chorus_core.examples import sample_invoice
from chorus_core.formats import detect_format, read, write


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Three invoices (UBL, CII, one in a subfolder), a truncated one and a text file."""
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    inv = sample_invoice()
    (root / "b-ubl.xml").write_bytes(write(inv, "ubl"))
    (root / "a-cii.XML").write_bytes(write(inv, "cii"))
    (root / "sub" / "c-ubl.xml").write_bytes(write(inv, "ubl"))
    (root / "broken.xml").write_bytes(write(inv, "ubl")[:250])
    (root / "notes.txt").write_text("not a document")
    return root


def test_documents_are_found_recursively_in_sorted_order(folder: Path) -> None:
    """Files with a document suffix, any case and at any depth, sorted; others are ignored."""
    assert [p.relative_to(folder).as_posix() for p in batch.documents(folder)] == [
        "a-cii.XML", "b-ubl.xml", "broken.xml", "sub/c-ubl.xml"]


def test_one_broken_file_is_reported_and_the_rest_go_on(run: Any, folder: Path) -> None:
    """The broken file gets its parser message and an 'error' row; the others are detected;
    the exit status is 1 and the totals count them."""
    done = run("detect", folder)
    assert done.code == 1, done.err
    lines = done.text.splitlines()
    assert lines[0] == f"{folder / 'broken.xml'}:"
    assert lines[1].startswith("  error: ") and lines[1].endswith("[MalformedXMLError]")
    rows = [line.split() for line in lines[3:-1]]
    assert lines[2].split() == ["file", "format", "status", "findings", "losses"]
    assert [(Path(r[0]).name, r[1], r[2]) for r in rows] == [
        ("a-cii.XML", "cii", "ok"), ("b-ubl.xml", "ubl", "ok"), ("broken.xml", "-", "error"),
        ("c-ubl.xml", "ubl", "ok")]
    assert lines[-1] == "4 files: 3 ok, 1 failed (1 unreadable); 0 findings, 0 losses"
    assert "Traceback" not in done.err and done.err == ""  # no progress bar: not a terminal


def test_a_pool_of_two_gives_the_serial_results(run: Any, folder: Path) -> None:
    """--jobs 2 returns the same JSON results, in the same order, as a serial run."""
    pooled = run("--format", "json", "validate", folder, "--jobs", "2")
    serial = run("--format", "json", "validate", folder)
    assert pooled.code == serial.code == 1, pooled.err
    assert pooled.json() == serial.json()
    doc = pooled.json()
    assert [Path(r["path"]).name for r in doc["results"]] == [
        "a-cii.XML", "b-ubl.xml", "broken.xml", "c-ubl.xml"]
    assert doc["summary"] == {"files": 4, "ok": 3, "failed": 1, "errors": 1, "findings": 0,
                              "losses": 0}
    broken = doc["results"][2]
    assert broken["ok"] is False and broken["error"]["type"] == "MalformedXMLError"


def test_pool_worker_is_the_serial_function(folder: Path) -> None:
    """batch.run with jobs=2 gives records equal to jobs=1 (the worker is process())."""
    files = [(p, str(p)) for p in batch.documents(folder)]
    options = Options("detect")
    assert batch.run(options, files, jobs=2) == batch.run(options, files, jobs=1)


def test_a_folder_is_converted_into_another(folder: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """convert FOLDER -o OUT writes each converted document under OUT, same relative path."""
    out = tmp_path / "out"
    assert main(["convert", str(folder), "--to", "ubl", "-o", str(out)]) == 1  # broken.xml
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a-cii.xml", "b-ubl.xml", "sub/c-ubl.xml"]
    for path in out.rglob("*.xml"):
        assert detect_format(path.read_bytes()) == "ubl"
        assert read(path.read_bytes()) == sample_invoice()
    assert "4 files: 3 ok, 1 failed" in capsys.readouterr().out


def test_output_inside_the_folder_is_refused(folder: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """Writing the conversions into the folder being converted is a usage error (exit 2)."""
    assert main(["convert", str(folder), "--to", "ubl", "-o", str(folder / "out")]) == 2
    assert "--output must be outside the folder" in capsys.readouterr().err
    assert not (folder / "out").exists()


def test_unreadable_file_is_a_record(tmp_path: Path) -> None:
    """A file that cannot be read (here a dangling link) is an error record; the others go on."""
    (tmp_path / "ok.xml").write_bytes(write(sample_invoice(), "ubl"))
    (tmp_path / "gone.xml").symlink_to(tmp_path / "nowhere.xml")
    files = [(tmp_path / "gone.xml", "gone.xml"), (tmp_path / "ok.xml", "ok.xml")]
    gone, ok = batch.run(Options("detect"), files)
    assert gone.error is not None and gone.error["type"] == "FileNotFoundError"
    assert (ok.ok, ok.format) == (True, "ubl")


class _Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tqdm bar is drawn on stderr when stderr is a terminal, and not otherwise."""
    files = [(p, str(p)) for p in batch.documents(folder)]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    batch.run(Options("detect"), files)
    assert f"0/{len(files)} [" in terminal.getvalue()  # drawn, then cleared (leave=False)
    plain = io.StringIO()
    monkeypatch.setattr(sys, "stderr", plain)
    batch.run(Options("detect"), files)
    assert plain.getvalue() == ""


def test_a_folder_without_documents_warns(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A folder with no .xml or .pdf file: nothing processed, a warning, exit status 0."""
    (tmp_path / "readme.txt").write_text("no document here")
    assert main(["detect", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("chorus-core: warning: no document (.xml, .pdf) in ")
    assert captured.out.splitlines()[-1].startswith("0 files: ")
