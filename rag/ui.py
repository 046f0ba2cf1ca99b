"""The browser app: a bilingual chat over the Engine, a citation lookup, and a JSON API.

    demo = create_app(engine, config)   # build the page (gr.Blocks)
    launch(config)                      # open the engine once and serve it

The handlers are plain functions of the engine, so tests call them without a server.
Gradio is imported inside the functions that need it: it is slow to import and decides
about telemetry when it builds an app, so `launch` first switches analytics off.

Everything shown is escaped HTML built from `rag.render`; the chat renders messages as HTML
without Markdown, so a question appears exactly as typed. Citation links are plain
`<a class="cite" href="?cite=2.4">`: the page script turns a click into a lookup in place,
and without the script (or on a middle-click) the link opens the app on that paragraph.

Not handled: streaming (an answer takes well under a second), more than one document,
per-user accounts (basic auth is one shared user from the environment).
"""

import errno
import functools
import ipaddress
import json
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote
from typing import TYPE_CHECKING, Any, Callable, Mapping

from .config import MAX_QUESTION_CHARS, Config
from .edition import companion
from .document import Answer, Lang
from .engine import Engine, parse_citation_id
from .errors import CitationError, RagError
from .render import answer_html, cite_html, cite_json, esc, sources_html, suggestions_html, toc_html
from .text import detect_language

if TYPE_CHECKING:
    import gradio as gr

log = logging.getLogger(__name__)

# Two workers for a 2-core machine: the embedder serializes its own calls, so a second
# worker only lets a cheap lookup or a feedback write pass a running question; more would
# queue inside the engine anyway. Up to 64 waiting events, then new ones are refused.
CONCURRENCY = 2
QUEUE_SIZE = 64

def examples_for(engine: Engine) -> dict[Lang, tuple[str, ...]]:
    """Example questions: the document's own (`<name>.examples.json` beside it), else questions
    any document answers, and one per section title in Chinese."""
    own = _read_examples(companion(engine.config.document, "examples.json"))
    if own.get("en") and own.get("zh"):
        return own
    titles = [s.title for s in engine.doc.sections if s.title][:3]
    return {
        "en": ("What is this document about?", "Who issued it, and when?", "What are the main measures?"),
        "zh": tuple(f"“{t[:24]}”有哪些内容？" for t in titles) + ("这份文件是谁发布的？",),
    }


def _read_examples(path) -> dict[Lang, tuple[str, ...]]:
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        log.warning("%s: example questions not read (%s)", path, e)
        return {}
    return {lang: tuple(str(q) for q in data.get(lang, ()) if isinstance(q, str)) for lang in ("en", "zh")}


LABELS: dict[Lang, dict[str, str]] = {
    "en": {
        "title": "Ask China's employment and social-insurance policy",
        "intro": "Answers quote the document below and cite the paragraphs they come from. "
                 "Click a citation such as [§2.4] to read it in context.",
        "chat_tab": "Ask",
        "lookup_tab": "Look up a citation",
        "docs_tab": "Documents",
        "panel": "Source",
        "docs_head": ("key", "document", "kind", "date", "paragraphs"),
        "docs_note": "Answers come from these documents. Add or remove one with `rag add FILE` and `rag remove KEY`, then restart the app.",
        "chatbot": "Conversation",
        "question": "Your question (English or Chinese)",
        "placeholder": "e.g. Will pensions be paid on time?",
        "send": "Ask",
        "clear": "New conversation",
        "lookup": "Paragraph id (§2.4, 2.4, 2-4) or a phrase of the original text",
        "lookup_placeholder": "e.g. §2.4 or 稳岗返还",
        "lookup_go": "Show",
        "toc": "Contents",
        "lookup_empty": "Type a paragraph id such as §2.4, or paste a phrase of the original text.",
        "not_found": "No paragraph contains {phrase!r}. Try a shorter phrase, or an id such as §2.4.",
        "also": "Also found in:",
        "error": "Sorry, that did not work: {message}",
        "oops": "Sorry, something went wrong while answering. The error has been logged; please try again.",
        "feedback_failed": "Your vote could not be saved ({reason}). The conversation is unaffected.",
        "thanks": "Thanks for your feedback.",
        "why_wrong": "What was wrong? (optional)",
        "send_reason": "Send",
        "thanks_reason": "Thanks: your note was saved with your vote.",
    },
    "zh": {
        "title": "就业和社保政策问答",
        "intro": "回答均摘自下列文件原文，并注明出处段落。点击引用（如 [§2.4]）即可查看上下文。",
        "chat_tab": "提问",
        "lookup_tab": "查看原文",
        "docs_tab": "文件",
        "panel": "出处",
        "docs_head": ("编号", "文件", "类型", "日期", "段落数"),
        "docs_note": "回答均来自以下文件。用 `rag add 文件` 添加、`rag remove 编号` 删除，然后重启应用。",
        "chatbot": "对话",
        "question": "请输入问题（中文或英文）",
        "placeholder": "例如：养老金能按时足额发放吗？",
        "send": "提问",
        "clear": "新对话",
        "lookup": "段落编号（§2.4、2.4、2-4）或原文片段",
        "lookup_placeholder": "例如：§2.4 或 稳岗返还",
        "lookup_go": "查看",
        "toc": "目录",
        "lookup_empty": "请输入段落编号（如 §2.4），或粘贴一段原文。",
        "not_found": "没有段落包含“{phrase}”。请缩短片段，或输入编号（如 §2.4）。",
        "also": "其他出处：",
        "error": "抱歉，出错了：{message}",
        "oops": "抱歉，回答时出现错误，已记录日志，请重试。",
        "feedback_failed": "无法保存您的评价（{reason}），对话不受影响。",
        "thanks": "感谢您的反馈。",
        "why_wrong": "哪里不对？（可选）",
        "send_reason": "发送",
        "thanks_reason": "谢谢，您的说明已随评价保存。",
    },
}

