"""The official CSV exports of the directory: structures and services, read and written.

Both exports are ``;``-separated with one header line.  The columns are listed in
:data:`STRUCTURE_COLUMNS` and :data:`SERVICE_COLUMNS` (export name, record field, kind); the
header is matched by name, so a reordered export reads the same, and an unknown or missing
column is refused (:class:`HeaderError`) rather than dropped.  Booleans are ``true``/``false`` or
``1``/``0`` (any case).  Input may be ``bytes`` (UTF-8, with or without BOM, else Latin-1),
``str``, or an iterable of lines (``str`` or ``bytes``); rows are decoded and converted one at a
time, so a national export never exists twice in memory.

A malformed row raises a :class:`~chorus_core.errors.DirectoryError` subclass carrying its
1-based line number; with ``lenient=True`` the row is set aside in the directory's
:class:`~chorus_core.directory.models.LoadReport` instead — never silently skipped.

More information:

* ``research/chorus-rules.md`` §3.1 (columns, boolean literals, caveats)
* eliteeducation/springboot-importsql ``BatchConfiguration.java`` (structures file)
* fredatgithub/ChorusDiff ``ChorusServicesWeb.cs`` (services file)

>>> header = ";".join(c.name for c in STRUCTURE_COLUMNS)
>>> row = "1;11000201100044;ETAT;false;false;true;1;1;0;false;false;true;;;;75007;PARIS;;;FR;"
>>> [s.engagement_required for s in iter_structures(f"{header}\\n{row}\\n")]
[True]
>>> next(iter_structures(f"{header}\\n{row.replace(';1;1;0;', ';oui;1;0;')}\\n"))
Traceback (most recent call last):
...
chorus_core.directory.csv_export.FieldValueError: line 2: GestionEngagement: 'oui' is not a ...
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final, NamedTuple, TypeVar

from chorus_core.errors import DirectoryError, UsageError

from .models import (
    Directory,
    DuplicateEntryError,
    IdentifierType,
    LoadReport,
    Service,
    Structure,
)

__all__ = [
    "MAX_ERRORS_KEPT",
    "SERVICE_COLUMNS",
    "STRUCTURE_COLUMNS",
    "Column",
    "EncodingError",
    "FieldValueError",
    "HeaderError",
    "MalformedCsvError",
    "RowLengthError",
    "iter_services",
    "iter_structures",
    "read_directory",
    "write_services",
    "write_structures",
]

DELIMITER: Final = ";"


class Column(NamedTuple):
    """One column of an export: its name in the file, the record field, and its kind.

    Kinds: ``type`` (identifier type 1…7), ``key`` (non-empty, surrounding blanks removed),
    ``text`` (kept as is), ``opt`` (``None`` when empty), ``bool``.
    """

    name: str
    field: str
    kind: str


_ADDRESS = (
    Column("Adresse", "address", "opt"),
    Column("ComplementAdresse1", "address_complement_1", "opt"),
    Column("ComplementAdresse2", "address_complement_2", "opt"),
    Column("CodePostal", "post_code", "opt"),
    Column("Ville", "city", "opt"),
    Column("NumTelephone", "telephone", "opt"),
    Column("Courriel", "email", "opt"),
    Column("CodePays", "country_code", "opt"),
    Column("LibellePays", "country_label", "opt"),
)

STRUCTURE_COLUMNS: Final[tuple[Column, ...]] = (
    Column("TypeIdentifiant", "identifier_type", "type"),
    Column("Identifiant", "identifier", "key"),
    Column("RaisonSociale", "name", "text"),
    Column("EmetteurEdi", "edi_sender", "bool"),
    Column("RecepteurEdi", "edi_receiver", "bool"),
    Column("GestionStatutMiseEnPaiement", "manages_payment_status", "bool"),
    Column("GestionEngagement", "engagement_required", "bool"),
    Column("GestionService", "service_required", "bool"),
    Column("GestionServiceEngagement", "service_or_engagement_required", "bool"),
    Column("EstMOA", "is_moa", "bool"),
    Column("EstMOAUniquement", "is_moa_only", "bool"),
    Column("StructureActive", "active", "bool"),
    *_ADDRESS,
)
"""Columns of the structures export, in file order (springboot-importsql, §3.1)."""

SERVICE_COLUMNS: Final[tuple[Column, ...]] = (
    Column("Identifiant", "structure_identifier", "key"),
    Column("RaisonSociale", "structure_name", "opt"),
    Column("Code", "code", "key"),
    Column("Nom", "name", "opt"),
    Column("GestionEGMT", "engagement_required", "bool"),
    Column("ServiceActif", "active", "bool"),
    *_ADDRESS,
)
"""Columns of the services export, in file order (ChorusDiff ``ChorusServicesWeb.cs``, §3.1)."""


# ---------------------------------------------------------------- errors


class HeaderError(DirectoryError):
    """The header line is missing, or names an unknown column, or lacks a column."""


class RowLengthError(DirectoryError):
    """A row has more or fewer fields than the header."""


class MalformedCsvError(DirectoryError):
    """The CSV syntax itself is broken (e.g. a NUL character in a field)."""


class EncodingError(DirectoryError):
    """The export cannot be decoded (unknown codec, invalid bytes, UTF-8 mixed with Latin-1).

    ``line`` is the line of the offending bytes, when there is one.
    """


class FieldValueError(DirectoryError):
    """A field has a value its column does not accept; ``column`` names the column."""

    def __init__(self, message: str, *, line: int | None = None, column: str = ""):
        super().__init__(f"{column}: {message}" if column else message, line=line)
        self.column = column


# ---------------------------------------------------------------- input: lines

_Record = TypeVar("_Record")

Source = bytes | bytearray | str | Iterable[str] | Iterable[bytes]
"""What the readers accept: the whole file as bytes or text, or an iterable of lines."""

_CHUNK = 1 << 20

# A valid UTF-8 multi-byte sequence: in a file that is not valid UTF-8 as a whole, one of these
# means UTF-8 text mixed with another encoding (Latin-1 would garble it: é → Ã©).
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _utf8_error(data: bytes | bytearray) -> int:
    """The offset of the first byte that is not valid UTF-8, or -1 when all of it is."""
    if data.isascii():
        return -1
    view = memoryview(data)
    pos, size = 0, len(data)
    try:
        while pos < size:
            final = pos + _CHUNK >= size
            try:
                _, used = codecs.utf_8_decode(view[pos:pos + _CHUNK], "strict", final)
            except UnicodeDecodeError as exc:
                return pos + exc.start
            if used == 0:  # pragma: no cover - a chunk always holds a whole sequence
                return pos
            pos += used
    finally:
        view.release()
    return -1


def _line_at(data: bytes | bytearray, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _guess_encoding(data: bytes | bytearray) -> str:
    """UTF-8 when the bytes are UTF-8, Latin-1 when they hold no UTF-8 sequence at all; a file
    mixing both is refused rather than garbled."""
    bad = _utf8_error(data)
    if bad < 0:
        return "utf-8"
    found = _UTF8_SEQUENCE.search(data)
    if found is not None:
        line = _line_at(data, bad)
        raise EncodingError(
            f"the file mixes UTF-8 (line {_line_at(data, found.start())}) with another "
            f"encoding (line {line}): read as Latin-1 its UTF-8 text would be garbled "
            "(é → Ã©); convert it, or pass encoding= to choose",
            line=line,
        )
    return "latin-1"


def _checked_encoding(encoding: object) -> str:
    if not isinstance(encoding, str):
        raise EncodingError(f"encoding must be a codec name such as 'utf-8', not {encoding!r}")
    try:
        name = codecs.lookup(encoding).name
        io.TextIOWrapper(io.BytesIO(), encoding=name)  # LookupError: not text (base64, rot13…)
    except LookupError:
        raise EncodingError(
            f"unknown encoding {encoding!r} (the exports are 'utf-8' or 'latin-1')") from None
    return name


def _undecodable(exc: UnicodeError) -> str:
    """What a codec could not decode: the bytes and the reason, or the codec's message."""
    if isinstance(exc, UnicodeDecodeError):
        return f"bytes {bytes(exc.object[exc.start:exc.end])!r} ({exc.reason})"
    return f"the bytes ({exc})"


