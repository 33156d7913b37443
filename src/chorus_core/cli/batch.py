"""Folders on the command line: the documents found in one, and running a command over them.

:func:`documents` lists the files of a folder that the commands read (suffixes in
:data:`SUFFIXES`, at any depth, in sorted order); :func:`run` reads each one and hands its
bytes to :func:`chorus_core.cli.commands.process`, in this process or in a pool of ``jobs``
worker processes, with a tqdm progress bar on stderr when stderr is a terminal.  Results come
back in the order of the files.  A file that cannot be read (permissions, a broken disk) is a
record with an error, like a malformed document: the others go on.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from .commands import Options, Record, error_record, process

__all__ = ["SUFFIXES", "documents", "run"]

SUFFIXES = (".xml", ".pdf")
"""Suffixes of the files a folder is searched for (any case): XML documents and Factur-X PDFs.

ZIP and gzip files are not documents of any supported format at the top level (the PES
formats carry them inside the XML), so they are not picked up.
"""

_OPTIONS: Options | None = None
"""The options of the run, installed once in each worker process by :func:`_install`."""


def documents(folder: Path) -> list[Path]:
    """The files under ``folder`` whose suffix is in :data:`SUFFIXES`, sorted by path.

    >>> documents(Path("/nonexistent"))
    []
    """
    return sorted(p for p in folder.rglob("*")
                  if p.suffix.lower() in SUFFIXES and p.is_file())


def _install(options: Options) -> None:
    global _OPTIONS
    _OPTIONS = options


def _pooled(path: str, data: bytes) -> Record:
    assert _OPTIONS is not None, "the worker was started without its options"
    return process(_OPTIONS, path, data)


def _read(path: Path, label: str) -> bytes | Record:
    """The bytes of ``path``, or the error record of a file that cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return error_record(label, exc)


def _result(future: cf.Future[Record], label: str) -> Record:
    try:
        return future.result()
    except Exception as exc:  # a worker that died (killed, out of memory): the others go on
        return error_record(label, exc)


def _progress(total: int) -> tqdm[NoReturn]:
    return tqdm(total=total, file=sys.stderr, unit="file", leave=False,
                disable=total < 2 or not sys.stderr.isatty())


def run(options: Options, files: Sequence[tuple[Path, str]], jobs: int = 1) -> list[Record]:
    """Process ``files`` (each a path and the label it is reported under), in order.

    ``jobs`` above 1 runs the documents in that many worker processes; at most a few
    documents per worker are read ahead, so a large folder is never held in memory at once.
    """
    with _progress(len(files)) as bar:
        if jobs <= 1 or len(files) < 2:
            return list(_serial(options, files, bar))
        return _parallel(options, files, jobs, bar)


def _serial(options: Options, files: Sequence[tuple[Path, str]], bar: tqdm[NoReturn]
            ) -> Iterator[Record]:
    for path, label in files:
        data = _read(path, label)
        yield data if isinstance(data, Record) else process(options, label, data)
        bar.update()


def _parallel(options: Options, files: Sequence[tuple[Path, str]], jobs: int,
              bar: tqdm[NoReturn]) -> list[Record]:
    results: list[Record] = []
    pending: dict[cf.Future[Record], int] = {}

    def collect(futures: Iterable[cf.Future[Record]]) -> None:
        for future in futures:
            index = pending.pop(future)
            results[index] = _result(future, files[index][1])
            bar.update()

    with cf.ProcessPoolExecutor(max_workers=jobs, initializer=_install,
                                initargs=(options,)) as pool:
        for index, (path, label) in enumerate(files):
            data = _read(path, label)
            results.append(data if isinstance(data, Record) else Record(path=label))
            if isinstance(data, Record):
                bar.update()
                continue
            pending[pool.submit(_pooled, label, data)] = index
            if len(pending) >= 4 * jobs:
                collect(cf.wait(pending, return_when=cf.FIRST_COMPLETED).done)
        collect(list(cf.as_completed(pending)))
    return results
