"""The browser app: a bilingual chat over the Engine, a source panel, a citation lookup, and a JSON API.

    demo = create_app(engine, config)   # build the page (gr.Blocks)
    launch(config)                      # open the engine once and serve it

The handlers are plain functions of the engine (`chat`, `feedback`, `views`), so tests call
them without a server; `app` wires them into a Gradio page and `serve` runs it. Gradio is
imported inside the functions that need it: it is slow to import.

Everything shown is escaped HTML built from `rag.render`; the chat renders messages as HTML
without Markdown, so a question appears exactly as typed. Citation links are plain
`<a class="cite" href="?cite=2.4">`: the page script (`page.js`) opens a click in the source
panel, and without the script (or on a middle-click) the link opens the app on that paragraph.
"""

from .app import CONCURRENCY, create_app
from .chat import Turn, follow_ups, follow_ups_html, reply_html, respond, respond_stream, streaming_html, user_html
from .feedback import MAX_REASON_CHARS, Ballots, append_jsonl, feedback_record, record_feedback
from .labels import LABELS, examples_for
from .serve import is_loopback, launch
from .views import ask_json, cite_payload, contents_html, documents_html, header_html, lookup_html

__all__ = [
    "Ballots", "CONCURRENCY", "LABELS", "MAX_REASON_CHARS", "Turn", "append_jsonl", "ask_json",
    "cite_payload", "contents_html", "create_app", "documents_html", "examples_for", "feedback_record",
    "follow_ups", "follow_ups_html", "header_html", "is_loopback", "launch", "lookup_html", "record_feedback",
    "reply_html", "respond", "respond_stream", "streaming_html", "user_html",
]