def _text_lines(text: str) -> Iterator[str]:
    start, n = 0, len(text)
    find = text.find
    while start < n:
        end = find("\n", start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _decoded(lines: Iterable[str | bytes], encoding: str | None) -> Iterator[str]:
    for number, line in enumerate(lines, 1):
        if isinstance(line, str):
            yield line
        elif not isinstance(line, bytes | bytearray):
            raise DirectoryError(
                f"a line must be str or bytes, not {type(line).__name__}", line=number)
        elif encoding is not None:
            try:
                yield line.decode(encoding)
            except UnicodeError as exc:  # a decode error, or a codec's own (utf-16 BOM…)
                raise EncodingError(f"{_undecodable(exc)} are not valid {encoding}; pass the "
                                    "file's encoding=", line=number) from None
        else:
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:  # line by line, each line is decoded on its own
                yield line.decode("latin-1")


class _Input:
    """The decoded lines of a source, and what the row checks need to know about it."""

    def __init__(self, data: Source, encoding: str | None):
        codec = None if encoding is None else _checked_encoding(encoding)
        self.data: bytes | bytearray | None = None
        self.encoding = codec
        self.lines: Iterable[str]
        if isinstance(data, bytes | bytearray):
            self.data = data
            self.encoding = codec or _guess_encoding(data)
            # BytesIO shares the bytes object (no copy); the wrapper decodes chunk by chunk.
            self.lines = io.TextIOWrapper(io.BytesIO(data), encoding=self.encoding, newline="")
            self.may_hold_nul = b"\0" in data
        elif isinstance(data, str):
            self.lines = _text_lines(data)
            self.may_hold_nul = "\0" in data
        elif isinstance(data, Iterable):
            self.lines = _decoded(data, codec)
            self.may_hold_nul = True
        else:
            raise UsageError(
                f"data: expected bytes, str or an iterable of lines, got {type(data).__name__}",
                f"data : octets, texte ou itérable de lignes attendus, pas {type(data).__name__}",
                argument="data",
            )

    def decode_error(self, exc: UnicodeError, line: int) -> EncodingError:
        """The typed error for bytes the codec cannot decode, at their line in the file."""
        if self.data is not None:
            try:
                self.data.decode(self.encoding or "utf-8")
            except UnicodeDecodeError as whole:
                line = _line_at(self.data, whole.start)
            except UnicodeError:  # a codec's own error (utf-16 without BOM…) has no position
                pass
        return EncodingError(
            f"{_undecodable(exc)} are not valid {self.encoding}; pass the file's encoding=",
            line=max(line, 1))


# ---------------------------------------------------------------- conversions

_BOOLS: Final[dict[str, bool]] = {
    "true": True, "false": False, "1": True, "0": False,
    "True": True, "False": False, "TRUE": True, "FALSE": False,
}
_TYPES: Final[dict[str, IdentifierType]] = {str(t.value): t for t in IdentifierType}


def _bool(value: str, column: str, line: int) -> bool:
    found = _BOOLS.get(value.strip().lower())
    if found is None:
        raise FieldValueError(
            f"{value!r} is not a boolean (true/false/1/0)", line=line, column=column
        )
    return found


def _type(value: str, line: int) -> IdentifierType:
    found = _TYPES.get(value.strip())
    if found is None:
        raise FieldValueError(
            f"{value!r} is not an identifier type (1 to 7)", line=line, column="TypeIdentifiant"
        )
    return found


def _key(value: str, column: str, line: int) -> str:
    value = value.strip()
    if not value:
        raise FieldValueError("must not be empty", line=line, column=column)
    return value


def _convert(row: Sequence[str], columns: Sequence[Column], line: int) -> list[object]:
    """The slow, exact path: convert every field or raise the error that names it."""
    out: list[object] = []
    for value, col in zip(row, columns, strict=True):
        if col.kind == "bool":
            out.append(_bool(value, col.name, line))
        elif col.kind == "type":
            out.append(_type(value, line))
        elif col.kind == "key":
            out.append(_key(value, col.name, line))
        elif col.kind == "opt":
            out.append(value or None)
        else:
            out.append(value)
    return out


def _header_permutation(header: list[str], columns: Sequence[Column], line: int) -> list[int]:
    names = [h.strip().lstrip("\ufeff").strip() for h in header]
    expected = {c.name.lower(): i for i, c in enumerate(columns)}
    unknown = [n for n in names if n.lower() not in expected]
    if unknown:
        raise HeaderError(f"unknown column(s) {', '.join(map(repr, unknown))}", line=line)
    position = {n.lower(): i for i, n in enumerate(names)}
    missing = [c.name for c in columns if c.name.lower() not in position]
    if missing:
        raise HeaderError(f"missing column(s) {', '.join(missing)}", line=line)
    if len(position) != len(names):
        raise HeaderError("a column appears twice", line=line)
    return [position[c.name.lower()] for c in columns]


RowHandler = Callable[[DirectoryError], None]


class _Rows:
    """The rows of one export in column order, header and field counts checked.

    Iterating (after :meth:`rows` read the header) yields each row (a list of strings) of
    the right width, without NUL; other rows are reported (raised, or passed to
    ``on_error``).  ``line`` is the physical line number of
    the row last yielded (quoted newlines count).  Bytes the codec cannot decode always raise
    :class:`EncodingError`: the rest of the file cannot be trusted.
    """

    def __init__(
        self, data: Source, columns: Sequence[Column], encoding: str | None,
        on_error: RowHandler | None,
    ):
        self._input = _Input(data, encoding)
        self._reader = csv.reader(self._input.lines, delimiter=DELIMITER, strict=True)
        self._columns = columns
        self._on_error = on_error
        self._perm: list[int] = list(range(len(columns)))

    @property
    def line(self) -> int:
        return self._reader.line_num

    def _report(self, error: DirectoryError) -> None:
        if self._on_error is None:
            raise error
        self._on_error(error)

    def _header(self) -> list[int]:
        try:
            for row in self._reader:  # no header, no file: errors here always raise
                if row:
                    return _header_permutation(row, self._columns, self.line)
        except csv.Error as exc:
            raise MalformedCsvError(str(exc), line=self.line) from None
        except UnicodeError as exc:
            raise self._input.decode_error(exc, self.line) from None
        raise HeaderError("no header line", line=1)

    def rows(self) -> Iterator[list[str]]:
        """Read the header; then the rows: the csv reader itself when they need no check but
        their width (the caller's unpacking checks it, see :meth:`wrong_width`), else
        :meth:`__iter__` (columns reordered, NUL checked)."""
        perm = self._header()
        if perm == list(range(len(self._columns))) and not self._input.may_hold_nul:
            return self._reader
        self._perm = perm
        return iter(self)

    def wrong_width(self, row: list[str]) -> None:
        """Report a row of the wrong width (a blank line is no row)."""
        if row:
            self._report(RowLengthError(
                f"{len(row)} fields, expected {len(self._columns)}", line=self.line))

    def converted(self, row: list[str], record: Callable[..., _Record]) -> _Record | None:
        """``row`` converted field by field into a ``record`` (the slow path, whose errors name
        the column), or None when it was reported."""
        try:
            values = _convert(row, self._columns, self.line)
            return record(**{c.field: v for c, v in zip(self._columns, values, strict=True)})
        except DirectoryError as error:
            self._report(error)
            return None

    def recover(self, exc: csv.Error | UnicodeError) -> None:
        """Report a csv syntax error, raised by the reader only (which resumes after the bad
        record); raise the typed error for bytes the codec cannot decode."""
        if isinstance(exc, UnicodeError):
            raise self._input.decode_error(exc, self.line) from None
        self._report(MalformedCsvError(str(exc), line=self.line))

    def __iter__(self) -> Iterator[list[str]]:
        perm = self._perm
        width = len(self._columns)
        identity = perm == list(range(width))
        nul = self._input.may_hold_nul
        while True:
            try:
                for row in self._reader:
                    if len(row) != width:
                        if row:  # a blank line is not a row
                            self._report(RowLengthError(
                                f"{len(row)} fields, expected {width}", line=self.line))
                    elif nul and any("\0" in field for field in row):
                        self._report(MalformedCsvError(
                            "a field holds a NUL character", line=self.line))
                    else:
                        yield row if identity else [row[i] for i in perm]
                return
            except (csv.Error, UnicodeError) as exc:
                self.recover(exc)


# The fast paths build the named tuples with tuple.__new__ (every field given, in order),
# skipping the generated Python-level __new__: a national export is 550,000 records.
_new = tuple.__new__


# Post codes, cities and countries repeat across the export: one object per distinct value,
# in a table capped so that a streamed export cannot make it grow without bound.
_SHARED_MAX: Final = 1 << 16


def _structures(rows: _Rows, share: bool = False) -> Iterator[Structure]:
    b = _BOOLS
    t = _TYPES
    # A repeated value reuses the previous row's object when equal (a comparison), else, when
    # loading (``share``), the capped shared table's (a lookup): less memory than one string
    # per row.  Streaming keeps no table: its memory stays flat.
    shared: dict[str, str] = {}
    cap = _SHARED_MAX if share else 0
    get, keep = shared.get, shared.setdefault
    p_cp = p_city = p_cc = p_cl = ""
    source = rows.rows()
    while True:
        try:
            for row in source:
                try:  # unpacking checks the width
                    (typ, ident, name, e1, e2, e3, e4, e5, e6, e7, e8, e9,
                     a1, a2, a3, cp, city, tel, mail, cc, cl) = row
                except ValueError:
                    rows.wrong_width(row)
                    continue
                if cp == p_cp:
                    cp = p_cp
                else:
                    cp = p_cp = get(cp) or (keep(cp, cp) if len(shared) < cap else cp)
                if city == p_city:
                    city = p_city
                else:
                    city = p_city = get(city) or (keep(city, city) if len(shared) < cap else city)
                if cc == p_cc:
                    cc = p_cc
                else:
                    p_cc = cc
                if cl == p_cl:
                    cl = p_cl
                else:
                    p_cl = cl
                ident = ident.strip()
                try:
                    if not ident:
                        raise KeyError(ident)
                    record = _new(Structure, (
                        ident, name, t[typ],
                        b[e1], b[e2], b[e3], b[e4], b[e5], b[e6], b[e7], b[e8], b[e9],
                        a1 or None, a2 or None, a3 or None, cp or None, city or None,
                        tel or None, mail or None, cc or None, cl or None,
                    ))
                except KeyError:  # not the plain literal: the exact path names the field
                    slow = rows.converted(row, Structure)
                    if slow is None:
                        continue
                    record = slow
                yield record
            return
        except (csv.Error, UnicodeError) as exc:
            rows.recover(exc)


def _services(rows: _Rows) -> Iterator[Service]:
    b = _BOOLS
    # Services often come grouped by structure: the previous row's values are reused when
    # equal (looking each up in the loaded structures would cost a tenth of the load time).
    p_ident = p_sname = p_cp = p_city = p_cc = p_cl = ""
    source = rows.rows()
    while True:
        try:
            for row in source:
                try:  # unpacking checks the width
                    (ident, sname, code, name, egmt, active,
                     a1, a2, a3, cp, city, tel, mail, cc, cl) = row
                except ValueError:
                    rows.wrong_width(row)
                    continue
                ident = ident.strip()
                if ident == p_ident:
                    ident = p_ident
                else:
                    p_ident = ident
                if sname == p_sname:
                    sname = p_sname
                else:
                    p_sname = sname
                if cp == p_cp:
                    cp = p_cp
                else:
                    p_cp = cp
                if city == p_city:
                    city = p_city
                else:
                    p_city = city
                if cc == p_cc:
                    cc = p_cc
                else:
                    p_cc = cc
                if cl == p_cl:
                    cl = p_cl
                else:
                    p_cl = cl
                code = code.strip()
                try:
                    if not ident or not code:
                        raise KeyError(code)
                    record = _new(Service, (
                        ident, code, name or None, sname or None, b[egmt], b[active],
                        a1 or None, a2 or None, a3 or None, cp or None, city or None,
                        tel or None, mail or None, cc or None, cl or None,
                        None, None,  # valid_from, valid_to: not in the export
                    ))
                except KeyError:
                    slow = rows.converted(row, Service)
                    if slow is None:
                        continue
                    record = slow
                yield record
            return
        except (csv.Error, UnicodeError) as exc:
            rows.recover(exc)


def iter_structures(
    data: Source, *, encoding: str | None = None, on_error: RowHandler | None = None
) -> Iterator[Structure]:
    """Parse the structures export, one :class:`Structure` per row, streaming.

    A malformed row raises; when ``on_error`` is given it receives the error instead and the
    row is left out.  ``encoding`` forces a codec (default: UTF-8 if the bytes are valid
    UTF-8, Latin-1 if they hold no UTF-8 at all; a file mixing both raises
    :class:`EncodingError`).  Memory stays flat however many rows are read: only the previous
    row's values are kept to share repeated strings.
    """
    return _structures(_Rows(data, STRUCTURE_COLUMNS, encoding, on_error))


def iter_services(
    data: Source, *, encoding: str | None = None, on_error: RowHandler | None = None
) -> Iterator[Service]:
    """Parse the services export, one :class:`Service` per row, streaming (as
    :func:`iter_structures`)."""
    return _services(_Rows(data, SERVICE_COLUMNS, encoding, on_error))


MAX_ERRORS_KEPT: Final = 1000
"""How many set-aside rows a lenient load keeps by default (all are counted)."""


class _Errors:
    """The error handler of a lenient load: keeps the first ``cap`` errors, counts them all."""

    def __init__(self, cap: int):
        self.kept: list[DirectoryError] = []
        self.count = 0
        self.cap = cap

    def __call__(self, error: DirectoryError) -> None:
        self.count += 1
        if len(self.kept) < self.cap:
            self.kept.append(error)


def read_directory(
    structures: Source,
    services: Source | None = None,
    *,
    encoding: str | None = None,
    lenient: bool = False,
    max_errors: int = MAX_ERRORS_KEPT,
) -> Directory:
    """Load both exports into an immutable :class:`Directory`.

    Strict by default: the first malformed row or duplicate key raises its typed error.  With
    ``lenient=True`` such rows are set aside: the first ``max_errors`` in
    ``directory.load_report.errors`` (with their line numbers), all of them counted in
    ``load_report.error_count``, and the rest loads.  Undecodable bytes always raise
    :class:`EncodingError`.

    The cyclic garbage collector is paused while the records are built (they hold no cycles;
    on a national export this saves about a third of the load time) and restored afterwards.

    >>> d = read_directory(write_structures([Structure("11000201100044", "ETAT")]))
    >>> d
    Directory(1 structures, 0 services)
    """
    if not isinstance(max_errors, int) or isinstance(max_errors, bool) or max_errors < 0:
        raise UsageError(
            f"max_errors: {max_errors!r} is not a number of errors (an int ≥ 0)",
            f"max_errors : {max_errors!r} n'est pas un nombre d'erreurs (entier ≥ 0)",
            argument="max_errors",
        )
    with _gc_paused():
        return _read_directory(structures, services, encoding, lenient, max_errors)


@contextmanager
def _gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_directory(
    structures: Source, services: Source | None, encoding: str | None, lenient: bool,
    max_errors: int,
) -> Directory:
    errors = _Errors(max_errors)
    on_error: RowHandler | None = errors if lenient else None

    def duplicate(message: str, line: int, key: str) -> None:
        error = DuplicateEntryError(message, line=line, key=key)
        if on_error is None:
            raise error
        on_error(error)

    by_id: dict[str, Structure] = {}
    rows = _Rows(structures, STRUCTURE_COLUMNS, encoding, on_error)
    n_structures = 0
    for s in _structures(rows, share=True):
        n_structures += 1
        if by_id.setdefault(s.identifier, s) is not s:
            duplicate(f"structure {s.identifier!r} appears twice", rows.line, s.identifier)
    flat: dict[tuple[str, str], Service] = {}
    n_services = 0
    if services is not None:
        rows = _Rows(services, SERVICE_COLUMNS, encoding, on_error)
        for sv in _services(rows):
            n_services += 1
            key = (sv.structure_identifier, sv.code)
            if flat.setdefault(key, sv) is not sv:
                duplicate(
                    f"service {sv.code!r} of structure {key[0]!r} appears twice",
                    rows.line, f"{key[0]}/{sv.code}",
                )
    report = LoadReport(tuple(errors.kept), n_structures, n_services, errors.count)
    return Directory._from_indexes(by_id, flat, report)


# ---------------------------------------------------------------- writers


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, IdentifierType):
        return str(value.value)
    return str(value)


