"""The command line of chorus_core (``chorus-core``, ``python -m chorus_core``).

A thin edge over the library: it reads files (or stdin), calls the library functions, and
prints text or one JSON document.  :func:`main` builds the parser and runs one command; every
:class:`~chorus_core.errors.ChorusError` is caught here and printed as one message, in English
and in French when the error carries it, never as a traceback.  The commands on documents live
in :mod:`chorus_core.cli.commands`, folders in :mod:`chorus_core.cli.batch`, the options in
:mod:`chorus_core.cli.parser`, rendering in :mod:`chorus_core.cli.output`, the lifecycle in
:mod:`chorus_core.cli.status` and the demo in :mod:`chorus_core.cli.demo`; ``docs/cli.md`` is
the guide.

>>> main(["detect", "/nonexistent.xml"])
2
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..directory import Directory, read_directory
from ..errors import ChorusError, UsageError
from ..workflow import Actor
from ..workflow.diagram import mermaid, transitions_markdown
from . import batch, output
from .commands import Options, Record, process
from .demo import run_demo
from .parser import build_parser
from .status import status_of, status_result

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
"""Every document was handled and nothing blocking was found."""
EXIT_FINDINGS = 1
"""A document could not be read, has blocking findings, or lost terms under ``--strict``."""
EXIT_USAGE = 2
"""The command line itself is wrong: an unknown option or format, a missing file."""


def _prog() -> str:
    """How the program was invoked: ``python -m chorus_core`` or the console script."""
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else Path()
    module = script.name == "__main__.py" and script.parent.name == "chorus_core"
    return "python -m chorus_core" if module else "chorus-core"


@dataclass
class _Out:
    """Where a run prints: standard output and error, and the program name for messages."""

    prog: str
    stdout: TextIO
    stderr: TextIO

    def say(self, line: str = "") -> None:
        print(line, file=self.stdout)

    def warn(self, line: str) -> None:
        print(line, file=self.stderr)

    def error(self, message_en: str, message_fr: str | None = None) -> None:
        self.warn(f"{self.prog}: error: {message_en}")
        if message_fr:
            self.warn(f"{self.prog}: erreur : {message_fr}")


def _usage(message_en: str, message_fr: str, argument: str) -> UsageError:
    return UsageError(message_en, message_fr, argument=argument)


def _file(path: str, option: str) -> Path:
    """``path`` as an existing regular file, else a usage error naming ``option``."""
    p = Path(path)
    if not p.exists():
        raise _usage(f"{option}: no such file: {path}", f"{option} : fichier introuvable : {path}",
                     option)
    if not p.is_file():
        raise _usage(f"{option}: not a file: {path}", f"{option} : pas un fichier : {path}",
                     option)
    return p


def _directory(args: argparse.Namespace) -> Directory | None:
    structures = getattr(args, "structures", None)
    services = getattr(args, "services", None)
    if structures is None:
        if services is not None:
            raise _usage("--services needs --structures", "--services demande --structures",
                         "--services")
        return None
    data = _file(structures, "--structures").read_bytes()
    more = None if services is None else _file(services, "--services").read_bytes()
    return read_directory(data, more)


def _options(args: argparse.Namespace, directory: Directory | None) -> Options:
    if args.command != "validate":
        return Options(args.command, to=getattr(args, "to", None),
                       strict=getattr(args, "strict", False), directory=directory)
    profile = args.profile or ("chorus" if directory is not None else "en16931")
    if directory is not None and profile != "chorus":
        raise _usage("the directory checks belong to the chorus profile: use --profile chorus",
                     "les contrôles d'annuaire relèvent du profil chorus : --profile chorus",
                     "--profile")
    if args.schemas is not None and not Path(args.schemas).is_dir():
        raise _usage(f"--schemas: not a folder: {args.schemas}",
                     f"--schemas : pas un dossier : {args.schemas}", "--schemas")
    return Options("validate", profile=profile, today=args.today, schema_dir=args.schemas,
                   directory=directory)


def _inputs(args: argparse.Namespace, stdin: Callable[[], bytes]
            ) -> tuple[list[tuple[Path, str]] | bytes, Path | None]:
    """The files to process (path, label) or the bytes of stdin, and the folder given, if any."""
    if args.input == "-":
        return stdin(), None
    path = Path(args.input)
    if not path.exists():
        raise _usage(f"no such file or folder: {args.input}",
                     f"fichier ou dossier introuvable : {args.input}", "IN")
    if path.is_dir():
        return [(p, str(p)) for p in batch.documents(path)], path
    if not path.is_file():
        raise _usage(f"not a file: {args.input}", f"pas un fichier : {args.input}", "IN")
    return [(path, args.input)], None


def _check_output(args: argparse.Namespace, folder: Path | None) -> Path | None:
    """Where ``convert`` writes: None for stdout, else the file or folder (checked)."""
    target = getattr(args, "output", None)
    if args.command != "convert":
        return None
    if target in (None, "-"):
        if folder is not None:
            raise _usage("converting a folder needs --output FOLDER",
                         "convertir un dossier demande --output DOSSIER", "--output")
        if args.format == "json":
            raise _usage("with --format json the JSON document goes to stdout: give --output "
                         "PATH for the converted document",
                         "avec --format json, le document JSON va sur la sortie standard : "
                         "donner --output CHEMIN pour le document converti", "--output")
        return None
    out = Path(target)
    if folder is not None:
        if out.exists() and not out.is_dir():
            raise _usage(f"--output: not a folder: {target}", f"--output : pas un dossier : "
                         f"{target}", "--output")
        if out.resolve().is_relative_to(folder.resolve()):
            raise _usage("--output must be outside the folder converted",
                         "--output doit être hors du dossier converti", "--output")
        return out
    if out.is_dir():
        raise _usage(f"--output: a folder, a file is needed: {target}",
                     f"--output : un dossier, un fichier est attendu : {target}", "--output")
    if not out.parent.is_dir():
        raise _usage(f"--output: no such folder: {out.parent}",
                     f"--output : dossier introuvable : {out.parent}", "--output")
    return out


def _output_path(out: Path, folder: Path, label: str) -> Path:
    relative = Path(label).relative_to(folder)
    name = relative.with_suffix(".xml") if relative.suffix.lower() == ".xml" else (
        relative.with_name(relative.name + ".xml"))
    return out / name


def _write(records: list[Record], out: Path | None, folder: Path | None,
           stdout_bytes: Callable[[bytes], None]) -> None:
    for record in records:
        if record.data is None:
            continue
        if out is None:
            stdout_bytes(record.data)
            record.details["output"] = "-"
            continue
        target = out if folder is None else _output_path(out, folder, record.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(record.data)
        record.details["output"] = str(target)


def _documents(args: argparse.Namespace, io: _Out, streams: _Streams) -> int:
    directory = _directory(args)
    options = _options(args, directory)
    found, folder = _inputs(args, streams.read_stdin)
    out = _check_output(args, folder)
    if isinstance(found, bytes):
        records = [process(options, "-", found)]
    else:
        records = batch.run(options, found, args.jobs)
        if folder is not None and not found:
            io.warn(f"{io.prog}: warning: no document ({', '.join(batch.SUFFIXES)}) in "
                    f"{folder} / aucun document dans {folder}")
    _write(records, out, folder, streams.write_stdout)
    code = EXIT_FINDINGS if any(not r.ok for r in records) else EXIT_OK
    if args.format == "json":
        io.say(output.json_document(args.command, __version__, code,
                                    [r.as_json() for r in records], output.summary(records)))
    elif folder is not None:
        for line in output.folder_lines(records, args.command):
            io.say(line)
    else:
        _single(args.command, records[0], io)
    return code


def _single(command: str, record: Record, io: _Out) -> None:
    """The text output of one document: its error as a message, or the command's lines."""
    if record.error is not None:
        where = "" if record.path == "-" else f"{record.path}: "
        io.error(f"{where}{record.error['message']}", record.error.get("message_fr"))
    elif command == "detect":
        io.say(record.format or "")
    elif command == "convert":
        for line in output.loss_report_lines(record):
            io.warn(line)
    else:
        lines = output.validation_lines if command == "validate" else output.routing_lines
        for line in lines(record):
            io.say(line)


