"""The web app in a real Chromium: ask, follow a citation, open a ?cite= link, stay safe.

Screenshots go to artifacts/ at the repository root (gitignored), for people to look at.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

from tests.test_app import start_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
QUESTION_BOX = "#rag-question textarea, #rag-question input"
QUERY_BOX = "#rag-query textarea, #rag-query input"
ANSWERS = "#rag-chat .rag-answer"
ASKED = "#rag-chat .rag-question"
APP_LOG: list[Path] = []  # the app's log, read when a test fails for want of an answer

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """`python app.py --port N` for this module; yields (url, feedback file)."""
    tmp = tmp_path_factory.mktemp("browser-app")
    for url, log, feedback in start_app(tmp, tmp_path_factory.getbasetemp() / "rag-index"):
        APP_LOG[:] = [log]
        yield url, feedback


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app):
    """A fresh page with the app loaded; fails the test if any dialog (alert) opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(app[0], wait_until="domcontentloaded")
    page.locator(QUESTION_BOX).first.wait_for(timeout=60_000)
    yield page
    context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"


def ask(page, question: str):
    """Type a question, send it, and return the locator of its answer. An Enter that lands
    while Gradio is still settling the previous answer's events can be dropped on a loaded
    machine (the question stays in the box, unsent); a user sends it again, and so does this.
    A question sent gets a minute more for its answer; past that the test fails
    with what the page and the app's log showed."""
    before = page.locator(ANSWERS).count()
    asked_before = page.locator(ASKED).count()
    box = page.locator(QUESTION_BOX).first
    arrived = f"document.querySelectorAll({ANSWERS!r}).length > {before}"
    box.fill(question)
    for _ in range(2):
        box.press("Enter")
        try:
            page.wait_for_function(arrived, timeout=20_000)
            return page.locator(ANSWERS).nth(before)
        except sync_api.TimeoutError:
            if box.input_value() != question or page.locator(ASKED).count() > asked_before:  # sent: only slow
                try:
                    page.wait_for_function(arrived, timeout=60_000)
                    return page.locator(ANSWERS).nth(before)
                except sync_api.TimeoutError:
                    break
    pytest.fail(f"no answer to {question!r}. The chat shows:\n{page.locator('#rag-chat').inner_text()[-1500:]}\n"
                f"The app logged:\n{APP_LOG[0].read_text(errors='replace')[-3000:] if APP_LOG else '(no log)'}")


def open_tab(page, name: str) -> None:
    """Click a tab until it is the selected one. A click that lands while Gradio redraws the
    tabs (a late reply to an earlier event) can be lost on a loaded machine; a user clicks again."""
    tab = page.get_by_role("tab", name=name)
    for _ in range(3):
        tab.click()
        try:
            sync_api.expect(tab).to_have_attribute("aria-selected", "true", timeout=5_000)
            return
        except AssertionError:
            continue
    sync_api.expect(tab).to_have_attribute("aria-selected", "true")


def test_ask_in_english_and_chinese(page, app):
    english = ask(page, "Will pensions be paid on time?")
    sources = english.locator(".sources li.source")
    assert "pensions are paid on time and in full" in english.locator(".text").inner_text()
    marker = english.locator(".text a.cite").first
    assert marker.inner_text() == "[1]" and marker.get_attribute("href").startswith("?cite=4.4&hl=")
    # The answer's top is in view: the folded sources under it do not push it out.
    top = english.bounding_box()["y"]
    assert 0 <= top < page.viewport_size["height"] - 100, top
    # A marker previews its source on hover (its title) and on keyboard focus (drawn by the page's
    # style): the id, the quoted sentence and the Chinese original.
    preview = marker.get_attribute("title")
    marker.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert "§4.4" in marker.evaluate("el => getComputedStyle(el, '::after').content")
    assert "§4.4" in preview and "pensions are paid on time" in preview and "养老金按时足额发放" in preview
    assert sources.count() >= 1 and "§4.4" in sources.first.text_content()
    assert "pensions are paid on time" in sources.first.locator(".quote").text_content()
    assert "score" not in english.text_content()  # no raw scores shown
    page.screenshot(path=str(ARTIFACTS / "english-answer.png"))

    chinese = ask(page, "养老金能按时足额发放吗？")
    assert "养老金按时足额发放" in chinese.locator(".text").inner_text()
    assert chinese.locator("a.cite").first.inner_text() == "[1]"
    # The interface stays in the language the user has (here the browser's, English): a
    # Chinese question gets a Chinese answer without switching the labels.
    assert "Your question" in page.locator("#rag-question").inner_text()
    follow = ask(page, "那农民工呢？")
    assert "农民工" in follow.locator(".text").inner_text()
    page.screenshot(path=str(ARTIFACTS / "chinese-answers.png"), full_page=True)

    page.locator("#rag-chat button[aria-label=Like]").first.click()
    feedback = app[1]
    deadline = time.monotonic() + 10
    # The file appears a moment before its line is written: wait for the line.
    while not (feedback.exists() and feedback.read_text(encoding="utf-8").strip()) and time.monotonic() < deadline:
        time.sleep(0.2)
    record = json.loads(feedback.read_text(encoding="utf-8").splitlines()[-1])
    assert record["vote"] == "up" and record["question"] == "Will pensions be paid on time?"
    assert record["citations"][0] == "§4.4"


