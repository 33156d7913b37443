"""The official CSV exports: round trips, accepted variants, and typed errors with line numbers."""

from __future__ import annotations

import io
import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chorus_core.directory import (
    SERVICE_COLUMNS,
    STRUCTURE_COLUMNS,
    Directory,
    DuplicateEntryError,
    EncodingError,
    FieldValueError,
    HeaderError,
    MalformedCsvError,
    RowLengthError,
    Service,
    Structure,
    iter_services,
    iter_structures,
    read_directory,
    write_services,
    write_structures,
)
from chorus_core.directory.generate import generate_export
from chorus_core.directory.strategies import directories, services, structures
from chorus_core.errors import DirectoryError, UsageError

SIRET = "21310555400017"
S_HEADER = ";".join(c.name for c in STRUCTURE_COLUMNS)
V_HEADER = ";".join(c.name for c in SERVICE_COLUMNS)
S_ROW = (f"1;{SIRET};MAIRIE;false;true;true;false;true;false;false;false;true;"
         ";;;31000;TOULOUSE;;;FR;France")
V_ROW = f"{SIRET};MAIRIE;COMPTA;Comptabilité;true;true;;;;31000;TOULOUSE;;;FR;France"


def structures_csv(*rows: str) -> str:
    return "\n".join((S_HEADER, *rows)) + "\n"


def services_csv(*rows: str) -> str:
    return "\n".join((V_HEADER, *rows)) + "\n"


# ---------------------------------------------------------------- round trips


@given(st.lists(structures(), max_size=5), st.sampled_from(["bytes", "str", "lines", "blines"]))
def test_structures_round_trip(records: list[Structure], shape: str) -> None:
    """Any structures written as the export and parsed back are equal, whatever the input shape."""
    data = write_structures(records)
    source: object = {
        "bytes": data,
        "str": data.decode(),
        "lines": list(io.StringIO(data.decode(), newline="")),
        "blines": list(io.BytesIO(data)),
    }[shape]
    assert list(iter_structures(source)) == records  # type: ignore[arg-type]


@given(st.lists(structures().flatmap(services), max_size=5))
def test_services_round_trip(records: list[Service]) -> None:
    """Any services written as the export and parsed back are equal."""
    assert list(iter_services(write_services(records))) == records


# Latin-1 text without U+0080…U+00BF cannot hold a byte sequence that is also valid UTF-8.
_UNAMBIGUOUS = str.maketrans({chr(c): "?" for c in range(0x80, 0xC0)})


def _unambiguous(directory: Directory) -> Directory:
    def fix(record: tuple[object, ...]) -> list[object]:
        return [v.translate(_UNAMBIGUOUS) if isinstance(v, str) else v for v in record]
    try:
        return Directory.of([s._make(fix(s)) for s in directory.structures.values()],
                            [sv._make(fix(sv)) for sv in directory.iter_services()])
    except DuplicateEntryError:  # two keys differing only in the replaced characters
        assume(False)
        raise


@settings(max_examples=25)
@given(directories(encoding="latin-1").map(_unambiguous))
def test_latin1_directory_round_trip(directory: Directory) -> None:
    """A directory written in Latin-1 is detected as Latin-1 and reads back equal (text that
    also holds UTF-8 sequences is ambiguous: see the test with the encoding named)."""
    structures_csv = write_structures(directory.structures.values(), encoding="latin-1")
    services_csv = write_services(directory.iter_services(), encoding="latin-1")
    assert read_directory(structures_csv, services_csv) == directory


@settings(max_examples=25)
@given(directories(encoding="latin-1"))
def test_latin1_directory_round_trip_with_the_encoding_named(directory: Directory) -> None:
    """Any directory written in Latin-1 reads back equal when encoding="latin-1" is passed."""
    structures_csv = write_structures(directory.structures.values(), encoding="latin-1")
    services_csv = write_services(directory.iter_services(), encoding="latin-1")
    assert read_directory(structures_csv, services_csv, encoding="latin-1") == directory