def _status(args: argparse.Namespace, io: _Out, streams: _Streams) -> int:
    if args.status is None:
        text = transitions_markdown() if args.table else mermaid()
        if args.format == "json":
            result: dict[str, Any] = {"ok": True, "diagram": mermaid(),
                                      "transitions": transitions_markdown()}
            io.say(output.json_document("status", __version__, EXIT_OK, [result], {}))
        else:
            io.say(text)
        return EXIT_OK
    status = status_of(args.status)
    actors = [Actor(args.actor)] if args.actor else list(Actor)
    result = status_result(status, actors)
    if args.format == "json":
        io.say(output.json_document("status", __version__, EXIT_OK, [result], {}))
        return EXIT_OK
    terminal = " — terminal" if result["terminal"] else ""
    code = "" if result["code"] is None else f" ({result['code']:02d})"
    io.say(f"{result['status']}{code}: {result['label_fr']} / {result['label_en']}{terminal}")
    for actor in actors:
        rows = result["actions"][actor.value]
        if args.actor is None and not rows:
            continue
        io.say(f"  {actor.value}:" + ("" if rows else " no action / aucune action"))
        for row in rows:
            needs = f" (requires {', '.join(row['requires'])})" if row["requires"] else ""
            io.say(f"    {row['action']} -> {row['target']}: {row['label_fr']}{needs}")
    if args.actor is None and not any(result["actions"].values()):
        io.say("  no action by anyone / aucune action possible")
    return EXIT_OK


def _demo(args: argparse.Namespace, io: _Out, streams: _Streams) -> int:
    if args.format == "json":
        raise _usage("demo prints text only", "demo n'affiche que du texte", "--format")
    return run_demo(io.say, args.today)


@dataclass
class _Streams:
    """The byte streams of a run: standard input read whole, standard output for documents."""

    read_stdin: Callable[[], bytes]
    write_stdout: Callable[[bytes], None]


def _stdout_bytes(data: bytes) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line on ``argv`` (default: ``sys.argv[1:]``); return the exit status.

    argparse's own errors (an unknown option or command) exit with status 2 through
    ``SystemExit``, as ``--help`` and ``--version`` exit with 0.
    """
    io = _Out(_prog(), sys.stdout, sys.stderr)
    args = build_parser(io.prog).parse_args(argv)
    streams = _Streams(lambda: sys.stdin.buffer.read(), _stdout_bytes)
    run = {"demo": _demo, "status": _status}.get(args.command, _documents)
    try:
        code = run(args, io, streams)
    except UsageError as exc:
        io.error(exc.message_en, exc.message_fr)
        return EXIT_USAGE
    except ChorusError as exc:
        io.error(getattr(exc, "message_en", None) or str(exc), getattr(exc, "message_fr", None))
        return EXIT_FINDINGS
    except OSError as exc:  # a file that cannot be read or written, a closed pipe
        if isinstance(exc, BrokenPipeError):
            _silence_stdout()
            return EXIT_FINDINGS
        io.error(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        io.warn(f"{io.prog}: interrupted / interrompu")
        return 130
    return code


def _silence_stdout() -> None:
    """After a closed pipe (``| head``), point stdout at /dev/null so the exit flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (captured output)
        pass
