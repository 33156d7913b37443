"""The scale-out recipe: chorus_core.scale's records, and docs/scale.md run on a local cluster.

The recipe's code is taken from the page itself (its ``python`` blocks), so the page cannot
drift from what is tested.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from chorus_core.errors import UsageError
from chorus_core.examples import sample_directory, sample_invoice
from chorus_core.formats import detect_format, read, write
from chorus_core.limits import using_limits
from chorus_core.scale import convert_one, validate_one
from extras import require

PAGE = Path(__file__).resolve().parent.parent / "docs" / "scale.md"


def recipe() -> str:
    """The page's ``python`` blocks, joined in order (the recipe, then its driver)."""
    blocks = re.findall(r"^```python\n(.*?)^```", PAGE.read_text(encoding="utf-8"),
                        flags=re.DOTALL | re.MULTILINE)
    assert len(blocks) == 2, "docs/scale.md should hold the recipe and its driver"
    return "\n".join(blocks)


def test_valid_document_gives_its_format_and_no_error() -> None:
    """A valid UBL document is reported ok, with its format and no finding."""
    record = validate_one("a.xml", write(sample_invoice(), "ubl"))
    assert record == {"path": "a.xml", "format": "ubl", "ok": True, "findings": [],
                      "error": None, "message": None}


def test_rule_failure_is_a_finding_not_an_error() -> None:
    """A readable document breaking a rule is not ok, lists the rule's code and has no error."""
    invoice = sample_invoice().model_copy(update={"buyer_reference": None})
    record = validate_one("a.xml", write(invoice, "cii"), profile="chorus",
                          directory=sample_directory())
    assert (record["format"], record["ok"], record["error"]) == ("cii", False, None)
    assert record["findings"] == ["CHORUS-ROUTING-020"]


def test_unreadable_documents_are_returned_as_errors() -> None:
    """Malformed XML, an unknown root and a document over a limit are records, not raises."""
    assert validate_one("a", b"<Invoice")["error"] == "MalformedXMLError"
    unknown = validate_one("b", b"<Order/>")
    assert (unknown["format"], unknown["ok"], unknown["error"]) == (None, False,
                                                                    "UnknownFormatError")
    assert "Order" in (unknown["message"] or "")
    with using_limits(max_document_bytes=100):
        big = validate_one("c", write(sample_invoice(), "ubl"))
    assert (big["ok"], big["error"]) == (False, "XMLLimitError")


def test_misuse_raises_usage_error() -> None:
    """An unknown profile or target format raises UsageError naming the argument."""
    data = write(sample_invoice(), "ubl")
    with pytest.raises(UsageError) as profile:
        validate_one("a", data, profile="nope")  # type: ignore[arg-type]
    assert profile.value.argument == "profile"
    with pytest.raises(UsageError) as target:
        convert_one("a", data, "pdf")
    assert target.value.argument == "to"


def test_conversion_record_and_bytes() -> None:
    """A conversion returns the target bytes, read back equal, and an error record otherwise."""
    record, data = convert_one("a.xml", write(sample_invoice(), "cii"), "UBL")
    assert (record["format"], record["target"], record["ok"]) == ("cii", "ubl", True)
    assert data is not None and read(data) == read(write(sample_invoice(), "ubl"))
    failed, nothing = convert_one("b.xml", b"<Order/>", "ubl")
    assert (failed["ok"], failed["error"], nothing) == (False, "UnknownFormatError", None)