def test_a_citation_opens_in_the_source_panel_beside_the_chat(page):
    answer = ask(page, "How will employment be kept stable in 2026?")
    link = answer.locator(".text a.cite").first
    href = urllib.parse.urlsplit(link.get_attribute("href"))
    ref = "§" + urllib.parse.parse_qs(href.query)["cite"][0]
    quoted = urllib.parse.parse_qs(href.query)["hl"]  # every sentence the answer quotes from it
    link.click()
    target = page.locator("#rag-panel .para-view.target")
    target.wait_for()
    assert target.locator("a.cite").inner_text() == f"[{ref}]"
    marked = " ".join(target.locator("mark").all_inner_texts())
    assert all(q in marked for q in quoted)  # the quoted sentences are marked
    sync_api.expect(page.locator("#rag-chat")).to_be_visible()  # the chat stays in view
    assert page.locator(ANSWERS).count() == 1 and len(page.context.pages) == 1, "the page must not navigate"
    assert page.url.endswith("?cite=" + ref.lstrip("§")), page.url  # shareable
    page.wait_for_function("document.querySelector('#rag-panel').classList.contains('open')")
    page.wait_for_timeout(300)  # the panel slides in
    page.screenshot(path=str(ARTIFACTS / "source-panel.png"))
    box = target.locator("mark").first.bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"], box  # the panel opens on the quote
    page.go_back()  # Back closes the panel, still on the same page
    page.wait_for_function("!new URL(location.href).searchParams.get('cite')")
    page.wait_for_function("!document.querySelector('#rag-panel').classList.contains('open')")
    assert page.locator(ANSWERS).count() == 1

    # In the lookup tab, a paragraph of the contents opens there.
    open_tab(page, "Look up a citation")
    page.locator("#rag-toc a.cite", has_text="[§3.2]").click()
    page.wait_for_function("document.querySelector('#rag-lookup .para-view.target a.cite')?.innerText === '[§3.2]'")


def test_a_cite_link_opens_the_app_on_that_paragraph(browser, app):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.goto(app[0] + "?cite=2.4", wait_until="domcontentloaded")
    target = page.locator("#rag-lookup .para-view.target")
    target.wait_for(timeout=60_000)
    assert target.locator("a.cite").inner_text() == "[§2.4]"
    assert "一是加快构建就业友好型发展方式" in target.inner_text()
    assert "employment-friendly development model" in target.inner_text()  # the English rendering
    assert "全力确保就业大局稳定" in page.locator("#rag-lookup h3.section").inner_text()
    assert page.locator("#rag-lookup-tab").is_visible()
    page.screenshot(path=str(ARTIFACTS / "cite-link.png"), full_page=True)
    context.close()


