"""Limits are validated, applied per thread or task by using_limits, and undone after the block."""

from __future__ import annotations

import asyncio
import threading

import pytest

import chorus_core
from chorus_core.errors import UsageError, XMLLimitError
from chorus_core.limits import DEFAULT_LIMITS, Limits, capped, current_limits, using_limits
from chorus_core.xml import parse_xml


@pytest.mark.parametrize("value", [0, -1, 1.5, "10", True, None])
def test_fields_must_be_positive_integers(value: object) -> None:
    """A limit that is not a positive integer is a UsageError naming the field."""
    with pytest.raises(UsageError) as info:
        Limits(max_elements=value)  # type: ignore[arg-type]
    assert info.value.argument == "max_elements"


def test_depth_cannot_exceed_what_libxml2_parses() -> None:
    """max_depth above 2048 would never be honoured: refused."""
    assert Limits(max_depth=2048).max_depth == 2048
    with pytest.raises(UsageError):
        Limits(max_depth=2049)


def test_unknown_field_is_a_usage_error() -> None:
    """using_limits(max_dept=…) is a typo, not a silent no-op."""
    with pytest.raises(UsageError) as info, using_limits(max_dept=3):
        pass
    assert info.value.argument == "max_dept"


def test_using_limits_applies_to_the_public_api_and_is_undone() -> None:
    """read() honours the block's limits; after the block (even on error) the default is back."""
    data = b"<a>" + b"<b/>" * 50 + b"</a>"
    with using_limits(max_elements=10), pytest.raises(XMLLimitError):
        chorus_core.read(data)
    assert current_limits() is DEFAULT_LIMITS
    with pytest.raises(chorus_core.UnknownFormatError):  # parsed, then not an invoice
        chorus_core.read(data)


def test_blocks_nest_and_explicit_limits_win() -> None:
    """An inner block starts from the outer one; an explicit limits= argument overrides both."""
    with using_limits(max_depth=10):
        with using_limits(max_elements=5) as inner:
            assert (inner.max_depth, inner.max_elements) == (10, 5)
        assert current_limits().max_elements == DEFAULT_LIMITS.max_elements
        assert parse_xml(b"<a>" * 20 + b"</a>" * 20, limits=Limits()).tag == "a"


def test_limits_do_not_leak_into_other_threads() -> None:
    """A block in one thread leaves another thread's limits at the default."""
    seen: list[Limits] = []
    inside, done = threading.Event(), threading.Event()

    def other() -> None:
        inside.wait()
        seen.append(current_limits())
        done.set()

    thread = threading.Thread(target=other)
    thread.start()
    with using_limits(max_depth=3):
        inside.set()
        done.wait()
    thread.join()
    assert seen == [DEFAULT_LIMITS]


def test_limits_follow_asyncio_tasks() -> None:
    """Each task sees its own block."""
    async def task(depth: int) -> int:
        with using_limits(max_depth=depth):
            await asyncio.sleep(0)
            return current_limits().max_depth

    async def main() -> list[int]:
        return list(await asyncio.gather(task(5), task(7)))

    assert asyncio.run(main()) == [5, 7]


def test_defaults_admit_chorus_pro_attachments() -> None:
    """100 MB attachments pass the defaults: base64 text and decoded size both fit."""
    hundred_mb = 100 * 1000 * 1000
    assert DEFAULT_LIMITS.max_attachment_bytes >= hundred_mb
    assert DEFAULT_LIMITS.max_attachment_text_length >= (hundred_mb + 2) // 3 * 4 * 78 // 76
    assert DEFAULT_LIMITS.max_document_bytes > DEFAULT_LIMITS.max_attachment_text_length
    assert chorus_core.Limits is Limits


def test_security_md_examples_run() -> None:
    """The code in SECURITY.md (how to raise the limits) runs as shown."""
    import doctest
    from pathlib import Path

    page = Path(__file__).resolve().parent.parent / "SECURITY.md"
    result = doctest.testfile(str(page), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 and result.failed == 0


def test_capped_keeps_the_first_items_and_counts_the_rest() -> None:
    """capped() keeps max_findings items (or the limit given) and counts, not keeps, the rest."""
    assert capped(iter(range(2500))) == (tuple(range(1000)), 1500)
    with using_limits(max_findings=3):
        assert capped(x * x for x in range(10)) == ((0, 1, 4), 7)
    assert capped([], 5) == ((), 0)
    assert capped("abc", 3) == (("a", "b", "c"), 0)
