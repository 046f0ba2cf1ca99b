"""Adding and removing documents in the web app: who may, the upload route's checks, and a
running app that follows its library (its own changes and a concurrent `rag add`).

The route tests mount rag.ui.uploads on a bare Starlette app over a fake-embedded library;
the `slow` ones start `python app.py` on loopback with the real model.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from rag import ui
from rag.config import Config
from rag.library import Entry, Library, LibraryEngine, LiveLibrary, open_engine
from rag.ui.uploads import may_change, may_change_page, mount_uploads
from tests.test_app import start_app

CANTEEN = """关于做好社区食堂就餐补贴工作的通知
各区民政局：
为方便老年人就近就餐，现就社区食堂就餐补贴有关事项通知如下。
一、补贴对象和标准
年满六十周岁的本市户籍老年人在社区食堂就餐的，每餐补贴三元，每人每天最多补贴两餐。
二、资金来源
补贴资金由市、区两级财政各承担一半，按季度拨付到社区食堂。
三、工作要求
各区民政局要在每年三月底前报送上一年度补贴发放情况。
市民政局
2024年5月6日
"""
FIXTURES = Path(__file__).parent / "fixtures" / "docs"

PARKING = """关于规范住宅小区停车收费的通知
各区发展改革委：
为规范住宅小区停车收费行为，现将有关事项通知如下。
一、收费标准
住宅小区地面停车位每月收费不超过一百五十元，地下停车位每月收费不超过三百元。
二、公示要求
物业服务企业应当在小区显著位置公示停车收费标准和投诉电话。
市发展改革委
2024年3月1日
"""
CANTEEN_Q = "老年人在社区食堂就餐每餐补贴多少？"
PARKING_Q = "地下停车位每月收费上限是多少？"
LOOPBACK = ("127.0.0.1", 50000)
SMALL_CAP = 200_000


# -- who may ---------------------------------------------------------------------------------
@pytest.mark.parametrize("host, auth, client, header, logged_in, allowed", [
    ("127.0.0.1", None, "127.0.0.1", "127.0.0.1:7860", False, True),
    ("127.0.0.1", None, "::1", "localhost:7860", False, True),
    ("::1", None, "::1", "[::1]:7860", False, True),
    ("0.0.0.0", None, "127.0.0.1", "127.0.0.1:7860", False, False),  # bound elsewhere, no login
    ("192.168.1.5", None, "192.168.1.9", "192.168.1.5:7860", False, False),
    ("127.0.0.1", None, "10.0.0.7", "127.0.0.1:7860", False, False),  # forwarded by a proxy for another machine
    ("127.0.0.1", None, "127.0.0.1", "evil.example:7860", False, False),  # DNS rebinding
    ("0.0.0.0", ("ann", "pw"), "192.168.1.9", "policy.example", True, True),
    ("0.0.0.0", ("ann", "pw"), "192.168.1.9", "policy.example", False, False),
    ("127.0.0.1", ("ann", "pw"), "127.0.0.1", "127.0.0.1:7860", False, False),  # a login is a login
])
def test_who_may_change_the_library(host, auth, client, header, logged_in, allowed):
    user, password = auth or ("", "")
    config = Config(host=host, auth_user=user, auth_password=password)
    assert may_change(config, client, header, logged_in) is allowed


# -- the route, on a bare app over a fake-embedded library -----------------------------------
@pytest.fixture
def routed(tmp_path, fake_embedder):
    """(a Starlette app with the two routes, the LiveLibrary, the config)."""
    from starlette.applications import Starlette

    config = Config(index_dir=tmp_path / "index", max_upload_bytes=SMALL_CAP)
    live = LiveLibrary(config, open_engine(config, embedder=fake_embedder), embedder=fake_embedder)
    app = Starlette()
    mount_uploads(app, live, config)
    return app, live, config


def client_for(app, client=LOOPBACK, host="127.0.0.1:7860"):
    from starlette.testclient import TestClient

    return TestClient(app, base_url=f"http://{host}", client=client)


def send_file(client, name: str, body: bytes, **headers):
    return client.post("/documents/upload", content=body,
                       headers={"X-Filename": urllib.parse.quote(name), "Content-Type": "application/octet-stream",
                                **headers})


def leaks(text: str, config: Config) -> bool:
    return any(str(p) in text for p in (config.temp_path, config.index_path, config.index_path.resolve()))


def test_an_upload_is_added_and_answered_with_keyed_ids(routed):
    app, live, config = routed
    r = send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode())
    assert r.status_code == 200, r.text
    assert r.json() == {"key": "canteen", "title": "关于做好社区食堂就餐补贴工作的通知", "kind": "notice"}
    engine = live.current()
    assert isinstance(engine, LibraryEngine) and list(engine.engines) == ["policy", "canteen"]
    assert engine.ask(CANTEEN_Q).citations[0].id == "canteen §1.1"
    shown = ui.documents_html(engine, "zh", editable=True)
    assert "canteen" in shown and "社区食堂" in shown and 'data-key="canteen"' in shown
    assert 'aria-label="删除 canteen"' in shown and '<label for="rag-doc-file">添加文件</label>' in shown
    assert "<form" not in ui.documents_html(engine, "en")  # the buttons only for whoever may use them
    assert not list((config.temp_path / "uploads").iterdir())


def test_the_contents_beside_a_looked_up_paragraph_are_of_its_document(routed):
    app, live, _ = routed
    assert send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode()).status_code == 200
    engine = live.current()
    shown = ui.contents_html(engine, "en", "canteen:1.1")
    assert "社区食堂" in shown and 'data-cite="canteen §1.1"' in shown and "全力以赴稳就业" not in shown
    first = ui.contents_html(engine, "en")  # the library's first document, its ids keyed: they open
    assert "全力以赴稳就业" in ui.contents_html(engine, "zh") and 'data-cite="policy §1.1"' in first
    assert "canteen" not in first and 'class="lookup"' in ui.lookup_html(engine, "policy §1.1", "en")
    assert ui.contents_html(engine, "en", "nosuch §1.1") == first


def test_each_listed_document_opens_its_text_and_contents_in_the_lookup(routed):
    app, live, _ = routed
    one = ui.documents_html(live.current(), "en")  # one document: its ids unkeyed
    assert 'href="?cite=0.1" data-cite="§0.1"' in one and "Open policy" in one
    assert send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode()).status_code == 200
    engine = live.current()
    shown = ui.documents_html(engine, "zh")
    assert 'class="cite doc-open" href="?cite=canteen:0.1" data-cite="canteen §0.1"' in shown
    assert ">关于做好社区食堂就餐补贴工作的通知</a>" in shown
    assert "社区食堂" in ui.lookup_html(engine, "canteen §0.1", "zh")


def test_a_librarys_answer_names_the_document_it_quotes(routed):
    from dataclasses import replace

    from rag.library import origin_of as origin_line
    from rag.library import within
    from rag.ui.chat import respond

    app, live, _ = routed
    assert send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode()).status_code == 200
    engine = live.current()
    chat, *_ = respond(engine, CANTEEN_Q, [], (), "zh")
    assert '<p class="lbl origin">出自：关于做好社区食堂就餐补贴工作的通知 (canteen)</p>' in chat[-1]["content"]
    answer = engine.ask(CANTEEN_Q)
    assert not origin_line(within(engine, "canteen"), answer)  # one document picked: the user knows which
    assert not origin_line(engine, replace(answer, abstained=True, citations=()))  # a refusal quotes nothing


def test_a_question_can_be_asked_of_one_document(routed):
    from rag.errors import RagError
    from rag.library import within
    from rag.ui.app import scope_choice

    app, live, config = routed
    assert not scope_choice(live.current(), "en").visible  # one document: nothing to choose
    assert send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode()).status_code == 200
    engine = live.current()
    assert ui.ask_json(engine, CANTEEN_Q, None, "canteen")["citations"][0]["id"] == "canteen §1.1"
    from_policy = ui.ask_json(engine, CANTEEN_Q, None, "policy")
    assert all(c["document"] == "policy" for c in from_policy["citations"])
    assert ui.ask_json(engine, CANTEEN_Q, None, "")["citations"][0]["id"] == "canteen §1.1"  # the whole library
    with pytest.raises(RagError, match="policy, canteen"):
        ui.ask_json(engine, CANTEEN_Q, None, "nosuch")
    with pytest.raises(RagError, match="document must be"):
        ui.ask_json(engine, CANTEEN_Q, None, ["canteen"])
    assert within(engine, None) is engine
    shown = scope_choice(engine, "zh")
    assert shown.visible and shown.label == "回答依据"
    assert [v for _, v in shown.choices] == ["", "policy", "canteen"]


@pytest.mark.parametrize("name, body, status, said", [
    ("tool.exe", b"MZ\x90\x00", 415, "Unsupported file type"),
    ("notes", b"text", 415, "Unsupported file type"),
    ("", b"text", 415, "Unsupported file type"),
    ("bad.txt", b"\x00\x01binary", 400, "binary data"),
    ("fake.pdf", b"not a pdf at all", 400, "not a PDF"),
    ("fake.docx", b"not a zip", 400, "not a .docx"),
    ("big.txt", "一".encode() * (SMALL_CAP // 3 + 10), 413, "limit"),
])
def test_a_bad_file_is_refused_with_a_clear_error_and_changes_nothing(routed, name, body, status, said):
    app, live, config = routed
    before = Library(config.index_path).entries()
    r = send_file(client_for(app), name, body)
    assert r.status_code == status and said in r.json()["error"] and r.json()["error_zh"]
    assert "Traceback" not in r.text and not leaks(r.text, config)
    assert Library(config.index_path).entries() == before and live.current() is live.current()
    assert not list((config.temp_path / "uploads").glob("*"))


def test_a_body_longer_than_it_declares_is_still_capped(routed):
    app, _, config = routed

    def stream():
        for _ in range(5):
            yield b"a" * (SMALL_CAP // 2)

    from starlette.testclient import TestClient

    r = TestClient(app, base_url="http://127.0.0.1", client=LOOPBACK).post(
        "/documents/upload", content=stream(), headers={"X-Filename": "x.txt"})  # chunked: no length declared
    assert r.status_code == 413 and not list((config.temp_path / "uploads").glob("*"))


def test_a_folder_in_the_name_is_dropped(routed):
    app, _, config = routed
    r = send_file(client_for(app), "../../outside/canteen.zh.txt", CANTEEN.encode())
    assert r.status_code == 200 and r.json()["key"] == "canteen"
    assert not (config.index_path.parent / "outside").exists()


@pytest.mark.parametrize("client, host, headers", [
    (("192.168.1.9", 40000), "127.0.0.1:7860", {}),  # another machine
    (LOOPBACK, "evil.example", {}),  # a rebinding page
    (LOOPBACK, "127.0.0.1:7860", {"Origin": "https://evil.example"}),  # another site's page
    (LOOPBACK, "127.0.0.1:7860", {"Origin": "null"}),
])
def test_the_routes_refuse_who_may_not(routed, client, host, headers):
    app, _, config = routed
    c = client_for(app, client, host)
    r = send_file(c, "canteen.zh.txt", CANTEEN.encode(), **headers)
    assert r.status_code == 403 and "logging in" in r.json()["error"] and "登录" in r.json()["error_zh"]
    r = c.post("/documents/remove", json={"key": "policy"}, headers=headers)
    assert r.status_code == 403
    assert [e.key for e in Library(config.index_path).entries()] == ["policy"]


def test_the_routes_refuse_a_server_bound_elsewhere_without_login(tmp_path, fake_embedder):
    from starlette.applications import Starlette

    config = Config(index_dir=tmp_path / "index", host="0.0.0.0")
    live = LiveLibrary(config, open_engine(config, embedder=fake_embedder), embedder=fake_embedder)
    app = Starlette()
    mount_uploads(app, live, config)
    r = send_file(client_for(app), "canteen.zh.txt", CANTEEN.encode())
    assert r.status_code == 403 and not list((config.temp_path / "uploads").glob("*"))
    assert not may_change_page(config, _Request("127.0.0.1", "127.0.0.1:7860"))  # and the tab shows no buttons
    assert may_change_page(Config(), _Request("127.0.0.1", "127.0.0.1:7860"))


def test_with_a_login_only_a_logged_in_session_may(tmp_path, fake_embedder):
    from starlette.applications import Starlette

    config = Config(index_dir=tmp_path / "index", host="0.0.0.0", auth_user="ann", auth_password="s3cret-pass")
    live = LiveLibrary(config, open_engine(config, embedder=fake_embedder), embedder=fake_embedder)
    app = Starlette()
    app.cookie_id, app.tokens = "c1", {"t0k3n": "ann"}  # as Gradio keeps its sessions
    mount_uploads(app, live, config)
    remote = client_for(app, ("192.168.1.9", 40000), "policy.example")
    assert send_file(remote, "canteen.zh.txt", CANTEEN.encode()).status_code == 403
    assert send_file(remote, "canteen.zh.txt", CANTEEN.encode(), Cookie="access-token-c1=forged").status_code == 403
    r = send_file(remote, "canteen.zh.txt", CANTEEN.encode(), Cookie="access-token-c1=t0k3n")
    assert r.status_code == 200 and r.json()["key"] == "canteen"
    assert may_change_page(config, _Request("192.168.1.9", "policy.example", username="ann"))


class _Request:
    """What the page's events see of a request (gr.Request)."""

    def __init__(self, client: str, host: str, username: str | None = None):
        self.client = type("Client", (), {"host": client})()
        self.headers = {"host": host}
        self.username = username


