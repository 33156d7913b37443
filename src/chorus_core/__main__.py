"""``python -m chorus_core``: the command line (see :mod:`chorus_core.cli` and docs/cli.md)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
