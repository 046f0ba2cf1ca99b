"""The chat: one question in, the chat's messages out, as escaped HTML built from `rag.render`."""

import logging
import re
from dataclasses import dataclass, replace
from urllib.parse import quote

from ..answer import PART_LINE, section_name
from ..document import Answer, Lang
from ..engine import Engine
from ..errors import RagError
from ..library import origin_of
from ..render import answer_sentences, esc, searched_as, sources_html
from ..retrieve.article import own_names
from ..text import detect_language
from .labels import (CHECKING, FOLLOW_LABEL, LABELS, MODE_LABELS, TOPIC_GLOSSED, TOPIC_GLOSSED_IN_DOCUMENT,
                     TOPIC_IN_DOCUMENT, TOPIC_QUESTION, examples_for)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Turn:
    """What the feedback log needs about one answered question."""

    question: str
    language: Lang
    citations: tuple[str, ...]
    message: int  # index of the answer in the chat's message list



SHOWN_SENTENCES = 3  # a longer answer folds the rest under "Show more"


def reply_html(a: Answer, follow_ups: tuple[str, ...] = (), origin: str = "") -> str:
    """One bot message: the answer's first sentences with their markers (the rest folded), the
    documents it quotes (`origin`, rag.library.origin_of), its sources, a copy-as-Markdown action, then
    questions to ask next."""
    cls = "rag-answer abstained" if a.abstained else "rag-answer"
    labels = LABELS[a.language]
    mode = "generated" if a.mode == "generated" else "fallback" if a.note else ""
    label = f'<p class="lbl mode">{esc(MODE_LABELS[mode][a.language])}</p>' if mode else ""
    pieces = answer_sentences(a, web=True, fold=SHOWN_SENTENCES)
    shown = _list_end(pieces, _parts_end(pieces, SHOWN_SENTENCES))
    if shown != SHOWN_SENTENCES:
        pieces = answer_sentences(a, web=True, fold=shown)
    pieces = _part_lines(pieces)
    head, rest = pieces[:shown], pieces[shown:]
    more = (f'<details class="more"><summary>{esc(labels["more"])}</summary>'
            f'<p class="text">{"".join(rest)}</p></details>') if rest else ""
    tools = (f'<p class="tools"><a class="copy-md" href="#copy-markdown">{esc(labels["copy_md"])}</a></p>'
             if a.citations else "")
    searched = f'<p class="lbl searched">{esc(searched_as(a))}</p>' if a.searched_as else ""
    came = f'<p class="lbl origin">{esc(origin)}</p>' if origin else ""
    return (f'<div class="{cls}" lang="{a.language}">{label}<p class="text">{"".join(head)}</p>{more}'
            f'{came}{sources_html(a)}{searched}{tools}{follow_ups_html(follow_ups, a.language)}</div>')


LIST_LINES_SHOWN = 10  # a list begun above "Show more" is shown to its end, up to this many lines more


def _list_end(pieces: list[str], fold: int) -> int:
    """Where to fold an answer's pieces: after `fold`, or after the end of a list whose lines
    (each opening with a line break) run past it, so that "Show more" never hides a list's last
    items (what else to bring, the third condition)."""
    end = fold
    while (end < min(len(pieces), fold + LIST_LINES_SHOWN) and end and pieces[end].startswith("<br>")
           and not pieces[end].startswith("<br><br>")):  # what follows the list: a new paragraph
        end += 1
    return end


_PART_START = "<br><br>" + esc(PART_LINE.split("{")[0])  # a question of several, under its own line


def _parts_end(pieces: list[str], fold: int) -> int:
    """Where to fold an answer of several questions (rag.answer.in_parts): after the first piece
    of its last question's answer, so that "Show more" never hides a question's answer whole;
    up to `fold` pieces for each question."""
    starts = [i for i, piece in enumerate(pieces) if i and _PART_START in piece]
    return max(fold, starts[-1] + 1) if starts and starts[-1] < fold * (len(starts) + 1) else fold


_PART_LINE_HTML = re.compile(r"(^|<br><br>)(“[^”<]{1,400}”)(?=<br>)")


def _part_lines(pieces: list[str]) -> list[str]:
    """Each question's own line of an answer of several, set in bold (class "part") so that the
    questions stand out from their answers; an answer of one question is left as it is."""
    if not any(i and _PART_START in piece for i, piece in enumerate(pieces)):
        return pieces
    return [_PART_LINE_HTML.sub(r'\1<strong class="part">\2</strong>', piece) for piece in pieces]


