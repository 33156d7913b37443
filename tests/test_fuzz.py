"""Fuzzing: mutated corpus documents and directory exports, through every public reader, give a
result or a typed ChorusError, each call within a time bound.

The seeds are the documents of the reference corpus that one of our readers accepts (UBL, CII,
the PES formats of the registry, the CPPStatut status flows), the invoices embedded in the
EN 16931 unit-test sets, and CSV exports written by :mod:`chorus_core.directory`.  Each case
mutates one seed (byte flips, truncation, element deletion, duplication, reordering and moves,
comments inside values, random Unicode in values and attributes) and sends it through every
format's ``read``, ``read_report``, ``detect_format``, ``convert`` to every format (whose
output must read back and show exactly the losses declared), ``validate`` (both profiles, XSD
layer included), ``validate_xsd``, the pivot flow readers and the status reader; CSV through
``read_directory``.  Any exception other than a
ChorusError fails, and so does a call slower than ``BOUND`` seconds (a SIGALRM guard turns a
hang into a failure).

The "ci" hypothesis profile (``CI`` set) runs about 5,600 mutated documents; the local "dev"
profile a twentieth of that; ``CHORUS_FUZZ_SCALE=10`` runs ten times more.  Run
``pytest tests/test_fuzz.py -s`` to see the count, the slowest call of each entry point and how
many calls gave a result.
"""

from __future__ import annotations

import contextlib
import copy
import os
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

import chorus_core
from chorus_core.directory import Directory, read_directory, write_services, write_structures
from chorus_core.directory.generate import generate_export
from chorus_core.directory.strategies import directories
from chorus_core.errors import ChorusError, Report
from chorus_core.formats import (
    FORMATS,
    Conversion,
    Reading,
    convert,
    detect_format,
    diff_terms,
    pes_pivot,
    pes_status,
    read_report,
    validate_xsd,
)
from chorus_core.model import Invoice

BOUND = 2.0
"""Seconds a single call may take (generous: the slowest seen is far below, see the report)."""
HANG = 30.0
"""Seconds after which SIGALRM interrupts a case that hangs."""

SCHEMA_DIRS = {"ubl": "en16931/schemas", "cii": "en16931/schemas", "pes_pivot": ".",
               "pes_asap": "pes/pes_v2"}
"""Where each format's XSD sits in the corpus (relative), for the XSD layer."""

UNIT_TEST_SETS = ("en16931/tests/Invoice-unit-UBL", "en16931/tests/CreditNote-unit-UBL")
UBL_NS = "urn:oasis:names:specification:ubl:schema:xsd:"


