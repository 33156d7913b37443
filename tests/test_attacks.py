"""Attack corpus: every hostile input, generated here, gives its typed ChorusError within one
second and bounded memory through every public entry point; nothing leaks, nothing connects.

tests/test_robustness.py sweeps junk and broken documents; this file holds the attacks and
measures each one: wall time, and peak memory (resident set of the process, libxml2's own
allocations included, on Linux; tracemalloc elsewhere and for the pure-Python archive helpers).
"""

from __future__ import annotations

import io
import re
import socket
import struct
import sys
import threading
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import chorus_core
from chorus_core.errors import (
    AttachmentError,
    CalculationError,
    ChorusError,
    MalformedXMLError,
    ReadError,
    XMLLimitError,
)
from chorus_core.formats import FORMATS, pes_status, validate_xsd
from chorus_core.model.totals import with_totals
from chorus_core.xml.packing import b64decode, b64encode, gunzip, unzip_single

UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
ROOT = (f"<Invoice xmlns='{UBL}Invoice-2' xmlns:cac='{UBL}CommonAggregateComponents-2' "
        f"xmlns:cbc='{UBL}CommonBasicComponents-2'>")
SECONDS = 1.0
MIB = 1024 * 1024

ENTRY_POINTS: dict[str, Callable[[Any], Any]] = {
    "read": chorus_core.read,
    "detect_format": chorus_core.detect_format,
    "convert-to-ubl": lambda data: chorus_core.convert(data, to="ubl"),
    "convert-to-cii": lambda data: chorus_core.convert(data, to="cii"),
    "validate_xsd": lambda data: validate_xsd(data, "ubl", schema_dir="/nonexistent"),
    **{f"{name}.read": module.read for name, module in FORMATS.items()},
    "pes_status.read": pes_status.read,
}


# -- measuring ---------------------------------------------------------------------------------

_STATUS = Path("/proc/self/status")


def _rss_kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    assert match, field
    return int(match.group(1))


def _can_reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


RSS = sys.platform == "linux" and _can_reset_peak()


def bounded(call: Callable[[], object], *, python_only: bool = False) -> tuple[
        ChorusError, float, int]:
    """Run ``call``, which must raise a ChorusError: the error, the seconds, the peak bytes.

    The peak is the growth of the resident set over its value before the call (the kernel's
    high-water mark is reset first), or tracemalloc's peak for pure-Python work.
    """
    use_rss = RSS and not python_only
    if use_rss:
        Path("/proc/self/clear_refs").write_text("5")
        before = _rss_kib("VmRSS")
    else:
        tracemalloc.start()
    start = time.perf_counter()
    try:
        call()
    except ChorusError as exc:
        error = exc
    else:
        pytest.fail("no error raised")
    finally:
        elapsed = time.perf_counter() - start
        if use_rss:
            peak = (_rss_kib("VmHWM") - before) * 1024
        else:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    return error, elapsed, peak


# -- the hostile documents -----------------------------------------------------------------------


