"""The web app: its handlers directly, then the served app through gradio_client.

The handler tests use a stub engine and need neither gradio nor the model. The `slow` ones
load the real model in-process and start `python app.py` once for the module.
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from rag import ui
from rag.document import Answer, Citation
from rag.config import Config
from rag.errors import RagError

ROOT = Path(__file__).resolve().parents[1]
ATTACKS = [
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "a & b < c > d 'e' \"f\"",
    "**bold** _it_ `code` $x^2$ # head",
    "养老金<b>能</b>按时发放吗？",
    "",
    "x",
]
# The only tags the app itself writes into a chat message.
OWN_TAGS = {"div", "p", "span", "a", "b", "ol", "li", "mark", "br", "details", "summary"}


def tags(markup: str) -> set[str]:
    return {t.lower() for t in re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", markup)}


# -- handlers, with a stub engine --------------------------------------------------------------
class StubEngine:
    """Answers every question with one citation and remembers the history it was given."""

    def __init__(self, fail: Exception | None = None):
        self.fail = fail
        self.histories: list[list[str]] = []

    def ask(self, question: str, k: int | None = None, history=()) -> Answer:
        self.histories.append(list(history))
        if self.fail:
            raise self.fail
        quoted = "Text <img src=x onerror=alert(1)> more."
        cite = Citation("§2.4", "<b>Section</b>", "原文<script>alert(1)</script>", 0.5,
                        translation=quoted, used=(quoted,))
        return Answer(question, "en", f"Said {question} [§2.4]", False, (cite,))

    def stream(self, question: str, k: int | None = None, history=(), mode=None):
        yield "<img src=x onerror=alert(1)> partial "  # a generated chunk, hostile
        yield self.ask(question, k, history)


@pytest.mark.parametrize("text", ATTACKS)
def test_user_message_is_shown_as_typed(text):
    shown = ui.user_html(text)
    assert tags(shown) == {"span"}
    inner = re.fullmatch(r'<span class="rag-question">(.*)</span>', shown, re.S).group(1)
    assert html.unescape(inner) == text


@pytest.mark.parametrize("text", ATTACKS)
def test_reply_is_built_from_escaped_pieces(text):
    reply = ui.reply_html(StubEngine().ask(text))
    assert tags(reply) <= OWN_TAGS
    assert "<script" not in reply and "<img" not in reply and "<svg" not in reply
    assert 'class="cite" href="?cite=2.4"' in reply
    assert '<span class="quote">Text &lt;img src=x onerror=alert(1)&gt; more.</span>' in reply
    assert 'title="§2.4 · &lt;b&gt;Section&lt;/b&gt;' in reply  # the hover preview, escaped too


def test_respond_appends_a_turn_and_passes_earlier_questions_as_history():
    engine = StubEngine()
    chat, turns, box, lang = ui.respond(engine, "How will jobs be kept stable?", [], (), "zh")
    chat, turns, box, lang = ui.respond(engine, "And for migrant workers?", chat, turns, lang)
    assert engine.histories == [[], ["How will jobs be kept stable?"]]
    assert [m["role"] for m in chat] == ["user", "assistant"] * 2
    assert [t.message for t in turns] == [1, 3]
    assert turns[1].citations == ("§2.4",)
    assert (box, lang) == ("", "zh")  # the interface keeps the user's language; answers follow the question


def test_a_streamed_answer_shows_escaped_chunks_then_the_checked_answer():
    steps = list(ui.respond_stream(StubEngine(), "How will jobs be kept stable?", [], (), "en"))
    streaming, final = steps[0][0][-1]["content"], steps[-1][0][-1]["content"]
    assert "&lt;img" in streaming and "<img" not in streaming and "checked" in streaming
    assert "rag-answer streaming" not in final and "Said How will jobs" in final


def test_respond_ignores_a_blank_question():
    engine = StubEngine()
    assert ui.respond(engine, "   ", [], (), "en") == ([], (), "", "en")
    assert engine.histories == []


@pytest.mark.parametrize("error, expected", [
    (RagError("The index at /x cannot be used. Run `rag build`."), "Run `rag build`"),
    (ZeroDivisionError("division by zero"), "something went wrong"),
])
def test_respond_turns_errors_into_a_chat_message(error, expected):
    chat, turns, _, lang = ui.respond(StubEngine(fail=error), "Will pensions be paid?", [], (), "en")
    reply = chat[-1]["content"]
    assert expected in reply
    assert "Traceback" not in reply and "ZeroDivisionError" not in reply
    assert turns[-1].citations == () and lang == "en"


def test_respond_answers_errors_in_the_question_language():
    chat, *_ = ui.respond(StubEngine(fail=ValueError("boom")), "养老金能按时足额发放吗？", [], (), "en")
    assert "抱歉" in chat[-1]["content"]


@pytest.mark.parametrize("liked, vote", [(True, "up"), (False, "down"), ("Like", "up"), ("Dislike", "down"),
                                          (None, "withdrawn"), ("", "withdrawn")])
def test_feedback_record(liked, vote):
    turn = ui.Turn("那农民工呢？", "zh", ("§2.6", "§2.5"), 3)
    record = ui.feedback_record(turn, liked)
    assert record["vote"] == vote
    assert record["question"] == "那农民工呢？" and record["citations"] == ["§2.6", "§2.5"]
    assert record["timestamp"].endswith("+00:00")


def test_feedback_lines_stay_whole_when_written_concurrently(tmp_path):
    path = tmp_path / "sub" / "feedback.jsonl"
    turns = tuple(ui.Turn(f"question {i} " + "长" * 2000, "en", ("§1.1",), 2 * i + 1) for i in range(40))

    def vote(i: int) -> None:
        assert ui.record_feedback(path, turns, 2 * i + 1, True, warn=pytest.fail)

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = path.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(x)["question"].split()[1] for x in lines) == sorted(str(i) for i in range(40))


def test_a_vote_on_a_question_is_ignored(tmp_path):
    turns = (ui.Turn("q", "en", (), 1),)
    assert not ui.record_feedback(tmp_path / "f.jsonl", turns, 0, True, warn=pytest.fail)
    assert not (tmp_path / "f.jsonl").exists()


def _unwritable(tmp_path: Path, monkeypatch) -> Path:
    """A file in a read-only folder. Root writes there anyway, so for root the refusal the
    kernel would give anyone else is simulated."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    path = folder / "feedback.jsonl"
    if os.geteuid() == 0:
        real_open = os.open

        def refuse(file, flags, *args, **kwargs):
            if Path(file) == path and flags & os.O_CREAT:
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real_open(file, flags, *args, **kwargs)

        monkeypatch.setattr(os, "open", refuse)
    return path


