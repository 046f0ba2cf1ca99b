"""Conversation is answered as conversation: "hello" cites nothing, and a question is never taken for it."""

import pytest

from rag.library import Library, LibraryEngine
from rag.smalltalk import Act, act_of, reply, without_pleasantries
from rag.ui.chat import follow_ups, respond
from tests.test_library import FIXTURES, lib_config  # noqa: F401  (a fixture)


@pytest.mark.parametrize("message, act", [
    ("hello", Act.GREETING), ("Hi there!", Act.GREETING), ("good morning", Act.GREETING),
    ("What can you do?", Act.GREETING), ("how do I use this", Act.GREETING),
    ("您好", Act.GREETING), ("你好，在吗？", Act.GREETING), ("你能做什么？", Act.GREETING), ("我可以问什么问题", Act.GREETING),
    ("Thanks a lot!", Act.THANKS), ("ok, thank you", Act.THANKS), ("OK", Act.THANKS),
    ("谢谢！", Act.THANKS), ("好的，谢谢", Act.THANKS), ("bye", Act.FAREWELL), ("再见～", Act.FAREWELL),
])
def test_conversation_is_recognised(message, act):
    assert act_of(message) == act


@pytest.mark.parametrize("message", [
    "你好，请问失业金怎么领？", "Hello, how long is maternity leave?", "Thanks. And who pays the fee?",
    "What is this document about?", "谢谢你们的政策", "help with the hukou transfer", "x", "", "hello " * 20,
])
def test_a_question_is_not_conversation(message):
    assert act_of(message) is None


def test_a_greeting_says_what_the_bot_answers_from_in_its_language():
    one = reply(Act.GREETING, "zh", ["工伤保险条例"])
    many = reply(Act.GREETING, "en", ["Employment rules", "工伤保险条例", "最低工资规定"])
    assert "《工伤保险条例》" in one and "例如" in one
    assert "3 documents" in many and "“Employment rules” and “工伤保险条例”" in many and "最低工资" not in many


def test_the_engine_answers_conversation_without_searching(fake_engine, monkeypatch):
    monkeypatch.setattr(fake_engine, "retrieve", lambda *a, **k: pytest.fail("searched"))
    for message, lang in (("hello!", "en"), ("谢谢", "zh")):
        a = fake_engine.ask(message)
        assert a.message == "smalltalk" and a.abstained and not a.citations and a.language == lang


def test_a_message_with_nothing_to_search_asks_for_a_question(fake_engine):
    a = fake_engine.ask("x")
    assert a.message == "empty" and not a.citations
    assert fake_engine.ask("when?", history=["养老金怎么领取"]).message == ""  # a follow-up: it has the last question


def test_thanks_is_not_the_question_a_follow_up_follows(fake_engine):
    plain = fake_engine.ask("When?", history=["养老金怎么领取"])
    after = fake_engine.ask("When?", history=["养老金怎么领取", "thanks"])
    assert [c.id for c in after.citations] == [c.id for c in plain.citations]


def test_a_library_greets_naming_its_documents_and_opens_none(lib_config, fake_embedder):
    Library(lib_config.index_path).add(FIXTURES / "notice.zh.txt", lib_config, fake_embedder)
    engine = LibraryEngine.open(lib_config, embedder=fake_embedder)
    a = engine.ask("你好")
    assert a.message == "smalltalk" and "2份文件" in a.text and not a.citations
    assert set(engine.engines.opened()) <= {"policy"}  # the bundled interview is listed without its title


def test_the_chat_offers_examples_after_a_greeting_and_clears_the_box(fake_engine):
    a = fake_engine.ask("hello")
    assert follow_ups(fake_engine, a)
    chat, turns, box, _ = respond(fake_engine, "hello", [], (), "en")
    assert box == "" and len(chat) == 2 and "Hello." in chat[1]["content"]


@pytest.mark.parametrize("typed, searched", [
    ("您好！我想问一下工伤怎么认定", "我想问一下工伤怎么认定"), ("你好，请问失业金怎么领？谢谢！", "请问失业金怎么领？"),
    ("Hi, how long is maternity leave? Thanks", "how long is maternity leave?"), ("Hello there! Who pays?", "Who pays?"),
    ("Hi-tech firms get what?", "Hi-tech firms get what?"), ("How do I say thanks", "How do I say thanks"),
    ("hello", "hello"), ("谢谢", "谢谢"),
])
def test_pleasantries_around_a_question_are_not_searched(typed, searched):
    assert without_pleasantries(typed) == searched


def test_a_greeted_question_is_answered_as_the_question(fake_engine):
    plain, greeted = fake_engine.ask("养老金怎么领取？"), fake_engine.ask("你好，养老金怎么领取？谢谢")
    assert [c.id for c in greeted.citations] == [c.id for c in plain.citations] and greeted.question.startswith("你好")


def test_an_english_greeting_names_the_document_by_its_english_title(real_engine):
    assert "“Going All Out to Stabilize Employment" in real_engine.ask("hello").text
    assert "《全力以赴稳就业" in real_engine.ask("你好").text