@settings(max_examples=25)
@given(directories())
def test_utf8_directory_round_trip(directory: Directory) -> None:
    """A directory written in UTF-8 reads back equal, with the same counts and no errors."""
    loaded = read_directory(
        write_structures(directory.structures.values()), write_services(directory.iter_services())
    )
    assert loaded == directory
    assert loaded.service_count == directory.service_count
    assert loaded.load_report.ok


def test_latin1_bytes_decoded() -> None:
    """Latin-1 bytes (invalid UTF-8) are decoded as Latin-1."""
    data = services_csv(V_ROW).encode("latin-1")
    assert next(iter_services(data)).name == "Comptabilité"


def test_utf8_bom_and_crlf_accepted() -> None:
    """A UTF-8 BOM before the header and CRLF line ends are accepted."""
    data = ("\ufeff" + structures_csv(S_ROW).replace("\n", "\r\n")).encode("utf-8")
    assert next(iter_structures(data)).city == "TOULOUSE"


def test_one_zero_and_case_booleans() -> None:
    """Booleans may be 1/0 or true/false in any case."""
    row = S_ROW.replace("false;true;true;false;true;", "0;1;TRUE;False;tRuE;")
    s = next(iter_structures(structures_csv(row)))
    assert (s.edi_sender, s.edi_receiver, s.manages_payment_status, s.engagement_required,
            s.service_required) == (False, True, True, False, True)


def test_reordered_header_reads_by_name() -> None:
    """Columns are matched by name, so a reordered export reads the same."""
    cols = V_HEADER.split(";")
    vals = V_ROW.split(";")
    order = list(reversed(range(len(cols))))
    data = ";".join(cols[i] for i in order) + "\n" + ";".join(vals[i] for i in order) + "\n"
    assert list(iter_services(data)) == list(iter_services(services_csv(V_ROW)))


def test_blank_lines_are_not_rows() -> None:
    """Blank lines (e.g. at the end of the file) are not rows."""
    assert len(list(iter_structures(structures_csv(S_ROW, "", S_ROW.replace(SIRET, "X"))))) == 2


def test_empty_optional_fields_are_none() -> None:
    """Empty address fields read as None; quoted separators are kept in values."""
    row = S_ROW.replace("MAIRIE", '"MAIRIE; SERVICE ""A"""')
    s = next(iter_structures(structures_csv(row)))
    assert s.name == 'MAIRIE; SERVICE "A"'
    assert s.address is None and s.telephone is None


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (S_ROW.replace("1;", "8;", 1), "TypeIdentifiant"),
        (S_ROW.replace(SIRET, " "), "Identifiant"),
        (S_ROW.replace(";false;true;true;", ";false;yes;true;"), "RecepteurEdi"),
        (S_ROW.replace(";true;;;;", ";;;;;"), "StructureActive"),
    ],
)
def test_bad_structure_value_names_column_and_line(row: str, column: str) -> None:
    """A bad value raises FieldValueError with its column and line number."""
    with pytest.raises(FieldValueError) as info:
        list(iter_structures(structures_csv(S_ROW, row)))
    assert (info.value.column, info.value.line) == (column, 3)


def test_bad_service_code_names_column() -> None:
    """An empty code service raises FieldValueError on column Code."""
    with pytest.raises(FieldValueError) as info:
        list(iter_services(services_csv(V_ROW.replace("COMPTA", ""))))
    assert (info.value.column, info.value.line) == ("Code", 2)


def test_short_row_raises_row_length_error() -> None:
    """A row with a missing field raises RowLengthError at its line."""
    with pytest.raises(RowLengthError) as info:
        list(iter_services(services_csv(V_ROW, V_ROW.rsplit(";", 1)[0])))
    assert info.value.line == 3


