"""The one API the front-ends use: open the document and index once, then ask and cite.

    engine = Engine.open(Config.from_env())
    answer = engine.ask("养老金能按时足额发放吗？")
    view = engine.cite("§4.4")

An Engine is safe to share between threads: its state is read-only after opening, and the
embedder serializes its own calls.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from . import index as index_mod
from .answer import abstain, compose, in_parts, noting_unmentioned, overview, verbatim
from .bridge import BRIDGE_VERSION, gloss, terms_digest
from .generated import stream_answer
from .verify import Verifier
from .config import BUNDLED_DOCUMENT, BUNDLED_ENGLISH, DATA, Config
from .document import PARSER_VERSION, Answer, Document, Lang, Paragraph
from .edition import companion, load_background, load_glossary, load_thesaurus, with_english
from .embed import Embedder, load_embedder, load_second
from . import lookup
from .lookup import CiteView, clean_question, parse_citation_id  # noqa: F401 (the engine's API)
from .errors import IndexStateError, RagError
from .generator import load_generator, pinned_of
from .judge import load_judge
from .library import document_key
from .meta import asked_fields, asks_overview
from .parts import question_parts
from .ingest import MAX_BYTES
from .index.derived import key_of, remembered_json, remembered_vectors, write_atomic
from .index.vectors import progress_bar
from .retrieve import Bridge, LexicalCandidates, Params, Retrieval, Retriever, content_words
from .retrieve.article import (article_rows, asks_what_section_says, field_rows, of_unmentioned_article, section_rows,
                               unmentioned, unmentioned_english)
from .retrieve.lexical_lists import TERMS_VERSION, glosses_for, token_lists
from .retrieve.second import SecondOpinion, passage_text
from .retrieve.thesaurus import with_field_words
from .retrieve.word_bridge import WordBridge
from .smalltalk import act_of, reply, without_pleasantries
from .translate import translate_question
from .text import (HAN, HAN_CHAR, TOKENIZER_VERSION, detect_language, en_tokens, import_jieba, in_script,
                   is_traditional, lexicon_chars, lexicon_for, normalize, set_cache_dir, split_sentences,
                   use_lexicon)

log = logging.getLogger(__name__)

BACKGROUND = DATA / "background.txt"
_FOLLOW_EN = re.compile(r"^(and|also|what about|how about|what of|and what about|same for|then)\b", re.I)
_FOLLOW_ZH = re.compile(r"^(那|那么|还有|另外|而|对于|至于)")

MESSAGES = {
    "empty": {
        "en": "Please type a question about the document, for example: Who issued it, and when?",
        "zh": "请输入关于文件的问题，例如：这份文件是谁、在什么时候发布的？",
    },
    "too_long": {
        "en": "The question is too long ({n} characters; the limit is {limit}). Please ask it in fewer words.",
        "zh": "问题太长（{n} 个字符，上限 {limit}）。请简短地提问。",
    },
}


def is_follow_up(question: str, lang: Lang) -> bool:
    if lang == "en":
        return bool(_FOLLOW_EN.match(question)) or len(en_tokens(question)) <= 2
    return bool(_FOLLOW_ZH.match(question)) or len(HAN_CHAR.findall(question)) <= 6


class Engine:
    """The one API over one document: ask, stream, cite, find. The CLI, the web app and the
    library (rag.library.LibraryEngine, over several) are thin layers on it; nothing in it
    changes after `open`."""

    def __init__(self, config: Config, doc: Document, embedder: Embedder, loaded: index_mod.LoadedIndex,
                 retriever: Retriever, key: str = "", generator=None, judge=None):
        self.config = config
        self.key = key or document_key(config.document)  # the document's key in a library
        self.generator = generator
        self.judge = judge  # rag.judge.Judge, when configured
        self.verifier = Verifier(self._similarity)
        self.doc = doc
        self.embedder = embedder
        self.loaded = loaded
        self.retriever = retriever
        # Questions are read in the document's script: 養老金 finds 养老金 (and the reverse).
        self.traditional = is_traditional("".join(p.text for p in doc.paragraphs[:60]))
        self.own_english = doc.has_english and not any(p.en_machine for p in doc.paragraphs)  # a hand-made edition

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, config: Config | None = None, embedder: Embedder | None = None,
             params: Params = Params(), background: Sequence[str] | np.ndarray | None = None,
             key: str = "", generator=None) -> "Engine":
        """Open one document and its index. `background`: the off-topic prototypes, as questions
        or as their vectors (a library encodes them once for all its documents). `generator`:
        the configured one (rag.generator.load_generator) unless given."""
        config = config or Config.from_env()
        prepare_tokenizer(config)
        generator = generator if generator is not None else load_generator(config)
        judge = load_judge(config, generator)  # before the slow steps: a judge asked for without a model fails now
        doc = load_document(config, generator)
        embedder = embedder or load_embedder(config.model, threads=config.threads or None, allow_download=config.allow_download)
        loaded = open_index(config, doc, embedder)
        retriever = build_retriever(config, doc, loaded, embedder, params, background)
        return cls(config, doc, embedder, loaded, retriever, key, generator, judge)

    # -- asking ------------------------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, history: Sequence[str] = (), mode: str | None = None) -> Answer:
        """Answer from the document, or say it is not covered. Never raises for bad input.
        `mode`: "extractive" or "generate" (default: the configuration's)."""
        return _final(self.stream(question, k, history, mode))

    def stream(self, question: str, k: int | None = None, history: Sequence[str] = (),
               mode: str | None = None) -> Iterator[str | Answer]:
        """Text chunks of a generated answer as they come, then the final Answer (the only item
        for an extractive answer, a refusal, a rejected question, or one of several questions)."""
        if (several := self._in_parts(question, k, history, mode)) is not None:
            yield several
            return
        yield from self._stream_one(question, k, history, mode)

    def _in_parts(self, question: str, k: int | None, history: Sequence[str], mode: str | None) -> Answer | None:
        """A message of several questions (rag.parts) that the header path would answer alone
        ("Who issued it, and what is the rate?": the issuer's lines, and nothing on the rate):
        each question answered for itself under its own line. None, or the message's own
        answer: answer it as one. A later part follows the first, as a follow-up its question,
        unless it asks about the document itself.

        Not split: a message refused as a whole. Its parts judged apart are judged on less: a
        yes-or-no first part ("Is it taxed? At what rate?") alone is answered from whatever the
        document says near it, though the rate asked is stated nowhere."""
        if not isinstance(question, str) or len(question) > self.config.max_question_chars:
            return None
        parts = question_parts(clean_question(question))
        if len(parts) < 2:
            return None
        generating = (mode or self.config.answer) == "generate" and self.generator is not None
        one = self._answer_one(question, k, history, "extractive")
        if not one.from_structure or one.message:
            return None if generating else one
        first = normalize(parts[0])
        before = [tuple(history)] + [() if field_rows(self.doc, normalize(p)).size else (first,) for p in parts[1:]]
        answers = [self._answer_one(p, k, h, "extractive") for p, h in zip(parts, before)]
        if (any(a.message for a in answers) or all(a.from_structure for a in answers)
                or all(a.abstained for a in answers)):
            return None if generating else one
        if generating:
            answers = [self._answer_one(p, k, h, "generate") for p, h in zip(parts, before)]
        return in_parts(one.question, one.language, parts, answers)

    def _answer_one(self, question: str, k: int | None, history: Sequence[str], mode: str) -> Answer:
        """One question's final answer, its generated chunks (if any) left unshown."""
        return _final(self._stream_one(question, k, history, mode))

    def _stream_one(self, question: str, k: int | None, history: Sequence[str], mode: str | None
                    ) -> Iterator[str | Answer]:
        prepared = self._prepare(question, k, history)
        if isinstance(prepared, Answer):
            yield prepared
            return
        shown, lang, q, r = prepared
        names = unmentioned(self.doc, q), unmentioned_english(self.doc, q)  # texts the document never names
        answer = self._from_here(
            compose(shown, lang, r.hits, self._scorer(q, lang, r.query_vector),
                    r.expansions, self.doc.metadata.kind or "article",
                    self._gloss(q), self.doc.lead_of, self.doc.items_of, self.doc.checklist,
                    self.doc.question_of),
            r.decision.support, r.also)
        if (mode or self.config.answer) != "generate" or self.generator is None:
            yield noting_unmentioned(answer, *names)
            return
        for part in stream_answer(shown, lang, r.hits, self.generator, self.verifier, answer, history,
                                  timeout=self.config.llm_timeout):
            yield (noting_unmentioned(self._from_here(part, r.decision.support, r.also), *names)
                   if isinstance(part, Answer) else part)

    def _section_said(self, q: str) -> list[Paragraph]:
        """The paragraphs of the section the question names in quotes, in order, less a Q&A's
        question lines and header lines."""
        rows = section_rows(self.doc, q)
        return [p for p in (self.doc.paragraphs[i] for i in rows) if p.role not in ("header", "question")]

    def _prepare(self, question: str, k: int | None, history: Sequence[str]):
        """A final Answer (a rejected question, an overview, a refusal), or what composing needs:
        (the question as shown, its language, as searched, the retrieval)."""
        limit = self.config.max_question_chars
        if isinstance(question, str) and len(question) > 4 * limit:
            # Refused before any cleaning: a huge question must not hold a worker.
            head = question[:200]
            msg = MESSAGES["too_long"][detect_language(head) if head.strip() else "en"].format(n=len(question), limit=limit)
            return Answer(clean_question(head) + "…", detect_language(head) if head.strip() else "en", msg, True, (),
                          message="too_long")
        shown = clean_question(question)
        q = in_script(normalize(shown), self.traditional)  # full-width ASCII as ASCII; the document's script
        lang: Lang = detect_language(q) if q else "en"
        if not re.search(r"\w", q):
            text = MESSAGES["empty"][lang] if re.search(r"[A-Za-z" + HAN + "]", q) else (
                MESSAGES["empty"]["en"] + "\n" + MESSAGES["empty"]["zh"])
            return Answer(shown, lang, text, True, (), message="empty")
        if len(q) > self.config.max_question_chars:
            msg = MESSAGES["too_long"][lang].format(n=len(q), limit=self.config.max_question_chars)
            return Answer(shown[:200] + "…", lang, msg, True, (), message="too_long")
        if (act := act_of(q)) is not None:
            title = self.doc.title_in(lang) or self.key or "—"
            return Answer(shown, lang, reply(act, lang, [title]), True, (), message="smalltalk")
        if (bare := without_pleasantries(q)) != q:  # "你好，请问…？谢谢": the question is what is searched
            q, lang = bare, detect_language(bare)
        k = max(1, min(20, int(k or self.config.k)))
        context = ""
        # Only the last question is context for a follow-up: it alone is cleaned, so a long
        # conversation costs what a short one does. "Thanks" is not a question to follow.
        last = next((c for c in (clean_question(h[: 4 * limit]) for h in reversed(list(history)) if isinstance(h, str))
                     if c and act_of(c) is None), "")
        follows = bool(last) and is_follow_up(q, lang)
        if follows:
            context = in_script(normalize(last), self.traditional)
            if not content_words(q, lang):
                # Nothing of its own to search or judge by ("When?", "Where?"): it is the
                # previous question asked again with this ending.
                q, context = context + " " + q, ""
        if not context and asks_overview(q):
            return self._from_here(overview(shown, lang, self.doc), 1.0)
        if not context and (rows := field_rows(self.doc, q)).size and all(
                self.doc.paragraphs[i].role == "header" for i in rows):
            # What the header says of the field asked, every line of it: four issuers sign on four lines.
            return self._from_here(verbatim(shown, lang, self.doc, [self.doc.paragraphs[i] for i in rows[:6]],
                                            self._gloss(q), number="number" in asked_fields(q)), 1.0)
        if not context and (rows := article_rows(self.doc, q)).size:
            # Quoted whole; cited closest first (retrieval ranks the article's paragraphs).
            hits = self.retrieve(q, lang, len(rows)).hits
            return self._from_here(verbatim(shown, lang, self.doc, [h.paragraph for h in hits], self._gloss(q)), 1.0)
        if not context and asks_what_section_says(q) and (said := self._section_said(q)):
            # What a section says (the chat's follow-ups ask so): quoted from its start, in order.
            return self._from_here(verbatim(shown, lang, self.doc, said, self._gloss(q)), 1.0)
        if not context and of_unmentioned_article(self.doc, q):
            # Another text's article, which this one never names: nothing here states it.
            return self._from_here(abstain(shown, lang, self.doc), 0.0)
        if not follows and not any(content_words(q, each) for each in ("en", "zh")):
            # Nothing to search by ("x", "why?") and nothing before it: a paragraph found would be chance.
            return Answer(shown, lang, MESSAGES["empty"][lang], True, (), message="empty")
        r = self.retrieve(q, lang, k, context, also=self._in_chinese(q, lang))
        if self.judge is not None and not r.abstain:
            asked = f"{context} {q}" if context else q  # a follow-up is judged with what it follows
            r = replace(r, decision=self.judge.check(asked, r.hits, r.decision))
        if r.abstain:
            refused = abstain(shown, lang, self.doc, r.decision.reason)
            near = self._closeness(r.query_vector, [h.paragraph for h in r.hits])
            return self._from_here(replace(refused, nearness=near), r.decision.support, r.also)
        return shown, lang, q, r

    def _scorer(self, q: str, lang: Lang, qv: np.ndarray) -> Callable[[Sequence[str]], np.ndarray]:
        """How like the question each sentence is, for the answer to choose its sentences: for a
        message of several questions answered as one, like the question it is most like, so
        that each question's sentence can be chosen, not only the whole message's."""
        parts = question_parts(q)
        vectors = [qv] + (list(self.embedder.encode_queries(list(parts))) if len(parts) > 1 else [])
        return lambda texts: np.max([self._sentence_scores(v, lang, texts) for v in vectors], axis=0)

    def _in_chinese(self, q: str, lang: Lang) -> str:
        """An English question in Chinese, to search the original with too: where the document
        has no English edition of its own and the local model translates questions well
        enough (PinnedModel.translates_questions); '' otherwise, or when translation fails."""
        if lang != "en" or self.own_english:
            return ""
        pinned = pinned_of(self.generator)
        if pinned is None or not pinned.translates_questions:
            return ""
        zh = translate_question(q, self.generator, min(20.0, self.config.llm_timeout))
        return in_script(zh, self.traditional)  # the model writes simplified Chinese

    def _gloss(self, q: str):
        """Glosses of quoted Chinese for an English answer, the question's own words first."""
        asked = en_tokens(q)
        return lambda texts: gloss(texts, self.retriever.bridge.bridged(asked), asked=asked)

    def _similarity(self, sentence: str, texts: Sequence[str]) -> np.ndarray:
        """Cosine of a generated sentence to each text (the document's sentences, whose vectors
        the index already holds): the verifier's measure of meaning."""
        qv = self.embedder.encode_queries([sentence])[0]
        out = np.zeros(len(texts), dtype=np.float32)
        for lang in ("zh", "en"):
            rows = [i for i, t in enumerate(texts) if (lang == "zh") == bool(HAN_CHAR.search(t))]
            if rows:
                out[rows] = self._sentence_scores(qv, lang, [texts[i] for i in rows])
        return out

    def _from_here(self, answer: Answer, support: float, searched_as: str = "") -> Answer:
        """The answer with its support, and its citations marked with this document's key."""
        cites = tuple(replace(c, document=self.key) for c in answer.citations)
        return replace(answer, citations=cites, support=float(support), searched_as=searched_as or answer.searched_as)

    def retrieve(self, question: str, lang: Lang, k: int, context: str = "", also: str = "") -> Retrieval:
        return self.retriever.search(question, lang, k, context, also)

    def _sentence_scores(self, qv: np.ndarray, lang: Lang, texts: Sequence[str]) -> np.ndarray:
        """Cosine of each sentence to the question, reusing the vectors stored in the index."""
        rows = self.loaded.units.rows_of(lang, texts)
        out = np.zeros(len(texts), dtype=np.float32)
        missing = [i for i, r in enumerate(rows) if r is None]
        for i, r in enumerate(rows):
            if r is not None:
                out[i] = float(self.loaded.index.reconstruct(r) @ qv)
        if missing:
            out[missing] = self.embedder.encode_passages([texts[i] for i in missing]) @ qv
        return out

    def closeness(self, qv: np.ndarray, answer: Answer) -> float:
        """The question's cosine to the Chinese text of the answer's cited paragraphs and their
        sentences (vectors the index holds): measured alike in every document, whatever English
        edition or hand-written questions it has, so a library can compare documents by it."""
        return self._closeness(qv, [self.doc.get(c.id) or c.text for c in answer.citations])

    def _closeness(self, qv: np.ndarray, paragraphs: Sequence[Paragraph | str]) -> float:
        """`closeness` over paragraphs (or bare texts): each one's text and sentences, and a
        numbered item read with the lead of its list ("可以提取…：（二）离休、退休的；"), as it means."""
        texts = []
        for p in paragraphs:
            text = p if isinstance(p, str) else p.text
            lead = None if isinstance(p, str) else self.doc.lead_of(p.id)
            texts += [text, *split_sentences(text)] + ([lead.text + text] if lead is not None else [])
        return float(self._sentence_scores(qv, "zh", texts).max()) if texts else -1.0

    # -- citations ---------------------------------------------------------------------------
    def cite(self, ref: str, before: int = 1, after: int = 1) -> CiteView:
        return lookup.cite(self.doc, self.key, ref, before, after)

    def nearest_ids(self, ref: str, n: int = 3) -> tuple[str, ...]:
        return lookup.nearest_ids(self.doc, ref, n)

    def find(self, phrase: str, limit: int = 5) -> tuple[Paragraph, ...]:
        """Paragraphs whose original or English text contains the phrase (spaces ignored)."""
        return lookup.find(self.doc, phrase, self.traditional, limit)


def _final(items: Iterator[str | Answer]) -> Answer:
    """The last item of an answer's stream: the Answer, after any text chunks."""
    final = None
    for final in items:
        pass
    return final


def prepare_tokenizer(config: Config) -> None:
    """jieba's dictionary cache goes to the temporary folder (<index>/tmp unless RAG_TEMP_DIR
    says otherwise), so replicas sharing one index never write into it."""
    with contextlib.suppress(OSError):
        config.temp_path.mkdir(parents=True, exist_ok=True)
        set_cache_dir(config.temp_path)


def install_lexicon(folder: Path, docs: Callable[[], Sequence[Document]], signature: str) -> None:
    """Questions written with the documents' own characters are cut with a lexicon of those
    characters (rag.text.use_lexicon: the same words, a tenth of the loading). It is saved in the
    index folder with its characters, under `signature` (what the documents are), so a start
    reads it and loads no document for it; `docs()` is called only to make it again."""
    jieba = import_jieba()

    def make() -> dict:
        texts = (t for d in docs() for p in d.paragraphs for t in (p.text, p.section_title, *p.questions_zh))
        chars = lexicon_chars(texts)
        return {**lexicon_for(chars), "chars": "".join(sorted(chars))}

    saved = remembered_json(Path(folder) / "lexicon.json", key_of(jieba.__version__, signature), make)
    # The lexicon is right for exactly the characters it was made with, whatever the signature.
    use_lexicon(frozenset(saved["chars"]), saved)


def document_signature(docs: Sequence[Document]) -> str:
    """What documents are, for data derived from their text and editions."""
    return key_of(*(f"{d.sha256}:{edition_sha(d)}" for d in docs))


def build_retriever(config: Config, doc: Document, loaded: index_mod.LoadedIndex, embedder: Embedder,
                    params: Params = Params(), background: Sequence[str] | np.ndarray | None = None) -> Retriever:
    """The document's retriever, with its own glossary and thesaurus where it has them (see
    edition.companion). The bridge from English words to the document's Chinese ones is built
    first (from the glossary, or from CC-CEDICT over the document's words) and given to it."""
    thesaurus = with_field_words(" ".join(p.text for p in doc.paragraphs),
                                 load_thesaurus(companion(config.document, "thesaurus.json")))
    if background is None:
        background = background_vectors(config.index_path, embedder)
    terms, glosses, words, second = derived(config, doc, loaded, embedder)
    lexical = LexicalCandidates.from_tokens(terms, glosses)
    bridge = Bridge.of((tuple(en), zh) for en, zh in terms["bridge"])
    return Retriever(doc, loaded, embedder, params, thesaurus, background, bridge=bridge, lexical=lexical,
                     words=words, second=second)


def derived(config: Config, doc: Document, loaded: index_mod.LoadedIndex,
            embedder: Embedder) -> tuple[dict, Callable[[], dict | None], WordBridge | None, SecondOpinion | None]:
    """The build's BM25 tokens and bridge phrases, how to read its words' English (saved_glosses),
    its words' vectors where CC-CEDICT is the bridge (no glossary with an English edition), and
    the second model's paragraph vectors: read from beside the build, or made and saved there.
    A build makes them at once, so that opening it never embeds."""
    second = second_opinion(config, doc, loaded)
    glossary = load_glossary(companion(config.document, "glossary.json"))
    key = terms_key(loaded, glossary)
    terms = saved_terms(doc, loaded, glossary, key)
    gloss_file = glosses_path(loaded, key)

    def glosses() -> dict | None:
        return saved_glosses(gloss_file, terms)

    if glossary and terms["en"] is not None:
        return terms, glosses, None, second
    words = sorted({t for toks in terms["zh"] for t in toks if len(t) > 1 and HAN_CHAR.match(t)
                    and not re.fullmatch(r"第\S+条", t)})  # an article's number ("第十二条") is no word
    return terms, glosses, WordBridge.of(words, remembered_vectors(loaded.path, "words", embedder.model_id, words,
                                                                   embedder.encode_queries)), second


def second_opinion(config: Config, doc: Document, loaded: index_mod.LoadedIndex) -> SecondOpinion | None:
    """The second model (rag.retrieve.second) and the paragraphs' vectors under it, saved
    beside the build; none with RAG_RERANK=0."""
    if not config.rerank:
        return None
    model = load_second(config.threads or None)
    texts = [passage_text(p) for p in doc.paragraphs]
    return SecondOpinion(model, remembered_vectors(loaded.path, "second", model.model_id, texts,
                                                   lambda texts: encode_shown(model, texts)))


def prefetch_second(config: Config) -> None:
    """Start loading the second model on another thread, while the first one loads on this one:
    a cold start is then not longer by its hash, load and first encode (about 60 ms on 2
    cores), which mostly wait on the file and leave a core idle. second_opinion finds it loaded
    (or waits for it); a failure is raised there, with its message."""
    if config.rerank:
        threading.Thread(target=_warm_second, args=(config.threads or None,), daemon=True,
                         name="second-model").start()


def _warm_second(threads: int | None) -> None:
    with contextlib.suppress(RagError):
        load_second(threads).encode_queries(["x"])


def encode_shown(model: Embedder, texts: list[str], batch: int = 16) -> np.ndarray:
    """Passages encoded in batches, with a progress bar on a terminal (the second model takes
    seconds for a document of a hundred paragraphs)."""
    out = [np.zeros((0, model.dim), np.float32)]
    with progress_bar(len(texts), "second model", None) as bar:
        for i in range(0, len(texts), batch):
            out.append(model.encode_passages(texts[i : i + batch]))
            bar.update(len(out[-1]))
    return np.vstack(out)


def background_vectors(folder: Path, embedder: Embedder) -> np.ndarray | tuple[str, ...]:
    """The off-topic prototypes' vectors, encoded once per model and saved in the index folder."""
    questions = load_background(BACKGROUND)
    if not questions:
        return questions
    return remembered_vectors(folder, "background", embedder.model_id, questions, embedder.encode_queries)


def terms_key(loaded: index_mod.LoadedIndex, glossary: dict[str, str]) -> str:
    """What the saved terms and glosses are made from."""
    m = loaded.manifest
    return key_of(m.document_sha256, m.english_sha256, m.units_sha256, TOKENIZER_VERSION, TERMS_VERSION, BRIDGE_VERSION,
                  terms_digest(), json.dumps(glossary, ensure_ascii=False, sort_keys=True))


def saved_terms(doc: Document, loaded: index_mod.LoadedIndex, glossary: dict[str, str], key: str) -> dict:
    """The paragraphs' BM25 tokens ("zh", "en") and the bridge's phrases ("bridge"), as saved
    beside the build at its first start (see rag.index.derived): read, not cut again. The
    English of their words, where there is no English edition, is saved beside them at the
    same time, in a file of its own (saved_glosses): a start does not read it. `key`: terms_key."""

    def make() -> dict:
        lists = token_lists(doc)
        words = {t for toks in lists["zh"] for t in toks if not t.startswith("~")}
        saved_glosses(glosses_path(loaded, key), lists)
        return {**lists, "bridge": Bridge.phrases_for(glossary, words, lists["en"] is not None)}

    return remembered_json(loaded.path / "terms.json", key, make)


def glosses_path(loaded: index_mod.LoadedIndex, key: str) -> Path:
    return loaded.path / f"gloss-{key[:16]}.json"


def saved_glosses(path: Path, terms: dict) -> dict[str, list[str]] | None:
    """The English of the document's words (lexical_lists.glosses_for; None with an English
    edition), read from `path` at the first English question, or made, and saved where the
    index folder can be written."""
    if terms["en"] is not None:
        return None
    with contextlib.suppress(OSError, ValueError):
        if isinstance(saved := json.loads(path.read_text(encoding="utf-8")), dict):
            return saved
    glosses = glosses_for(terms)
    body = json.dumps(glosses, ensure_ascii=False, separators=(",", ":"))
    write_atomic(path, lambda p: p.write_text(body, encoding="utf-8"), make_folder=False)
    return glosses


def english_edition(config: Config) -> Path | None:
    """The English edition to use: the configured one, except that the bundled edition's default
    gives way to the document's own (`<name>.en.jsonl` beside it) for another document."""
    if config.english is None:
        return None
    if (Path(config.english).resolve() == BUNDLED_ENGLISH.resolve()
            and Path(config.document).resolve() != BUNDLED_DOCUMENT.resolve()):
        return companion(config.document, "en.jsonl")
    return Path(config.english)


def load_document(config: Config, generator=None) -> Document:
    """The document with its English edition: its own, or a machine translation made with
    `generator` (cached; see rag.translate) when it has none and translation is on; and, with a
    model that writes them well, the questions each paragraph answers where the document has
    none written by hand (cached; see rag.questions)."""
    doc = saved_document(Path(config.document), config.index_path)
    edition = english_edition(config)
    if edition is None and generator is not None and config.translate and config.english is not None:
        from .translate import translate_document

        edition = translate_document(doc, generator, config.index_path / "editions")
    doc = with_english(doc, edition)
    pinned = pinned_of(generator)
    if config.questions and pinned is not None and pinned.writes_questions and not doc.has_questions:
        from .questions import with_questions, write_questions

        doc = with_questions(doc, write_questions(doc, generator, config.index_path / "questions"))
    return doc


def saved_document(path: Path, folder: Path, parsed: Document | None = None) -> Document:
    """The parsed document, as saved in its index folder when the file's bytes and the parser
    are the same (a PDF or .docx is not read again at every start), else read and saved;
    `parsed`, where the caller has just read the file, is saved instead of reading it again."""
    import hashlib

    try:
        if path.stat().st_size > MAX_BYTES:
            return _parsed(path)  # which refuses it, saying why, before reading it
        raw = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _parsed(path)  # which says what is wrong with the file
    key = key_of(raw, str(path), PARSER_VERSION)
    return Document.from_dict(remembered_json(folder / "document.json", key,
                                              lambda: (parsed or _parsed(path)).to_dict()))


def _parsed(path: Path) -> Document:
    """The file read and parsed; the parser is loaded only then (a start with a saved parse does without)."""
    from .parse import read_document

    return read_document(path)


def edition_sha(doc: Document) -> str:
    """A hash of the English the document carries (renderings and questions): what the index embedded."""
    if not doc.has_english:
        return ""
    import hashlib

    h = hashlib.sha256()
    for p in doc.paragraphs:
        h.update(f"{p.id}\t{p.en}\t{p.section_title_en}\t{p.questions_en}\t{p.questions_zh}\n".encode("utf-8"))
    return h.hexdigest()


def open_index(config: Config, doc: Document, embedder: Embedder) -> index_mod.LoadedIndex:
    """Load the index, or rebuild it (logging why) when it is missing or stale."""
    root = config.index_path
    english_sha = edition_sha(doc)
    want = index_mod.Manifest.expected(doc, english_sha, embedder.model_id, embedder.dim)
    try:
        loaded = index_mod.load(root)
        why = loaded.manifest.mismatch(want)
    except IndexStateError as e:
        loaded, why = None, str(e)
    if why is None:
        return loaded
    if not config.rebuild:
        raise IndexStateError(f"The index at {root} cannot be used: {why}. Run `rag build` to rebuild it.")
    if not (root / "CURRENT").exists() and not (root / "builds").exists():  # a first build: nothing is wrong
        log.info("building the index at %s", root)
    else:
        log.warning("rebuilding the index at %s: %s", root, why)
    with index_mod.build_lock(root):
        # Another process may have rebuilt it while we waited for the lock.
        try:
            again = index_mod.load(root)
            if again.manifest.mismatch(want) is None:
                return again
        except IndexStateError:
            pass
        loaded = index_mod.build(doc, english_sha, embedder, root)
        derived(config, doc, loaded, embedder)  # under the lock: no other build removes this one meanwhile
    return loaded


def build_index(config: Config, force: bool = False, embedder: Embedder | None = None,
                generator=None) -> index_mod.LoadedIndex:
    """Build or refresh the index; with a generator, translate a document with no English edition first."""
    generator = generator if generator is not None else load_generator(config)
    doc = load_document(config, generator)
    embedder = embedder or load_embedder(config.model, threads=config.threads or None, allow_download=config.allow_download)
    if not force:
        return open_index(Config(**{**config.__dict__, "rebuild": True}), doc, embedder)
    english_sha = edition_sha(doc)
    with index_mod.build_lock(config.index_path):
        loaded = index_mod.build(doc, english_sha, embedder, config.index_path)
        derived(config, doc, loaded, embedder)
    return loaded


__all__ = ["Engine", "CiteView", "RagError", "parse_citation_id", "build_index", "Path"]
