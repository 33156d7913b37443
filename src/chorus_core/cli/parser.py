"""The argument parser of the command line: commands, options, help text and exit statuses.

Plain text only (no reST): the description and epilog are printed as written.  Option values
are checked here (a date, a format name, a number of processes), so a wrong one is argparse's
usage error, exit status 2.

>>> args = build_parser("chorus-core").parse_args(["convert", "f.xml", "--to", "CII"])
>>> (args.command, args.input, args.to, args.format)
('convert', 'f.xml', 'cii', 'text')
"""

from __future__ import annotations

import argparse
import datetime
import os

from .. import __version__
from ..formats import FORMATS
from ..workflow import Actor

__all__ = ["DESCRIPTION", "EPILOG", "build_parser"]

DESCRIPTION = """\
French public-sector e-invoicing (Chorus Pro, Helios) on the EN 16931 model:
detect, convert and validate UBL, CII and PES documents, show their Chorus Pro
routing and the invoice lifecycle.

IN is a file, a folder (every .xml and .pdf file in it, recursively) or - for
standard input."""

EPILOG = """\
exit status: 0 clean; 1 a document could not be read, has blocking findings
(fatal or error), or lost terms in a --strict conversion; 2 usage error (bad
option, unknown format, missing file).  Guide: docs/cli.md."""


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _format_name(text: str) -> str:
    name = text.lower()
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"unknown format {text!r} (choose from {', '.join(FORMATS)})")
    return name


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}")
    return jobs or os.cpu_count() or 1


def build_parser(prog: str) -> argparse.ArgumentParser:
    """The argument parser of the command line, its usage naming ``prog``.

    ``command`` names the command given; the options of each command are its attributes.
    """
    parser = argparse.ArgumentParser(
        prog=prog, description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="output: text for people (default) or one JSON document")
    # the same option after the command; SUPPRESS keeps the global one when it is not given
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--format", choices=("text", "json"), default=argparse.SUPPRESS,
                        help="output: text (default) or one JSON document")
    files = argparse.ArgumentParser(add_help=False, parents=[shared])
    files.add_argument("input", metavar="IN", help="a file, a folder, or - for standard input")
    files.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                       help="for a folder: N worker processes (0: one per CPU; default 1)")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--structures", metavar="CSV",
                       help="directory (annuaire) export of the structures, for routing checks")
    where.add_argument("--services", metavar="CSV",
                       help="directory export of the services (with --structures)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser("demo", parents=[shared], help="run the main job on a bundled example",
                          description="Run the main job of chorus_core on a bundled example.")
    demo.add_argument("--today", type=_date, help="date of the workflow part (YYYY-MM-DD)")

    sub.add_parser("detect", parents=[files], help="print the format of a document",
                   description="Print the format of each document.")

    conv = sub.add_parser("convert", parents=[files], help="convert a document to a format",
                          description="Convert documents; the terms the target loses are "
                                      "listed (on stderr in text mode).")
    conv.add_argument("--to", required=True, type=_format_name, metavar="FORMAT",
                      help=f"target format, any case: {', '.join(FORMATS)}")
    conv.add_argument("--output", "-o", metavar="PATH",
                      help="file to write (- or absent: stdout); a folder for a folder IN")
    conv.add_argument("--strict", action="store_true",
                      help="exit 1 when the conversion loses a term")

    val = sub.add_parser("validate", parents=[files, where], help="validate documents",
                         description="Validate documents: XSD (when the schemas are found), "
                                     "syntax, EN 16931 and the Chorus Pro profile.")
    val.add_argument("--profile", choices=("en16931", "chorus"),
                     help="rules to apply (default: chorus with a directory, else en16931)")
    val.add_argument("--today", type=_date,
                     help="deposit date for the Chorus Pro profile (default: today)")
    val.add_argument("--schemas", metavar="DIR", help="folder holding the official XSDs")

    sub.add_parser("route", parents=[files, where], help="show the Chorus Pro routing",
                   description="Show the Chorus Pro routing of documents (buyer SIRET, code "
                               "service, engagement, cadre), checked against a directory when "
                               "one is given.")

    status = sub.add_parser("status", parents=[shared], help="the invoice lifecycle",
                            description="Without STATUS, the lifecycle diagram (Mermaid); with "
                                        "one, the actions each actor may take from it.")
    status.add_argument("status", nargs="?", metavar="STATUS",
                        help="an API status name (any case) or a life-cycle code")
    status.add_argument("--actor", choices=[a.value for a in Actor],
                        help="only this actor's actions")
    status.add_argument("--table", action="store_true",
                        help="without STATUS: the Markdown table of transitions instead")
    return parser