def follow_ups(engine: Engine, a: Answer, n: int = 3) -> tuple[str, ...]:
    """Questions on the sections of the cited paragraphs and their neighbours (for a refusal, the
    sections nearest to the question), in the answer's language; for "hello", example questions.
    In a library, the topics are the cited document's (for a refusal, the nearest document's), and
    each question names it by its title (《…》), so that it is asked of that document. Empty for a
    rejected question."""
    if a.message == "smalltalk":  # "hello": what one might ask
        return examples_for(engine)[a.language][:n]
    if a.message:
        return ()
    if hasattr(engine, "retrieve"):
        return tuple(_topic_question(a.language, f"{part} › {title}" if part else title, gloss)
                     for title, gloss, part in _topics(engine, a, n))
    key = a.citations[0].document if a.citations else a.nearest
    if key not in getattr(engine, "engines", {}):
        return ()
    one = engine.engine(key)
    own = replace(a, citations=tuple(c for c in a.citations if c.document == key))
    name = short_title(one.doc.metadata.title) or key
    parts = next((e.parts for e in engine.catalog if e.key == key), ())
    # A file of several texts: each topic asked of its own text by name, where the library
    # knows the file by it (a file listed before it kept its texts' titles: by the file's).
    asked = [(title, gloss, short_title(part)) if part in parts else (f"{part} › {title}" if part else title, gloss, name)
             for title, gloss, part in _topics(one, own, n)]
    return tuple(_topic_question(a.language, title, gloss, document) for title, gloss, document in asked if title != document)


def _topic_question(lang: Lang, title: str, gloss: str, document: str = "") -> str:
    """The follow-up asking about one section, quoting its title (rag.retrieve.article
    section_rows answers it from that section); in English, with the field's rendering of a
    Chinese title where there is one."""
    if gloss:
        return (TOPIC_GLOSSED_IN_DOCUMENT if document else TOPIC_GLOSSED).format(document=document, title=title, gloss=gloss)
    return (TOPIC_IN_DOCUMENT if document else TOPIC_QUESTION)[lang].format(document=document, title=title)


def short_title(title: str) -> str:
    """What a title calls its document: the measures a notice issues ("关于印发《X》的通知" → X),
    else the title itself."""
    inner = re.findall(r"《([^《》]{4,})》", title)
    return inner[-1] if inner else title


def _topics(engine: Engine, a: Answer, n: int) -> list[tuple[str, str, str]]:
    """Up to `n` titles of sections next to those `a` cites (or, refused, nearest the question),
    each with the field's English for it where the question is English and the title Chinese,
    and the title of the text it is in where rules part several texts ("" where not)."""
    doc = engine.doc
    if a.citations:
        sections = [p.section for c in a.citations if (p := doc.get(c.id.split(" ")[-1])) is not None]
    else:
        hits = engine.retrieve(a.question, a.language, 5).hits
        sections = [h.paragraph.section for h in hits]
    near = [x for s in sections for x in (s, s + 1, s - 1)]
    by_number = {s.number: s for s in doc.sections}
    # A section titled by the text itself ("武汉市农民工参加医疗保险实施意见（试行）" over all its
    # articles) is the whole document, no topic of it.
    names = own_names(doc) | set(doc.metadata.columns)
    out: list[tuple[str, str, str]] = []
    asked = {s for s in sections[:1]} if a.citations else set()
    for number in dict.fromkeys(near):
        sec = by_number.get(number)
        if sec is None or number in asked or not sec.title or sec.title in names:
            continue
        title, gloss = section_name(sec.title, sec.title_en, a.language)
        if len(title) <= 2:
            continue  # no heading (a numbered paragraph's opening), or "其他", "附则": no topic to ask about
        if len(title) > 60:
            title = title[:60].rsplit(" ", 1)[0] + "…" if " " in title[:60] else title[:40] + "…"
        part = doc.part_of(number)  # two guides' "办理条件": whose
        out.append((title, gloss, part if part != sec.title else ""))
        if len(out) == n:
            break
    return out


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
        reply = reply_html(answer, follow_ups(engine, answer), origin_of(engine, answer))
        lang, shown = answer.language, answer.question
        ids = tuple(c.id for c in answer.citations)
        # A refused question stays in the box to be edited; "hello" does not.
        keep = question if answer.message and answer.message != "smalltalk" else ""
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



def streaming_html(text: str, lang: Lang) -> str:
    """A generated answer while it streams: plain escaped text, marked as not yet checked."""
    return (f'<div class="rag-answer streaming" lang="{lang}"><p class="lbl">{esc(CHECKING[lang])}</p>'
            f'<p class="text">{esc(text)}</p></div>')


def _language_of(text: str, fallback: Lang) -> Lang:
    return detect_language(text) if text.strip() else fallback


def _message_html(text: str) -> str:
    return f'<div class="rag-answer error"><p class="text">{esc(text)}</p></div>'
