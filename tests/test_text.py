import pytest

from rag.text import detect_language, en_tokens, in_script, is_traditional, split_sentences, zh_tokens


@pytest.mark.parametrize(
    "text, lang",
    [
        ("养老金能按时足额发放吗？", "zh"),
        ("Will pensions be paid on time?", "en"),
        ("What does 稳岗返还 mean?", "en"),
        ("What is 灵活就业?", "en"),  # an English question quoting a Chinese term
        ("What is 大数据+铁脚板?", "en"),
        ("AI对就业有什么影响？", "zh"),  # a Chinese question naming an English one
        ("什么是 WorldSkills?", "zh"),
        ("养老金 pension", "zh"),  # no grammar either way: the count decides
        ("What is 有人没活干?", "en"),  # 有 is Chinese grammar too: the count decides
        ("iPad怎么录屏？", "zh"),
        ("灵活就业 pension 怎么交", "zh"),
        ("養老金能按時發放嗎", "zh"),  # traditional characters
        ("１２３", "en"),
        ("", "en"),
        ("🙂🙂", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_split_chinese_keeps_punctuation_and_quotes():
    s = split_sentences("今年9月，将以“技能改变世界，技能照亮前程”为主题。相信“这次”会好。对吗？")
    assert s == ["今年9月，将以“技能改变世界，技能照亮前程”为主题。", "相信“这次”会好。", "对吗？"]


def test_split_english():
    assert split_sentences('It is 5.2 per cent. Second, "Skills" matter! Done') == [
        "It is 5.2 per cent.", 'Second, "Skills" matter!', "Done"]


def test_tokens_drop_stop_words_and_stem():
    assert en_tokens("What are the pensions?") == ["pension"]
    assert "养老金" in zh_tokens("养老金能按时足额发放吗？")
    assert "吗" not in zh_tokens("养老金能按时足额发放吗？")
    # "Where" and "which" are question words, as in English: 哪里 is no topic a text lacks.
    assert not {"哪里", "哪儿", "哪个", "~哪里"} & set(zh_tokens("养老金发到哪里？哪儿领？哪个窗口？"))


@pytest.mark.parametrize("text", ["", " ", "？？？", "\x00", "a", "中", "🙂" * 50])
def test_tokens_never_fail(text):
    assert isinstance(en_tokens(text), list) and isinstance(zh_tokens(text), list)


def test_traditional_script_is_detected_and_converted():
    assert is_traditional("養老金能按時足額發放嗎？靈活就業人員能參加職工養老保險嗎？")
    assert not is_traditional("养老金能按时足额发放吗？灵活就业人员能参加职工养老保险吗？")
    assert not is_traditional("Will pensions be paid on time?")
    assert in_script("養老金能按時足額發放嗎？") == "养老金能按时足额发放吗？"
    assert in_script("养老金能按时足额发放吗？") == "养老金能按时足额发放吗？"  # simplified stays
    assert in_script("养老金", traditional=True) == "養老金"
    assert in_script("Pensions 2026") == "Pensions 2026"


def test_without_opencc_text_stays_as_typed(monkeypatch):
    import builtins

    from rag import text

    real_import = builtins.__import__

    def no_opencc(name, *args, **kwargs):
        if name == "opencc":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    text._opencc.cache_clear()
    monkeypatch.setattr(builtins, "__import__", no_opencc)
    try:
        assert in_script("養老金") == "養老金"
        assert not is_traditional("養老金能按時足額發放嗎？")
    finally:
        text._opencc.cache_clear()


def test_how_long_is_the_question_frame_not_its_topic():
    assert "long" not in en_tokens("How long can I receive benefits?")
    assert "often" not in en_tokens("How often is the base adjusted?")
    assert "long" in en_tokens("Is long-term care insurance covered?")
    # The same in Chinese: "多长时间" gives no 时间 to match "事故发生的时间", nor "什么时候" a 时候.
    for asked in ("补贴审核需要多长时间？", "养老金多久调整一次", "什么时候开始缴费"):
        assert not {"时间", "~时间", "时候", "多久", "~长时"} & set(zh_tokens(asked)), asked
    assert "时间" in zh_tokens("工作时间") and "长期" in zh_tokens("长期护理保险")


def test_jieba_is_imported_without_pkg_resources_and_loads_its_dictionary(tmp_path):
    # pkg_resources costs a cold `rag ask` about 70 ms; jieba reads the same bundled file without it.
    import subprocess
    import sys

    code = ("import sys; from rag.text import import_jieba; j = import_jieba(); "
            "assert 'pkg_resources' not in sys.modules; "
            f"j.dt.tmp_dir = {str(tmp_path)!r}; j.dt.check_initialized(); "
            "assert j.dt.FREQ['养老金'] > 0; print(j.lcut('养老金能按时足额发放吗'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "养老金" in out.stdout


@pytest.mark.parametrize("british, american", [
    ("labour", "labor"), ("neighbourhoods", "neighborhoods"), ("subsidised", "subsidized"),
    ("organisations", "organizations"), ("programme", "program"), ("centres", "centers"),
    ("licence", "license"), ("enrolment", "enrollment"), ("travelled", "traveled"), ("paediatric", "pediatric"),
])
def test_british_spelling_meets_the_dictionary_s_american(british, american):
    assert en_tokens(f"the {british} rules") == en_tokens(f"the {american} rules")


@pytest.mark.parametrize("word", ["four", "hour", "your", "enterprise", "advertising", "exercise", "supervised"])
def test_words_spelt_alike_in_both_keep_their_spelling(word):
    from rag.text import american

    assert american(word) == word