PLACEHOLDER = (
    "**Ask in English or Chinese · 中英文提问均可**\n\n"
    "Answers quote the document and cite paragraphs like §2.4. · 回答引用文件原文并注明段落。"
)

CSS = """
.rag-answer .text { margin: 0 0 .6em; line-height: 1.6; }
.rag-answer.abstained .text { font-style: italic; }
a.cite { font-weight: 600; text-decoration: none; color: var(--color-accent); cursor: pointer; white-space: nowrap; }
a.cite:hover { text-decoration: underline; }
a.cite[title] { position: relative; }
a.cite[title]:focus-visible::after {
  content: attr(title); position: absolute; left: 0; top: 1.7em; z-index: 60; width: min(26em, 78vw);
  white-space: pre-line; font-weight: 400; font-size: .92rem; line-height: 1.5; padding: .55em .75em;
  border-radius: 6px; background: var(--background-fill-primary); color: var(--body-text-color);
  border: 1px solid var(--border-color-primary); box-shadow: 0 4px 14px rgba(0, 0, 0, .18); }
table.docs { border-collapse: collapse; margin-top: .5em; }
table.docs th, table.docs td { text-align: left; padding: .3em .8em; border-bottom: 1px solid var(--border-color-primary); }
.sources summary { cursor: pointer; color: var(--body-text-color-subdued); margin-top: .3em; }
.sources .quote { display: block; color: var(--body-text-color-subdued); line-height: 1.5; margin-top: .15em; }
.rag-answer .mode { margin: 0 0 .3em; font-size: .85em; }
.rag-answer .follow { margin: .5em 0 0; font-size: .92em; }
.rag-answer .follow a.ask { display: inline-block; margin: .2em .4em .2em 0; padding: .1em .6em; border-radius: 999px;
  border: 1px solid var(--border-color-primary); text-decoration: none; color: var(--body-text-color); }
#rag-count { font-size: .8em; text-align: right; color: var(--body-text-color-subdued); }
#rag-count.over { color: var(--error-text-color, #b91c1c); font-weight: 600; }
.sources { font-size: .92em; border-top: 1px solid var(--border-color-primary); padding-top: .4em; }
.sources ol { margin: .3em 0 0 1.2em; padding: 0; }
.sources li.source { margin-bottom: .7em; }
.sources .sec { font-weight: 600; }
.sources .score, .para-view .role, .lbl, .title-en { color: var(--body-text-color-subdued); }
.snippet { color: var(--body-text-color); opacity: .8; }
.sources .para, .sources .orig { margin-top: .2em; line-height: 1.55; }
.sources .orig { font-size: .95em; }
mark { background: #fde68a; color: #1f2937; padding: 0 .1em; border-radius: 2px; }
.lookup h3.section .title-en { display: block; font-size: .85em; font-weight: 400; }
.para-view { padding: .6em .8em; margin: .5em 0; border-left: 3px solid var(--border-color-primary); }
.para-view.target { border-left-color: var(--color-accent); background: var(--color-accent-soft); }
.para-view .zh, .para-view .en { margin-top: .3em; line-height: 1.6; }
.lookup-error { color: var(--body-text-color); }
.lookup-error .suggest a.cite { margin-right: .6em; }
.toc-box { max-height: 80vh; overflow-y: auto; }
ul.toc, ul.toc ul { list-style: none; padding-left: 0; margin: 0; }
ul.toc ul { margin: .2em 0 .8em .6em; }
ul.toc .toc-title { font-weight: 600; margin-top: .4em; }
ul.toc li li { margin: .2em 0; font-size: .95em; }
.rag-header h1 { margin: 0; font-size: 1.5em; }
.rag-header p { margin: .3em 0 0; }
"""