def test_remove_takes_a_document_out_and_ids_go_back_to_unkeyed(routed):
    app, live, config = routed
    c = client_for(app)
    assert send_file(c, "canteen.zh.txt", CANTEEN.encode()).status_code == 200
    r = c.post("/documents/remove", json={"key": "canteen"})
    assert r.status_code == 200 and r.json()["key"] == "canteen"
    engine = live.current()
    assert not isinstance(engine, LibraryEngine) and engine.key == "policy"
    assert all(cite.id.startswith("§") for cite in engine.ask("养老金能按时足额发放吗？").citations)
    r = c.post("/documents/remove", json={"key": "policy"})
    assert r.status_code == 400 and "only document" in r.json()["error"]
    assert c.post("/documents/remove", content=b"key=policy").status_code == 400


def test_a_library_changed_elsewhere_is_followed_reusing_open_documents(tmp_path, fake_embedder):
    config = Config(index_dir=tmp_path / "index")
    first = open_engine(config, embedder=fake_embedder)
    live = LiveLibrary(config, first, embedder=fake_embedder)
    assert live.current() is first
    (tmp_path / "parking.txt").write_text(PARKING, encoding="utf-8")
    Library(config.index_path).add(tmp_path / "parking.txt", config, fake_embedder)  # as `rag add` would
    engine = live.current()
    assert isinstance(engine, LibraryEngine) and engine.engines["policy"] is first  # reused, not reopened
    assert engine.ask(PARKING_Q).citations[0].id == "parking §1.1"
    assert live.current() is engine  # unchanged manifest: the same engine
    Library(config.index_path).remove("parking")
    assert live.current() is first


