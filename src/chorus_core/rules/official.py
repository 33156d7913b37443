"""The official engine: the EN 16931 validation XSLT of CEN/TC 434, run through saxonche.

``validate(..., engine="official")`` replaces the native syntax and EN 16931 layers by the
official XSLT (artefacts 1.3.16, XSLT 2.0, which lxml cannot run).  Nothing of it ships with
chorus_core: it needs the optional package ``saxonche`` and the artefacts directory
(``eInvoicing-EN16931-1.3.16``, holding ``ubl/xslt`` and ``cii/xslt``), given as
``artifacts_dir`` or in the environment variable :data:`ENV_VAR`.  Each stylesheet is compiled
once per process (about half a second).  The failed asserts become findings with the ids,
flags, terms and French and English messages of the native registries, and the XPath of the
failing node in ``source``.

More information:

* https://github.com/ConnectingEurope/eInvoicing-EN16931 (validation-1.3.16)
* ``docs/validation.md``

>>> artifacts_path("/nonexistent")
Traceback (most recent call last):
...
chorus_core.errors.SchemaNotFoundError: EN 16931 validation artefacts not found ...
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

from lxml import etree

from chorus_core.errors import Finding, Policy, SchemaNotFoundError, Severity, UsageError

from ._locate import RuleFinding

__all__ = ["ENV_VAR", "artifacts_path", "check"]

ENV_VAR = "CHORUS_CORE_EN16931_ARTIFACTS"
"""Environment variable naming the artefacts directory (``eInvoicing-EN16931-1.3.16``)."""

_SVRL = "{http://purl.oclc.org/dsdl/svrl}"
_XSLT = {"ubl": "ubl/xslt/EN16931-UBL-validation.xslt",
         "cii": "cii/xslt/EN16931-CII-validation.xslt"}


def artifacts_path(artifacts_dir: str | os.PathLike[str] | None = None) -> Path:
    """The artefacts directory: ``artifacts_dir``, else :data:`ENV_VAR`; it must hold both
    stylesheets, else :class:`~chorus_core.errors.SchemaNotFoundError` says where it looked."""
    places = [p for p in (artifacts_dir, os.environ.get(ENV_VAR)) if p]
    for place in places:
        path = Path(place)
        if all((path / rel).is_file() for rel in _XSLT.values()):
            return path
    searched = ", ".join(str(p) for p in places) or "nothing"
    raise SchemaNotFoundError(
        f"EN 16931 validation artefacts not found (searched: {searched}); pass artifacts_dir= "
        f"or set {ENV_VAR} to the eInvoicing-EN16931-1.3.16 directory")


@functools.cache
def _processor() -> Any:
    try:
        from saxonche import PySaxonProcessor
    except ImportError:
        raise UsageError("engine='official' needs the saxonche package (pip install saxonche)",
                         "engine='official' demande le paquet saxonche (pip install saxonche)",
                         argument="engine") from None
    return PySaxonProcessor(license=False)


@functools.cache
def _stylesheet(path: Path) -> Any:
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))


def check(root: etree._Element, format: str, *, artifacts_dir: str | None = None,
          policy: Policy = Policy.REJECT) -> tuple[list[Finding], list[Finding]]:
    """Run the official XSLT of ``format`` on ``root``: ``(syntax findings, EN 16931
    findings)``, in SVRL order; fatal findings carry ``policy``."""
    from chorus_core.rules import RULES
    from chorus_core.rules.syntax import SYNTAX_RULES

    if format not in _XSLT:
        raise UsageError(f"the official engine knows ubl and cii, not {format!r}",
                         f"le moteur officiel connaît ubl et cii, pas {format!r}",
                         argument="format")
    stylesheet = _stylesheet(artifacts_path(artifacts_dir) / _XSLT[format])
    node = _processor().parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
    svrl = etree.fromstring(stylesheet.transform_to_string(xdm_node=node).encode("utf-8"))
    syntax: list[Finding] = []
    business: list[Finding] = []
    for fa in svrl.iter(f"{_SVRL}failed-assert"):
        code = fa.get("id", "")
        fatal = fa.get("flag", "fatal") != "warning"
        text = " ".join("".join(str(t) for t in fa.itertext()).split())
        known: Any = RULES.get(code) or SYNTAX_RULES.get(code)
        layer = "en16931" if code.startswith("BR-") else "syntax"
        found = RuleFinding(
            code=code, severity=Severity.FATAL if fatal else Severity.WARNING,
            bt=tuple(known.terms if code in RULES else known.bt) if known else (),
            message_en=known.message_en if known else text,
            message_fr=known.message_fr if known else text,
            policy=policy if fatal else Policy.NONE, layer=layer,
            source=fa.get("location"))
        (business if layer == "en16931" else syntax).append(found)
    return syntax, business
