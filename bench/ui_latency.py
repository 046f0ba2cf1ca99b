"""Time from Enter to the answer on screen in Chromium, against the /ask API in the same run.

    .venv/bin/python bench/ui_latency.py [--questions 10]

Starts `app.py` on a free loopback port and warms it with three other questions. Then each
question is timed through the REST API (POST /gradio_api/call/ask, then its event stream read
to the end, as `curl` would) and, in a second pass with different questions, in the browser:
Enter pressed in the question box until the new answer is in the page, in Debian's Chromium
through Playwright at 1280×800, timed by the page itself (performance.now at the keydown and
at the DOM change), so Playwright's own round trips are not counted. The two passes never ask
the same question, so neither meets an answer the engine has already computed.
Prints medians and the ratio; the goal is browser ≤ 1.2 × API + 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import EVAL, header, ms, rest_call, table  # noqa: E402
from load_test import start_app  # noqa: E402

ANSWERS = "#rag-chat .rag-answer"


def held_out_questions(n: int) -> list[str]:
    """Answerable questions of the held-out file, English and Chinese in turn (n at most 24)."""
    items = [json.loads(line) for line in open(EVAL / "heldout.jsonl", encoding="utf-8") if line.strip()]
    by_lang = {lang: [i["question"] for i in items if i["lang"] == lang and i["gold"]] for lang in ("en", "zh")}
    return [q for pair in zip(by_lang["en"], by_lang["zh"]) for q in pair][:n]


# In the page: when Enter goes down in the question box, and when a new answer is first in the
# DOM (a MutationObserver, so the time is the page's own, not Playwright's polling).
TIMER_JS = """() => {
  window.ragTimes = [];
  document.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.closest("#rag-question")) window.ragStart = performance.now();
  }, true);
  let seen = document.querySelectorAll("%s").length;
  new MutationObserver(() => {
    const n = document.querySelectorAll("%s").length;
    if (n > seen && window.ragStart) { window.ragTimes.push(performance.now() - window.ragStart); window.ragStart = 0; }
    seen = n;
  }).observe(document.body, {subtree: true, childList: true});
}""" % (ANSWERS, ANSWERS)


def browser_times(url: str, qs: list[str]) -> list[float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="en-US")
        page.goto(url, wait_until="domcontentloaded")
        box = page.locator("#rag-question textarea").first
        box.wait_for(timeout=120_000)
        page.evaluate(TIMER_JS)
        for n, q in enumerate(qs, start=1):
            box.fill(q)
            box.press("Enter")
            page.wait_for_function(f"window.ragTimes.length >= {n}")
        times = [t / 1000 for t in page.evaluate("window.ragTimes")]
        browser.close()
    return times


def api_times(url: str, qs: list[str]) -> list[float]:
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    times = []
    for q in qs:
        t = time.perf_counter()
        rest_call(port, q)
        times.append(time.perf_counter() - t)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--questions", type=int, default=10)
    args = ap.parse_args()
    header(f"Browser latency: Enter to answer, median of {args.questions}, against /ask")
    qs = held_out_questions(2 * args.questions + 3)
    warm, api_qs, ui_qs = qs[:3], qs[3 : 3 + args.questions], qs[3 + args.questions :]
    with tempfile.TemporaryDirectory() as tmp:
        proc, url = start_app(Path(tmp) / "index", Path(tmp) / "app.log")
        try:
            api_times(url, warm)
            api, ui = api_times(url, api_qs), browser_times(url, ui_qs)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    a, u = statistics.median(api), statistics.median(ui)
    goal = 1.2 * a + 0.150
    print(table(["path", "median ms", "min ms", "max ms"],
                [["/ask REST API", ms(a), ms(min(api)), ms(max(api))],
                 ["browser: Enter → answer shown", ms(u), ms(min(ui)), ms(max(ui))]]))
    print(f"\nbrowser / API = {u / a:.2f}×; goal ≤ 1.2 × API + 150 ms = {ms(goal)} ms: "
          f"{'met' if u <= goal else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