@pytest.mark.parametrize("where", ["read-only folder", "folder is a file", "disk full"])
def test_feedback_write_errors_are_reported_not_raised(where, tmp_path, monkeypatch):
    if where == "read-only folder":
        path = _unwritable(tmp_path, monkeypatch)
    elif where == "folder is a file":
        (tmp_path / "file").write_text("")
        path = tmp_path / "file" / "feedback.jsonl"
    else:
        path = Path("/dev/full")
        if not path.exists():
            pytest.skip("no /dev/full")
    warnings: list[str] = []
    turns = (ui.Turn("Will pensions be paid on time?", "en", ("§4.4",), 1),)
    assert not ui.record_feedback(path, turns, 1, False, warn=warnings.append)
    assert len(warnings) == 1 and "could not be saved" in warnings[0]


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                             ("127.0.0.2", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                             ("example.org", False)])
def test_is_loopback(host, loopback):
    assert ui.is_loopback(host) is loopback


@pytest.mark.parametrize("env, expected", [
    ({}, None),
    ({"RAG_AUTH_USER": "ann", "RAG_AUTH_PASSWORD": "s3cret"}, ("ann", "s3cret")),
    ({"RAG_AUTH_USER": "", "RAG_AUTH_PASSWORD": ""}, None),
])
def test_basic_auth_from_the_environment(env, expected):
    config = Config.from_env(env)
    assert config.auth == expected and "s3cret" not in repr(config)