def test_line_numbers_count_multiline_fields() -> None:
    """Line numbers are physical lines: a quoted newline in a field counts."""
    multi = V_ROW.replace("Comptabilité", '"Compta\nbilité"')
    with pytest.raises(FieldValueError) as info:
        list(iter_services(services_csv(multi, V_ROW.replace(";true;true;", ";x;true;"))))
    assert info.value.line == 4


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (V_HEADER + ";idService", "unknown"),
        (V_HEADER.replace(";GestionEGMT", ""), "missing"),
        (V_HEADER.replace("GestionEGMT", "GestionEgmt2"), "unknown"),
    ],
)
def test_header_mismatch_refused(header: str, fragment: str) -> None:
    """An unknown or missing column is refused at line 1, never dropped."""
    with pytest.raises(HeaderError) as info:
        list(iter_services(header + "\n" + V_ROW + "\n"))
    assert info.value.line == 1
    assert fragment in str(info.value)


def test_no_header_refused() -> None:
    """An empty export has no header and is refused."""
    with pytest.raises(HeaderError):
        list(iter_structures(b""))


def test_unterminated_quote_is_malformed_csv() -> None:
    """An unterminated quote at the end of the file is a MalformedCsvError."""
    with pytest.raises(MalformedCsvError):
        list(iter_services(services_csv(V_ROW.replace("COMPTA", '"COMPTA'))))


def test_duplicate_structure_refused_with_line() -> None:
    """The same SIRET twice raises DuplicateEntryError at the second line."""
    with pytest.raises(DuplicateEntryError) as info:
        read_directory(structures_csv(S_ROW, S_ROW))
    assert info.value.line == 3


def test_duplicate_service_refused() -> None:
    """The same (SIRET, code service) twice raises DuplicateEntryError."""
    with pytest.raises(DuplicateEntryError) as info:
        read_directory(structures_csv(S_ROW), services_csv(V_ROW, V_ROW))
    assert info.value.key == f"{SIRET}/COMPTA"


def test_lenient_load_collects_every_bad_row() -> None:
    """In lenient mode, each malformed row is reported with its line and the rest loads."""
    d = read_directory(
        structures_csv(S_ROW, S_ROW.replace("1;", "9;", 1), S_ROW),
        services_csv(V_ROW, V_ROW.replace(";true;true;", ";vrai;true;"), "a;b"),
        lenient=True,
    )
    errors = d.load_report.errors
    assert [(type(e), e.line) for e in errors] == [
        (FieldValueError, 3), (DuplicateEntryError, 4), (FieldValueError, 3), (RowLengthError, 4),
    ]
    assert len(d) == 1 and d.service_count == 1
    assert not d.load_report.ok


def test_write_latin1_refuses_unencodable() -> None:
    """Writing a character Latin-1 cannot hold raises DirectoryError."""
    with pytest.raises(DirectoryError):
        write_structures([Structure(SIRET, "Œuvre €")], encoding="latin-1")


def test_write_services_refuses_dropping_dates() -> None:
    """Validity dates cannot be written to the export unless dropping them is asked for."""
    from datetime import date

    sv = Service(SIRET, "S1", structure_name="MAIRIE", valid_from=date(2024, 1, 1))
    with pytest.raises(DirectoryError):
        write_services([sv])
    assert next(iter_services(write_services([sv], drop_dates=True))).valid_from is None


def test_lenient_load_continues_after_csv_syntax_error() -> None:
    """A CSV syntax error mid-file is reported with its line in lenient mode; later rows load."""
    broken = V_ROW.replace("COMPTA", '"COM"PTA')
    d = read_directory(structures_csv(S_ROW),
                       services_csv(broken, V_ROW.replace("COMPTA", "PAIE")), lenient=True)
    assert [(type(e), e.line) for e in d.load_report.errors] == [(MalformedCsvError, 2)]
    assert d.service(SIRET, "PAIE") is not None


def test_on_error_callback_receives_each_bad_row() -> None:
    """iter_services hands each bad row's error to on_error and yields the good rows."""
    seen: list[DirectoryError] = []
    rows = list(iter_services(services_csv(V_ROW.replace(";true;true;", ";2;true;"), V_ROW),
                              on_error=seen.append))
    assert [sv.code for sv in rows] == ["COMPTA"]
    assert [(e.line, getattr(e, "column", None)) for e in seen] == [(2, "GestionEGMT")]