def test_example_questions_come_from_the_library_not_the_bundled_interview(tmp_path, fake_embedder):
    from rag.ui import examples_for

    config = Config(index_dir=tmp_path / "index")
    lib = Library(config.index_path)
    bundled = examples_for(open_engine(config, embedder=fake_embedder))
    (tmp_path / "parking.txt").write_text(PARKING, encoding="utf-8")
    lib.add(tmp_path / "parking.txt", config, fake_embedder)
    assert examples_for(open_engine(config, embedder=fake_embedder)) == bundled  # the first document's
    lib.remove("policy")
    lib.add(FIXTURES / "notice.zh.txt", config, fake_embedder)
    offered = examples_for(open_engine(config, embedder=fake_embedder))
    assert not set(offered["en"] + offered["zh"]) & set(bundled["en"] + bundled["zh"])


def test_an_app_given_one_file_does_not_follow_the_library(tmp_path, fake_embedder):
    from dataclasses import replace

    (tmp_path / "parking.txt").write_text(PARKING, encoding="utf-8")
    config = replace(Config(index_dir=tmp_path / "index"), document=tmp_path / "parking.txt")
    engine = open_engine(config, embedder=fake_embedder)
    live = LiveLibrary(config, engine)
    assert not live.follows and live.current() is engine


