"""Start the web app: `python app.py [flags]`, the same as `rag serve [flags]`.

A thin entry point: the flags are parsed by `rag serve`'s own parser (rag.cli), so
`python app.py --document F --index-dir D --port 8000` works as the README says.
"""

from __future__ import annotations

import sys

from rag.cli import main as rag_main


def main(argv: list[str] | None = None) -> int:
    return rag_main(["serve", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