@pytest.mark.parametrize("env", [{"RAG_AUTH_USER": "ann"}, {"RAG_AUTH_PASSWORD": "s3cret"}])
def test_basic_auth_needs_both_variables(env):
    with pytest.raises(RagError, match="RAG_AUTH_USER and RAG_AUTH_PASSWORD"):
        Config.from_env(env)


@pytest.mark.parametrize("raw, value", [("1", True), ("yes", True), ("0", False), ("off", False)])
def test_switches_are_read_as_yes_or_no(raw, value):
    assert Config.from_env({"RAG_ANALYTICS": raw}).analytics is value


@pytest.mark.parametrize("env, message", [({"RAG_ANALYTICS": "maybe"}, "yes/no"), ({"RAG_K": "three"}, "not a number"),
                                          ({"RAG_LLM_TIMEOUT": "soon"}, "not a number")])
def test_a_bad_variable_is_named(env, message):
    with pytest.raises(RagError, match=message) as e:
        Config.from_env(env)
    assert next(iter(env)) in str(e.value)


# -- handlers, with the real engine ------------------------------------------------------------
@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    """One index for the whole session (the browser tests use it too); built on first use."""
    return tmp_path_factory.getbasetemp() / "rag-index"


@pytest.fixture(scope="module")
def engine(index_dir):
    from rag.config import Config
    from rag.engine import Engine

    return Engine.open(Config.from_env(index_dir=index_dir))


@pytest.mark.slow
@pytest.mark.parametrize("query", ["§2.4", "2.4", "2-4", " § 2 . 4 "])
def test_lookup_by_id(engine, query):
    shown = ui.lookup_html(engine, query, "en")
    assert re.search(r'class="para-view target" id="para-2\.4"', shown)
    assert 'id="para-2.3"' in shown and 'id="para-2.5"' in shown
    assert "Making Every Effort to Keep Overall Employment Stable" in shown


@pytest.mark.slow
def test_lookup_by_phrase(engine):
    shown = ui.lookup_html(engine, "稳岗返还", "zh")
    assert 'class="para-view target" id="para-2.5"' in shown


@pytest.mark.slow
@pytest.mark.parametrize("query, expected", [("9.9", "§4.5"), ("§7", "Nearest"), ("", "§2.4"),
                                             ("<script>alert(1)</script>", "&lt;script&gt;")])
def test_lookup_explains_what_it_cannot_find(engine, query, expected):
    shown = ui.lookup_html(engine, query, "en")
    assert expected in shown
    assert "<script" not in shown and "Traceback" not in shown


@pytest.mark.slow
def test_contents_reach_every_paragraph(engine):
    shown = ui.contents_html(engine, "zh")
    linked = re.findall(r'<a class="cite" href="\?cite=[\d.]+" data-cite="(§\d+\.\d+)">', shown)
    assert sorted(linked) == sorted(p.id for p in engine.doc.paragraphs)


@pytest.mark.slow
def test_follow_up_uses_the_earlier_question(engine):
    chat, turns, _, _ = ui.respond(engine, "How will employment be kept stable in 2026?", [], (), "en")
    chat, turns, _, lang = ui.respond(engine, "And for migrant workers?", chat, turns, "en")
    assert lang == "en" and "§2.6" in turns[-1].citations
    chat, turns, _, lang = ui.respond(engine, "那农民工呢？", chat, turns, lang)
    assert lang == "en" and turns[-1].language == "zh" and "§2.6" in turns[-1].citations


