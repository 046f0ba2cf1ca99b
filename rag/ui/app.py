"""The page: Gradio Blocks wiring the chat, the source panel, the lookup and the API to the handlers.

The page's style and script live beside this file (`page.css`, `page.js`).
"""

import logging
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..config import MAX_QUESTION_CHARS, Config
from ..document import Lang
from ..engine import Engine, parse_citation_id
from ..errors import RagError
from ..library import LiveLibrary, catalog_of, within
from .chat import Turn, respond_stream
from .feedback import MAX_REASON_CHARS, Ballots, record_feedback
from .labels import LABELS, PLACEHOLDER, examples_for
from .uploads import may_change_page
from .views import (_api_errors, ask_json, cite_payload, contents_html, documents_html, header_html, lookup_html,
                    page_status)

if TYPE_CHECKING:
    import gradio as gr

# Two workers for a 2-core machine: the embedder serializes its own calls, so a second
# worker only lets a cheap lookup or a feedback write pass a running question; more would
# queue inside the engine anyway. Up to Config.queue_size (64) wait; then new ones are refused.
CONCURRENCY = 2

CSS = resources.files(__package__).joinpath("page.css").read_text(encoding="utf-8")
# Runs once when the page loads: citation clicks open the source panel (or the lookup tab),
# suggested questions are asked, copy gives plain text or Markdown, the box counts characters,
# and a new answer is shown from its top.
PAGE_JS = (resources.files(__package__).joinpath("page.js").read_text(encoding="utf-8")
           .replace("__MAX_QUESTION_CHARS__", str(MAX_QUESTION_CHARS)))

LANG_JS = """() => {
  try { const saved = localStorage.getItem("rag-lang"); if (saved === "en" || saved === "zh") return saved; } catch (e) {}
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || "en";
  return /^zh/i.test(preferred) ? "zh" : "en";
}"""
SAVE_LANG_JS = """(lang) => { try { localStorage.setItem("rag-lang", lang); } catch (e) {} return lang; }"""
# Reads what the page script says its add or remove did, so the list is drawn with it.
DOCS_INPUT_JS = """(said, lang, looked) => {
  const message = window.ragDocsMessage || "";
  window.ragDocsMessage = null;
  return [message, lang, looked];
}"""

# Reads the id the click handler left, so the server receives it with the click itself.
CITE_INPUT_JS = """(query, lang) => {
  const ref = window.ragCiteRequest || query;
  window.ragCiteRequest = null;
  return [ref, lang];
}"""


class Page:
    """The page's components, set by `_layout` and connected by the `_wire_*` functions.
    (A plain holder: Gradio creates components inside its layout contexts, one at a time.)"""

    # header, state and language
    turns: Any
    saved: Any
    lang: Any
    header: Any
    # the chat tab
    tabs: Any
    chat_tab: Any
    chatbot: Any
    question: Any
    send: Any
    clear: Any
    reason_row: Any
    reason: Any
    reason_send: Any
    reason_for: Any
    scope: Any
    # the lookup and documents tabs
    lookup_tab: Any
    query: Any
    show: Any
    result: Any
    toc: Any
    docs_tab: Any
    docs: Any
    docs_said: Any
    docs_go: Any
    # the source panel and the buttons the page script clicks
    panel: Any
    panel_view: Any
    cite_go: Any
    panel_close: Any
    look_go: Any


log = logging.getLogger(__name__)
PRIVATE: dict[str, Any] = {"api_visibility": "private"}  # UI events are not part of the API


def create_app(engine: "Engine | LiveLibrary", config: Config, analytics: bool = False) -> "gr.Blocks":
    """Build the page. Gradio 6 takes stylesheets at launch only: pass `css=CSS` to
    `demo.launch` (as `launch` does); the page script comes with the Blocks.

    Every event asks `demo.live_library` for the engine, so the page follows the library as
    documents are added or removed (in its Documents tab, rag.ui.uploads, or by `rag add`)."""
    import gradio as gr

    live = engine if isinstance(engine, LiveLibrary) else LiveLibrary(config, engine)
    with gr.Blocks(title="Policy Q&A · 政策问答", analytics_enabled=analytics) as demo:
        page = Page()
        _layout(page, live.current(), _examples(live.current(), "en"))
        _wire_chat(demo, page, live)
        _wire_feedback(page, config.feedback_path, config.feedback_max_bytes)
        _wire_language(demo, page, live, config)
        _wire_lookup(demo, page, live)
        _wire_documents(demo, page, live, config)
        _wire_api(live)
        demo.load(None, js=PAGE_JS)  # browser-only: citation clicks, copy, focus, the counter
    demo.live_library = live  # launch serves the upload routes over it
    return demo