def test_lenient_unterminated_quote_at_end_is_reported_once() -> None:
    """An unterminated quote at the end of the file is reported once in lenient mode."""
    d = read_directory(structures_csv(S_ROW),
                       services_csv(V_ROW, V_ROW.replace("COMPTA", '"PAIE')), lenient=True)
    assert [type(e) for e in d.load_report.errors] == [MalformedCsvError]
    assert d.service_count == 1


def test_oversized_field_is_malformed_csv() -> None:
    """A field beyond the csv module's size limit is a MalformedCsvError with its line."""
    huge = V_ROW.replace("Comptabilité", "x" * 200_000)
    with pytest.raises(MalformedCsvError) as info:
        list(iter_services(services_csv(V_ROW, huge)))
    assert info.value.line == 3


def test_reading_is_streaming() -> None:
    """The first record is yielded before the source iterable is exhausted."""
    consumed = []

    def lines() -> Iterator[str]:
        for line in services_csv(V_ROW, V_ROW.replace("COMPTA", "PAIE")).splitlines(True):
            consumed.append(line)
            yield line

    first = next(iter_services(lines()))
    assert first.code == "COMPTA" and len(consumed) == 2


# ---------------------------------------------------------------- hostile input (issue 12)


def test_latin1_bytes_read_as_utf8_is_a_typed_error_with_its_line() -> None:
    """Latin-1 bytes read with encoding="utf-8" raise EncodingError at the line of the bytes."""
    data = services_csv(V_ROW, V_ROW.replace("Comptabilité", "Trésorerie")).encode("latin-1")
    with pytest.raises(EncodingError) as caught:
        read_directory(structures_csv(S_ROW).encode(), data, encoding="utf-8")
    assert isinstance(caught.value, DirectoryError) and caught.value.line == 2
    assert "not valid utf-8" in str(caught.value)


def test_an_unknown_encoding_is_a_typed_error() -> None:
    """encoding="x-nope" raises EncodingError naming the codec, not LookupError."""
    with pytest.raises(EncodingError, match="x-nope"):
        read_directory(structures_csv(S_ROW).encode(), encoding="x-nope")


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib"])
@pytest.mark.parametrize("where", ["bytes", "str", "lines"])
def test_a_codec_that_is_no_text_encoding_is_a_typed_error(encoding: str, where: str) -> None:
    """A codec that does not decode bytes to text (rot13, base64…) raises EncodingError, not
    LookupError (found by tests/test_fuzz.py)."""
    text = structures_csv(S_ROW)
    source = {"bytes": text.encode(), "str": text, "lines": [text.encode()]}[where]
    with pytest.raises(EncodingError):
        read_directory(source, encoding=encoding)  # type: ignore[arg-type]


@pytest.mark.parametrize(("encoding", "where"), [
    ("utf-16", "bytes"), ("punycode", "bytes"), ("undefined", "bytes"),
    ("punycode", "lines"), ("undefined", "lines"),
])
def test_a_codec_error_without_position_is_a_typed_error(encoding: str, where: str) -> None:
    """A codec failing with its own UnicodeError (UTF-16 without BOM, punycode, 'undefined')
    rather than a UnicodeDecodeError raises EncodingError at a line ≥ 1 (found by
    tests/test_fuzz.py)."""
    data = structures_csv(S_ROW).encode()
    with pytest.raises(EncodingError) as caught:
        read_directory(data if where == "bytes" else [data], encoding=encoding)
    assert caught.value.line is not None and caught.value.line >= 1


def test_an_encoding_that_is_not_a_name_is_a_typed_error() -> None:
    """An encoding given as something else than a codec name raises EncodingError."""
    with pytest.raises(EncodingError):
        read_directory(structures_csv(S_ROW).encode(), encoding=8)  # type: ignore[arg-type]