# -- the served app ----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(tmp: Path, index_dir: Path, timeout: float = 120.0,
              extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, Path, Path]]:
    """Run `python app.py --port N` until it logs its address; yield (url, log, feedback file)."""
    port = free_port()
    log, feedback = tmp / "app.log", tmp / "feedback.jsonl"
    env = {**os.environ, "RAG_INDEX_DIR": str(index_dir), "RAG_FEEDBACK": str(feedback),
           "RAG_HOST": "", "RAG_PORT": "", "RAG_AUTH_USER": "", "RAG_AUTH_PASSWORD": "", **(extra_env or {})}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "--port", str(port)], cwd=ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"app.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            if "serving on" in log.read_text(errors="replace"):  # logged once the server is up
                with urllib.request.urlopen(url, timeout=10) as r:
                    assert r.status == 200
                break
            if time.monotonic() > deadline:
                pytest.fail(f"app.py did not answer on {url} within {timeout:.0f}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url, log, feedback
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def app(tmp_path_factory, index_dir):
    yield from start_app(tmp_path_factory.mktemp("app"), index_dir)


@pytest.fixture
def client(app):
    """A fresh client, so each test is a conversation of its own."""
    from gradio_client import Client

    return Client(app[0], verbose=False)


ANSWER_KEYS = {"question", "language", "answer", "abstained", "citations", "mode"}


@pytest.mark.slow
def test_serves_on_loopback_and_logs_the_address(app):
    url, log, _ = app
    assert url.startswith("http://127.0.0.1:")
    assert f"serving on {url.rstrip('/')}" in log.read_text()


@pytest.mark.slow
@pytest.mark.parametrize("question, language, cited", [
    ("Will pensions be paid on time?", "en", "§4.4"),
    ("养老金能按时足额发放吗？", "zh", "§4.4"),
])
def test_api_ask(client, engine, question, language, cited):
    got = client.predict(question, api_name="/ask")
    assert set(got) == ANSWER_KEYS
    assert got["language"] == language and not got["abstained"]
    ids = [c["id"] for c in got["citations"]]
    assert ids and all(i.startswith("§") for i in ids) and ids[0] == cited
    assert all({"id", "section", "text", "score"} <= set(c) for c in got["citations"])
    assert ("translation" in got["citations"][0]) is (language == "en")
    assert got == engine.ask(question).to_json()  # exactly what `rag ask --json` prints


@pytest.mark.slow
def test_api_ask_takes_k(client):
    assert len(client.predict("Will pensions be paid on time?", 1, api_name="/ask")["citations"]) == 1
    with pytest.raises(Exception, match="k must be between 1 and 20"):
        client.predict("Will pensions be paid on time?", 50, api_name="/ask")


@pytest.mark.slow
def test_api_ask_rejects_an_empty_question(client):
    got = client.predict("   ", api_name="/ask")
    assert got["error"] == "empty" and got["citations"] == []


@pytest.mark.slow
def test_api_cite(client, engine):
    got = client.predict("2.4", api_name="/cite")
    assert got["id"] == "§2.4" and got["role"] == "answer" and got["translation"]
    assert [c["id"] for c in got["context"]] == ["§2.3", "§2.4", "§2.5"]
    assert got == ui.cite_payload(engine, "§2.4")


@pytest.mark.slow
def test_api_cite_unknown_id(client):
    got = client.predict("9.9", api_name="/cite")
    assert set(got) == {"error", "suggestions"}
    assert "9.9" in got["error"] and got["suggestions"] and all(s.startswith("§") for s in got["suggestions"])


@pytest.mark.slow
def test_only_ask_and_cite_are_public(client):
    assert set(client.view_api(return_format="dict", print_info=False)["named_endpoints"]) == {"/ask", "/cite"}


def test_follow_ups_are_escaped_links_in_the_answers_language(engine):
    a = engine.ask("养老金能按时足额发放吗？")
    questions = ui.follow_ups(engine, a)
    assert 1 <= len(questions) <= 3 and all(q.startswith("关于“") for q in questions)
    shown = ui.follow_ups_html(("<img src=x>",), "en")
    assert "&lt;img" in shown and "<img" not in shown and 'href="?ask=%3Cimg%20src%3Dx%3E"' in shown
    refused = engine.ask("What is the weather in Beijing tomorrow?")
    assert refused.abstained and len(ui.follow_ups(engine, refused)) == 3
    assert all(len(q.split("“")[1].split("”")[0]) > 2 for q in questions)  # not "其他", "附则"
    # What the chat offers to ask next, it answers, from the section it names.
    for offered in questions + ui.follow_ups(engine, refused):
        got = engine.ask(offered)
        title = offered.split("“")[1].split("”")[0].rstrip("…")  # a long title is cut short
        assert not got.abstained and title in got.citations[0].section, (offered, got.text)


def test_the_documents_view_lists_the_library(engine):
    shown = ui.documents_html(engine, "en")
    assert "全力以赴稳就业" in shown and "interview" in shown and "<script" not in shown
    assert "编号" in ui.documents_html(engine, "zh")


def test_a_vote_on_a_refusal_is_ignored(tmp_path):
    turns = (ui.Turn("What is the weather like?", "en", (), 1),)  # a refusal cites nothing
    assert not ui.record_feedback(tmp_path / "f.jsonl", turns, 1, True, warn=pytest.fail)
    assert not (tmp_path / "f.jsonl").exists()


def _answer(sentences: int, lang="en") -> Answer:
    citation = Citation(id="§1.1", section="One", text="正文。", score=0.5, used=("s0",))
    lead = "According to the notice:\n" if lang == "en" else "根据该通知：\n"
    body = " ".join(f"Sentence {n} here.[§1.1]" for n in range(sentences))
    return Answer("q", lang, lead + body, False, (citation,))


def test_a_long_answer_folds_after_three_sentences_and_drops_the_lead_in():
    short, long = ui.reply_html(_answer(3)), ui.reply_html(_answer(5))
    assert "details class=\"more\"" not in short and "According to" not in short
    head, _, folded = long.partition('<details class="more">')
    assert "Sentence 2" in head and "Sentence 3" not in head
    assert "Show more" in folded and "Sentence 3" in folded and "Sentence 4" in folded
    # A run from one paragraph carries one marker, and the shown part ends with its own.
    assert head.count("[1]") == 1 and folded.split("</details>")[0].count("[1]") == 1
    assert "复制为 Markdown" in ui.reply_html(_answer(1, "zh")) and "根据该通知" not in ui.reply_html(_answer(1, "zh"))


def test_a_list_begun_above_show_more_is_shown_to_its_end():
    cites = tuple(Citation(id=f"§1.{n}", section="One", text="正文。", score=0.5) for n in range(1, 7))
    text = ("根据原文：\n第一句。[§1.1]第二句：[§1.2]\n（一）甲；[§1.3]\n（二）乙；[§1.4]\n（三）丙。[§1.5]"
            "\n\n第六句。[§1.6]")
    head, _, folded = ui.reply_html(Answer("q", "zh", text, False, cites)).partition('<details class="more">')
    assert "（三）丙。" in head and "第六句" not in head and "第六句" in folded


def test_each_question_of_several_shows_its_answer_above_show_more():
    cites = tuple(Citation(id=f"§1.{n}", section="One", text="正文。", score=0.5) for n in range(1, 8))
    first = "".join(f"第{n}句。[§1.{n}]" for n in range(1, 5))
    # (A line after the first answer's last marker, as an English answer's glosses, comes before the second.)
    text = f"“年假几天？”\n{first}\nKey terms: 年假.\n\n“公积金怎么取？”\n取法一。[§1.5]取法二。[§1.6]取法三。[§1.7]"
    head, _, folded = ui.reply_html(Answer("q", "zh", text, False, cites)).partition('<details class="more">')
    assert "第4句" in head and "取法一" in head and "取法二" not in head and "取法二" in folded
    assert '<strong class="part">“年假几天？”</strong>' in head and '<strong class="part">“公积金怎么取？”</strong>' in head
    one = ui.reply_html(Answer("q", "zh", "“年假”二字出自条例。[§1.1]", False, cites))
    assert "strong" not in one  # an answer of one question has no part lines


def test_refusals_offer_no_copy_action():
    refusal = Answer("q", "en", "The document does not cover this question.", True, ())
    assert "copy-md" not in ui.reply_html(refusal) and "copy-md" in ui.reply_html(_answer(1))


def _votes(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_one_vote_per_session_and_answer(tmp_path):
    path, ballots = tmp_path / "f.jsonl", ui.Ballots()
    turns = (ui.Turn("Will pensions be paid on time?", "en", ("§4.4",), 1),)
    for _ in range(5):  # the same vote again is already recorded
        assert ui.record_feedback(path, turns, 1, True, pytest.fail, session="s1", ballots=ballots)
    assert ui.record_feedback(path, turns, 1, False, pytest.fail, session="s1", ballots=ballots)  # changed
    assert ui.record_feedback(path, turns, 1, True, pytest.fail, session="s2", ballots=ballots)  # another session
    votes = _votes(path)
    assert [(v["session"], v["answer"], v["vote"]) for v in votes] == [("s1", 1, "up"), ("s1", 1, "down"), ("s2", 1, "up")]
    assert all(v["citations"] == ["§4.4"] for v in votes)


def test_a_session_voting_in_a_flood_is_refused(tmp_path):
    path, ballots = tmp_path / "f.jsonl", ui.Ballots()
    turns = (ui.Turn("Will pensions be paid on time?", "en", ("§4.4",), 1),)
    results = [ui.record_feedback(path, turns, 1, n % 2 == 0, pytest.fail, session="s1", ballots=ballots)
               for n in range(200)]
    assert sum(results) == ui.Ballots.MAX_PER_MINUTE and len(_votes(path)) == ui.Ballots.MAX_PER_MINUTE


def test_the_feedback_file_rotates(tmp_path):
    path = tmp_path / "f.jsonl"
    turns = tuple(ui.Turn(f"question {i}", "en", ("§1.1",), i) for i in range(40))
    for t in turns:
        assert ui.record_feedback(path, turns, t.message, True, pytest.fail, max_bytes=1000)
    kept = [path] + [path.with_name(f"f.jsonl.{n}") for n in (1, 2, 3)]
    assert all(p.exists() and p.stat().st_size <= 1000 for p in kept)
    assert not path.with_name("f.jsonl.4").exists()  # three backups, the oldest dropped
    assert _votes(path)[-1]["question"] == "question 39"


def test_a_table_rows_cells_are_shown_apart():
    from rag.render import esc

    assert esc("病休假证明书\t否\t<加盖公章>") == "病休假证明书 │ 否 │ &lt;加盖公章&gt;"


def test_an_answer_of_several_documents_drops_each_blocks_lead_in_under_its_title():
    cites = (Citation(id="a §0.2", section="", text="2031年1月1日", score=None, document="a"),
             Citation(id="b §0.1", section="", text="2032年2月2日", score=None, document="b"))
    text = ("资料库中的各份文件分别如下：\n\n甲 (a)\n根据该规定：\n2031年1月1日[a §0.2]\n\n"
            "乙 (b)\n根据该通知：\n2032年2月2日[b §0.1]")
    html = ui.reply_html(Answer("q", "zh", text, False, cites))
    assert "根据该" not in html and "甲 (a)" in html and "乙 (b)" in html


def test_a_section_titled_by_the_document_itself_is_offered_as_no_topic():
    from types import SimpleNamespace

    from rag.document import Answer, Citation
    from rag.parse import parse_text

    d = parse_text("关于印发《某市护理补贴实施意见》的通知（某民〔2031〕9号）\n各区民政局：\n现将《某市护理补贴实施意见》印发给你们。\n"
                   "某市护理补贴实施意见\n第一条 为规范护理补贴，制定本意见。\n第二条 护理补贴按月发放。\n第三条 本意见自2032年1月1日起施行。\n")
    assert next(p for p in d.body() if p.text.startswith("第二条")).section_title == "某市护理补贴实施意见"
    cited = d.paragraphs[0]  # "What is its number?": the title line; the articles' section is next to it
    engine = SimpleNamespace(doc=d, retrieve=None)
    a = Answer("怎么发放？", "zh", "…", False, (Citation(cited.id, cited.section_title, cited.text, 0.5),))
    assert not any("某市护理补贴实施意见" in q for q in ui.follow_ups(engine, a))