# -- the served app ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`python app.py` on loopback over a library of its own; yields (url, index folder)."""
    tmp = tmp_path_factory.mktemp("app-library")
    index = tmp / "index"
    for url, _log, _feedback in start_app(tmp, index, timeout=240, extra_env={"RAG_MAX_UPLOAD_BYTES": str(SMALL_CAP)}):
        yield url.rstrip("/"), index


def post(url: str, body: bytes, headers: dict) -> tuple[int, dict, str]:
    req = urllib.request.Request(url, data=body, method="POST", headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            return r.status, json.loads(r.read()), ""
    except urllib.error.HTTPError as e:
        text = e.read().decode("utf-8")
        return e.code, json.loads(text), text


def upload(url: str, name: str, body: bytes) -> tuple[int, dict, str]:
    return post(url + "/documents/upload", body, {"X-Filename": urllib.parse.quote(name),
                                                  "Content-Type": "application/octet-stream"})


def asked(url: str, question: str) -> dict:
    from gradio_client import Client

    return Client(url + "/", verbose=False).predict(question, api_name="/ask")


def no_trace(index: Path, *texts: str) -> bool:
    return not any(str(index.parent) in t or "/tmp" in t for t in texts)


@pytest.mark.slow
def test_served_upload_ask_and_remove(served):
    url, index = served
    status, got, _ = upload(url, "canteen.zh.txt", CANTEEN.encode())
    assert status == 200 and got["key"] == "canteen" and no_trace(index, json.dumps(got, ensure_ascii=False))
    assert [e.key for e in Library(index).entries()] == ["policy", "canteen"]
    answer = asked(url, CANTEEN_Q)
    assert answer["citations"][0]["id"] == "canteen §1.1" and answer["citations"][0]["document"] == "canteen"
    assert asked(url, "养老金能按时足额发放吗？")["citations"][0]["id"] == "policy §4.4"
    status, got, _ = post(url + "/gradio_api/call/ask", json.dumps({"data": [CANTEEN_Q, None, "canteen"]}).encode(),
                          {"Content-Type": "application/json"})
    assert status == 200 and got["event_id"]  # the REST form with a document; its answer is streamed
    from gradio_client import Client

    one = Client(url + "/", verbose=False).predict(CANTEEN_Q, None, "policy", api_name="/ask")
    assert all(c["document"] == "policy" for c in one["citations"])

    status, got, text = upload(url, "canteen.zh.txt", CANTEEN.encode())
    assert status == 400 and "already has" in got["error"] and no_trace(index, text)

    status, got, _ = post(url + "/documents/remove", json.dumps({"key": "canteen"}).encode(),
                          {"Content-Type": "application/json"})
    assert status == 200 and [e.key for e in Library(index).entries()] == ["policy"]
    assert asked(url, "养老金能按时足额发放吗？")["citations"][0]["id"] == "§4.4"  # one document: unkeyed again
    assert not list((index / "tmp" / "uploads").iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("name, body, status", [
    ("bad.txt", b"\x00\x01\x02binary", 400),
    ("tool.exe", b"MZ\x90\x00", 415),
    ("big.txt", b"a" * (SMALL_CAP + 1), 413),
])
def test_served_bad_files_are_refused(served, name, body, status):
    url, index = served
    before = Library(index).entries()
    got_status, got, text = upload(url, name, body)
    assert got_status == status and got["error"] and got["error_zh"] and no_trace(index, text)
    assert Library(index).entries() == before and not list((index / "tmp" / "uploads").iterdir())


@pytest.mark.slow
def test_served_app_follows_a_concurrent_cli_add(served, real_embedder, tmp_path):
    url, index = served
    (tmp_path / "parking.txt").write_text(PARKING, encoding="utf-8")
    config = Config(index_dir=index)
    Library(index).add(tmp_path / "parking.txt", config, real_embedder)  # as `rag add` in another process
    try:
        assert asked(url, PARKING_Q)["citations"][0]["id"] == "parking §1.1"
    finally:
        Library(index).remove("parking")
    assert all(c["document"] != "parking" for c in asked(url, PARKING_Q)["citations"])


@pytest.mark.slow
def test_served_gradio_upload_routes_stay_closed(served):
    url, _ = served
    status, got, _ = post(url + "/gradio_api/upload", b"x", {"Content-Type": "application/octet-stream"})
    assert status == 404 and "Uploads are disabled" in got["error"]


@pytest.mark.slow
@pytest.mark.browser
def test_a_document_is_added_and_removed_in_the_documents_tab(served, tmp_path):
    """In Chromium: choose a file, Add, see it listed with what happened; Remove it (confirmed)."""
    from tests import test_browser as tb  # skips here too when Chromium or Playwright is missing

    url, index = served
    doc = tmp_path / "canteen.zh.txt"
    doc.write_text(CANTEEN, encoding="utf-8")
    with tb.sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(tb.CHROMIUM), args=tb.CHROMIUM_ARGS)
        page = browser.new_context(locale="en-US").new_page()
        page.set_default_timeout(60_000)
        confirms: list[str] = []
        page.on("dialog", lambda d: (confirms.append(d.message), d.accept()))
        page.goto(url + "/", wait_until="domcontentloaded")
        page.get_by_role("tab", name="Documents").click()
        page.get_by_label("Add a document").set_input_files(str(doc))
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_function("document.querySelector('#rag-docs-status')?.textContent.includes('Added')")
        status = page.locator("#rag-docs-status").inner_text()
        assert "as canteen" in status and "社区食堂" in status
        assert page.locator("#rag-docs table.docs tbody tr").count() == 2
        assert "社区食堂" in page.locator("#rag-docs table.docs").inner_text()
        tb.ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(tb.ARTIFACTS / "documents-added.png"), full_page=True)

        bad = tmp_path / "tool.exe"
        bad.write_bytes(b"MZ\x90\x00")
        page.get_by_label("Add a document").set_input_files(str(bad))
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_function("document.querySelector('#rag-docs-status.error')?.textContent.includes('Unsupported')")
        assert page.get_by_role("alert").inner_text().startswith("Unsupported file type: use .txt")
        assert page.locator("#rag-docs table.docs tbody tr").count() == 2

        page.get_by_role("button", name="Remove canteen").click()
        page.wait_for_function("document.querySelector('#rag-docs-status')?.textContent.includes('Removed')")
        assert confirms and "canteen" in confirms[0]
        assert page.locator("#rag-docs table.docs tbody tr").count() == 1
        browser.close()
    assert [e.key for e in Library(index).entries()] == ["policy"]


