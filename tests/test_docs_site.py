"""The documentation site: mkdocs.yml's nav against docs/, the API pages, the docstring hook.

The strict build itself runs in ``.ci/run``; here it also runs when mkdocs (the ``docs`` extra)
is installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import yaml

from extras import require

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
API_PACKAGES = ("model", "formats", "rules", "workflow", "directory", "errors", "limits",
                "testing", "scale")


def _config() -> dict[str, object]:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    return config


def _nav_files(nav: object) -> Iterator[str]:
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, list):
        for item in nav:
            yield from _nav_files(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_files(value)


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mkdocs_hooks", ROOT / "tools/mkdocs_hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nav_files_exist_once() -> None:
    """Every page named in the nav exists under docs/ and is named once."""
    files = list(_nav_files(_config()["nav"]))
    assert len(files) == len(set(files))
    assert [f for f in files if not (DOCS / f).is_file()] == []


def test_every_page_is_in_the_nav() -> None:
    """Every Markdown page under docs/ is in mkdocs.yml's nav (or in its not_in_nav)."""
    config = _config()
    listed = set(_nav_files(config["nav"]))
    excluded = {line.strip().lstrip("/") for line in str(config.get("not_in_nav", "")).split()}
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    missing = sorted(pages - listed - excluded)
    assert missing == [], f"add these pages to the nav of mkdocs.yml: {missing}"


def test_one_api_page_per_package() -> None:
    """docs/api/ has one page per public sub-package, rendering that importable module."""
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (DOCS / "api").glob("*.md")}
    assert sorted(pages) == sorted(API_PACKAGES)
    for name, text in pages.items():
        assert f"\n::: chorus_core.{name}\n" in text
        importlib.import_module(f"chorus_core.{name}")


def test_hook_fences_bare_doctests_only() -> None:
    """A bare >>> example becomes a pycon fence; an example already fenced is left as is."""
    fences = _hook().DoctestFences()
    bare = ["Intro:", "    >>> f(", "    ...   1)", "    2", "", "After."]
    assert fences.run(bare) == ["Intro:", "", "```pycon", ">>> f(", "...   1)", "2", "```", "",
                                "", "After."]
    fenced = ["```pycon", ">>> x[1:]", "2", "```"]
    assert fences.run(fenced) == fenced


def test_hook_turns_roles_into_optional_references() -> None:
    """Sphinx roles become optional autorefs (a tilde shows the last name); fences keep them."""
    hook = _hook()
    assert hook.roles("see :class:`~chorus_core.errors.Report` and :func:`read`.") == (
        'see <autoref identifier="chorus_core.errors.Report" optional><code>Report</code>'
        '</autoref> and <autoref identifier="read" optional><code>read</code></autoref>.')
    assert hook.roles(":meth:`the report <chorus_core.errors.Report.extend>`") == (
        '<autoref identifier="chorus_core.errors.Report.extend" optional><code>the report'
        '</code></autoref>')
    assert hook.DoctestFences().run(["```", ":func:`read`", "```"]) == [
        "```", ":func:`read`", "```"]


def test_strict_build(tmp_path: Path) -> None:
    """``mkdocs build --strict`` passes: no warning (broken link, unresolved reference)."""
    require("mkdocstrings", "docs")
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q",
                          "-d", str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "site/api/formats/index.html").is_file()