def test_a_listed_document_opens_in_the_lookup_with_its_contents(page):
    open_tab(page, "Documents")
    page.locator("#rag-docs a.doc-open").first.wait_for()
    assert serious_violations(page) == []  # the documents view
    page.screenshot(path=str(ARTIFACTS / "documents.png"))
    page.locator("#rag-docs a.doc-open").first.click()
    page.wait_for_function("document.querySelector('#rag-lookup .para-view.target a.cite')?.innerText === '[§0.1]'")
    sync_api.expect(page.get_by_role("tab", name="Look up a citation")).to_have_attribute("aria-selected", "true")
    assert "全力以赴稳就业" in page.locator("#rag-lookup .para-view.target").inner_text()
    assert page.locator("#rag-toc a.cite", has_text="[§3.2]").is_visible()
    assert "cite=0.1" in page.url  # the address names it, to share


def test_an_unknown_id_shows_suggestions(page):
    open_tab(page, "Look up a citation")
    box = page.locator(QUERY_BOX).first
    box.fill("9.9")
    box.press("Enter")
    error = page.locator("#rag-lookup .lookup-error")
    error.wait_for()
    assert "No paragraph '9.9'" in error.inner_text()
    assert error.locator("a.cite").count() == 3


@pytest.mark.parametrize("attack", ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>"])
def test_markup_in_a_question_is_shown_as_text(page, attack):
    ask(page, attack)
    question = page.locator("#rag-chat .rag-question").last
    assert question.inner_text() == attack
    assert page.locator("#rag-chat img[src=x], #rag-chat script").count() == 0
    page.wait_for_timeout(500)  # an injected handler would have fired by now; `page` checks for dialogs
    page.screenshot(path=str(ARTIFACTS / f"escaped-{'img' if 'img' in attack else 'script'}.png"))


def test_the_interface_follows_the_browser_and_then_the_users_choice(browser, app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(app[0], wait_until="domcontentloaded")
    page.wait_for_function("document.querySelector('#rag-question')?.innerText.includes('请输入问题')", timeout=60_000)
    page.get_by_label("English").check()  # an explicit choice
    page.wait_for_function("document.querySelector('#rag-question').innerText.includes('Your question')")
    answer = ask(page, "养老金能按时足额发放吗？")
    assert "养老金" in answer.locator(".text").inner_text()  # the answer follows the question
    assert "Your question" in page.locator("#rag-question").inner_text()  # the choice stands
    page.reload(wait_until="domcontentloaded")
    page.wait_for_function("document.querySelector('#rag-question')?.innerText.includes('Your question')", timeout=60_000)
    page.get_by_label("中文").check()
    page.wait_for_function("document.querySelector('#rag-question').innerText.includes('请输入问题')")
    ask(page, "养老金能按时足额发放吗？")
    page.screenshot(path=str(ARTIFACTS / "phone-chinese.png"))
    context.close()


def test_a_question_over_the_limit_keeps_its_text(page):
    text = "养老金" * 1000  # 3,000 characters
    box = page.locator(QUESTION_BOX).first
    box.fill(text)
    box.press("End")
    page.keyboard.type("？")  # a real keystroke, so the live count updates
    assert page.locator("#rag-count").inner_text() == "3001 / 2000"
    box.press("Enter")
    page.wait_for_function("document.querySelector('#rag-chat .rag-answer')?.innerText.includes('2000')")
    assert box.input_value() == text + "？"  # the text is still there to be shortened


def test_the_count_empties_once_the_question_is_sent(page):
    box = page.locator(QUESTION_BOX).first
    box.fill("养老金能按时足额发放吗")
    box.press("End")
    page.keyboard.type("？")
    assert page.locator("#rag-count").inner_text() == "12 / 2000"
    box.press("Enter")
    page.wait_for_selector("#rag-chat .rag-answer")
    page.wait_for_function("document.querySelector('#rag-count').textContent === ''")
    assert box.input_value() == ""


def test_a_suggested_question_is_asked_with_one_click(page):
    answer = ask(page, "Will pensions be paid on time?")
    suggestion = answer.locator(".follow a.ask").first
    text = suggestion.inner_text()
    assert text.startswith("What does the document say about")
    before = page.locator(ANSWERS).count()
    suggestion.click()
    page.wait_for_function(f"document.querySelectorAll({ANSWERS!r}).length > {before}")
    assert page.locator("#rag-chat .rag-question").last.inner_text() == text


def test_a_thumbs_down_reason_reaches_the_feedback_file(page, app):
    ask(page, "Will pensions be paid on time?")
    page.locator("#rag-chat button[aria-label=Dislike]").last.click()
    box = page.locator("#rag-reason textarea").first
    box.wait_for()
    box.fill("It quotes the reform, not the payment date.\nFORGED LINE")
    page.locator("#rag-reason-send").click()
    feedback = app[1]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        records = [json.loads(line) for line in feedback.read_text(encoding="utf-8").splitlines()] if feedback.exists() else []
        if any(r.get("reason") for r in records):
            break
        time.sleep(0.2)
    reasoned = [r for r in records if r.get("reason")][-1]
    assert reasoned["vote"] == "down" and reasoned["reason"].startswith("It quotes the reform")
    assert all(line.startswith("{") for line in feedback.read_text(encoding="utf-8").splitlines())


def test_the_conversation_survives_a_reload_until_a_new_one(page):
    ask(page, "Will pensions be paid on time?")
    page.wait_for_timeout(500)  # the save runs after the answer
    page.reload(wait_until="domcontentloaded")
    page.wait_for_function(f"document.querySelectorAll({ANSWERS!r}).length >= 1", timeout=60_000)
    assert "pensions" in page.locator("#rag-chat .rag-question").first.inner_text()
    page.locator("#rag-clear").click()
    page.wait_for_function(f"document.querySelectorAll({ANSWERS!r}).length === 0")
    page.reload(wait_until="domcontentloaded")
    page.locator(QUESTION_BOX).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    assert page.locator(ANSWERS).count() == 0


@pytest.fixture
def clipboard_page(browser, app):
    """A page that may read the clipboard."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US",
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(app[0], wait_until="domcontentloaded")
    page.locator(QUESTION_BOX).first.wait_for(timeout=60_000)
    yield page
    context.close()


def test_copy_gives_plain_text(clipboard_page):
    page = clipboard_page
    ask(page, "Will pensions be paid on time?")
    page.locator("#rag-chat button[aria-label='Copy message']").last.click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "<" not in copied and "pensions are paid on time" in copied
    assert "[1]" in copied and "\n[1] §4.4 " in copied, copied


AXE = Path.home() / ".cache" / "rag-policy" / "npm" / "node_modules" / "axe-core" / "axe.min.js"


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: bash scripts/setup --test installs axe-core")
    page.add_script_tag(path=str(AXE))
    run = ("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
           ".filter(v => ['serious', 'critical'].includes(v.impact))"
           ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))")
    found = page.evaluate(run)
    if found:  # a panel sliding or a status fading is measured mid-way: look again once it has settled
        page.wait_for_timeout(1500)
        found = page.evaluate(run)
    return found


def visible_vote_buttons(page, answer_index: int) -> list[float]:
    """The x positions of the vote buttons shown under the n-th answer (copy is the first button)."""
    return page.evaluate("""(n) => {
      const row = document.querySelectorAll('#rag-chat .rag-answer')[n].closest('.message-row');
      const buttons = [...row.nextElementSibling.querySelectorAll('button')];
      return buttons.slice(1).filter(b => getComputedStyle(b).display !== 'none')
        .map(b => [b.getAttribute('title'), b.getBoundingClientRect().x]);
    }""", answer_index)


def test_votes_are_offered_on_answers_only_thumbs_up_first(page):
    ask(page, "How do I fix a flat bicycle tyre?")  # not covered
    answer = ask(page, "Will pensions be paid on time?")
    assert "abstained" in page.locator(ANSWERS).first.get_attribute("class")
    assert visible_vote_buttons(page, 0) == []
    votes = dict(visible_vote_buttons(page, 1))
    assert votes["Like"] < votes["Dislike"], votes  # 👍 before 👎
    assert answer.locator("a.copy-md").count() == 1


def test_the_phone_shows_the_answer_and_opens_sources_in_a_bottom_sheet(browser, app):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(app[0], wait_until="domcontentloaded")
    page.locator(QUESTION_BOX).first.wait_for(timeout=60_000)
    ask(page, "职业技能培训今年有什么新安排？")
    answer = ask(page, "灵活就业的人能参加职工养老保险吗？")
    top = answer.bounding_box()["y"]
    assert 0 <= top < 844 - 100, top  # the new answer's top is in view
    scrollers = page.evaluate("() => [...document.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);"
                              " return ['auto', 'scroll'].includes(s.overflowY) && e.scrollHeight > e.clientHeight + 2"
                              " && !e.closest('#rag-panel'); }).length")
    assert scrollers == 0  # one scroll area: the page
    answer.locator(".text a.cite").first.click()
    page.wait_for_function("document.querySelector('#rag-panel').classList.contains('open')")
    page.wait_for_timeout(400)  # the sheet slides up
    sheet = page.locator("#rag-panel").bounding_box()
    assert sheet["y"] > 844 * 0.2 and abs(sheet["y"] + sheet["height"] - 844) < 2, sheet  # the chat stays above it
    mark = page.locator("#rag-panel .para-view.target mark").first.bounding_box()
    assert mark and sheet["y"] <= mark["y"] < 844, mark
    page.screenshot(path=str(ARTIFACTS / "phone-panel.png"))
    page.go_back()
    page.wait_for_function("!document.querySelector('#rag-panel').classList.contains('open')")
    context.close()


def test_a_long_answer_folds_under_show_more_but_a_list_is_shown_whole(page):
    overview = ask(page, "What is this document about?")  # a list of its four parts
    assert overview.locator("details.more").count() == 0 and overview.locator(".text").first.locator("a.cite").count() == 4
    answer = ask(page, "稳就业有哪些举措？")  # four sentences from four paragraphs
    more = answer.locator("details.more")
    assert more.count() == 1 and not more.evaluate("d => d.open")
    assert answer.locator(".text").first.locator("a.cite").count() >= 1  # the shown part cites
    more.locator("summary").click()
    assert more.evaluate("d => d.open") and more.locator("a.cite").count() >= 1


def test_copy_as_markdown_links_each_source(clipboard_page):
    page = clipboard_page
    answer = ask(page, "Will pensions be paid on time?")
    answer.locator("a.copy-md").click()
    page.wait_for_function("document.querySelector('#rag-chat a.copy-md.copied')")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "<" not in copied and "pensions are paid on time" in copied and "[1]" in copied
    assert "\n1. [§4.4](http" in copied and "?cite=4.4)" in copied, copied


def test_keyboard_only_ask_open_a_citation_and_close_it(page):
    for _ in range(40):  # Tab from the top of the page to the question box
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.closest('#rag-question') !== null"):
            break
    else:
        pytest.fail("Tab never reached the question box")
    page.keyboard.type("Will pensions be paid")
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    page.keyboard.type("on time?")
    assert page.locator(QUESTION_BOX).first.input_value() == "Will pensions be paid\non time?"
    assert page.locator(ANSWERS).count() == 0
    page.keyboard.press("Enter")
    page.wait_for_function(f"document.querySelectorAll({ANSWERS!r}).length > 0")
    page.wait_for_function("document.activeElement.classList.contains('rag-answer')")  # focus on the answer
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.matches('.rag-answer .text a.cite')")
    marker = page.evaluate("() => document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement.closest('#rag-panel .para-view.target') !== null")  # into the panel
    assert page.url.endswith("?cite=" + urllib.parse.parse_qs(urllib.parse.urlsplit(marker).query)["cite"][0])
    page.keyboard.press("Escape")
    page.wait_for_function("!document.querySelector('#rag-panel').classList.contains('open')")
    page.wait_for_function(f"document.activeElement.getAttribute('href') === {marker!r}")  # back on the marker


def test_no_serious_accessibility_violations(page):
    assert serious_violations(page) == []  # the first view
    answer = ask(page, "Will pensions be paid on time?")
    assert serious_violations(page) == []  # the chat with an answer
    answer.locator(".text a.cite").first.click()
    page.wait_for_function("document.querySelector('#rag-panel').classList.contains('open')")
    page.wait_for_timeout(400)
    assert serious_violations(page) == []  # the source panel
    page.keyboard.press("Escape")
    open_tab(page, "Look up a citation")
    page.locator("#rag-toc a.cite", has_text="[§3.2]").click()
    page.wait_for_function("document.querySelector('#rag-lookup .para-view.target')")
    assert serious_violations(page) == []  # the lookup view