def _examples(engine: Engine, lang: Lang) -> list[dict]:
    """The example questions offered in the chat, for the library as it is now, in the
    interface's language."""
    return [{"text": q} for q in examples_for(engine)[lang]]


def _layout(page: Page, engine: Engine, examples: list[dict]) -> None:
    """The header and language switch, the three tabs, and the source panel."""
    import gradio as gr

    labels = LABELS["en"]
    page.turns = gr.State(())
    with gr.Row(equal_height=False):
        with gr.Column(scale=5):
            page.header = gr.HTML(header_html(engine, "en"))
        with gr.Column(scale=1, min_width=180):
            # The interface language: the browser's, or the user's saved choice (LANG_JS).
            page.lang = gr.Radio([("English", "en"), ("中文", "zh")], value="en", label="Language · 语言",
                                 elem_id="rag-lang")
    with gr.Tabs(selected="chat", elem_id="rag-tabs") as page.tabs:
        with gr.Tab(labels["chat_tab"], id="chat", elem_id="rag-chat-tab") as page.chat_tab:
            _chat_tab(page, examples)
        with gr.Tab(labels["lookup_tab"], id="lookup", elem_id="rag-lookup-tab") as page.lookup_tab:
            with gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    with gr.Row():
                        page.query = gr.Textbox(label=labels["lookup"], elem_id="rag-query", scale=5,
                                                placeholder=labels["lookup_placeholder"])
                        page.show = gr.Button(labels["lookup_go"], scale=1, elem_id="rag-show")
                    page.result = gr.HTML(lookup_html(engine, "", "en"), elem_id="rag-lookup")
                with gr.Column(scale=2):
                    page.toc = gr.HTML(contents_html(engine, "en"), elem_id="rag-toc", elem_classes="toc-box")
        with gr.Tab(labels["docs_tab"], id="docs", elem_id="rag-docs-tab") as page.docs_tab:
            page.docs = gr.HTML(documents_html(engine, "en"), elem_id="rag-docs")
            # What the page script's add or remove did (DOCS_INPUT_JS), and the list drawn again.
            page.docs_said = gr.Textbox(visible="hidden", elem_id="rag-docs-said")
            page.docs_go = gr.Button("documents", visible="hidden", elem_id="rag-docs-go")
    # The source panel: beside the chat on a wide screen, a bottom sheet on a phone (page.css).
    with gr.Sidebar(label=labels["panel"], open=False, position="right", width=440, elem_id="rag-panel") as page.panel:
        page.panel_view = gr.HTML(elem_id="rag-panel-view")
    # Clicked by the page script; they must exist in the DOM, hence "hidden", not False.
    page.cite_go = gr.Button("cite", visible="hidden", elem_id="rag-cite-go")
    page.panel_close = gr.Button("close", visible="hidden", elem_id="rag-panel-close")
    page.look_go = gr.Button("look", visible="hidden", elem_id="rag-look-go")
    # The conversation is kept in the browser (localStorage), so a reload does not lose it.
    page.saved = gr.BrowserState({}, storage_key="rag-conversation")


def _chat_tab(page: Page, examples: list[dict]) -> None:
    import gradio as gr

    labels = LABELS["en"]
    page.chatbot = gr.Chatbot(
        label=labels["chatbot"], show_label=False, elem_id="rag-chat", height=600, examples=examples,
        placeholder=PLACEHOLDER,
        # Messages are HTML built from escaped pieces: no Markdown (so "*" or "#" in a question
        # stay as typed), no LaTeX, no custom tags; sanitizing stays on as a second line of defence.
        render_markdown=False, sanitize_html=True, latex_delimiters=[], allow_tags=False,
        feedback_options=("Like", "Dislike"), buttons=["copy"], autoscroll=False,
    )
    with gr.Row():
        # No autofocus: it would scroll the first view past the title. No hard cap in the box
        # either (a pasted text would be cut): the page script counts, and a question over the
        # limit is refused with a message while its text stays in the box.
        page.question = gr.Textbox(label=labels["question"], placeholder=labels["placeholder"],
                                   elem_id="rag-question", scale=8)
        page.send = gr.Button(labels["send"], variant="primary", scale=1, elem_id="rag-send")
        page.clear = gr.Button(labels["clear"], scale=1, elem_id="rag-clear")
    with gr.Row(visible=False, elem_id="rag-reason-row") as page.reason_row:
        page.reason = gr.Textbox(label=labels["why_wrong"], elem_id="rag-reason", scale=8,
                                 max_length=MAX_REASON_CHARS, max_lines=4)
        page.reason_send = gr.Button(labels["send_reason"], scale=1, elem_id="rag-reason-send")
    page.reason_for = gr.State(None)  # the chat position of the answer the reason is about
    # Which documents answer: shown when the library holds more than one (drawn at page load).
    page.scope = gr.Dropdown([(labels["all_docs"], "")], value="", label=labels["scope"], elem_id="rag-scope",
                             visible=False, interactive=True)