# Runs once when the page loads. A click on any a.cite (in answers, sources, the lookup
# view or the contents) becomes a lookup in the same page: the id goes to a window
# variable that the hidden button's event reads as its input (no race with Svelte's
# input binding), the button is clicked, and the server answers with the paragraph and
# selects the lookup tab. Modified clicks and a missing button fall through to the href.
CLICK_JS = """
() => {
  if (window.ragCiteInstalled) return;
  window.ragCiteInstalled = true;
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.cite") : null;
    if (!link) return;
    const ref = link.dataset.cite || new URL(link.href, location.href).searchParams.get("cite");
    // In the lookup tab a citation opens there; anywhere else, in the source panel.
    const inLookup = link.closest("#rag-lookup-tab");
    const button = inLookup ? document.querySelector("#rag-look-go button, button#rag-look-go")
                            : document.querySelector("#rag-cite-go button, button#rag-cite-go");
    if (!ref || !button) return;
    event.preventDefault();
    event.stopPropagation();
    // The marker's preview (its title) names the quoted sentence on its second line.
    const quoted = (link.getAttribute("title") || "").split("\\n")[1] || "";
    window.ragCiteRequest = quoted ? ref + "\\u0001" + quoted : ref;
    button.click();
    // The address names the paragraph, so it can be shared; Back returns to where the user was.
    const here = new URL(location.href);
    here.searchParams.set("cite", ref.replace(/^§/, "").replace(" §", ":"));
    history.pushState({ragCite: ref}, "", here);
  }, true);
  window.addEventListener("popstate", () => {
    if (new URL(location.href).searchParams.get("cite")) return;
    const close = document.querySelector("#rag-panel-close button, button#rag-panel-close");
    if (close) close.click();  // Back closes the source panel
  });
  // A suggested question: put it in the box and ask it.
  document.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a.ask") : null;
    const box = document.querySelector("#rag-question textarea");
    const send = document.querySelector("#rag-send");
    if (!link || !box || !send) return;
    event.preventDefault();
    event.stopPropagation();
    box.value = new URL(link.href, location.href).searchParams.get("ask") || link.textContent;
    box.dispatchEvent(new Event("input", {bubbles: true}));
    setTimeout(() => send.click(), 50);
  }, true);
  // Copy gives plain text, not the message's HTML: the answer with its markers, then a
  // numbered list of its sources (id and section).
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("#rag-chat button[aria-label='Copy message']") : null;
    if (!button) return;
    const answers = [...document.querySelectorAll("#rag-chat .rag-answer")]
      .filter(a => a.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
    const answer = answers[answers.length - 1];
    if (!answer || !navigator.clipboard) return;
    // Only the answer just above this button: a question's own copy button comes before it.
    const questions = [...document.querySelectorAll("#rag-chat .rag-question")]
      .filter(q => q.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
    const lastQuestion = questions[questions.length - 1];
    if (lastQuestion && answer.compareDocumentPosition(lastQuestion) & Node.DOCUMENT_POSITION_FOLLOWING) return;
    event.preventDefault();
    event.stopPropagation();
    const text = (answer.querySelector(".text") || answer).innerText.trim();
    const sources = [...answer.querySelectorAll(".sources li.source")].map((li, i) => {
      const id = li.querySelectorAll("a.cite")[1]?.textContent.replace(/[\\[\\]]/g, "") || "";
      const section = li.querySelector(".sec")?.textContent || "";
      return `[${i + 1}] ${id} ${section}`.trim();
    });
    navigator.clipboard.writeText(sources.length ? `${text}\\n\\n${sources.join("\\n")}` : text);
  }, true);
  // A live count of the question's characters against the limit, under the box.
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || !box.closest("#rag-question")) return;
    let count = document.getElementById("rag-count");
    if (!count) {
      count = document.createElement("div");
      count.id = "rag-count";
      count.setAttribute("aria-live", "polite");
      box.insertAdjacentElement("afterend", count);
    }
    const limit = %d;
    count.textContent = `${box.value.length} / ${limit}`;
    count.classList.toggle("over", box.value.length > limit);
  });
  // The source panel opens on the cited paragraph, wherever it sits among its neighbours.
  let shownTarget = null;
  new MutationObserver(() => {
    const target = document.querySelector("#rag-panel .para-view.target");
    if (!target || target === shownTarget) return;
    shownTarget = target;
    (target.querySelector("mark") || target).scrollIntoView({block: "center", behavior: "instant"});
  }).observe(document.body, {subtree: true, childList: true});
  // A new answer is shown from its top, with its question above it: the sources under it
  // never push it out of view. (The chat's own autoscroll would go to the bottom.)
  let seen = 0;
  new MutationObserver(() => {
    const answers = document.querySelectorAll("#rag-chat .rag-answer:not(.streaming)");
    if (answers.length === seen) return;
    const grew = answers.length > seen;
    seen = answers.length;
    if (!grew) return;
    const questions = document.querySelectorAll("#rag-chat .rag-question");
    const target = questions[questions.length - 1] || answers[answers.length - 1];
    target.scrollIntoView({block: "start", behavior: "instant"});
  }).observe(document.body, {subtree: true, childList: true});
}
""" % MAX_QUESTION_CHARS

LANG_JS = """() => {
  try { const saved = localStorage.getItem("rag-lang"); if (saved === "en" || saved === "zh") return saved; } catch (e) {}
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return /^zh/i.test(preferred) ? "zh" : "en";
}"""
SAVE_LANG_JS = """(lang) => { try { localStorage.setItem("rag-lang", lang); } catch (e) {} return lang; }"""

# Reads the id the click handler left, so the server receives it with the click itself.
CITE_INPUT_JS = """(query, lang) => {
  const ref = window.ragCiteRequest || query;
  window.ragCiteRequest = null;
  return [ref, lang];
}"""


@dataclass(frozen=True)
class Turn:
    """What the feedback log needs about one answered question."""

    question: str
    language: Lang
    citations: tuple[str, ...]
    message: int  # index of the answer in the chat's message list


# -- chat ------------------------------------------------------------------------------------
MODE_LABELS = {
    "generated": {"en": "Generated answer: every sentence was checked against the paragraph it cites.",
                  "zh": "生成的回答：每句话都已与所引段落核对。"},
    "fallback": {"en": "The generated answer could not be checked, so the document's own sentences are shown.",
                 "zh": "生成的回答未能通过核对，以下为原文摘录。"},
}