def test_the_header_names_the_library_as_it_is():
    from types import SimpleNamespace as NS

    from rag.ui.views import header_html

    def engine(title):
        return NS(doc=NS(name=title, metadata=NS(title=title, subtitle="", dateline="")))

    one = header_html(NS(engines={"a": engine("关于<稳就业>的通知")}), "en")
    assert "the document below" in one and "关于&lt;稳就业&gt;的通知" in one
    def library(keys):  # a library lists its documents' titles without opening them
        return NS(engines={k: engine(f"文件{k}") for k in keys}, catalog=tuple(Entry(k, "", title=f"文件{k}") for k in keys))

    many = header_html(library("abcde"), "en")
    assert "5 documents" in many and "文件a · 文件b · 文件c · and 2 more" in many and "文件d" not in many
    zh = header_html(library("ab"), "zh")
    assert "2 份文件" in zh and "文件a · 文件b" in zh


def test_the_page_offers_the_example_questions_of_the_library_as_it_is_now(tmp_path, fake_embedder):
    """Drawn when the page loads and after an add or remove, not once when the app starts."""
    pytest.importorskip("gradio")
    from rag.ui import create_app, examples_for

    config = Config(index_dir=tmp_path / "index")
    live = LiveLibrary(config, open_engine(config, embedder=fake_embedder), embedder=fake_embedder)
    demo = create_app(live, config)
    loaded = next(f.fn for f in demo.fns.values() if getattr(f.fn, "__name__", "") == "loaded")
    before = loaded("en", None)[2]
    lib = Library(config.index_path)
    lib.add(FIXTURES / "notice.zh.txt", config, fake_embedder)
    lib.remove("policy")
    after = loaded("zh", None)[2]
    offered = examples_for(live.current())["zh"]
    assert [e["text"] for e in after.examples] == list(offered) and after.examples != before.examples


