"""The bundled code lists are those of the official EN 16931 Schematron."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from chorus_core.model import codelists as cl

ROOT = Path(__file__).resolve().parents[2]


def test_code_lists_are_not_stale(corpus: Path, tmp_path: Path) -> None:
    """Regenerating the code lists from the corpus gives the committed module."""
    artifacts = corpus / "en16931/artifacts/eInvoicing-EN16931-1.3.16"
    script = ROOT / "tools/gen_codelists.py"
    target = ROOT / "src/chorus_core/model/codelists.py"
    before = target.read_text(encoding="utf-8")
    subprocess.run([sys.executable, str(script), str(artifacts)], check=True)
    after = target.read_text(encoding="utf-8")
    if after != before:  # pragma: no cover - restore, then fail
        target.write_text(before, encoding="utf-8")
        pytest.fail("src/chorus_core/model/codelists.py is stale: run tools/gen_codelists.py")


def test_code_lists_have_the_expected_sizes() -> None:
    """A wrong extraction (split codes, wrong list) breaks these memberships."""
    assert "VATEX-EU-143-1H" in cl.VATEX_CODES
    assert {"S", "Z", "E", "AE", "K", "G", "O", "L", "M", "B"} == cl.VAT_CATEGORY_CODES
    assert {"380", "384", "386", "389"} <= cl.INVOICE_TYPE_CODES
    assert "381" in cl.CREDIT_NOTE_TYPE_CODES
    assert "0009" in cl.ICD_SCHEMES and "EUR" in cl.CURRENCY_CODES and "FR" in cl.COUNTRY_CODES
