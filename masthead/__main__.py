"""The ``masthead`` command: ``masthead ocr ...`` runs the OCR library's command line.

Kept free of Django so that the OCR command starts fast and works without a site.
"""

from __future__ import annotations

import sys

_USAGE = "usage: masthead ocr PATH... [options]   (run 'masthead ocr --help' for the options)"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        sys.stdout.write(_USAGE + "\n")
        return 0 if args else 2
    if args[0] == "ocr":
        from masthead.ocr.cli import main as ocr_main

        code: int = ocr_main(args[1:])
        return code
    sys.stderr.write(f"error: unknown command {args[0]!r}\n{_USAGE}\n")
    return 2


if __name__ == "__main__":
    sys.exit(main())