def test_a_follow_up_on_a_file_of_two_texts_names_the_text_it_is_about(tmp_path, fake_embedder):
    from rag.ui.chat import follow_ups

    guides = tmp_path / "guides.zh.txt"
    from tests.test_genres import LABELLED_GUIDE

    guides.write_text(LABELLED_GUIDE.replace("办理程序\n1.本人", "申请条件\n1.已经实现就业的人员。\n办理程序\n1.本人"),
                      encoding="utf-8")
    config = Config(index_dir=tmp_path / "index")
    lib = Library(config.index_path)
    lib.add(guides, config, fake_embedder)
    lib.add(FIXTURES / "notice.zh.txt", config, fake_embedder)
    assert lib.get("guides").parts == ("失业登记办理指南", "失业登记注销指南")
    engine = open_engine(config, embedder=fake_embedder)
    a = engine.ask("《失业登记注销指南》里关于“办理程序”有哪些内容？")
    assert a.citations and {c.document for c in a.citations} == {"guides"}
    offered = follow_ups(engine, a)
    assert "《失业登记注销指南》关于“申请条件”有哪些内容？" in offered, offered
    asked = engine.ask("《失业登记注销指南》关于“申请条件”有哪些内容？")
    assert [c.text for c in asked.citations] == ["1.已经实现就业的人员。"]


