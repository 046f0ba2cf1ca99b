"""Start the web app: `python app.py [--host HOST] [--port PORT]` (env RAG_HOST, RAG_PORT).

A thin entry point; the app is `rag.ui` (also started by `rag serve`).
"""

from __future__ import annotations

import argparse
import logging
import sys

from rag.config import Config
from rag.errors import RagError


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Serve the policy interview Q&A app in the browser.")
    p.add_argument("--host", help="address to bind (default 127.0.0.1, env RAG_HOST)")
    p.add_argument("--port", type=int, help="port (default 7860, env RAG_PORT)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("rag").setLevel(logging.INFO)  # progress and the address; other libraries only warn
    try:
        from rag.ui import launch

        launch(Config.from_env(host=args.host, port=args.port))
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