def _examples(ci: int) -> int:
    """``ci`` examples under the "ci" profile, a twentieth (at least 10) under "dev"; times
    ``CHORUS_FUZZ_SCALE`` (default 1) for a longer campaign."""
    scale = float(os.environ.get("CHORUS_FUZZ_SCALE", "1"))
    return int(scale * (ci if settings().max_examples >= 100 else max(10, ci // 20)))


# ---------------------------------------------------------------- measuring


@dataclass
class _Stats:
    documents: dict[str, int] = field(default_factory=dict)
    slowest: dict[str, tuple[float, str]] = field(default_factory=dict)
    calls: dict[str, list[int]] = field(default_factory=dict)  # name -> [results, errors]
    known: dict[str, int] = field(default_factory=dict)  # known bug -> times met
    started: float = field(default_factory=time.perf_counter)

    def case(self, kind: str) -> None:
        self.documents[kind] = self.documents.get(kind, 0) + 1

    def call(self, name: str, seconds: float, label: str, ok: bool) -> None:
        self.calls.setdefault(name, [0, 0])[0 if ok else 1] += 1
        if seconds > self.slowest.get(name, (0.0, ""))[0]:
            self.slowest[name] = (seconds, label)


STATS = _Stats()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    """Print the number of mutated documents, and for each entry point the slowest call and
    how many calls gave a result rather than a ChorusError."""
    yield
    total = sum(STATS.documents.values())
    print(f"\nfuzz: {total} mutated documents in {time.perf_counter() - STATS.started:.1f} s "
          f"({', '.join(f'{k} {v}' for k, v in sorted(STATS.documents.items()))})")
    for name, (seconds, label) in sorted(STATS.slowest.items(), key=lambda i: -i[1][0]):
        results, errors = STATS.calls[name]
        print(f"  {name}: slowest {seconds * 1000:.1f} ms ({label}); "
              f"{results} results, {errors} typed errors")
    for bug, count in STATS.known.items():
        print(f"  known bug met {count} times: {bug}")


class _Hang(Exception):
    """A case ran past HANG seconds."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Hang(f"no result after {HANG} s")


@contextlib.contextmanager
def _hang_guard() -> Iterator[None]:
    if not hasattr(signal, "setitimer"):  # pragma: no cover - not POSIX
        yield
        return
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


KNOWN_BUGS: dict[tuple[str, str, type[Exception]], str] = {}
"""Untyped exceptions reported in files this suite may not fix, while they wait for their fix:
(file, function, exception type) of the innermost frame, each with a strict xfail reproducer;
the fuzzing counts them instead of failing.  Empty: every bug found so far is fixed."""


def _known_bug(exc: Exception) -> str | None:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return None
    where = (Path(frames[-1].filename).name, frames[-1].name, type(exc))
    return KNOWN_BUGS.get(where)


def _call(name: str, label: str, call: Callable[[], Any], expected: type | tuple[type, ...]
          ) -> Any:
    """Run ``call``: a result of type ``expected`` or a ChorusError (None), within BOUND."""
    start = time.perf_counter()
    try:
        result = call()
    except ChorusError:
        result = None
    except Exception as exc:
        known = _known_bug(exc)
        if known is None:
            raise
        STATS.known[known] = STATS.known.get(known, 0) + 1
        result = None
    seconds = time.perf_counter() - start
    STATS.call(name, seconds, label, result is not None)
    assert seconds < BOUND, f"{name} took {seconds:.2f} s on {label}"
    assert result is None or isinstance(result, expected), (name, type(result))
    return result


# ---------------------------------------------------------------- seeds


@dataclass(frozen=True)
class Seed:
    """A corpus document one of our readers accepts, and what accepts it."""

    name: str
    data: bytes
    kind: str

    def __repr__(self) -> str:
        return f"Seed({self.name!r})"


class Seeds(tuple[Seed, ...]):
    """The seeds of one kind (a short repr: hypothesis prints the strategy's arguments)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} seeds>"


def _embedded(path: Path) -> Iterator[bytes]:
    """The UBL invoices and credit notes inside an EN 16931 unit-test set."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    for el in root.iter(f"{{{UBL_NS}Invoice-2}}Invoice", f"{{{UBL_NS}CreditNote-2}}CreditNote"):
        yield etree.tostring(copy.deepcopy(el), xml_declaration=True, encoding="UTF-8")


def _kind(data: bytes) -> str | None:
    with contextlib.suppress(ChorusError):
        pes_status.read(data)
        return "pes_status"
    try:
        kind = detect_format(data)
    except ChorusError:
        return None
    with contextlib.suppress(ChorusError):
        read_report(data)
        return kind
    with contextlib.suppress(ChorusError):
        if kind == "pes_pivot":
            pes_pivot.read_flow(data)
            return kind
    return None


@pytest.fixture(scope="module")
def seeds(corpus: Path) -> dict[str, Seeds]:
    """Seeds by kind (a format of the registry, or ``pes_status``)."""
    found: dict[str, list[Seed]] = {}
    for path in sorted(corpus.rglob("*")):
        if path.suffix.lower() != ".xml" or "schemas" in path.parts or "artifacts" in path.parts:
            continue
        name = str(path.relative_to(corpus))
        documents = ([path.read_bytes()] if not any(name.startswith(t) for t in UNIT_TEST_SETS)
                     else list(_embedded(path)))
        for number, data in enumerate(documents):
            kind = _kind(data)
            if kind is not None:
                label = name if len(documents) == 1 else f"{name}#{number + 1}"
                found.setdefault(kind, []).append(Seed(label, data, kind))
    return {kind: Seeds(items) for kind, items in found.items()}


def test_every_reader_has_seeds(seeds: dict[str, Seeds]) -> None:
    """The corpus gives seeds to every format of the registry and to the status flows, the
    unit-test sets included (else the fuzzing below would be moot)."""
    assert set(seeds) == {*FORMATS, "pes_status"}
    assert sum(s.name.startswith(UNIT_TEST_SETS) for s in seeds["ubl"]) > 100


# ---------------------------------------------------------------- mutations

MARK = "\ue000FUZZ\ue001"
TRICKY = ("", " ", "0", "-0", "1e999999", "-1E-999999", "NaN", "Infinity", "1" * 40,
          "0." + "1" * 40, "12,50", "1 000.00", "+5", ".5", "5.", "0x10", "٣", "2026-02-30",
          "2026-13-01", "0000-01-01", "9999-12-31T23:59:60", "20260230", "EUR", "XXX",
          "\u00a0", "\ufeff", "&amp;", "]]>", "true", "false", "%s%n")

_XML_CHARS = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
_VALUES = st.one_of(
    st.sampled_from(TRICKY),
    st.text(_XML_CHARS, max_size=30),
    st.text(st.characters(exclude_categories=()), max_size=10),  # lone surrogates, NUL, …
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.integers().map(str),
)


def _escape(text: str, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if attribute else text


def _tree(data: bytes) -> etree._Element:
    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True,
                                                  huge_tree=True))


def _elements(root: etree._Element) -> list[etree._Element]:
    return [el for el in root.iter() if isinstance(el.tag, str)]


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _with_mark(root: etree._Element, value: str, attribute: bool) -> str:
    """The document as text, ``value`` (escaped, but not checked) where MARK was set."""
    return etree.tostring(root, encoding="unicode").replace(MARK, _escape(value, attribute))


class _NotApplicable(Exception):
    """The seed has nothing this mutation can change (e.g. no element with two children)."""


def _pick(draw: st.DrawFn, items: list[Any]) -> Any:
    if not items:
        raise _NotApplicable
    return items[draw(st.integers(0, len(items) - 1))]


def _flip(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
    return "byte flips", bytes(out)


def _truncate(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    return "truncation", data[: draw(st.integers(0, len(data) - 1))]


def _delete(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    elements = _elements(root)[1:]
    for _ in range(draw(st.integers(1, 3))):
        el = _pick(draw, elements)
        parent = el.getparent()
        if parent is not None:
            parent.remove(el)
    return "element deletion", _bytes(root)


def _duplicate(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    elements = _elements(root)[1:]
    el = _pick(draw, elements)
    parent = el.getparent()
    assert parent is not None
    for _ in range(draw(st.integers(1, 3))):
        parent.insert(parent.index(el) + 1, copy.deepcopy(el))
    return "element duplication", _bytes(root)


def _reorder(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    parents = [el for el in _elements(root) if len(el) > 1]
    parent = _pick(draw, parents)
    children = list(parent)
    for child in children:
        parent.remove(child)
    for child in draw(st.permutations(children)):
        parent.append(child)
    return "reordering", _bytes(root)


def _move(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    elements = _elements(root)[1:]
    el = _pick(draw, elements)
    targets = [t for t in _elements(root)
               if t is not el and not any(a is el for a in t.iterancestors())]
    target = _pick(draw, targets)
    target.insert(draw(st.integers(0, len(target))), el)
    return "element move", _bytes(root)


def _comment(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    valued = [el for el in _elements(root) if el.text and el.text.strip()]
    el = _pick(draw, valued)
    text = el.text or ""
    cut = draw(st.integers(0, len(text)))
    body = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                      exclude_characters="-"), max_size=12))
    node = (etree.ProcessingInstruction("fuzz", body) if draw(st.booleans())
            else etree.Comment(body))
    node.tail = text[cut:]
    el.text = text[:cut]
    el.insert(0, node)
    return "comment inside a value", _bytes(root)


def _value(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    elements = _elements(root)
    leaves = [el for el in elements if len(el) == 0] or elements
    el = _pick(draw, leaves)
    el.text = MARK
    return "unicode value", _with_mark(root, draw(_VALUES), attribute=False)


ATTRIBUTES = ("currencyID", "schemeID", "unitCode", "listID", "mimeCode", "filename", "V",
              "NumOrdre", "Compteur", "format", "{http://www.w3.org/2001/XMLSchema-instance}type",
              "{http://www.w3.org/2001/XMLSchema-instance}nil")


def _attribute(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    root = _tree(data)
    elements = _elements(root)
    with_attributes = [el for el in elements if el.attrib]
    if with_attributes and draw(st.booleans()):
        el = _pick(draw, with_attributes)
        name = draw(st.sampled_from(sorted(el.attrib)))
    else:
        el = _pick(draw, elements)
        name = draw(st.sampled_from(ATTRIBUTES))
    el.set(name, MARK)
    return "unicode attribute", _with_mark(root, draw(_VALUES), attribute=True)


MUTATIONS: dict[str, Callable[[st.DrawFn, bytes], tuple[str, bytes | str]]] = {
    "flip": _flip, "truncate": _truncate, "delete": _delete, "duplicate": _duplicate,
    "reorder": _reorder, "move": _move, "comment": _comment, "value": _value,
    "attribute": _attribute,
}


class Case(NamedTuple):
    """A mutated document and how it was made (a short repr: a corpus document is long)."""

    label: str
    document: bytes | str

    def __repr__(self) -> str:
        return f"Case({self.label!r}, {len(self.document)} {type(self.document).__name__})"

    def saved(self, name: str) -> Path:
        """Write the document to the temporary directory, for a failure to name it."""
        path = Path(tempfile.gettempdir()) / f"chorus-fuzz-{name}.xml"
        data = self.document
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
        return path


@st.composite
def mutated(draw: st.DrawFn, seeds: Seeds) -> Case:
    """One seed with one mutation; a str document may not encode."""
    seed = draw(st.sampled_from(seeds))
    try:
        how, document = MUTATIONS[draw(st.sampled_from(sorted(MUTATIONS)))](draw, seed.data)
    except _NotApplicable:
        how, document = _flip(draw, seed.data)
    if isinstance(document, str) and draw(st.booleans()):
        with contextlib.suppress(UnicodeEncodeError):
            document = document.encode()
    return Case(f"{how} of {seed.name}", document)


# ---------------------------------------------------------------- running one document


def _invoice_entry_points(label: str, document: bytes | str, corpus: Path, kind: str) -> None:
    """Every invoice entry point on one document."""
    for name, module in FORMATS.items():
        _call(f"{name}.read", label, lambda m=module: m.read(document), Invoice)
    reading = _call("read_report", label, lambda: read_report(document), Reading)
    found = _call("detect_format", label, lambda: detect_format(document), str)
    assert found is None or found in FORMATS
    for target, module in FORMATS.items():
        result = _call(f"convert-to-{target}", label,
                       lambda t=target: convert(document, to=t), Conversion)
        if result is not None:  # our own output reads back, with no error at all, and shows
            back = module.read(result.data)  # exactly the losses the conversion declared
            assert reading is not None, label
            declared = {(loss.bt, loss.path) for loss in result.losses if loss.kind != "unread"}
            seen = {(loss.bt, loss.path) for loss in diff_terms(reading.invoice, back)}
            assert declared == seen, (label, target)
    schema_dir = corpus / SCHEMA_DIRS.get(kind, ".")
    for profile in ("en16931", "chorus"):
        _call(f"validate-{profile}", label, lambda p=profile: chorus_core.validate(
            document, p, schema_dir=str(schema_dir)), Report)
    if kind in FORMATS:
        _call("validate_xsd", label, lambda: validate_xsd(document, kind, schema_dir), Report)
    _call("pes_pivot.read_flow", label, lambda: pes_pivot.read_flow(document),
          pes_pivot.PivotFlow)
    _call("pes_pivot.split", label, lambda: pes_pivot.split(document), tuple)
    _call("pes_status.read", label, lambda: pes_status.read(document), pes_status.StatusFlow)


def _status_entry_points(label: str, document: bytes | str) -> None:
    """The status reader, what it gives, its writer on what it read, and the readers' refusal."""
    flow = _call("pes_status.read", label, lambda: pes_status.read(document),
                 pes_status.StatusFlow)
    if flow is not None:
        _call("StatusFlow.histories", label, flow.histories, dict)
        written = _call("pes_status.write", label, lambda: pes_status.write(flow), bytes)
        if written is not None:  # our own output reads back, with no error at all
            assert isinstance(pes_status.read(written), pes_status.StatusFlow), label
    _call("read_report", label, lambda: read_report(document), Reading)
    _call("validate-en16931", label, lambda: chorus_core.validate(document), Report)
    for target in FORMATS:
        _call(f"convert-to-{target}", label, lambda t=target: convert(document, to=t),
              Conversion)


_CI_EXAMPLES = {"ubl": 1500, "cii": 1200, "pes_pivot": 1000, "pes_asap": 500, "pes_status": 600}
"""Mutated documents per kind under the "ci" profile (a format added later gets 400)."""


@pytest.mark.parametrize("kind", [*FORMATS, "pes_status"])
def test_mutated_documents_give_a_result_or_a_typed_error(
    kind: str, seeds: dict[str, Seeds], corpus: Path
) -> None:
    """Every mutation of every seed of a kind gives, from every entry point, its result or a
    ChorusError within BOUND seconds; converted output always reads back."""
    if kind not in seeds:
        pytest.fail(f"no corpus document is read as {kind}")

    @settings(max_examples=_examples(_CI_EXAMPLES.get(kind, 400)))
    @given(case=mutated(seeds[kind]))
    def one(case: Case) -> None:
        label, document = case
        STATS.case(kind)
        try:
            with _hang_guard():
                if kind == "pes_status":
                    _status_entry_points(label, document)
                else:
                    _invoice_entry_points(label, document, corpus, kind)
        except Exception as exc:
            exc.add_note(f"{label}: the document is in {case.saved(kind)}")
            raise

    # one database key per kind, as the hypothesis pytest plugin does for parametrized tests
    one.hypothesis.inner_test._hypothesis_internal_add_digest = kind.encode()  # type: ignore[attr-defined]
    one()


# ---------------------------------------------------------------- directory exports


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, bytes]:
    """Structure and service exports as we write them: from a generated directory, or the
    synthetic national generator at a small size."""
    if draw(st.booleans()):
        directory = draw(directories(max_structures=4, max_services=3))
        return (write_structures(directory.structures.values()),
                write_services(directory.iter_services()))
    return generate_export(draw(st.integers(0, 6)), draw(st.integers(0, 8)),
                           seed=draw(st.integers(0, 2**16)))


def _csv_mutation(draw: st.DrawFn, data: bytes) -> tuple[str, bytes | str]:
    how = draw(st.sampled_from(["flip", "truncate", "lines", "field", "latin-1", "bytes"]))
    # most mutations spare the header, whose damage stops everything (a HeaderError)
    start = data.find(b"\n") + 1 if draw(st.integers(0, 3)) else 0
    if how == "flip" and data[start:]:
        how, body = _flip(draw, data[start:])
        return how, data[:start] + bytes(body)
    if how == "truncate" and data:
        return _truncate(draw, data)
    if how == "bytes":
        at = draw(st.integers(start, len(data)))
        junk = draw(st.sampled_from([b"\x00", b'"', b"\r", b"\n", b";", b"\xff\xfe", b"\xc3",
                                     b"\xef\xbb\xbf", b'"";"', b"\xe9"]))
        return "byte insertion", data[:at] + junk + data[at:]
    lines = data.decode().splitlines(keepends=True)
    if how == "lines" and lines:
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "swap"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        return f"line {op}", "".join(lines).encode()
    if how == "field" and lines:
        i = draw(st.integers(0 if not start or len(lines) == 1 else 1, len(lines) - 1))
        cells = lines[i].rstrip("\r\n").split(";")
        cells[draw(st.integers(0, len(cells) - 1))] = draw(_VALUES)
        lines[i] = ";".join(cells) + "\r\n"
        text = "".join(lines)
        return "unicode field", text
    text = data.decode()
    with contextlib.suppress(UnicodeEncodeError):
        return "latin-1 re-encoding", text.encode("latin-1")
    return "unchanged", data


ENCODINGS = [None, "utf-8", "latin-1", "cp1252", "utf-16", "punycode", "rot13"]
"""Asked of read_directory: guessed, the exports' two, and codecs that fail in their own way."""


@settings(max_examples=_examples(800))
@given(exports(), st.data(), st.sampled_from(ENCODINGS), st.booleans())
def test_mutated_directory_exports_give_a_directory_or_a_typed_error(
    export: tuple[bytes, bytes], data: st.DataObject, encoding: str | None, lenient: bool
) -> None:
    """A mutated structures or services export gives a Directory or a ChorusError within
    BOUND seconds, strict or lenient, whatever the encoding asked."""
    structures, services = export
    which = data.draw(st.sampled_from(["structures", "services"]))
    how, mutated_ = _csv_mutation(data.draw, structures if which == "structures" else services)
    if which == "structures":
        structures_: bytes | str = mutated_
        services_: bytes | str = services
    else:
        structures_, services_ = structures, mutated_
    STATS.case("directory")
    label = f"{how} of the {which} export"
    with _hang_guard():
        _call("read_directory", label, lambda: read_directory(
            structures_, services_, encoding=encoding, lenient=lenient), Directory)


# ---------------------------------------------------------------- regressions the fuzzing found


def test_a_29_digit_vat_rate_converts_to_pes_asap(corpus: Path) -> None:
    """A CII line with a 29-digit VAT rate converts to PES ASAP or gives a ChorusError (it was
    decimal.InvalidOperation from pes_asap._money, found by this fuzzing)."""
    data = (corpus / "en16931/cii/examples/CII_example1.xml").read_text()
    start = data.index("<ram:RateApplicablePercent>") + len("<ram:RateApplicablePercent>")
    data = data[:start] + "1" + "0" * 28 + data[data.index("<", start):]
    with contextlib.suppress(ChorusError):
        convert(data, to="pes_asap")


def test_an_empty_supporting_document_keeps_the_pivot_report_aligned(corpus: Path) -> None:
    """A CII invoice whose first additional document lost its ID (an empty supporting
    document) converts to the pivot with the losses declared where reading back shows them
    (they were declared at the next index, found by this fuzzing)."""
    data = (corpus / "en16931/cii/examples/CII_example5.xml").read_text()
    data = data.replace("<ram:IssuerAssignedID>Lot567</ram:IssuerAssignedID>", "", 1)
    reading = read_report(data)
    result = convert(data, to="pes_pivot")
    back = FORMATS["pes_pivot"].read(result.data)
    assert {(loss.bt, loss.path) for loss in result.losses if loss.kind != "unread"} == {
        (loss.bt, loss.path) for loss in diff_terms(reading.invoice, back)}