@pytest.mark.parametrize("where", ["bytes", "str", "lines"])
def test_a_nul_inside_a_field_is_malformed_csv(where: str) -> None:
    """A NUL inside a field gives MalformedCsvError at its line, whatever the input kind."""
    text = structures_csv(S_ROW.replace(SIRET, SIRET[:5] + "\0" + SIRET[5:]))
    data: object = {"bytes": text.encode(), "str": text,
                    "lines": text.splitlines(keepends=True)}[where]
    with pytest.raises(MalformedCsvError) as caught:
        read_directory(data)  # type: ignore[arg-type]
    assert caught.value.line == 2


def test_a_nul_row_is_set_aside_in_lenient_mode() -> None:
    """In lenient mode the row holding a NUL is set aside and the next rows load."""
    other = S_ROW.replace(SIRET, "11000201100044")
    text = structures_csv(S_ROW.replace("MAIRIE", "MAI\0RIE"), other)
    d = read_directory(text.encode(), lenient=True)
    assert list(d.structures) == ["11000201100044"]
    assert [(type(e), e.line) for e in d.load_report.errors] == [(MalformedCsvError, 2)]


def test_a_file_mixing_utf8_and_latin1_is_refused() -> None:
    """UTF-8 and Latin-1 lines in one file raise EncodingError instead of being garbled."""
    utf8 = services_csv(V_ROW).encode("utf-8")
    latin1 = (V_ROW.replace("COMPTA", "TRESO").replace("Comptabilité", "Trésorerie")
              + "\n").encode("latin-1")
    with pytest.raises(EncodingError) as caught:
        read_directory(structures_csv(S_ROW).encode(), utf8 + latin1)
    assert caught.value.line == 3 and "line 2" in str(caught.value)


def test_a_mixed_file_reads_when_the_encoding_is_named() -> None:
    """Naming the encoding is the caller's decision: the mixed file then reads as told."""
    utf8 = services_csv(V_ROW).encode("utf-8")
    latin1 = (V_ROW.replace("COMPTA", "TRESO") + "\n").encode("latin-1")
    d = read_directory(structures_csv(S_ROW).encode(), utf8 + latin1, encoding="latin-1")
    service = d.service(SIRET, "COMPTA")
    assert service is not None and service.name == "ComptabilitÃ©"


def test_data_of_the_wrong_type_is_a_usage_error() -> None:
    """A source that is neither bytes, text nor lines raises UsageError naming ``data``."""
    with pytest.raises(UsageError) as caught:
        read_directory(42)  # type: ignore[arg-type]
    assert caught.value.argument == "data"


# ---------------------------------------------------------------- bounded memory


def test_lenient_load_keeps_a_capped_number_of_errors_and_counts_all() -> None:
    """A lenient load of many bad rows keeps the first max_errors and counts every one."""
    bad = [S_ROW.replace(";true;;", ";vrai;;")] * 50
    d = read_directory(structures_csv(*bad), lenient=True, max_errors=10)
    report = d.load_report
    assert (len(report.errors), report.error_count, report.errors_not_kept) == (10, 50, 40)
    assert [e.line for e in report.errors] == list(range(2, 12))
    assert not report.ok


def test_a_negative_error_cap_is_a_usage_error() -> None:
    """max_errors below zero raises UsageError naming the argument."""
    with pytest.raises(UsageError) as caught:
        read_directory(structures_csv(S_ROW), lenient=True, max_errors=-1)
    assert caught.value.argument == "max_errors"


def _streaming_peak(n: int) -> int:
    data, _ = generate_export(n, 0, seed=3)
    tracemalloc.start()
    try:
        for _ in iter_structures(data):
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_streaming_memory_does_not_grow_with_distinct_identifiers() -> None:
    """Streaming 8 times more distinct structures does not raise the peak memory noticeably."""
    small, large = _streaming_peak(2_000), _streaming_peak(16_000)
    assert large < small * 1.5 + 64 * 1024