def scope_choice(engine, lang: Lang):
    """The "answer from" list: the whole library, then each document by key and title."""
    import gradio as gr

    labels = LABELS[lang]
    listed = catalog_of(engine) if getattr(engine, "engines", None) else ()
    choices = [(labels["all_docs"], "")] + [(f"{e.key} · {(e.title or e.key)[:40]}", e.key) for e in listed]
    return gr.Dropdown(choices=choices, value="", label=labels["scope"], visible=len(listed) > 1)


def saved_conversation(chat: list[dict], past: tuple[Turn, ...]) -> dict:
    """What the browser keeps of a conversation: its last 200 messages and 100 turns."""
    return {"chat": list(chat or [])[-200:],
            "turns": [t.__dict__ | {"citations": list(t.citations)} for t in past][-100:]}


def restored_conversation(kept: dict) -> tuple[list[dict], tuple[Turn, ...]]:
    """The conversation the browser kept; a damaged one starts afresh."""
    try:
        chat = [{"role": m["role"], "content": m.get("content")} for m in (kept or {}).get("chat", [])
                if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
        past = tuple(Turn(str(t["question"]), t["language"] if t.get("language") in ("en", "zh") else "en",
                          tuple(map(str, t.get("citations", ()))), int(t["message"]))
                     for t in (kept or {}).get("turns", []))
    except (KeyError, TypeError, ValueError, AttributeError):
        return [], ()
    return chat, past


def _wire_chat(demo, page: Page, live: LiveLibrary) -> None:
    """Asking (Enter, the button, an example), saving and restoring, and a new conversation."""
    import gradio as gr

    # Internal event names must not clash with the API's "ask" and "cite", or Gradio renames those.
    def chat_turn(q: str, chat: list[dict], past: tuple[Turn, ...], current: Lang, scope: str | None):
        engine = live.current()
        try:
            engine = within(engine, scope)
        except RagError as e:  # the document was removed since the page was drawn: ask them all
            log.info("answering from the whole library: %s", e)
        yield from respond_stream(engine, q, chat, past, current)

    def ask_example(chat: list[dict], past: tuple[Turn, ...], current: Lang, scope: str | None, evt: gr.SelectData):
        text = evt.value.get("text", "") if isinstance(evt.value, dict) else str(evt.value)
        yield from chat_turn(text, chat, past, current, scope)

    save = dict(fn=saved_conversation, inputs=[page.chatbot, page.turns], outputs=[page.saved], **PRIVATE)
    io = dict(inputs=[page.question, page.chatbot, page.turns, page.lang, page.scope],
              outputs=[page.chatbot, page.turns, page.question, page.lang])
    for event in (page.question.submit, page.send.click):
        event(chat_turn, **io, show_progress="minimal", **PRIVATE).then(**save)
    page.chatbot.example_select(ask_example, inputs=io["inputs"][1:], outputs=io["outputs"], **PRIVATE).then(**save)
    demo.load(lambda current: scope_choice(live.current(), current), inputs=[page.lang], outputs=[page.scope],
              **PRIVATE)

    def restore(kept: dict):  # nothing kept: leave the chat be, a question asked meanwhile stays
        return restored_conversation(kept) if (kept or {}).get("chat") else (gr.skip(), gr.skip())

    demo.load(restore, inputs=[page.saved], outputs=[page.chatbot, page.turns], **PRIVATE)
    page.clear.click(lambda: ([], (), "", {}), outputs=[page.chatbot, page.turns, page.question, page.saved], **PRIVATE)
    page.chatbot.clear(lambda: ((), {}), outputs=[page.turns, page.saved], **PRIVATE)  # the chat's own bin icon


def _wire_feedback(page: Page, feedback_path, max_bytes: int) -> None:
    """👍/👎 with a thanks; a 👎 opens an optional "what was wrong?" box, saved with the vote.
    One vote per session and answer is kept (Ballots); the file rotates at `max_bytes`."""
    import gradio as gr

    ballots = Ballots()

    def save(past, index, liked, reason: str, request: gr.Request | None) -> bool:
        session = getattr(request, "session_hash", "") or ""
        return record_feedback(feedback_path, past, index, liked, gr.Warning, reason=reason, session=session,
                               ballots=ballots, max_bytes=max_bytes)

    def vote(past: tuple[Turn, ...], current: Lang, data: gr.LikeData, request: gr.Request):
        saved = save(past, data.index, data.liked, "", request)
        disliked = saved and data.liked in (False, "Dislike")
        if saved:
            gr.Info(LABELS[current]["thanks"])
        return (gr.Row(visible=disliked), data.index if disliked else None,
                gr.Textbox(value="", label=LABELS[current]["why_wrong"]))

    def send_reason(past: tuple[Turn, ...], index, text: str, current: Lang, request: gr.Request):
        if index is not None and (text or "").strip():
            if save(past, index, "Dislike", text, request):
                gr.Info(LABELS[current]["thanks_reason"])
        return gr.Row(visible=False), None, ""

    box = [page.reason_row, page.reason_for, page.reason]
    page.chatbot.like(vote, inputs=[page.turns, page.lang], outputs=box, **PRIVATE)
    for event in (page.reason_send.click, page.reason.submit):
        event(send_reason, inputs=[page.turns, page.reason_for, page.reason, page.lang], outputs=box, **PRIVATE)


def _wire_language(demo, page: Page, live: LiveLibrary, config: Config) -> None:
    """The interface language: the saved choice, else the browser's; every label follows it."""
    import gradio as gr

    def relabel(new: Lang, looked: str, request: gr.Request):
        labels = LABELS[new]
        engine = live.current()
        docs = documents_html(engine, new, may_change_page(config, request), config.max_upload_bytes)
        return (gr.Tab(label=labels["docs_tab"]), docs,
                gr.Textbox(label=labels["why_wrong"]), gr.Button(labels["send_reason"]),
                header_html(engine, new), gr.Chatbot(label=labels["chatbot"], examples=_examples(engine, new)),
                gr.Textbox(label=labels["question"], placeholder=labels["placeholder"]),
                gr.Button(labels["send"]), gr.Button(labels["clear"]),
                gr.Tab(label=labels["chat_tab"]), gr.Tab(label=labels["lookup_tab"]),
                gr.Textbox(label=labels["lookup"], placeholder=labels["lookup_placeholder"]),
                gr.Button(labels["lookup_go"]), contents_html(engine, new, looked), gr.Dropdown(label=labels["scope"]))

    outputs = [page.docs_tab, page.docs, page.reason, page.reason_send, page.header, page.chatbot, page.question,
               page.send, page.clear, page.chat_tab, page.lookup_tab, page.query, page.show, page.toc, page.scope]
    page.lang.change(relabel, inputs=[page.lang, page.query], outputs=outputs, show_progress="hidden", **PRIVATE)
    demo.load(None, outputs=[page.lang], js=LANG_JS)
    page.lang.input(None, inputs=[page.lang], js=SAVE_LANG_JS, **PRIVATE)


def _wire_lookup(demo, page: Page, live: LiveLibrary) -> None:
    """The lookup tab, the source panel (a citation clicked in the chat), and ?cite= links."""
    import gradio as gr

    def look(q: str, current: Lang):
        """A paragraph looked up, and beside it the contents of its document."""
        engine = live.current()
        toc = contents_html(engine, current, q) if parse_citation_id((q or "")[:64]) else gr.skip()  # a phrase: as it was
        return lookup_html(engine, q, current), toc

    def open_cite(request: str, current: Lang):
        """A citation opens in the source panel beside the chat, the quoted sentences marked.
        The script sends the href's "4.4" (the sanitizer drops data attributes), then, each
        after \x01, the sentences the answer quotes from it."""
        ref, *quoted = (request or "")[:8000].split("\x01")
        shown = lookup_html(live.current(), ref[:64], current, tuple(q[:600] for q in quoted[:6] if q))
        return parse_citation_id(ref[:64]) or ref[:64], shown, gr.Sidebar(open=True)

    def open_in_lookup(ref: str, current: Lang):
        """A citation clicked in the lookup tab (its contents, a paragraph) opens there."""
        ref = (ref or "").partition("\x01")[0][:64]
        engine = live.current()
        return (parse_citation_id(ref) or ref, lookup_html(engine, ref, current), gr.Tabs(selected="lookup"),
                contents_html(engine, current, ref))

    def on_load(current: Lang, request: gr.Request):
        ref = (request.query_params.get("cite") or "").strip() if request else ""
        if not ref:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return open_in_lookup(ref, current)  # a shared link opens the app on that paragraph

    for event in (page.query.submit, page.show.click):
        event(look, inputs=[page.query, page.lang], outputs=[page.result, page.toc], **PRIVATE)
    page.cite_go.click(open_cite, inputs=[page.query, page.lang], outputs=[page.query, page.panel_view, page.panel],
                       js=CITE_INPUT_JS, scroll_to_output=True, **PRIVATE)
    in_lookup = [page.query, page.result, page.tabs, page.toc]
    page.look_go.click(open_in_lookup, inputs=[page.query, page.lang], outputs=in_lookup, js=CITE_INPUT_JS,
                       scroll_to_output=True, **PRIVATE)
    demo.load(on_load, inputs=[page.lang], outputs=in_lookup, **PRIVATE)
    page.panel_close.click(lambda: gr.Sidebar(open=False), outputs=[page.panel], **PRIVATE)


def _wire_documents(demo, page: Page, live: LiveLibrary, config: Config) -> None:
    """The Documents tab: the list as the library is now, with the add and remove buttons for
    whoever may use them (rag.ui.uploads); drawn again when the tab is opened and after each
    add or remove (the page script clicks docs_go)."""
    import gradio as gr

    def show(said: str, current: Lang, request: gr.Request) -> str:
        status, failed = page_status(said)
        return documents_html(live.current(), current, may_change_page(config, request), config.max_upload_bytes,
                              status, failed)

    def opened(current: Lang, request: gr.Request) -> str:  # the tab, or the page: a CLI's change shows
        return show("", current, request)

    def loaded(current: Lang, request: gr.Request):  # the header, examples and contents follow the library as it is now
        engine = live.current()
        looked = (request.query_params.get("cite") or "") if request else ""  # a shared link's document
        return (opened(current, request), header_html(engine, current), gr.Chatbot(examples=_examples(engine, current)),
                contents_html(engine, current, looked))

    def redrawn(said: str, current: Lang, looked: str, request: gr.Request):  # after an add or remove
        engine = live.current()
        return (show(said, current, request), header_html(engine, current), scope_choice(engine, current),
                gr.Chatbot(examples=_examples(engine, current)), contents_html(engine, current, looked))

    page.docs_go.click(redrawn, inputs=[page.docs_said, page.lang, page.query],
                       outputs=[page.docs, page.header, page.scope, page.chatbot, page.toc],
                       js=DOCS_INPUT_JS, show_progress="hidden", **PRIVATE)
    page.docs_tab.select(opened, inputs=[page.lang], outputs=[page.docs], show_progress="hidden", **PRIVATE)
    demo.load(loaded, inputs=[page.lang], outputs=[page.docs, page.header, page.chatbot, page.toc], **PRIVATE)


def _wire_api(live: LiveLibrary) -> None:
    """The JSON API: /ask and /cite, as `rag ask --json` and `rag cite --json` print them."""
    import gradio as gr

    def ask_api(question: str, k: int | None = None, document: str | None = None) -> dict:
        """
        Parameters:
            question: the question, in English or Chinese
            k: how many paragraphs to cite, 1 to 20 (default: the server's RAG_K, 3)
            document: a document's key, to answer from it alone (default: the whole library)
        """
        return ask_json(live.current(), question, k, document)

    def cite_api(ref: str) -> dict:
        """
        Parameters:
            ref: a paragraph id: §2.4, 2.4 or 2-4
        """
        return cite_payload(live.current(), ref)

    gr.api(_api_errors(ask_api), api_name="ask",
           api_description="Answer a question (English or Chinese) from the library's documents; "
                           "returns the same JSON as `rag ask --json`.")
    gr.api(_api_errors(cite_api), api_name="cite",
           api_description="A paragraph by id (§2.4, 2.4 or 2-4) with its neighbours, as `rag cite --json`; "
                           "{error, suggestions} for an unknown id.")