def test_a_library_answer_suggests_its_documents_topics_asked_of_it_by_name(tmp_path, fake_embedder):
    from rag.ui.chat import follow_ups, short_title

    config = Config(index_dir=tmp_path / "index")
    Library(config.index_path).add(FIXTURES / "notice.zh.txt", config, fake_embedder)
    engine = open_engine(config, embedder=fake_embedder)
    a = engine.ask("《国务院关于做好当前和今后一个时期促进就业工作的若干意见》说了哪些扩大就业见习补贴范围的措施？")
    assert a.citations and a.citations[0].document == "notice"
    questions = follow_ups(engine, a)
    assert questions and all(q.startswith("《国务院关于做好当前和今后一个时期促进就业工作的若干意见》关于“") for q in questions)
    assert {c.document for c in engine.ask(questions[0]).citations} == {"notice"}
    assert short_title("上海市人力资源和社会保障局关于印发《上海市失业保险金申领发放实施办法》的通知") == "上海市失业保险金申领发放实施办法"
    from dataclasses import replace

    # A refusal offers the topics of the document that came nearest, asked of it by name.
    refused = engine.ask("外国人在华工作需要办理什么许可？")
    assert refused.abstained and not refused.citations and refused.nearest == "notice"
    offered = follow_ups(engine, refused)
    assert offered and all(q.startswith("《国务院关于做好当前和今后一个时期促进就业工作的若干意见》关于“") for q in offered)
    assert follow_ups(engine, replace(refused, nearest="")) == ()
    assert follow_ups(engine, engine.ask("")) == ()  # a rejected question
