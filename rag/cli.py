"""The `rag` command: a thin layer that parses flags, calls the Engine, and prints.

    rag build [--force]            build or refresh the index
    rag ask "QUESTION" [--json]    answer one question; `rag ask --json -` reads stdin
    rag cite 2.4 [--json]          show a paragraph in context
    rag eval FILE [--baselines]    retrieval quality on an evaluation file
    rag serve                      start the web app
    rag add FILE... [--key KEY]    add documents to the library (.txt .md .docx .doc .wps .pdf .html)
    rag remove KEY                 take one out
    rag list [--json]              the documents in the library
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from typing import Sequence

from .errors import CitationError, RagError

log = logging.getLogger("rag")


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--model", help="embedding model: a sentence-transformers hub id or folder (env RAG_MODEL; "
                        "default: the bundled use-multilingual-v3)")
    common.add_argument("--index-dir", help="index folder (env RAG_INDEX_DIR)")
    common.add_argument("--document", help="document to answer from (env RAG_DOCUMENT; default: the bundled policy)")
    common.add_argument("--english", help="aligned English edition (.jsonl), or 'off' (env RAG_ENGLISH)")
    common.add_argument("--no-rebuild", action="store_true",
                        help="fail instead of rebuilding a missing or stale index (env RAG_REBUILD=0)")
    g = common.add_argument_group("generator (optional; see README)")
    g.add_argument("--generator", choices=("http", "llama", "none"),
                   help="http: an OpenAI-compatible server at --llm-url; llama: a local GGUF model (env RAG_GENERATOR)")
    g.add_argument("--answer", choices=("extractive", "generate"),
                   help="generate: a generated answer, each sentence verified (env RAG_ANSWER; default extractive)")
    g.add_argument("--llm-url", help="the server's base URL (env RAG_LLM_URL); its key comes from RAG_LLM_KEY only")
    g.add_argument("--llm-model", help="the server's model name, a pinned model name, or a .gguf path (env RAG_LLM_MODEL)")
    g.add_argument("--llm-sha256", help="SHA-256 of a .gguf file that is not pinned (env RAG_LLM_SHA256)")
    g.add_argument("--llm-timeout", type=float, help="seconds for one answer before the extractive one (env RAG_LLM_TIMEOUT)")
    g.add_argument("--judge", action="store_true", default=None,
                   help="let the local model refuse answers whose passages do not state what is asked; needs "
                        "--llm-model qwen2.5-coder-1.5b (env RAG_JUDGE=1)")
    common.add_argument("--doc", metavar="KEY", help="ask, cite or evaluate one document of the library (rag list)")
    common.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")

    p = argparse.ArgumentParser(prog="rag", description="Ask a Chinese employment or social-insurance policy document "
                                "questions in English or Chinese; answers cite the paragraphs they quote.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", parents=[common], help="build the index (done automatically when needed)")
    b.add_argument("--force", action="store_true", help="rebuild even if the index is current")

    a = sub.add_parser("ask", parents=[common], help="answer a question")
    a.add_argument("question", help="the question, or - to read one question a line from stdin")
    a.add_argument("--k", type=int, help="number of paragraphs to cite (default 3, env RAG_K)")
    a.add_argument("--json", action="store_true", help="print JSON (one object a line with -)")

    c = sub.add_parser("cite", parents=[common], help="show a paragraph in context by id (§2.4, 2.4 or 2-4)")
    c.add_argument("id")
    c.add_argument("--json", action="store_true")

    e = sub.add_parser("eval", parents=[common], help="Recall@1/3 and MRR per language on an evaluation file")
    e.add_argument("files", nargs="+", metavar="FILE.jsonl")
    e.add_argument("--baselines", action="store_true", help="also run dense-only, BM25-only and chunking baselines")
    e.add_argument("--misses", action="store_true", help="list the ids of questions missed at 3")

    ad = sub.add_parser("add", parents=[common], help="add documents to the library and index them")
    ad.add_argument("files", nargs="+", metavar="FILE")
    ad.add_argument("--key", help="the document's short key (default: from its file name); one file only")
    rm = sub.add_parser("remove", parents=[common], help="remove a document from the library")
    rm.add_argument("key")
    ls = sub.add_parser("list", parents=[common], help="list the documents in the library")
    ls.add_argument("--json", action="store_true")

    s = sub.add_parser("serve", parents=[common], help="start the web app")
    s.add_argument("--host", help="address to bind (default 127.0.0.1, env RAG_HOST)")
    s.add_argument("--port", type=int, help="port (default 7860, env RAG_PORT)")
    return p


def _config(args):
    from .config import Config

    return Config.from_env(
        model=args.model,
        index_dir=args.index_dir,
        document=args.document,
        english=args.english,
        rebuild=False if args.no_rebuild else None,
        k=getattr(args, "k", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        generator=args.generator,
        answer=args.answer,
        llm_url=args.llm_url,
        llm_model=args.llm_model,
        llm_sha256=args.llm_sha256,
        llm_timeout=args.llm_timeout,
        judge=args.judge,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return _run(args)
    except CitationError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except RagError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _run(args) -> int:
    config = _config(args)
    if args.command == "build":
        from .engine import build_index
        from .library import open_engine

        loaded = build_index(config, force=args.force)
        # What a first start saves beside the build (which off-topic questions are far from the
        # document, the lexicon questions are cut with) is saved now, by opening it as a start
        # does: replicas started on it then never write into it.
        open_engine(config)
        m = loaded.manifest
        print(f"index ready: {m.count} vectors, model {m.model}, built {m.built_at}, at {loaded.path}")
        return 0
    if args.command == "serve":
        from .ui import launch

        logging.getLogger("rag").setLevel(logging.INFO)  # the address once it is serving

        launch(config)
        return 0

    if args.command in ("add", "remove", "list"):
        return _library(config, args)
    from .library import open_engine

    engine = open_engine(config, document=args.doc)
    if args.command == "ask":
        if args.question == "-":
            return _ask_stream(engine, args)
        answer = engine.ask(args.question, k=args.k)
        if args.json:
            print(json.dumps(answer.to_json(), ensure_ascii=False))
        else:
            from .library import origin_of
            from .render import answer_text

            sys.stdout.write(answer_text(answer, origin=origin_of(engine, answer)))
        return 0
    if args.command == "cite":
        view = engine.cite(args.id)
        if args.json:
            from .render import cite_json

            print(json.dumps(cite_json(view.section_title, view.paragraph, view.context), ensure_ascii=False))
        else:
            from .render import cite_text

            sys.stdout.write(cite_text(view.section_title, view.paragraph, view.context))
        return 0
    if args.command == "eval":
        return _eval(engine, args)
    raise AssertionError(args.command)  # argparse allows nothing else


def _library(config, args) -> int:
    from .library import Library

    library = Library(config.root_path)
    if args.command == "add":
        if args.key and len(args.files) > 1:
            raise RagError("--key names one document; add the files one at a time.")
        from .embed import load_embedder

        embedder = load_embedder(config.model, threads=config.threads or None, allow_download=config.allow_download)
        for path in args.files:
            e = library.add(path, config, embedder, key=args.key)
            print(f"added {e.key}: {e.title or path} ({e.kind or 'document'}, {e.paragraphs} paragraphs)")
        return 0
    if args.command == "remove":
        e = library.remove(args.key)
        print(f"removed {e.key}: {e.title or e.path.name}")
        return 0
    rows = _described(library)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
    else:
        from .qtype import place_name

        for r in rows:
            where = ", ".join(place_name(p, "en") for p in r["places"]) or "-"
            print(f"{r['key']:<16} {r['kind'] or '-':<12} {r['date'] or '-':<10} {where:<16} {r['title']}")
    return 0


def _described(library) -> list[dict]:
    """Each document's key, title, kind, date and places; the bundled one is read for its own."""
    from dataclasses import asdict

    from .library import document_places, places_of
    from .parse import read_document

    rows = []
    for e in library.entries():
        row = asdict(e)
        if not e.file:
            doc = read_document(e.path)
            m = doc.metadata
            row.update(title=m.title, kind=m.kind, date=m.date, file=str(e.path), places=list(document_places(doc)))
        else:
            row.update(places=list(places_of(e)))
        rows.append(row)
    return rows


def _ask_stream(engine, args) -> int:
    """One question a line in, one JSON object a line out, whatever the input holds."""
    for n, raw in enumerate(sys.stdin.buffer, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            out = {"line": n, "error": f"line {n} is not valid UTF-8 (byte {e.start}); send UTF-8 text."}
        else:
            line = line.rstrip("\r\n")
            out = engine.ask(line, k=args.k).to_json()
        if args.json:
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            print(out.get("answer") or out.get("error"), flush=True)
    return 0


def _eval(engine, args) -> int:
    from . import evaluate as ev

    rows = []
    for path in args.files:
        items = ev.read_items(path)
        name = path.rsplit("/", 1)[-1]
        rows.append(ev.score(f"pipeline · {name}", ev.engine_system(engine), items, engine.doc))
        if args.baselines:
            for label, make in ev.BASELINES.items():
                rows.append(ev.score(f"{label} · {name}", make(engine), items, engine.doc))
    print(ev.format_table(rows))
    if args.misses:
        for s in rows:
            if s.misses:
                print(f"missed at 3 by {s.name}: {' '.join(s.misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