def test_library_does_not_import_dask() -> None:
    """Importing chorus_core and chorus_core.scale loads no distributed engine."""
    code = ("import sys, chorus_core, chorus_core.scale; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


Expected = dict[str, tuple[str | None, str | None, str | None]]


def _archive(root: Path) -> Expected:
    """Write a few hundred documents under ``root``; return path → what the records should say.

    The values are (format, validation error, conversion error) class names or None.

    Valid UBL and CII variants of the sample invoice, a rule-breaking one (no BT-1, format known,
    no validation error, but a conversion error), truncated files, files of an unknown root,
    and a ZIP archive of more of them.
    """
    expected: Expected = {}
    base = sample_invoice()
    for i in range(240):
        fmt = "ubl" if i % 2 else "cii"
        folder = root / f"{2020 + i % 3}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{i:04}.xml"
        data = write(base.model_copy(update={"invoice_number": f"FA-{i}"}), fmt)
        if i % 20 == 7:
            path.write_bytes(data[: len(data) // 2])
            expected[str(path)] = (None, "MalformedXMLError", "MalformedXMLError")
        elif i % 20 == 13:
            path.write_bytes(b"<Order><ID>1</ID></Order>")
            expected[str(path)] = (None, "UnknownFormatError", "UnknownFormatError")
        elif i % 20 == 17:
            path.write_bytes(write(base.model_copy(update={"invoice_number": None}), fmt,
                                   draft=True))
            expected[str(path)] = (fmt, None, "IncompleteInvoiceError")
        else:
            path.write_bytes(data)
            expected[str(path)] = (fmt, None, None)
    zip_path = root / "batch.zip"
    with zipfile.ZipFile(zip_path, "w") as archive:
        for i in range(20):
            name = f"z{i:02}.xml"
            if i == 5:
                archive.writestr(name, b"\x00 not xml")
                expected[f"{zip_path}!{name}"] = (None, "MalformedXMLError", None)
            else:
                fmt = "ubl" if i % 2 else "cii"
                update = {"invoice_number": f"Z-{i}"}
                archive.writestr(name, write(base.model_copy(update=update), fmt))
                expected[f"{zip_path}!{name}"] = (fmt, None, None)
    return expected


def _lines(pattern: str, folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for path in sorted(folder.glob(pattern))
            for line in path.read_text(encoding="utf-8").splitlines()]


def test_recipe_of_the_page_on_a_local_cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """docs/scale.md, run as a script on two worker processes, reports every document once."""
    require("distributed", "scale")
    expected = _archive(tmp_path / "archive")
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    exec(compile(recipe(), str(PAGE), "exec"), namespace)

    validation = _lines("validation-*.jsonl", tmp_path / "results")
    counts = Counter(str(tmp_path / str(r["path"])) for r in validation)
    assert set(counts) == set(expected) and set(counts.values()) == {1}
    # the 240 files fit in one partition of 500; the ZIP is a partition of its own
    assert len(list((tmp_path / "results").glob("validation-*.jsonl"))) == 2
    for record in validation:
        fmt, error, _ = expected[str(tmp_path / str(record["path"]))]
        assert (record["format"], record["error"]) == (fmt, error), record
        broken = error is not None or "BR-02" in record["findings"]  # type: ignore[operator]
        assert record["ok"] is not broken, record
    not_ok = sum(1 for r in validation if not r["ok"])
    assert not_ok == 12 * 2 + 12 + 1  # truncated or unknown, no BT-1, the ZIP's broken member
    printed = ast.literal_eval(capsys.readouterr().out.strip())
    assert printed == {True: len(expected) - not_ok, False: not_ok}

    conversion = _lines("conversion-*.jsonl", tmp_path / "converted")
    files = {p: v for p, v in expected.items() if "!" not in p}
    assert sorted(str(tmp_path / str(r["path"])) for r in conversion) == sorted(files)
    for record in conversion:
        path = Path(str(record["path"]))
        fmt, _, error = files[str(tmp_path / path)]
        written = tmp_path / "converted" / f"{path.stem}.ubl.xml"
        assert (record["format"], record["error"], record["ok"]) == (fmt, error, error is None)
        assert written.exists() is (error is None)
        if error is None:
            assert detect_format(written.read_bytes()) == "ubl"
            source = read((tmp_path / path).read_bytes())
            assert read(written.read_bytes()).invoice_number == source.invoice_number

    import dask  # the partitioning alone, on the synchronous scheduler

    with dask.config.set(scheduler="synchronous"):
        parts = namespace["validate_archive"](sorted(files), [str(tmp_path / "archive/batch.zip")],
                                              tmp_path / "small", files_per_partition=50)
    assert len(parts) == 5 + 1  # 240 files, 50 per partition, then the ZIP
    assert sorted(str(r["path"]) for r in _lines("*.jsonl", tmp_path / "small")) == sorted(expected)
