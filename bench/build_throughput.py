"""Index build throughput on a synthetic corpus, against the raw encoder on the same texts.

    .venv/bin/python bench/build_throughput.py [--n 100000] [--batch 256]

The corpus: N paragraphs, each 2-3 sentences of the bundled document recombined at random
(seeded), all in one language, Chinese and English alternating; N/100 sections of 100
paragraphs. It is generated lazily, so neither phase holds the texts in memory.

Two phases, each in a fresh process so that their peak memory is their own:
- raw: `embedder.encode_passages` over the same texts in the same batches, keeping nothing
  (the floor: the encoder's throughput);
- build: `rag.index.build_units`, the streaming build path `rag build` uses (embed a batch,
  write its texts to SQLite and its vectors to a scratch file; then make the index, IVF
  beyond FLAT_LIMIT, with its progress bar on stderr).
Goal: build throughput ≥ 0.9× raw, with memory that does not grow with N. One vector per
paragraph here; the app also embeds each sentence, which multiplies the work, not the ratio.
A single run per phase at N=100,000 (40 minutes each on 2 cores); the ratio is what counts.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, header, proc_mem, table  # noqa: E402


def sentence_pools() -> dict[str, list[str]]:
    from rag.config import Config
    from rag.engine import load_document
    from rag.text import split_sentences

    doc = load_document(Config())
    pools: dict[str, list[str]] = {"zh": [], "en": []}
    for p in doc.paragraphs:
        for lang, text in (("zh", p.text), ("en", p.en)):
            pools[lang].extend(s for s in split_sentences(text) if s.strip())
    return {k: sorted(set(v)) for k, v in pools.items()}


def corpus(n: int, seed: int = 0) -> Iterator:
    """The synthetic paragraphs as units, generated on the fly (the same for the same seed)."""
    from rag.index import Unit

    pools = sentence_pools()
    rng = random.Random(seed)
    for i in range(n):
        lang = "zh" if i % 2 == 0 else "en"
        sents = rng.sample(pools[lang], rng.choice((2, 3)))
        yield Unit(f"§{i // 100 + 1}.{i % 100 + 1}", lang, ("" if lang == "zh" else " ").join(sents))


def phase(name: str, n: int, batch: int, out: Path) -> None:
    from rag.config import Config
    from rag.embed import load_embedder

    emb = load_embedder(Config().model)
    emb.encode_queries(["x"])  # the model is loaded before the clock starts
    base = proc_mem()["VmRSS"]
    result: dict = {"phase": name, "n": n}
    t = time.perf_counter()
    if name == "raw":
        chunk = []
        for u in corpus(n):
            chunk.append(u.text)
            if len(chunk) == batch:
                emb.encode_passages(chunk)
                chunk = []
        if chunk:
            emb.encode_passages(chunk)
    else:
        from rag import index as index_mod

        want = index_mod.Manifest(index_mod.FORMAT_VERSION, emb.model_id, emb.dim, f"synthetic-{n}", "",
                                  "synthetic", "", 0, "")
        with tempfile.TemporaryDirectory(prefix="rag-build-bench-") as d:
            loaded = index_mod.build_units(corpus(n), emb, Path(d) / "index", want, batch=batch, total=n,
                                           progress=True)
            result.update(index_type=loaded.manifest.index_type, search_params=loaded.manifest.search_params,
                          disk_bytes=sum(f.stat().st_size for f in loaded.path.iterdir()))
    result["seconds"] = time.perf_counter() - t
    mem = proc_mem()
    result.update(peak_rss=mem["VmHWM"], model_rss=base)
    out.write_text(json.dumps(result))


def run_phase(name: str, n: int, batch: int) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as f:
        subprocess.run([sys.executable, __file__, "--phase", name, "--n", str(n), "--batch", str(batch),
                        "--out", f.name], check=True, cwd=ROOT)
        return json.loads(Path(f.name).read_text())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="paragraphs in the synthetic corpus")
    ap.add_argument("--batch", type=int, default=256, help="texts per encoder call (as rag build)")
    ap.add_argument("--phase", choices=("raw", "build"), help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.phase:
        phase(args.phase, args.n, args.batch, Path(args.out))
        return 0

    header("Index build throughput")
    chars = sum(len(u.text) for u in corpus(min(args.n, 5000))) / min(args.n, 5000)
    print(f"{args.n:,} synthetic paragraphs (2-3 recombined sentences of the bundled document, half Chinese, "
          f"half English; {chars:.0f} characters on average), batches of {args.batch}.\n", flush=True)
    raw = run_phase("raw", args.n, args.batch)
    build = run_phase("build", args.n, args.batch)
    mib = 2**20
    rows = [
        ["floor: raw encoder (`encode_passages`, nothing kept)", f"{raw['seconds']:.1f}",
         f"{args.n / raw['seconds']:.1f}", "", f"{raw['peak_rss'] / mib:.0f} ({raw['model_rss'] / mib:.0f} after model load)"],
        [f"**build** (`build_units`: SQLite units, scratch vectors, {build['index_type']} {build['search_params']})",
         f"{build['seconds']:.1f}", f"{args.n / build['seconds']:.1f}",
         f"{raw['seconds'] / build['seconds']:.3f}×",
         f"{build['peak_rss'] / mib:.0f} ({build['model_rss'] / mib:.0f} after model load)"],
    ]
    print(table(["phase", "seconds", "paragraphs/s", "vs raw", "peak RSS MiB"], rows))
    ratio = raw["seconds"] / build["seconds"]
    print(f"\nGoal ≥ 0.9× the raw encoder: {'met' if ratio >= 0.9 else 'missed'} ({ratio:.3f}×). "
          f"Build folder on disk: {build['disk_bytes'] / mib:.0f} MiB "
          f"({build['disk_bytes'] / args.n:.0f} bytes per paragraph).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