class Listener:
    """A local TCP port that records every connection: a fetch would show up here."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen()
        self.socket.settimeout(0.1)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


SECRET = "chorus-attack-secret-8d1f"


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("attacks") / "secret.txt"
    path.write_text(SECRET)
    return path


def _laughs(levels: int = 9) -> bytes:
    entities = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, levels + 1)]
    return (f"<?xml version='1.0'?><!DOCTYPE Invoice [{''.join(entities)}]>{ROOT}"
            f"<cbc:ID>&l{levels};</cbc:ID></Invoice>").encode()


def _quadratic() -> bytes:
    # one 100 kB entity referenced 20,000 times: 2 GB if expanded, without any nesting
    return (f"<!DOCTYPE Invoice [<!ENTITY a '{'a' * 100_000}'>]>{ROOT}<cbc:Note>"
            f"{'&a;' * 20_000}</cbc:Note></Invoice>").encode()


def _documents(secret: Path, port: int) -> dict[str, tuple[bytes | str, type[ChorusError], str]]:
    """name: (document, exact error type, the limit named or '')."""
    url = f"http://127.0.0.1:{port}"
    return {
        "billion-laughs": (_laughs(), MalformedXMLError, ""),
        "quadratic-blowup": (_quadratic(), MalformedXMLError, ""),
        "external-entity-file": ((
            f"<!DOCTYPE Invoice [<!ENTITY x SYSTEM '{secret.as_uri()}'>]>{ROOT}"
            "<cbc:ID>&x;</cbc:ID></Invoice>").encode(), MalformedXMLError, ""),
        "external-entity-url": ((
            f"<!DOCTYPE Invoice [<!ENTITY x SYSTEM '{url}/entity'>]>{ROOT}"
            "<cbc:ID>&x;</cbc:ID></Invoice>").encode(), MalformedXMLError, ""),
        "parameter-entity-url": ((
            f"<!DOCTYPE Invoice [<!ENTITY % p SYSTEM '{url}/p.dtd'> %p;]>{ROOT}"
            "</Invoice>").encode(), MalformedXMLError, ""),
        "external-dtd": ((
            f"<!DOCTYPE Invoice SYSTEM '{url}/invoice.dtd'>{ROOT}</Invoice>").encode(),
            MalformedXMLError, ""),
        "xinclude-file": ((
            f"{ROOT}<cbc:Note><xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
            f"href='{secret.as_uri()}' parse='text'/></cbc:Note></Invoice>").encode(),
            MalformedXMLError, ""),
        "xinclude-url": ((
            f"{ROOT}<xi:include xmlns:xi='http://www.w3.org/2001/XInclude' "
            f"href='{url}/part.xml'/></Invoice>").encode(), MalformedXMLError, ""),
        "deep-nesting-100000": (
            ROOT.encode() + b"<cbc:Note>" * 100_000 + b"</cbc:Note>" * 100_000 + b"</Invoice>",
            XMLLimitError, "max_depth"),
        "text-node-50-MB": (
            ROOT.encode() + b"<cbc:Note>" + b"x" * (50 * MIB) + b"</cbc:Note></Invoice>",
            XMLLimitError, "max_text_length"),
        "attribute-11-MB": (
            ROOT.encode() + b"<cbc:Note languageID='" + b"x" * (11 * MIB) + b"'/></Invoice>",
            XMLLimitError, "max_text_length"),
        "million-elements": (
            ROOT.encode() + b"<a/>" * 1_100_000 + b"</Invoice>", XMLLimitError, "max_elements"),
        "invalid-utf-8": (
            (ROOT + "<cbc:ID>F-\xe9</cbc:ID></Invoice>").encode("latin-1"),
            MalformedXMLError, ""),
        "declared-utf-16-but-utf-8": (
            f"<?xml version='1.0' encoding='UTF-16'?>{ROOT}</Invoice>".encode(),
            MalformedXMLError, ""),
        "declared-latin-1-after-utf-8-bom": (
            b"\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?>" + ROOT.encode()
            + b"</Invoice>", MalformedXMLError, ""),
        "declared-latin-1-in-utf-16": (
            f"<?xml version='1.0' encoding='ISO-8859-1'?>{ROOT}</Invoice>".encode("utf-16"),
            MalformedXMLError, ""),
        "unknown-encoding": (
            f"<?xml version='1.0' encoding='x-nope'?>{ROOT}</Invoice>".encode(),
            MalformedXMLError, ""),
        "lone-surrogate-str": (
            f"{ROOT}<cbc:ID>F-\ud800</cbc:ID></Invoice>", MalformedXMLError, ""),
    }


ATTACKS = list(_documents(Path("/x"), 0))


@pytest.fixture(scope="module")
def documents(secret_file: Path, listener: Listener) -> dict[
        str, tuple[bytes | str, type[ChorusError], str]]:
    return _documents(secret_file, listener.port)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("attack", ATTACKS)
def test_attack_gives_its_typed_error_in_bounded_time_and_memory(
    attack: str, entry: str, documents: dict[str, tuple[bytes | str, type[ChorusError], str]],
    listener: Listener,
) -> None:
    """The attack is refused with its exact error type, in under a second, within a memory
    bound, without a network connection and without the secret file in the message."""
    data, kind, limit = documents[attack]
    error, seconds, peak = bounded(lambda: ENTRY_POINTS[entry](data))
    assert type(error) is kind, error
    if limit:
        assert isinstance(error, XMLLimitError) and error.limit == limit
    assert seconds < SECONDS, f"{seconds:.2f} s"
    # the tree of a refused document, at most: twice its size and 64 MiB of working space
    assert peak < 2 * len(data) + 64 * MIB, f"{peak / MIB:.0f} MiB"
    assert SECRET not in str(error)
    assert listener.connections == 0


def test_positions_reach_the_caller() -> None:
    """Syntax attacks keep their line and column through read()."""
    with pytest.raises(MalformedXMLError) as info:
        chorus_core.read(f"{ROOT}\n<cbc:ID>F-\ud800</cbc:ID></Invoice>")
    assert (info.value.line, info.value.column) == (2, 11)
    with pytest.raises(MalformedXMLError) as info:
        chorus_core.read((ROOT + "\n\n<cbc:ID>\xe9</cbc:ID></Invoice>").encode("latin-1"))
    assert info.value.line == 3 and info.value.column is not None


def test_a_50_megabyte_attachment_is_not_an_attack() -> None:
    """The same 50 MB in an attachment element is read: the limit spares attachments."""
    import base64

    blob = bytes(range(256)) * (37 * MIB // 256)
    data = (ROOT + "<cbc:ID>1</cbc:ID><cac:AdditionalDocumentReference><cbc:ID>PJ</cbc:ID>"
            "<cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode='application/pdf' "
            "filename='a.pdf'>").encode() + base64.b64encode(blob) + (
            b"</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>"
            b"</cac:AdditionalDocumentReference></Invoice>")
    assert len(data) > 50 * 1000 * 1000
    invoice = chorus_core.read(data)
    assert invoice.supporting_documents[0].attached_document == blob


# -- amounts and dates -----------------------------------------------------------------------------


def _line(quantity: str, price: str) -> bytes:
    return (f"{ROOT}<cbc:ID>1</cbc:ID><cac:InvoiceLine><cbc:ID>1</cbc:ID>"
            f"<cbc:InvoicedQuantity unitCode='C62'>{quantity}</cbc:InvoicedQuantity>"
            "<cac:Price><cbc:PriceAmount currencyID='EUR'>"
            f"{price}</cbc:PriceAmount></cac:Price></cac:InvoiceLine></Invoice>").encode()


@pytest.mark.parametrize(("quantity", "price"), [
    ("1e999999", "1"), ("1", "NaN"), ("Infinity", "1"), ("1", "1" + "0" * 300),
])
def test_amounts_that_are_not_decimals_are_read_errors(quantity: str, price: str) -> None:
    """Exponents, NaN, infinity and 300 digits: ReadError naming the term, quickly."""
    error, seconds, _ = bounded(lambda: chorus_core.read(_line(quantity, price)))
    assert isinstance(error, ReadError) and error.bt in {"BT-129", "BT-146"}
    assert seconds < SECONDS


@pytest.mark.parametrize(("quantity", "price"), [
    ("-0", "0"), ("1234567890.123456789012345678901234567891", "-0.0000000000000000000001"),
    ("1" + "0" * 39, "99999999999999999999.9999999999999999999"),
])
def test_odd_but_valid_amounts_give_totals(quantity: str, price: str) -> None:
    """-0 and 40-digit decimals read, and their totals compute exactly to the cent."""
    invoice = with_totals(chorus_core.read(_line(quantity, price)))
    assert invoice.totals is not None and invoice.totals.amount_due_for_payment is not None
    assert invoice.totals.amount_due_for_payment.as_tuple().exponent == -2


def test_a_quantity_too_large_to_total_is_a_typed_error() -> None:
    """A 150-digit quantity reads, and its total is a CalculationError naming BT-131."""
    invoice = chorus_core.read(_line("9" * 150, "1"))
    error, seconds, _ = bounded(lambda: with_totals(invoice))
    assert isinstance(error, CalculationError) and error.bt == "BT-131"
    assert seconds < SECONDS


@pytest.mark.parametrize("date", ["2026-02-30", "2026-13-01", "0000-01-01", "2026-1-1"])
def test_impossible_dates_are_read_errors(date: str) -> None:
    """A date that does not exist is a ReadError naming BT-2."""
    data = f"{ROOT}<cbc:ID>1</cbc:ID><cbc:IssueDate>{date}</cbc:IssueDate></Invoice>".encode()
    with pytest.raises(ReadError) as info:
        chorus_core.read(data)
    assert info.value.bt == "BT-2"


# -- archive bombs -----------------------------------------------------------------------------


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of ``size`` zero bytes, built in milliseconds, and their CRC-32.

    Each MiB is compressed after a full flush, so that every block is the same bytes: the
    stream is repeated rather than computed (1 GiB of zeros in about 1 MB).
    """
    mib = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(mib) + compressor.flush(zlib.Z_FULL_FLUSH)
    last = compressor.compress(mib) + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(mib, crc)
    return first + block * (size // MIB - 2) + last, crc


def _zip_of_deflated(name: str, deflated: bytes, size: int, crc: int, *,
                     declared: int | None = None) -> bytes:
    """A one-entry ZIP around ready-made deflate data; ``declared`` may lie about the size."""
    raw_name, usize, date = name.encode(), size if declared is None else declared, 33  # 1980-01-01
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, date, crc,
                        len(deflated), usize, len(raw_name), 0) + raw_name
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 3, 20, 0, 0, 8, 0, date, crc,
                          len(deflated), usize, len(raw_name), 0, 0, 0, 0, 0o100644 << 16,
                          0) + raw_name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central),
                      len(local) + len(deflated), 0)
    return local + deflated + central + end


