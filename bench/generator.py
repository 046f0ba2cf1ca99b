"""The generator measured: faithfulness, correctness, latency and translation.

    python bench/generator.py [--model qwen2.5-coder-0.5b] [--limit 40] [--out bench/out]

- Faithfulness: the share of generated sentences the verifier keeps. Every kept sentence is
  written to OUT/kept.jsonl with the text it cites, for a person to judge (supported or not).
- Correctness, generated against extractive on the same questions: the gold paragraph among
  the citations, and the answer in the question's language.
- Latency: time to first token and tokens/s of our stream (retrieval, prompt and the
  in-process backend), against llama.cpp's own stream of the same prompt in the same run.
- Translation: seconds per 1,000 Chinese characters for one fixture's machine edition; its
  rows go to OUT/translation.jsonl for a person to judge.

Medians over the questions; needs `bash scripts/setup --llm`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from rag.config import Config
from rag.engine import Engine
from rag.evaluate import in_language, read_items
from rag.generated import messages
from rag.generator import load_generator

ROOT = Path(__file__).resolve().parent.parent
SETS = {  # document (None: the bundled interview), question file
    "bundled": (None, "eval/blind4.jsonl"),
    "notice": ("tests/fixtures/docs/notice.zh.txt", "eval/fixtures/notice.jsonl"),
    "qa": ("tests/fixtures/docs/qa.zh.txt", "eval/fixtures/qa.jsonl"),
}


def gold_cited(answer, item, doc) -> bool:
    texts = {p.id: "".join(p.text.split()) for p in doc.paragraphs}
    return any(g in texts.get(c.id.split(" ")[-1], "") for c in answer.citations for g in item.gold)


def run_set(engine: Engine, path: str, limit: int, kept_out) -> dict:
    rows = {"gen_gold": [], "ext_gold": [], "gen_lang": [], "ext_lang": [], "generated": [], "kept": [], "total": []}
    items = [it for it in read_items(ROOT / path) if it.gold][:limit]
    for it in items:
        ext = engine.ask(it.question, mode="extractive")
        if ext.abstained:
            continue
        gen = engine.ask(it.question, mode="generate")
        rows["ext_gold"].append(gold_cited(ext, it, engine.doc))
        rows["gen_gold"].append(gold_cited(gen, it, engine.doc))
        rows["ext_lang"].append(in_language(ext.text, it.lang))
        rows["gen_lang"].append(in_language(gen.text, it.lang))
        rows["generated"].append(gen.mode == "generated")
        rows["kept"].append(sum(c.supported for c in gen.checks))
        rows["total"].append(len(gen.checks))
        paras = {p.id: p for p in engine.doc.paragraphs}
        for c in gen.checks:
            if c.supported:
                cited = [paras[i] for i in c.cites if i in paras]
                kept_out.write(json.dumps({"id": it.id, "lang": it.lang, "question": it.question, "sentence": c.sentence,
                                           "cited": [p.text for p in cited], "cited_en": [p.en for p in cited],
                                           "judgement": ""}, ensure_ascii=False) + "\n")
    share = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    return {"n": len(rows["generated"]), "generated": share(rows["generated"]),
            "kept": sum(rows["kept"]) / max(1, sum(rows["total"])), "sentences": sum(rows["total"]),
            "gold generated": share(rows["gen_gold"]), "gold extractive": share(rows["ext_gold"]),
            "in language generated": share(rows["gen_lang"]), "in language extractive": share(rows["ext_lang"])}


def latency(engine: Engine, llm, questions: list[str]) -> dict:
    """Our stream against llama.cpp's own, same prompt, same process, alternating."""
    ours, floor, ours_tps, floor_tps = [], [], [], []
    for q in questions:
        r = engine.retrieve(q, "en" if q.isascii() else "zh", 3)
        msgs = messages(q, "en" if q.isascii() else "zh", r.hits)
        llm._llm.reset()  # no prompt left in the cache from the run before: both start cold
        start = time.perf_counter()
        first, n = None, 0
        for chunk in llm._llm.create_chat_completion(messages=msgs, max_tokens=64, temperature=0.0, stream=True):
            if (chunk["choices"][0].get("delta") or {}).get("content"):
                first = first or time.perf_counter() - start
                n += 1
        floor.append(first)
        floor_tps.append(n / max(1e-6, time.perf_counter() - start - first))
        llm._llm.reset()
        start = time.perf_counter()
        first, n = None, 0
        for part in engine.stream(q, mode="generate"):
            if isinstance(part, str):
                first = first or time.perf_counter() - start
                n += 1
        if first is not None:
            ours.append(first)
            ours_tps.append(n / max(1e-6, time.perf_counter() - start - first))
    med = statistics.median
    return {"ttft ours s": med(ours), "ttft llama.cpp s": med(floor), "ttft ratio": med(ours) / med(floor),
            "chunks/s ours": med(ours_tps), "chunks/s llama.cpp": med(floor_tps)}


def translation(llm, out: Path) -> dict:
    from rag.parse import read_document
    from rag.translate import translate_document

    doc = read_document(ROOT / "tests/fixtures/docs/qa.zh.txt")
    chars = sum(len(p.text) for p in doc.paragraphs) + sum(len(s.title) for s in doc.sections)
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = translate_document(doc, llm, Path(tmp))
        took = time.perf_counter() - start
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    (out / "translation.jsonl").write_text("".join(json.dumps(r | {"judgement": ""}, ensure_ascii=False) + "\n"
                                                   for r in rows), encoding="utf-8")
    return {"characters": chars, "seconds": took, "s per 1000 chars": took / chars * 1000,
            "rows flagged": sum(1 for r in rows if r.get("check"))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="qwen2.5-coder-0.5b")
    ap.add_argument("--limit", type=int, default=40)
    ap.add_argument("--out", default="bench/out")
    ap.add_argument("--only", choices=("translation", "answers", "latency"), help="run one part")
    args = ap.parse_args()
    out = ROOT / args.out
    out.mkdir(parents=True, exist_ok=True)
    llm = load_generator(Config(generator="llama", llm_model=args.model))
    print(f"model {args.model}")
    if args.only in (None, "translation"):
        print("translation:", json.dumps(translation(llm, out)))
    with tempfile.TemporaryDirectory() as tmp, open(out / "kept.jsonl", "a", encoding="utf-8") as kept:
        for name, (doc, questions) in SETS.items():
            if args.only == "latency" and name != "bundled" or args.only == "translation":
                continue
            overrides = {"document": str(ROOT / doc), "index_dir": str(Path(tmp) / name)} if doc else {}
            engine = Engine.open(Config.from_env(generator="llama", llm_model=args.model, **overrides), generator=llm)
            if args.only in (None, "answers"):
                print(f"{name}:", json.dumps(run_set(engine, questions, args.limit, kept)))
            if name == "bundled" and args.only in (None, "latency"):
                qs = [it.question for it in read_items(ROOT / questions) if it.gold][:10]
                print("latency:", json.dumps(latency(engine, llm, qs)))


if __name__ == "__main__":
    main()