def reply_html(a: Answer, follow_ups: tuple[str, ...] = ()) -> str:
    """One bot message: the answer with its citation links, its sources, then questions to ask next."""
    cls = "rag-answer abstained" if a.abstained else "rag-answer"
    mode = "generated" if a.mode == "generated" else "fallback" if a.note else ""
    label = f'<p class="lbl mode">{esc(MODE_LABELS[mode][a.language])}</p>' if mode else ""
    return (f'<div class="{cls}" lang="{a.language}">{label}<p class="text">{answer_html(a)}</p>'
            f'{sources_html(a)}{follow_ups_html(follow_ups, a.language)}</div>')


FOLLOW_LABEL = {"en": "Ask next:", "zh": "接着问："}
TOPIC_QUESTION = {"en": "What does the document say about “{title}”?", "zh": "关于“{title}”有哪些内容？"}


def follow_ups(engine: Engine, a: Answer, n: int = 3) -> tuple[str, ...]:
    """Questions on the sections of the cited paragraphs and their neighbours (for a refusal, the
    sections nearest to the question), in the answer's language. Empty for a rejected question."""
    if a.message or not hasattr(engine, "retrieve"):
        return ()
    doc = engine.doc
    if a.citations:
        sections = [p.section for c in a.citations if (p := doc.get(c.id.split(" ")[-1])) is not None]
    else:
        hits = engine.retrieve(a.question, a.language, 5).hits
        sections = [h.paragraph.section for h in hits]
    near = [x for s in sections for x in (s, s + 1, s - 1)]
    by_number = {s.number: s for s in doc.sections}
    out: list[str] = []
    asked = {s for s in sections[:1]} if a.citations else set()
    for number in dict.fromkeys(near):
        sec = by_number.get(number)
        if sec is None or number in asked or not sec.title:
            continue
        title = sec.title_en if a.language == "en" and sec.title_en else sec.title
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0] + "…" if " " in title[:60] else title[:40] + "…"
        out.append(TOPIC_QUESTION[a.language].format(title=title))
        if len(out) == n:
            break
    return tuple(out)


def follow_ups_html(questions: tuple[str, ...], lang: Lang) -> str:
    """Clickable questions: the page script puts one in the box and asks it (href for the rest)."""
    if not questions:
        return ""
    links = " ".join(f'<a class="ask" href="?ask={quote(q)}">{esc(q)}</a>' for q in questions)
    return f'<p class="follow"><span class="lbl">{esc(FOLLOW_LABEL[lang])}</span> {links}</p>'


def user_html(question: str) -> str:
    """A question as typed, shown as text whatever it contains."""
    return f'<span class="rag-question">{esc(question)}</span>'


def respond(engine: Engine, question: str, chat: list[dict], turns: tuple[Turn, ...],
            lang: Lang) -> tuple[list[dict], tuple[Turn, ...], str, Lang]:
    """Answer one question in the chat; earlier questions are the context for follow-ups.

    Returns the chat, the turns, the new text of the question box and the interface language.
    Errors become a chat message, never a traceback.
    """
    final = (chat, turns, "", lang)
    for final in respond_stream(engine, question, chat, turns, lang):
        pass
    return final


def respond_stream(engine: Engine, question: str, chat: list[dict], turns: tuple[Turn, ...], ui_lang: Lang):
    """`respond`, yielding the chat as a generated answer streams in (marked as being checked),
    then the verified answer in its place. The interface language (`ui_lang`) is the user's
    choice and stays as it is; the answer follows the question's language."""
    lang = ui_lang
    if not (question or "").strip():
        yield chat, turns, "", ui_lang
        return
    chat = list(chat or [])
    user = {"role": "user", "content": user_html(question)}
    text = ""
    try:
        for part in engine.stream(question, history=[t.question for t in turns]):
            if isinstance(part, str):
                text += part
                yield chat + [user, {"role": "assistant", "content": streaming_html(text, lang)}], turns, "", ui_lang
                continue
            answer = part
        reply, lang, shown = reply_html(answer, follow_ups(engine, answer)), answer.language, answer.question
        ids = tuple(c.id for c in answer.citations)
        keep = question if answer.message else ""  # a refused question stays in the box to be edited
    except RagError as e:
        log.warning("question %r failed: %s", question[:200], e)
        lang = _language_of(question, lang)
        reply = _message_html(LABELS[lang]["error"].format(message=str(e)))
        ids, shown, keep = (), question, question
    except Exception:
        log.exception("unexpected error answering %r", question[:200])
        lang = _language_of(question, lang)
        reply, ids, shown, keep = _message_html(LABELS[lang]["oops"]), (), question, question
    chat += [{"role": "user", "content": user_html(shown)}, {"role": "assistant", "content": reply}]
    yield chat, (*turns, Turn(shown, lang, ids, len(chat) - 1)), keep, ui_lang


CHECKING = {"en": "Writing an answer; each sentence is checked against its source before it is kept…",
            "zh": "正在生成回答；每句话都会先与出处核对，核对通过才保留……"}


def streaming_html(text: str, lang: Lang) -> str:
    """A generated answer while it streams: plain escaped text, marked as not yet checked."""
    return (f'<div class="rag-answer streaming" lang="{lang}"><p class="lbl">{esc(CHECKING[lang])}</p>'
            f'<p class="text">{esc(text)}</p></div>')


def _language_of(text: str, fallback: Lang) -> Lang:
    return detect_language(text) if text.strip() else fallback