@pytest.fixture(scope="module")
def gigabyte_of_zeros() -> tuple[bytes, int]:
    deflated, crc = _deflated_zeros(1024 * MIB)
    return deflated, crc


def test_the_generated_bomb_is_a_real_gigabyte(gigabyte_of_zeros: tuple[bytes, int]) -> None:
    """The ZIP bomb is a valid archive of 1 GiB: zipfile lists it and its first MiB is zeros."""
    deflated, crc = gigabyte_of_zeros
    archive = _zip_of_deflated("zeros.pdf", deflated, 1024 * MIB, crc)
    with zipfile.ZipFile(io.BytesIO(archive)) as check:
        (entry,) = check.infolist()
        assert entry.file_size == 1024 * MIB and len(archive) < 2 * MIB
        with check.open(entry) as stream:
            assert stream.read(MIB) == bytes(MIB)


@pytest.mark.parametrize("declared", ["honest", "lying"])
def test_zip_bomb_is_refused_while_streaming(
    gigabyte_of_zeros: tuple[bytes, int], declared: str
) -> None:
    """1 GiB of zeros in a ZIP: refused within a second and a few MiB, whether its header
    declares 1 GiB (size) or 1 kB (ratio, found while decompressing)."""
    deflated, crc = gigabyte_of_zeros
    archive = _zip_of_deflated("zeros.pdf", deflated, 1024 * MIB, crc,
                               declared=1000 if declared == "lying" else None)
    error, seconds, peak = bounded(lambda: unzip_single(archive), python_only=True)
    assert isinstance(error, AttachmentError)
    assert error.reason == ("size" if declared == "honest" else "ratio")
    assert seconds < SECONDS and peak < 8 * MIB


