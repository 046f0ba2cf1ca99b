"""Quality on documents other than the bundled one: each fixture with its blind question file.

Runs the pipeline (and, with --baselines, dense-only and BM25-only) on every pair below with
only `--document` set, as a user with a new document would, and prints one table per document.

    python bench/documents.py [--baselines] [--misses] [--only KEY ...] [--pdf LAYOUT [--scan]] [--keep DIR]

With --pdf, each document is first printed to PDF with Chromium in that layout (official, web or
ragged: bench/pdf_layout.py) and the PDF is what the pipeline reads; with --scan too, that PDF
made a scan (bench/scan.py), which the pipeline reads by OCR. With --keep, the indexes (and the
machine-translated editions a configured generator makes, RAG_GENERATOR=llama) are built in DIR
and reused by the next run with the same DIR, instead of in a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
from pathlib import Path

from rag import evaluate as ev
from rag.config import Config
from rag.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
PAIRS = {
    "notice (State Council opinion)": ("tests/fixtures/docs/notice.zh.txt", "eval/fixtures/notice.jsonl"),
    "qa (Q&A interview)": ("tests/fixtures/docs/qa.zh.txt", "eval/fixtures/qa.jsonl"),
    "measures (regulation)": ("tests/fixtures/docs/measures.zh.txt", "eval/fixtures/measures.jsonl"),
    "jobskill (ministry notice)": ("tests/fixtures/docs/jobskill.zh.txt", "eval/fixtures/jobskill.jsonl"),
    "nianjia (ministry measures)": ("tests/fixtures/docs/nianjia.zh.txt", "eval/fixtures/nianjia.jsonl"),
    "gzunemp (city Q&A)": ("tests/fixtures/docs/gzunemp.zh.txt", "eval/fixtures/gzunemp.jsonl"),
    "housing (State Council regulation)": ("tests/fixtures/docs/housing.zh.txt", "eval/fixtures/housing.jsonl"),
    "wages (State Council regulation)": ("tests/fixtures/docs/wages.zh.txt", "eval/fixtures/wages.jsonl"),
    "shassist (Shanghai opinion)": ("tests/fixtures/docs/shassist.zh.txt", "eval/fixtures/shassist.jsonl"),
    "minwage (ministry rules)": ("tests/fixtures/docs/minwage.zh.txt", "eval/fixtures/minwage.jsonl"),
    "gzhukou (city Q&A)": ("tests/fixtures/docs/gzhukou.zh.txt", "eval/fixtures/gzhukou.jsonl"),
    "fzmed (city plan)": ("tests/fixtures/docs/fzmed.zh.txt", "eval/fixtures/fzmed.jsonl"),
    "injury (State Council regulation)": ("tests/fixtures/docs/injury.zh.txt", "eval/fixtures/injury.jsonl"),
    "sdgrad (university Q&A)": ("tests/fixtures/docs/sdgrad.zh.txt", "eval/fixtures/sdgrad.jsonl"),
    "gzpension (city service guide)": ("tests/fixtures/docs/gzpension.zh.txt", "eval/fixtures/gzpension.jsonl"),
    "shunemp (city implementing measures)": ("tests/fixtures/docs/shunemp.zh.txt", "eval/fixtures/shunemp.jsonl"),
    "gdmed (news report of new rules)": ("tests/fixtures/docs/gdmed.zh.txt", "eval/fixtures/gdmed.jsonl"),
    "fsflex (city guide and Q&A)": ("tests/fixtures/docs/fsflex.zh.txt", "eval/fixtures/fsflex.jsonl"),
    "sifee (State Council notice and plan)": ("tests/fixtures/docs/sifee.zh.txt", "eval/fixtures/sifee.jsonl"),
    "gzintern (city notice, measures and forms)": ("tests/fixtures/docs/gzintern.zh.txt", "eval/fixtures/gzintern.jsonl"),
    "whmat (city measures)": ("tests/fixtures/docs/whmat.zh.txt", "eval/fixtures/whmat.jsonl"),
    "szclaim (city operating procedure)": ("tests/fixtures/docs/szclaim.zh.txt", "eval/fixtures/szclaim.jsonl"),
    "tjtrain (city procedure with forms)": ("tests/fixtures/docs/tjtrain.zh.txt", "eval/fixtures/tjtrain.jsonl"),
    "cdfund (housing-fund explainer)": ("tests/fixtures/docs/cdfund.zh.txt", "eval/fixtures/cdfund.jsonl"),
    "bjassist (city local regulation)": ("tests/fixtures/docs/bjassist.zh.txt", "eval/fixtures/bjassist.jsonl"),
    "shmed (city notice and rules)": ("tests/fixtures/docs/shmed.zh.txt", "eval/fixtures/shmed.jsonl"),
    "zjinjury (provincial regulation)": ("tests/fixtures/docs/zjinjury.zh.txt", "eval/fixtures/zjinjury.jsonl"),
    "bjdispute (city explainer of court answers)": ("tests/fixtures/docs/bjdispute.zh.txt", "eval/fixtures/bjdispute.jsonl"),
    "sdcontract (provincial labour-contract regulation)": ("tests/fixtures/docs/sdcontract.zh.txt", "eval/fixtures/sdcontract.jsonl"),
    "bjpension (city notice on residents' pensions)": ("tests/fixtures/docs/bjpension.zh.txt", "eval/fixtures/bjpension.jsonl"),
    "qdfund (city housing-fund explainer)": ("tests/fixtures/docs/qdfund.zh.txt", "eval/fixtures/qdfund.jsonl"),
    "zzlabor (city labour-use regulation)": ("tests/fixtures/docs/zzlabor.zh.txt", "eval/fixtures/zzlabor.jsonl"),
    "whresid (news explainer and Q&A on residence permits)": ("tests/fixtures/docs/whresid.zh.txt", "eval/fixtures/whresid.jsonl"),
    "hbresid (provincial notice issuing residence-permit measures)": ("tests/fixtures/docs/hbresid.zh.txt", "eval/fixtures/hbresid.jsonl"),
    "szhukou (city seminar transcript on points-based hukou)": ("tests/fixtures/docs/szhukou.zh.txt", "eval/fixtures/szhukou.jsonl"),
    "szrpension (city notice forwarding provincial residents' pension measures)": ("tests/fixtures/docs/szrpension.zh.txt", "eval/fixtures/szrpension.jsonl"),
    "gdgrad (provincial list of support policies for graduates)": ("tests/fixtures/docs/gdgrad.zh.txt", "eval/fixtures/gdgrad.jsonl"),
    "dgmedins (city government order on basic medical insurance)": ("tests/fixtures/docs/dgmedins.zh.txt", "eval/fixtures/dgmedins.jsonl"),
    "worktimeqa (ministry Q&A explaining working-hours rules)": ("tests/fixtures/docs/worktimeqa.zh.txt", "eval/fixtures/worktimeqa.jsonl"),
    "silaw (national law on social insurance, 12 chapters)": ("tests/fixtures/docs/silaw.zh.txt", "eval/fixtures/silaw.jsonl"),
    "ruralmed (State Council opinion merging residents' medical insurance)": ("tests/fixtures/docs/ruralmed.zh.txt", "eval/fixtures/ruralmed.jsonl"),
    "gdflex (provincial notice on flexible workers joining the employees' pension)": ("tests/fixtures/docs/gdflex.zh.txt", "eval/fixtures/gdflex.jsonl"),
    "gdmat (provincial regulation on employees' maternity insurance)": ("tests/fixtures/docs/gdmat.zh.txt", "eval/fixtures/gdmat.jsonl"),
    "cdrural (city bureau's notice folding migrant workers' insurance into employees')": ("tests/fixtures/docs/cdrural.zh.txt", "eval/fixtures/cdrural.jsonl"),
    "gzlink (city service guide on moving a pension between the employees' and residents' schemes)": ("tests/fixtures/docs/gzlink.zh.txt", "eval/fixtures/gzlink.jsonl"),
    "whflexmed (city bureau's opinion on flexible workers joining medical insurance)": ("tests/fixtures/docs/whflexmed.zh.txt", "eval/fixtures/whflexmed.jsonl"),
    "cdbuild (city measures on construction firms' migrant workers' social insurance)": ("tests/fixtures/docs/cdbuild.zh.txt", "eval/fixtures/cdbuild.jsonl"),
    "njresid (city measures on residents' basic pension)": ("tests/fixtures/docs/njresid.zh.txt", "eval/fixtures/njresid.jsonl"),
    "dglocal (city interim measures on a local top-up pension)": ("tests/fixtures/docs/dglocal.zh.txt", "eval/fixtures/dglocal.jsonl"),
    "whmigmed (city bureau's notice on migrant workers' medical insurance)": ("tests/fixtures/docs/whmigmed.zh.txt", "eval/fixtures/whmigmed.jsonl"),
}


def run(baselines: bool = False, only: tuple[str, ...] = (), pdf: str = "", scan: bool = False,
        keep: str = "") -> list[ev.Scores]:
    rows = []
    with contextlib.nullcontext(keep) if keep else tempfile.TemporaryDirectory() as tmp:
        for name, (doc, questions) in PAIRS.items():
            if only and name.split()[0] not in only:
                continue
            path = ROOT / doc if not pdf else printed(ROOT / doc, pdf, Path(tmp), scan)
            config = Config.from_env(document=str(path), index_dir=str(Path(tmp) / Path(doc).stem))
            engine = Engine.open(config)
            items = ev.read_items(ROOT / questions)
            rows.append(ev.score(f"pipeline · {name}", ev.engine_system(engine), items, engine.doc))
            if baselines:
                for label in ("dense (zh paragraphs)", "BM25 (jieba)"):
                    rows.append(ev.score(f"{label} · {name}", ev.BASELINES[label](engine), items, engine.doc))
    return rows


def printed(doc: Path, layout: str, tmp: Path, scan: bool = False) -> Path:
    """The document printed to PDF in a layout of bench/pdf_layout.py; with `scan`, made a scan
    of that PDF as bench/scan.py makes it (pictures, no text layer: read by OCR)."""
    from pdf_layout import page_html, print_pdf
    from scan import scanned

    page, pdf = tmp / f"{doc.stem}.html", tmp / f"{doc.stem}.pdf"
    page.write_text(page_html(doc.read_text(encoding="utf-8"), layout), encoding="utf-8")
    print_pdf(page, pdf)
    if scan:
        scanned(pdf, pdf.with_suffix(".scan.pdf"))
        return pdf.with_suffix(".scan.pdf")
    return pdf


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baselines", action="store_true")
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--only", nargs="+", default=(), metavar="KEY", help="these documents (e.g. wages minwage)")
    ap.add_argument("--pdf", default="", metavar="LAYOUT", help="read each document as a PDF printed in LAYOUT")
    ap.add_argument("--scan", action="store_true", help="with --pdf: that PDF made a scan, read by OCR (bench/scan.py)")
    ap.add_argument("--keep", default="", metavar="DIR", help="build the indexes in DIR and reuse them in later runs")
    args = ap.parse_args()
    if args.scan and not args.pdf:
        ap.error("--scan needs --pdf LAYOUT")
    rows = run(args.baselines, tuple(args.only), args.pdf, args.scan, args.keep)
    print(ev.format_table(rows))
    if args.misses:
        for s in rows:
            if s.misses and s.name.startswith("pipeline"):
                print(f"missed at 3 by {s.name}: {' '.join(s.misses)}")


if __name__ == "__main__":
    main()
