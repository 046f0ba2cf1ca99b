"""The `rag` command through a real process: the JSON contract, batch mode, cite and eval."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    e = dict(os.environ, RAG_INDEX_DIR=str(tmp_path_factory.mktemp("cli") / "index"), PYTHONUTF8="1")
    subprocess.run([sys.executable, "-m", "rag", "build"], env=e, check=True, capture_output=True)
    return e


def rag(env, *args, stdin: bytes | None = None):
    return subprocess.run([sys.executable, "-m", "rag", *args], env=env, input=stdin, capture_output=True,
                          timeout=120)


def test_ask_json_contract(env):
    r = rag(env, "ask", "养老金能按时足额发放吗？", "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"question", "language", "answer", "abstained", "citations", "mode"}
    assert out["language"] == "zh" and out["abstained"] is False
    assert out["citations"][0]["id"].startswith("§4.")
    c = out["citations"][0]
    assert set(c) >= {"id", "section", "text", "score"}
    scores = [c["score"] for c in out["citations"]]
    assert scores == sorted(scores, reverse=True)


def test_ask_readable(env):
    r = rag(env, "ask", "Will pensions be paid on time?")
    text = r.stdout.decode()
    assert r.returncode == 0 and "[§4.4]" in text and "Sources:" in text and "[1] §4.4" in text


def test_the_readable_answer_cites_a_run_of_one_paragraphs_sentences_once():
    from rag.render import marks_once

    assert marks_once("可以参加。[§3.1]按年缴费。[§3.1]九、待遇。[§9.1]另见。[§3.1]") == "可以参加。按年缴费。[§3.1]九、待遇。[§9.1]另见。[§3.1]"
    assert marks_once("Lead:[§2.1]\n(1) x[§2.1]") == "Lead:[§2.1]\n(1) x[§2.1]"  # a line of its own keeps its mark


def test_chinese_is_wrapped_between_characters_never_inside_a_figure_nor_before_a_comma():
    from rag.render import _wrap

    text = "基金调剂比例提高至3.5%，（国发〔2017〕28号）男性16-60周岁，女性16-50周岁，分包单位应当予以配合。" * 3
    for width in range(20, 60):
        lines = [line.strip() for line in _wrap(text, width, "  ")]
        assert "".join(lines) == text.replace(" ", "")
        assert not any(line[0] in "，。）〕%" for line in lines)
        assert not any(re.search(r"(3\.?|3\.5|〔|〔2017|16-?|16-6)$", line) for line in lines[:-1])


def test_ask_out_of_scope(env):
    out = json.loads(rag(env, "ask", "What is the tallest mountain in Africa?", "--json").stdout)
    assert out["abstained"] is True and out["citations"] == [] and out["language"] == "en"


def test_ask_stdin_batch(env):
    lines = "养老金能按时足额发放吗？\n\nWhat is the tallest mountain in Africa?\n".encode() + b"\xff\xfe bad\n" + b"x" * 50_000 + b"\n"
    r = rag(env, "ask", "--json", "-", stdin=lines)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert len(rows) == 5
    assert rows[0]["citations"] and rows[1]["error"] == "empty" and rows[2]["abstained"]
    assert "UTF-8" in rows[3]["error"] and rows[4]["error"] == "too_long"


def test_cite(env):
    for ref in ("§4.4", "4.4", "4-4"):
        r = rag(env, "cite", ref)
        assert r.returncode == 0 and "确保养老金按时足额发放" in r.stdout.decode()
    out = json.loads(rag(env, "cite", "2.4", "--json").stdout)
    assert out["id"] == "§2.4" and [c["id"] for c in out["context"]] == ["§2.3", "§2.4", "§2.5"]


def test_cite_unknown_exits_1(env):
    r = rag(env, "cite", "7.7")
    err = r.stderr.decode()
    assert r.returncode == 1 and "§2.4" in err and "Nearest" in err and "Traceback" not in err


def test_eval_prints_table(env, tmp_path):
    f = tmp_path / "e.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "1", "lang": "zh", "kind": "fact", "question": "养老金能按时足额发放吗？", "gold": ["确保养老金按时足额发放"]},
        {"id": "2", "lang": "en", "kind": "fact", "question": "How many new urban jobs in 2025?", "gold": ["1267万"]},
        {"id": "3", "lang": "en", "kind": "oos", "question": "What is the tallest mountain in Africa?", "gold": []},
    ]), encoding="utf-8")
    r = rag(env, "eval", str(f), "--baselines")
    text = r.stdout.decode()
    assert r.returncode == 0, r.stderr
    assert "Recall@1" in text and "pipeline" in text and "BM25" in text and "chunks" in text and "dense" in text
    rows = {cells[1]: cells for line in text.splitlines() if line.startswith("| pipeline")
            for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    head = [c.strip() for c in next(x for x in text.splitlines() if "Recall@1" in x).strip("|").split("|")]
    en, zh = dict(zip(head, rows["en"])), dict(zip(head, rows["zh"]))
    # Each language row counts its own questions and refusals: the one out-of-scope question is English.
    assert en["n"] == "1" and zh["n"] == "1"
    assert en["Recall@1"] == "1.00" and zh["Recall@1"] == "1.00"
    assert en["OOS refused"] == "1.00" and zh["OOS refused"] == "—"
    assert en["in-scope refused"] == "0.00" and zh["in-scope refused"] == "0.00"


def test_bad_model_is_one_clean_line(env, tmp_path):
    r = rag(env, "ask", "hi", "--model", str(tmp_path / "missing"))
    err = r.stderr.decode()
    assert r.returncode == 1 and err.startswith("error:") and "Traceback" not in err


def test_missing_index_without_rebuild(env, tmp_path):
    e = dict(env, RAG_INDEX_DIR=str(tmp_path / "none"))
    r = subprocess.run([sys.executable, "-m", "rag", "ask", "hi", "--no-rebuild"], env=e, capture_output=True)
    assert r.returncode == 1 and b"rag build" in r.stderr and b"Traceback" not in r.stderr


@pytest.mark.slow
def test_library_commands(tmp_path):
    """rag add / list / ask / cite / remove, as a user would run them."""
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp_path / "index")}
    fixture = str(ROOT / "tests" / "fixtures" / "docs" / "notice.zh.txt")

    def rag(*args):
        return subprocess.run([sys.executable, "-m", "rag", *args], env=env, capture_output=True, text=True, timeout=300)

    added = rag("add", fixture)
    assert added.returncode == 0 and added.stdout.startswith("added notice:")
    listed = json.loads(rag("list", "--json").stdout)
    assert [d["key"] for d in listed] == ["policy", "notice"] and listed[1]["kind"] == "opinion"
    assert listed[1]["places"] == []  # a State Council opinion is no one place's rules
    asked = json.loads(rag("ask", "--doc", "notice", "这份文件的文号是什么？", "--json").stdout)
    assert asked["citations"][0]["id"].startswith("notice §0.") and asked["citations"][0]["document"] == "notice"
    assert "国发〔2018〕39号" in rag("cite", "notice:0.2").stdout
    plain = rag("ask", "创业担保贷款贴息有什么支持政策？").stdout  # the library's answer says whose it is
    assert re.search(r"^出自：.+ \((notice|policy)\)$", plain, re.M), plain
    bad = rag("add", str(tmp_path / "missing.txt"))
    assert bad.returncode == 1 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    assert rag("remove", "notice").returncode == 0
    assert [d["key"] for d in json.loads(rag("list", "--json").stdout)] == ["policy"]


@pytest.mark.slow
def test_app_py_takes_the_same_flags_as_rag_serve():
    out = subprocess.run([sys.executable, str(ROOT / "app.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--document" in out.stdout and "--index-dir" in out.stdout