def test_zip_bomb_in_base64_as_in_a_pivot(gigabyte_of_zeros: tuple[bytes, int]) -> None:
    """The pivot path (base64, then ZIP) refuses the lying bomb the same way."""
    deflated, crc = gigabyte_of_zeros
    text = b64encode(_zip_of_deflated("PJ.pdf", deflated, 1024 * MIB, crc, declared=1))
    error, seconds, peak = bounded(
        lambda: unzip_single(b64decode(text), expected_name="PJ.pdf"), python_only=True)
    assert isinstance(error, AttachmentError) and error.reason == "ratio"
    assert seconds < SECONDS and peak < 3 * len(text) + 8 * MIB


def test_nested_zip_is_refused() -> None:
    """A ZIP whose one entry is a ZIP (of a bomb, here) is refused before going deeper."""
    deflated, crc = _deflated_zeros(64 * MIB)
    inner = _zip_of_deflated("zeros.pdf", deflated, 64 * MIB, crc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as outer:
        outer.writestr("PJ.pdf", inner)
    error, seconds, peak = bounded(lambda: unzip_single(buffer.getvalue()), python_only=True)
    assert isinstance(error, AttachmentError) and error.reason == "nested"
    assert seconds < SECONDS and peak < 8 * MIB


def test_two_file_zip_is_refused() -> None:
    """A pivot PJ with a second, hidden file: reason entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("PJ.pdf", b"%PDF-1.7")
        archive.writestr("payload.exe", b"MZ")
    error, seconds, _ = bounded(lambda: unzip_single(buffer.getvalue(), expected_name="PJ.pdf"),
                                python_only=True)
    assert isinstance(error, AttachmentError) and error.reason == "entries"
    assert seconds < SECONDS


def test_gzip_bomb_is_refused_while_streaming(gigabyte_of_zeros: tuple[bytes, int]) -> None:
    """1 GiB of zeros gzipped, as in a PES_PJ Fichier: refused by the ratio after about 1 MiB,
    within a second and a few MiB."""
    deflated, crc = gigabyte_of_zeros
    stream = (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflated + crc.to_bytes(4, "little")
              + (1024 * MIB % 2**32).to_bytes(4, "little"))
    text = b64encode(stream)
    error, seconds, peak = bounded(lambda: gunzip(b64decode(text)), python_only=True)
    assert isinstance(error, AttachmentError) and error.reason == "ratio"
    assert seconds < SECONDS and peak < 3 * len(text) + 8 * MIB