def _message_html(text: str) -> str:
    return f'<div class="rag-answer error"><p class="text">{esc(text)}</p></div>'


# -- feedback --------------------------------------------------------------------------------
def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line: O_APPEND and a single write keep lines whole across processes,
    the lock (filelock, on any OS) keeps them whole on file systems where O_APPEND alone is not
    atomic."""
    from filelock import FileLock

    data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock"):
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(errno.ENOSPC, f"only {written} of {len(data)} bytes written", str(path))
        finally:
            os.close(fd)


MAX_REASON_CHARS = 1000


def feedback_record(turn: Turn, liked: bool | str | None, now: datetime | None = None,
                    reason: str = "") -> dict[str, Any]:
    """One line of the feedback log. Gradio sends True/False (or the option's name) for a vote
    and None or "" when the user takes a vote back: that is logged as "withdrawn"."""
    votes: dict[Any, str] = {True: "up", False: "down", "Like": "up", "Dislike": "down",
                             None: "withdrawn", "": "withdrawn"}
    vote = votes.get(liked, str(liked))
    when = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    record = {"timestamp": when, "question": turn.question, "language": turn.language,
              "citations": list(turn.citations), "vote": vote}
    if reason and reason.strip():
        record["reason"] = reason.strip()[:MAX_REASON_CHARS]  # what was wrong, in the user's words
    return record


def record_feedback(path: Path, turns: tuple[Turn, ...], index: int | tuple[int, int] | list,
                    liked: bool | str | None, warn: Callable[[str], Any], reason: str = "") -> bool:
    """Log a vote on the answer at chat position `index`; `warn` tells the user if it fails."""
    position = index[0] if isinstance(index, (list, tuple)) and index else index
    if not isinstance(liked, (bool, str, type(None))) or (isinstance(liked, str) and len(liked) > 20):
        log.warning("vote with an unknown value %.80r ignored", liked)
        return False
    turn = next((t for t in turns if t.message == position), None)
    if turn is None:
        log.warning("vote on message %.80r, which is not an answer", index)
        return False
    try:
        append_jsonl(path, feedback_record(turn, liked, reason=reason if isinstance(reason, str) else ""))
    except OSError as e:
        log.error("cannot write feedback to %s: %s", path, e)
        warn(esc(LABELS[turn.language]["feedback_failed"].format(reason=e.strerror or str(e))))
        return False
    return True


# -- lookup ----------------------------------------------------------------------------------
def lookup_html(engine: Engine, query: str, lang: Lang, used: tuple[str, ...] = ()) -> str:
    """A paragraph in context, by id or by a phrase of its text; a message otherwise. `used`:
    the sentences an answer quoted from it, marked."""
    labels = LABELS[lang]
    query = (query or "").strip()
    if not query:
        return f'<p class="lookup-hint">{esc(labels["lookup_empty"])}</p>'
    try:
        # Anything that looks like an id goes to cite(), whose error lists the nearest ids.
        if parse_citation_id(query) or query.startswith("§") or not any(ch.isalpha() for ch in query):
            view = engine.cite(query)
            return cite_html(view.section_title, view.paragraph, view.context, lang, used)
        found = engine.find(query)
        if not found:
            return suggestions_html(labels["not_found"].format(phrase=query[:80]), ())
        view = engine.cite(found[0].id)
        shown = cite_html(view.section_title, view.paragraph, view.context, lang)
        if len(found) > 1:
            shown += suggestions_html(labels["also"], tuple(p.id for p in found[1:]))
        return shown
    except CitationError as e:
        return suggestions_html(str(e), e.suggestions)
    except RagError as e:
        return suggestions_html(labels["error"].format(message=str(e)), ())
    except Exception:
        log.exception("unexpected error looking up %r", query[:200])
        return suggestions_html(labels["oops"], ())


# -- API -------------------------------------------------------------------------------------
def ask_json(engine: Engine, question: str, k: int | None = None) -> dict[str, Any]:
    """The answer as `rag ask --json` prints it. A question that is not text, or a k that is
    not a whole number from 1 to 20, is refused with the reason."""
    if not isinstance(question, str):
        raise RagError(f"question must be text, got {type(question).__name__}.")
    if k is not None and k != "":
        if isinstance(k, bool) or not isinstance(k, (int, float, str)):
            raise RagError(f"k must be between 1 and 20 (a whole number), got {type(k).__name__}.")
        try:
            value = float(k)
        except ValueError:
            raise RagError(f"k must be between 1 and 20 (a whole number), got {str(k)[:20]!r}.") from None
        if not value.is_integer() or not 1 <= value <= 20:
            raise RagError(f"k must be between 1 and 20 (a whole number), got {str(k)[:20]}.")
        k = int(value)
    return engine.ask(question, k=k or None).to_json()


def cite_payload(engine: Engine, ref: str) -> dict[str, Any]:
    """A paragraph as `rag cite --json` prints it, or {error, suggestions} for an unknown id."""
    try:
        view = engine.cite(ref)
    except CitationError as e:
        return {"error": str(e), "suggestions": list(e.suggestions)}
    return cite_json(view.section_title, view.paragraph, view.context)


# -- the page --------------------------------------------------------------------------------
def header_html(engine: Engine, lang: Lang) -> str:
    m = engine.doc.metadata
    labels = LABELS[lang]
    source = " · ".join(x for x in (m.title, m.subtitle.lstrip("—- "), m.dateline) if x)
    return (f'<div class="rag-header"><h1>{esc(labels["title"])}</h1>'
            f'<p>{esc(labels["intro"])}</p><p class="lbl" lang="zh">{esc(source)}</p></div>')


def documents_html(engine: Engine, lang: Lang) -> str:
    """The documents the app answers from: key, title, kind, date and size, all escaped."""
    labels = LABELS[lang]
    engines = getattr(engine, "engines", None) or {getattr(engine, "key", ""): engine}
    head = "".join(f"<th>{esc(h)}</th>" for h in labels["docs_head"])
    rows = "".join(
        f"<tr><td>{esc(key)}</td><td lang=\"zh\">{esc(e.doc.metadata.title or e.doc.name)}</td>"
        f"<td>{esc(e.doc.metadata.kind)}</td><td>{esc(e.doc.metadata.date)}</td><td>{len(e.doc.body())}</td></tr>"
        for key, e in engines.items())
    return (f'<p class="lbl">{esc(labels["docs_note"])}</p>'
            f'<table class="docs"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>')


def contents_html(engine: Engine, lang: Lang) -> str:
    return f'<h3>{esc(LABELS[lang]["toc"])}</h3>{toc_html(engine.doc, lang, snippet=48)}'


def _api_errors(fn: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """API callers get gr.Error with a message, never a traceback."""
    import gradio as gr

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            return fn(*args, **kwargs)
        except RagError as e:
            raise gr.Error(str(e)) from None
        except Exception:
            log.exception("unexpected error in %s", fn.__name__)
            raise gr.Error("Internal error; it has been logged.") from None

    return wrapper


def create_app(engine: Engine, config: Config, analytics: bool = False) -> "gr.Blocks":
    """Build the page. Gradio 6 takes stylesheets at launch only: pass `css=CSS` to
    `demo.launch` (as `launch` does); the page script comes with the Blocks."""
    import gradio as gr

    feedback_path = config.feedback_path
    private: dict[str, Any] = {"api_visibility": "private"}  # UI events are not part of the API
    offered = examples_for(engine)
    examples = [{"text": q} for pair in zip(offered["en"], offered["zh"]) for q in pair]

    with gr.Blocks(title="Policy Q&A · 政策问答", analytics_enabled=analytics) as demo:
        turns = gr.State(())
        with gr.Row(equal_height=False):
            with gr.Column(scale=5):
                header = gr.HTML(header_html(engine, "en"))
            with gr.Column(scale=1, min_width=180):
                # The interface language: the browser's, or the user's saved choice (LANG_JS).
                lang = gr.Radio([("English", "en"), ("中文", "zh")], value="en", label="Language · 语言",
                                elem_id="rag-lang")
        with gr.Tabs(selected="chat", elem_id="rag-tabs") as tabs:
            with gr.Tab(LABELS["en"]["chat_tab"], id="chat", elem_id="rag-chat-tab") as chat_tab:
                chatbot = gr.Chatbot(
                    label=LABELS["en"]["chatbot"], show_label=False, elem_id="rag-chat", height=600, examples=examples,
                    placeholder=PLACEHOLDER,
                    # Messages are HTML built from escaped pieces: no Markdown (so "*" or "#" in a
                    # question stay as typed), no LaTeX, no custom tags; sanitizing stays on as a
                    # second line of defence.
                    render_markdown=False, sanitize_html=True, latex_delimiters=[], allow_tags=False,
                    feedback_options=("Like", "Dislike"), buttons=["copy"], autoscroll=False,
                )
                with gr.Row():
                    # No autofocus: it would scroll the first view past the title. No hard cap in the
                    # box either (a pasted text would be cut): the page script counts, and a question
                    # over the limit is refused with a message while its text stays in the box.
                    question = gr.Textbox(label=LABELS["en"]["question"], placeholder=LABELS["en"]["placeholder"],
                                          elem_id="rag-question", scale=8)
                    send = gr.Button(LABELS["en"]["send"], variant="primary", scale=1, elem_id="rag-send")
                    clear = gr.Button(LABELS["en"]["clear"], scale=1, elem_id="rag-clear")
                with gr.Row(visible=False, elem_id="rag-reason-row") as reason_row:
                    reason = gr.Textbox(label=LABELS["en"]["why_wrong"], elem_id="rag-reason", scale=8,
                                        max_length=MAX_REASON_CHARS, max_lines=4)
                    reason_send = gr.Button(LABELS["en"]["send_reason"], scale=1, elem_id="rag-reason-send")
                reason_for = gr.State(None)  # the chat position of the answer the reason is about
            with gr.Tab(LABELS["en"]["lookup_tab"], id="lookup", elem_id="rag-lookup-tab") as lookup_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3):
                        with gr.Row():
                            query = gr.Textbox(label=LABELS["en"]["lookup"], elem_id="rag-query", scale=5,
                                               placeholder=LABELS["en"]["lookup_placeholder"])
                            show = gr.Button(LABELS["en"]["lookup_go"], scale=1, elem_id="rag-show")
                        result = gr.HTML(lookup_html(engine, "", "en"), elem_id="rag-lookup")
                    with gr.Column(scale=2):
                        toc = gr.HTML(contents_html(engine, "en"), elem_id="rag-toc", elem_classes="toc-box")
            with gr.Tab(LABELS["en"]["docs_tab"], id="docs", elem_id="rag-docs-tab") as docs_tab:
                docs = gr.HTML(documents_html(engine, "en"), elem_id="rag-docs")
        # The source panel: beside the chat on a wide screen, over it on a phone.
        with gr.Sidebar(label=LABELS["en"]["panel"], open=False, position="right", width=440,
                        elem_id="rag-panel") as panel:
            panel_view = gr.HTML(elem_id="rag-panel-view")
        # Clicked by the page script; they must exist in the DOM, hence "hidden", not False.
        cite_go = gr.Button("cite", visible="hidden", elem_id="rag-cite-go")
        panel_close = gr.Button("close", visible="hidden", elem_id="rag-panel-close")
        look_go = gr.Button("look", visible="hidden", elem_id="rag-look-go")

        # Internal event names must not clash with the API's "ask" and "cite", or Gradio renames those.
        def chat_turn(q: str, chat: list[dict], past: tuple[Turn, ...], current: Lang):
            yield from respond_stream(engine, q, chat, past, current)

        # The conversation is kept in the browser (localStorage), so a reload does not lose it.
        saved = gr.BrowserState({}, storage_key="rag-conversation")

        def save(chat: list[dict], past: tuple[Turn, ...]) -> dict:
            return {"chat": list(chat or [])[-200:], "turns": [t.__dict__ | {"citations": list(t.citations)}
                                                               for t in past][-100:]}

        def restore(kept: dict):
            try:
                chat = [{"role": m["role"], "content": m.get("content")} for m in (kept or {}).get("chat", [])
                        if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
                past = tuple(Turn(str(t["question"]), t["language"] if t.get("language") in ("en", "zh") else "en",
                                  tuple(map(str, t.get("citations", ()))), int(t["message"]))
                             for t in (kept or {}).get("turns", []))
            except (KeyError, TypeError, ValueError):
                return [], ()  # a damaged saved conversation starts afresh
            return chat, past

        chat_io = dict(inputs=[question, chatbot, turns, lang], outputs=[chatbot, turns, question, lang])
        for event in (question.submit, send.click):
            event(chat_turn, **chat_io, show_progress="minimal", **private).then(
                save, inputs=[chatbot, turns], outputs=[saved], **private)
        demo.load(restore, inputs=[saved], outputs=[chatbot, turns], **private)

        def ask_example(chat: list[dict], past: tuple[Turn, ...], current: Lang, evt: gr.SelectData):
            text = evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)
            yield from chat_turn(text, chat, past, current)

        chatbot.example_select(ask_example, inputs=[chatbot, turns, lang],
                               outputs=[chatbot, turns, question, lang], **private).then(
            save, inputs=[chatbot, turns], outputs=[saved], **private)
        clear.click(lambda: ([], (), "", {}), outputs=[chatbot, turns, question, saved], **private)
        chatbot.clear(lambda: ((), {}), outputs=[turns, saved], **private)  # the chat's own bin icon

        def vote(past: tuple[Turn, ...], current: Lang, data: gr.LikeData):
            saved = record_feedback(feedback_path, past, data.index, data.liked, gr.Warning)
            disliked = saved and data.liked in (False, "Dislike")
            if saved:
                gr.Info(LABELS[current]["thanks"])
            # A 👎 opens an optional "what was wrong?" box for that answer.
            return (gr.Row(visible=disliked), data.index if disliked else None,
                    gr.Textbox(value="", label=LABELS[current]["why_wrong"]))

        def send_reason(past: tuple[Turn, ...], index, text: str, current: Lang):
            if index is not None and (text or "").strip():
                if record_feedback(feedback_path, past, index, "Dislike", gr.Warning, reason=text):
                    gr.Info(LABELS[current]["thanks_reason"])
            return gr.Row(visible=False), None, ""

        chatbot.like(vote, inputs=[turns, lang], outputs=[reason_row, reason_for, reason], **private)
        reason_send.click(send_reason, inputs=[turns, reason_for, reason, lang],
                          outputs=[reason_row, reason_for, reason], **private)
        reason.submit(send_reason, inputs=[turns, reason_for, reason, lang],
                      outputs=[reason_row, reason_for, reason], **private)

        def relabel(new: Lang):
            labels = LABELS[new]
            return (gr.Tab(label=labels["docs_tab"]), documents_html(engine, new),
                    gr.Textbox(label=labels["why_wrong"]), gr.Button(labels["send_reason"]), *relabel_rest(new))

        def relabel_rest(new: Lang):
            labels = LABELS[new]
            return (header_html(engine, new), gr.Chatbot(label=labels["chatbot"]),
                    gr.Textbox(label=labels["question"], placeholder=labels["placeholder"]),
                    gr.Button(labels["send"]), gr.Button(labels["clear"]),
                    gr.Tab(label=labels["chat_tab"]), gr.Tab(label=labels["lookup_tab"]),
                    gr.Textbox(label=labels["lookup"], placeholder=labels["lookup_placeholder"]),
                    gr.Button(labels["lookup_go"]), contents_html(engine, new))

        lang.change(relabel, inputs=[lang],
                    outputs=[docs_tab, docs, reason, reason_send, header, chatbot, question, send, clear, chat_tab, lookup_tab,
                             query, show, toc], show_progress="hidden", **private)

        def look(q: str, current: Lang) -> str:
            return lookup_html(engine, q, current)

        query.submit(look, inputs=[query, lang], outputs=[result], **private)
        show.click(look, inputs=[query, lang], outputs=[result], **private)

        def open_cite(request: str, current: Lang):
            """A citation opens in the source panel beside the chat, the quoted sentence marked.
            The script sends the href's "4.4" (the sanitizer drops data attributes), then, after
            \x01, the sentence the marker previews."""
            ref, _, quoted = (request or "").partition("\x01")
            shown = lookup_html(engine, ref[:64], current, (quoted[:500],) if quoted else ())
            return parse_citation_id(ref[:64]) or ref[:64], shown, gr.Sidebar(open=True)

        cite_go.click(open_cite, inputs=[query, lang], outputs=[query, panel_view, panel], js=CITE_INPUT_JS,
                      scroll_to_output=True, **private)

        def open_in_lookup(ref: str, current: Lang):
            """A citation clicked in the lookup tab (its contents, a paragraph) opens there."""
            ref = (ref or "").partition("\x01")[0][:64]
            return parse_citation_id(ref) or ref, lookup_html(engine, ref, current), gr.Tabs(selected="lookup")

        look_go.click(open_in_lookup, inputs=[query, lang], outputs=[query, result, tabs], js=CITE_INPUT_JS,
                      scroll_to_output=True, **private)

        def on_load(current: Lang, request: gr.Request):
            ref = (request.query_params.get("cite") or "").strip() if request else ""
            if not ref:
                return gr.skip(), gr.skip(), gr.skip()
            return open_in_lookup(ref, current)  # a shared link opens the app on that paragraph

        demo.load(on_load, inputs=[lang], outputs=[query, result, tabs], **private)
        panel_close.click(lambda: gr.Sidebar(open=False), outputs=[panel], **private)
        demo.load(None, js=CLICK_JS)  # browser-only: installs the citation click handler
        # The interface language: the user's saved choice, else the browser's preferred language.
        demo.load(None, outputs=[lang], js=LANG_JS)
        lang.input(None, inputs=[lang], js=SAVE_LANG_JS, **private)

        def ask_api(question: str, k: int | None = None) -> dict:
            """
            Parameters:
                question: the question, in English or Chinese
                k: how many paragraphs to cite, 1 to 20 (default: the server's RAG_K, 3)
            """
            return ask_json(engine, question, k)

        def cite_api(ref: str) -> dict:
            """
            Parameters:
                ref: a paragraph id: §2.4, 2.4 or 2-4
            """
            return cite_payload(engine, ref)

        gr.api(_api_errors(ask_api), api_name="ask",
               api_description="Answer a question (English or Chinese) from the interview; "
                               "returns the same JSON as `rag ask --json`.")
        gr.api(_api_errors(cite_api), api_name="cite",
               api_description="A paragraph by id (§2.4, 2.4 or 2-4) with its neighbours, as `rag cite --json`; "
                               "{error, suggestions} for an unknown id.")
    return demo


# -- serving ---------------------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def basic_auth(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(user, password) from RAG_AUTH_USER / RAG_AUTH_PASSWORD; never from a flag, which `ps` shows."""
    user, password = env.get("RAG_AUTH_USER") or "", env.get("RAG_AUTH_PASSWORD") or ""
    if bool(user) != bool(password):
        raise RagError("Set both RAG_AUTH_USER and RAG_AUTH_PASSWORD to require a login, or neither.")
    return (user, password) if user else None


def launch(config: Config) -> None:
    """Open the engine (building the index if needed) and serve the app until interrupted."""
    # Not in Config: the password must not show in its repr, and analytics is Gradio's own switch.
    analytics = os.environ.get("RAG_ANALYTICS") == "1"
    if not analytics:
        os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    # Gradio's file cache defaults to the system's temporary folder; keep it in the project's.
    os.environ.setdefault("GRADIO_TEMP_DIR", str(config.index_path / "gradio-tmp"))
    auth = basic_auth(os.environ)
    if not is_loopback(config.host):
        log.warning("binding %s: the app is reachable from other machines%s", config.host,
                    "" if auth else "; set RAG_AUTH_USER and RAG_AUTH_PASSWORD to require a login")
    from starlette.middleware import Middleware

    from .guard import Guard
    from .library import open_engine

    engine = open_engine(config)
    demo = create_app(engine, config, analytics=analytics)
    demo.queue(default_concurrency_limit=CONCURRENCY, max_size=QUEUE_SIZE)
    try:
        demo.launch(
            server_name=config.host, server_port=config.port, share=False, auth=auth,
            prevent_thread_lock=True, quiet=True, show_error=False, ssr_mode=False, pwa=False,
            mcp_server=False, enable_monitoring=False, run_history=False, inbrowser=False,
            css=CSS, footer_links=["api", "gradio"],
            app_kwargs={"middleware": [Middleware(Guard)]},  # no uploads, a body cap, safe headers
        )
    except OSError as e:
        reason = str(e).split(". ")[0]  # Gradio's message goes on to suggest its own variables
        raise RagError(f"Cannot serve on {config.host}:{config.port}: {reason}. "
                       f"Choose another port with --port or RAG_PORT.") from e
    host = f"[{config.host}]" if ":" in config.host else config.host
    log.info("serving on http://%s:%d", host, config.port)
    try:
        demo.block_thread()
    finally:
        demo.close()
