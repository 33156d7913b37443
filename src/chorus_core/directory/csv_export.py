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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Final, NamedTuple

from chorus_core.errors import DirectoryError

from .models import (
    Directory,
    DuplicateEntryError,
    IdentifierType,
    LoadReport,
    Service,
    Structure,
)

__all__ = [
    "SERVICE_COLUMNS",
    "STRUCTURE_COLUMNS",
    "Column",
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
    """The CSV syntax itself is broken (e.g. a NUL byte)."""


class FieldValueError(DirectoryError):
    """A field has a value its column does not accept; ``column`` names the column."""

    def __init__(self, message: str, *, line: int | None = None, column: str = ""):
        super().__init__(f"{column}: {message}" if column else message, line=line)
        self.column = column


# ---------------------------------------------------------------- input: lines

Source = bytes | bytearray | str | Iterable[str] | Iterable[bytes]
"""What the readers accept: the whole file as bytes or text, or an iterable of lines."""

_CHUNK = 1 << 20


def _is_utf8(data: bytes | bytearray) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(view), _CHUNK):
            decoder.decode(view[start:start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        view.release()
    return True


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
    for line in lines:
        if isinstance(line, str):
            yield line
        elif encoding is not None:
            yield line.decode(encoding)
        else:
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                yield line.decode("latin-1")


def _lines(data: Source, encoding: str | None) -> Iterable[str]:
    if isinstance(data, bytes | bytearray):
        if encoding is None:
            encoding = "utf-8" if _is_utf8(data) else "latin-1"
        # BytesIO shares the bytes object (no copy); the wrapper decodes chunk by chunk.
        return io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    if isinstance(data, str):
        return _text_lines(data)
    return _decoded(data, encoding)


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

    Iterating yields each row (a list of strings); ``line`` is the physical line number of the
    row last yielded (quoted newlines count), read only when a row is reported.
    """

    def __init__(
        self, data: Source, columns: Sequence[Column], encoding: str | None,
        on_error: RowHandler | None,
    ):
        self._reader = csv.reader(_lines(data, encoding), delimiter=DELIMITER, strict=True)
        self._columns = columns
        self._on_error = on_error

    @property
    def line(self) -> int:
        return self._reader.line_num

    def _report(self, error: DirectoryError) -> None:
        if self._on_error is None:
            raise error
        self._on_error(error)

    def _header(self) -> list[int]:
        for row in self._reader:  # a csv.Error here propagates: no header, no file
            if row:
                return _header_permutation(row, self._columns, self.line)
        raise HeaderError("no header line", line=1)

    def __iter__(self) -> Iterator[list[str]]:
        try:
            perm = self._header()
        except csv.Error as exc:
            raise MalformedCsvError(str(exc), line=self.line) from None
        width = len(self._columns)
        identity = perm == list(range(width))
        while True:
            try:
                for row in self._reader:
                    if len(row) == width:
                        yield row if identity else [row[i] for i in perm]
                    elif row:  # a blank line is not a row
                        self._report(RowLengthError(
                            f"{len(row)} fields, expected {width}", line=self.line))
                return
            except csv.Error as exc:  # raised by the reader only; resume after the bad record
                self._report(MalformedCsvError(str(exc), line=self.line))


# The fast paths build the named tuples with tuple.__new__ (every field given, in order),
# skipping the generated Python-level __new__: a national export is 550,000 records.
_new = tuple.__new__


def _structures(rows: _Rows, shared: dict[str, str] | None = None) -> Iterator[Structure]:
    b = _BOOLS
    t = _TYPES
    # one object per distinct repeated value (SIRET, city, country…): less memory than csv rows
    intern = (shared if shared is not None else {}).setdefault
    for row in rows:
        (typ, ident, name, e1, e2, e3, e4, e5, e6, e7, e8, e9,
         a1, a2, a3, cp, city, tel, mail, cc, cl) = row
        ident = ident.strip()
        try:
            if not ident:
                raise KeyError(ident)
            record = _new(Structure, (
                t[typ], intern(ident, ident), name,
                b[e1], b[e2], b[e3], b[e4], b[e5], b[e6], b[e7], b[e8], b[e9],
                a1 or None, a2 or None, a3 or None,
                intern(cp, cp) if cp else None, intern(city, city) if city else None,
                tel or None, mail or None,
                intern(cc, cc) if cc else None, intern(cl, cl) if cl else None,
            ))
        except KeyError:  # not the plain literal: take the exact path, which names the field
            try:
                record = Structure(*_convert(row, STRUCTURE_COLUMNS, rows.line))  # type: ignore[arg-type]
            except DirectoryError as error:
                rows._report(error)
                continue
        yield record


def _services(rows: _Rows, shared: dict[str, str] | None = None) -> Iterator[Service]:
    b = _BOOLS
    intern = (shared if shared is not None else {}).setdefault
    for row in rows:
        (ident, sname, code, name, egmt, active,
         a1, a2, a3, cp, city, tel, mail, cc, cl) = row
        ident = ident.strip()
        code = code.strip()
        try:
            if not ident or not code:
                raise KeyError(code)
            record = _new(Service, (
                intern(ident, ident), intern(sname, sname) if sname else None, code,
                name or None, b[egmt], b[active],
                a1 or None, a2 or None, a3 or None,
                intern(cp, cp) if cp else None, intern(city, city) if city else None,
                tel or None, mail or None,
                intern(cc, cc) if cc else None, intern(cl, cl) if cl else None,
                None, None,  # valid_from, valid_to: not in the export
            ))
        except KeyError:
            try:
                record = Service(*_convert(row, SERVICE_COLUMNS, rows.line))  # type: ignore[arg-type]
            except DirectoryError as error:
                rows._report(error)
                continue
        yield record


def iter_structures(
    data: Source, *, encoding: str | None = None, on_error: RowHandler | None = None
) -> Iterator[Structure]:
    """Parse the structures export, one :class:`Structure` per row, streaming.

    A malformed row raises; when ``on_error`` is given it receives the error instead and the
    row is left out.  ``encoding`` forces a codec (default: UTF-8 if the bytes are valid
    UTF-8, else Latin-1).
    """
    return _structures(_Rows(data, STRUCTURE_COLUMNS, encoding, on_error))


def iter_services(
    data: Source, *, encoding: str | None = None, on_error: RowHandler | None = None
) -> Iterator[Service]:
    """Parse the services export, one :class:`Service` per row, streaming (as
    :func:`iter_structures`)."""
    return _services(_Rows(data, SERVICE_COLUMNS, encoding, on_error))


def read_directory(
    structures: Source,
    services: Source | None = None,
    *,
    encoding: str | None = None,
    lenient: bool = False,
) -> Directory:
    """Load both exports into an immutable :class:`Directory`.

    Strict by default: the first malformed row or duplicate key raises its typed error.  With
    ``lenient=True`` such rows are set aside in ``directory.load_report.errors`` (with their
    line numbers) and the rest loads.

    The cyclic garbage collector is paused while the records are built (they hold no cycles;
    on a national export this saves about a third of the load time) and restored afterwards.

    >>> d = read_directory(write_structures([Structure(IdentifierType.SIRET, "11000201100044",
    ...                                                "ETAT")]))
    >>> d
    Directory(1 structures, 0 services)
    """
    with _gc_paused():
        return _read_directory(structures, services, encoding, lenient)


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
    structures: Source, services: Source | None, encoding: str | None, lenient: bool
) -> Directory:
    errors: list[DirectoryError] = []
    on_error: RowHandler | None = errors.append if lenient else None

    def duplicate(message: str, line: int, key: str) -> None:
        error = DuplicateEntryError(message, line=line, key=key)
        if on_error is None:
            raise error
        on_error(error)

    by_id: dict[str, Structure] = {}
    shared: dict[str, str] = {}
    rows = _Rows(structures, STRUCTURE_COLUMNS, encoding, on_error)
    n_structures = 0
    for s in _structures(rows, shared):
        n_structures += 1
        if s.identifier in by_id:
            duplicate(f"structure {s.identifier!r} appears twice", rows.line, s.identifier)
            continue
        by_id[s.identifier] = s
    by_siret: dict[str, dict[str, Service]] = {}
    n_services = count = 0
    if services is not None:
        rows = _Rows(services, SERVICE_COLUMNS, encoding, on_error)
        for sv in _services(rows, shared):
            n_services += 1
            codes = by_siret.get(sv.structure_identifier)
            if codes is None:
                codes = by_siret[sv.structure_identifier] = {}
            elif sv.code in codes:
                duplicate(
                    f"service {sv.code!r} of structure {sv.structure_identifier!r} appears twice",
                    rows.line, f"{sv.structure_identifier}/{sv.code}",
                )
                continue
            codes[sv.code] = sv
            count += 1
    report = LoadReport(tuple(errors), n_structures, n_services)
    return Directory._from_indexes(by_id, by_siret, count, report)


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
