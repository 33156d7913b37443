"""MkDocs hook of the documentation site: doctest and Sphinx docstrings shown as Markdown.

Our docstrings are reST-flavoured: bare ``>>>`` examples (which Markdown would read as nested
quotes, and whose ``[...][1:]`` as reference links) and Sphinx roles (``:func:`read```).  This
hook adds one Markdown preprocessor, used by the pages and by mkdocstrings alike, that

* fences each bare ``>>>`` example as a ``pycon`` code block (fenced blocks are left alone);
* turns ``:role:`target``` into an *optional* cross-reference: a link when the target is in the
  API reference, plain code otherwise (no warning: short names such as ``Reading`` are not
  resolved, they are shown as code).

Loaded by ``hooks:`` in ``mkdocs.yml``; nothing of the library imports it.

>>> lines = DoctestFences().run(["Text.", ">>> 1 + 1", "2", "", "After."])
>>> lines[1:6]
['', '```pycon', '>>> 1 + 1', '2', '```']
>>> roles(":func:`~chorus_core.formats.read`")
'<autoref identifier="chorus_core.formats.read" optional><code>read</code></autoref>'
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

_FENCE = re.compile(r"^\s*(```|~~~)")
_PROMPT = re.compile(r"^(\s*)>>>( |$)")
_ROLE = re.compile(r":(?:py:)?(?:func|class|mod|meth|attr|data|exc|obj|const):`(~?)([^`]+)`")


def _role(match: re.Match[str]) -> str:
    tilde, text = match.groups()
    titled = re.fullmatch(r"(.+?)\s*<([^>]+)>", text)
    shown, target = titled.groups() if titled else (text, text)
    target = target.lstrip("~.").removesuffix("()")
    if tilde and not titled:
        shown = target.rsplit(".", 1)[-1]
    return f'<autoref identifier="{target}" optional><code>{shown}</code></autoref>'


def roles(line: str) -> str:
    """``line`` with its Sphinx roles turned into optional cross-references."""
    return _ROLE.sub(_role, line)


class DoctestFences(Preprocessor):
    """Fence bare doctest examples and convert Sphinx roles, outside fenced blocks."""

    def run(self, lines: list[str]) -> list[str]:
        """The lines, with each ``>>>`` block fenced and the roles converted."""
        out: list[str] = []
        fence: str | None = None
        i = 0
        while i < len(lines):
            line = lines[i]
            marker = _FENCE.match(line)
            if fence is not None:
                if marker and marker.group(1) == fence:
                    fence = None
                out.append(line)
            elif marker:
                fence = marker.group(1)
                out.append(line)
            elif prompt := _PROMPT.match(line):
                indent = prompt.group(1)
                if out and out[-1].strip():
                    out.append("")
                out.append("```pycon")  # at the margin: Markdown fences are not indented
                while i < len(lines) and lines[i].strip() and lines[i].startswith(indent):
                    out.append(lines[i][len(indent):])
                    i += 1
                out.extend(["```", ""])
                continue
            else:
                out.append(roles(line))
            i += 1
        return out


class _DoctestExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # before fenced_code (priority 25) and before the mkdocstrings block processor
        md.preprocessors.register(DoctestFences(md), "chorus_doctest_fences", 40)


def on_config(config: Any) -> Any:
    """Add the preprocessor to the site's Markdown extensions (mkdocstrings reuses the list)."""
    config.markdown_extensions.append(_DoctestExtension())
    return config