def _write(
    records: Iterable[Structure] | Iterable[Service],
    columns: Sequence[Column],
    encoding: str,
    check: Callable[[object], None] | None = None,
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([c.name for c in columns])
    fields = [c.field for c in columns]
    for record in records:
        if check is not None:
            check(record)
        writer.writerow([_cell(getattr(record, f)) for f in fields])
    try:
        return buffer.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        raise DirectoryError(f"a value cannot be written in {encoding}: {exc}") from None


def write_structures(structures: Iterable[Structure], *, encoding: str = "utf-8") -> bytes:
    """Write structures as the official export (header, ``;``, ``true``/``false``, CRLF)."""
    return _write(structures, STRUCTURE_COLUMNS, encoding)


def write_services(
    services: Iterable[Service], *, encoding: str = "utf-8", drop_dates: bool = False
) -> bytes:
    """Write services as the official export.

    The export has no validity-date columns: a service with ``valid_from``/``valid_to`` raises
    :class:`~chorus_core.errors.DirectoryError` unless ``drop_dates=True`` says to leave them out.
    """

    def check(record: object) -> None:
        assert isinstance(record, Service)
        if not drop_dates and (record.valid_from is not None or record.valid_to is not None):
            raise DirectoryError(
                f"service {record.code!r} has validity dates, which the CSV export cannot carry "
                "(pass drop_dates=True to leave them out)"
            )

    return _write(services, SERVICE_COLUMNS, encoding, check)
