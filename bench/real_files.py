"""Real files as users have them: how a folder of saved pages, Word files, PDFs and texts parses.

Reads every .html, .htm, .txt, .docx, .doc and .pdf file under DIR with rag.read_document and
prints, per format: files read, refused (with the reasons, counted) and crashed (any exception
that is not a ParseError: a bug); of those read, how many have no title, how many are of no
kind ("article": the title names none, so a notice read with the wrong title shows here), and
how many keep a site's chrome as a paragraph (a menu, a breadcrumb, a footer: "当前位置",
"ICP备", "打印本页"…). Files named by their title ("…的通知2016.html") also count whether the
title read is that name.

    .venv/bin/python bench/real_files.py DIR [--timeout S]

Measured on a public collection of Chinese government files (the repository geek-plus/mirror-CN;
docs/documents.md). Prints, never asserts.
"""

from __future__ import annotations

import argparse
import collections
import re
import signal
import sys
from pathlib import Path

from rag.errors import ParseError
from rag.parse import read_document

SUFFIXES = (".html", ".htm", ".txt", ".docx", ".doc", ".pdf")
CHROME = re.compile(r"ICP备|版权所有|网站地图|打印本页|关闭窗口|【字体|分享到|扫一扫|上一篇|下一篇|当前位置|您现在的位置"
                    r"|主办单位|联系我们|网站标识码|公网安备")
STRIP = re.compile(r"[\s（）()\[\]〔〕\-—_《》]")


class TimedOut(Exception):
    pass


def _alarm(*_):
    raise TimedOut


def named_title(path: Path) -> str:
    """The title a file's name gives, "" for a name that is not one (t20130724_94299.html)."""
    stem = re.sub(r"[-_]?(?:19|20)\d\d(?:-\d+)?$", "", path.stem)
    return "" if re.match(r"^t?\d", stem) or not re.search(r"[\u4e00-\u9fff]{6}", stem) else STRIP.sub("", stem)


def read(path: Path, timeout: int) -> dict:
    signal.alarm(timeout)
    try:
        d = read_document(path)
        m = d.metadata
        return dict(ok=True, title=m.title, kind=m.kind, chrome=any(CHROME.search(p.text) for p in d.paragraphs))
    except ParseError as e:
        return dict(ok=False, why=re.sub(r"^.*?:\d*:?\s*", "", str(e))[:60])
    except TimedOut:
        return dict(ok=False, why=f"over {timeout} s", crash=True)
    except Exception as e:  # a bug: every refusal is a ParseError
        return dict(ok=False, why=f"{type(e).__name__}: {e}"[:80], crash=True)
    finally:
        signal.alarm(0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--timeout", type=int, default=60, help="seconds a file may take")
    args = ap.parse_args()
    signal.signal(signal.SIGALRM, _alarm)
    files = sorted(p for p in Path(args.folder).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
    rows = collections.defaultdict(list)
    for path in files:
        suffix = path.suffix.lower()
        rows[".html" if suffix == ".htm" else suffix].append((path, read(path, args.timeout)))
    print("| format | files | read | refused | crashed | no title | no kind | site chrome kept | named files: title as named |")
    print("|---|---|---|---|---|---|---|---|---|")
    for suffix, results in sorted(rows.items()):
        ok = [r for _, r in results if r["ok"]]
        named = [(named_title(p), r) for p, r in results if r["ok"] and named_title(p)]
        as_named = sum(1 for name, r in named if (t := STRIP.sub("", r["title"])) and (name in t or len(t) >= 8 and t in name))
        print(f"| {suffix} | {len(results)} | {len(ok)} | {sum(not r['ok'] and not r.get('crash') for _, r in results)} | "
              f"{sum(bool(r.get('crash')) for _, r in results)} | {sum(not r['title'] for r in ok)} | "
              f"{sum(r['kind'] == 'article' for r in ok)} | {sum(r['chrome'] for r in ok)} | {as_named} of {len(named)} |")
    refusals = collections.Counter(r["why"] for results in rows.values() for _, r in results if not r["ok"])
    for why, n in refusals.most_common():
        print(f"  {n} × {why}")


if __name__ == "__main__":
    sys.exit(main())
