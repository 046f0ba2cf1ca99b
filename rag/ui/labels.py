"""Every word the web app shows, in English and Chinese, and the example questions it offers."""

import json
import logging

from ..document import Lang
from ..edition import companion
from ..engine import Engine

log = logging.getLogger(__name__)


def examples_for(engine: Engine) -> dict[Lang, tuple[str, ...]]:
    """Example questions of the document (a library's first): its own (`<name>.examples.json`
    beside it), else questions any document answers, and one per section title in Chinese."""
    engines = getattr(engine, "engines", None)
    first = engines[next(iter(engines))] if engines else engine
    own = _read_examples(companion(first.config.document, "examples.json"))
    if own.get("en") and own.get("zh"):
        return own
    titles = [s.title for s in first.doc.sections if s.title][:3]
    return {
        "en": ("What is this document about?", "Who issued it, and when?", "What are the main measures?"),
        "zh": tuple(f"“{t[:24]}”有哪些内容？" for t in titles) + ("这份文件是谁发布的？",),
    }


def size_text(n: int) -> str:
    """A size limit as people read it: 20 MiB, 195 KiB."""
    return f"{n / 2**20:g} MiB" if n >= 2**20 else f"{n // 1024} KiB"


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
        "intro_many": "Answers quote the {n} documents below (the Documents tab lists them) and cite the "
                      "paragraphs they come from. Click a citation such as [{key} §1.1] to read it in context.",
        "more_docs": "and {n} more",
        "scope": "Answer from",
        "all_docs": "All documents",
        "chat_tab": "Ask",
        "lookup_tab": "Look up a citation",
        "docs_tab": "Documents",
        "panel": "Source",
        "docs_head": ("key", "document", "kind", "place", "date", "paragraphs"),
        "docs_note": "Answers come from these documents; click a title to read one. `rag add FILE` and "
                     "`rag remove KEY` change them; the app follows.",
        "docs_note_edit": "Answers come from these documents; click a title to read one. "
                          "Add one (it is embedded on its own, in a few seconds) "
                          "or remove one: the app follows at once.",
        "docs_add": "Add a document",
        "docs_types": ".txt .md .docx .doc .wps .pdf .html, up to {size}; a scanned PDF is read by OCR (seconds a page)",
        "docs_add_go": "Add",
        "docs_actions": "action",
        "docs_remove": "Remove",
        "docs_remove_label": "Remove {key}",
        "docs_open": "Open {key}: its text, with its contents, under “Look up a citation”",
        "docs_pick": "Choose a file first.",
        "docs_adding": "Adding {name}… embedding takes a few seconds.",
        "docs_added": "Added “{title}” as {key}: ask about it in the Ask tab.",
        "docs_confirm": "Remove {key} from the library? Its copy and its index are deleted.",
        "docs_removing": "Removing {key}…",
        "docs_removed": "Removed {key}.",
        "docs_failed": "The request failed: {message}",
        "chatbot": "Conversation",
        "question": "Your question (English or Chinese)",
        "placeholder": "e.g. Who does this policy cover?",
        "send": "Ask",
        "clear": "New conversation",
        "lookup": "Paragraph id (§2.4, 2.4, 2-4) or a phrase of the original text",
        "lookup_placeholder": "e.g. §1.1, or words from the text",
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
        "more": "Show more",
        "copy_md": "Copy as Markdown",
    },
    "zh": {
        "title": "就业和社保政策问答",
        "intro": "回答均摘自下列文件原文，并注明出处段落。点击引用（如 [§2.4]）即可查看上下文。",
        "intro_many": "回答均摘自下列 {n} 份文件原文（见“文件”页），并注明出处段落。点击引用（如 [{key} §1.1]）即可查看上下文。",
        "more_docs": "等 {n} 份",
        "scope": "回答依据",
        "all_docs": "全部文件",
        "chat_tab": "提问",
        "lookup_tab": "查看原文",
        "docs_tab": "文件",
        "panel": "出处",
        "docs_head": ("编号", "文件", "类型", "地方", "日期", "段落数"),
        "docs_note": "回答均来自以下文件，点击标题可阅读原文。用 `rag add 文件` 添加、`rag remove 编号` 删除，应用会随之更新。",
        "docs_note_edit": "回答均来自以下文件，点击标题可阅读原文。可在此添加文件（单独向量化，需几秒钟）或删除文件，应用立即更新。",
        "docs_add": "添加文件",
        "docs_types": ".txt .md .docx .doc .wps .pdf .html，不超过 {size}；扫描版 PDF 经 OCR 识别（每页数秒）",
        "docs_add_go": "添加",
        "docs_actions": "操作",
        "docs_remove": "删除",
        "docs_remove_label": "删除 {key}",
        "docs_open": "在“查看原文”中打开 {key}：原文及其目录",
        "docs_pick": "请先选择文件。",
        "docs_adding": "正在添加 {name}……向量化需要几秒钟。",
        "docs_added": "已添加《{title}》，编号 {key}，可在“提问”页提问。",
        "docs_confirm": "从资料库删除 {key}？其副本和索引将被删除。",
        "docs_removing": "正在删除 {key}……",
        "docs_removed": "已删除 {key}。",
        "docs_failed": "请求失败：{message}",
        "chatbot": "对话",
        "question": "请输入问题（中文或英文）",
        "placeholder": "例如：这项政策适用于哪些人？",
        "send": "提问",
        "clear": "新对话",
        "lookup": "段落编号（§2.4、2.4、2-4）或原文片段",
        "lookup_placeholder": "例如：§1.1，或原文中的词语",
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
        "more": "展开全部",
        "copy_md": "复制为 Markdown",
    },
}


PLACEHOLDER = (
    "**Ask in English or Chinese · 中英文提问均可**\n\n"
    "Answers quote the document and cite paragraphs like §2.4. · 回答引用文件原文并注明段落。"
)


MODE_LABELS = {
    "generated": {"en": "Generated answer: every sentence was checked against the paragraph it cites.",
                  "zh": "生成的回答：每句话都已与所引段落核对。"},
    "fallback": {"en": "The generated answer could not be checked, so the document's own sentences are shown.",
                 "zh": "生成的回答未能通过核对，以下为原文摘录。"},
}


FOLLOW_LABEL = {"en": "Ask next:", "zh": "接着问："}
TOPIC_QUESTION = {"en": "What does the document say about “{title}”?", "zh": "关于“{title}”有哪些内容？"}
# In a library, named by its title in 《》, so the question is asked of that document (rag.library.named).
TOPIC_IN_DOCUMENT = {"en": "What does 《{document}》 say about “{title}”?", "zh": "《{document}》关于“{title}”有哪些内容？"}
# A Chinese title with the field's English for it (rag.bridge.title_gloss), for an English reader.
TOPIC_GLOSSED = "What does the document say about {gloss} (“{title}”)?"
TOPIC_GLOSSED_IN_DOCUMENT = "What does 《{document}》 say about {gloss} (“{title}”)?"

CHECKING = {"en": "Writing an answer; each sentence is checked against its source before it is kept…",
            "zh": "正在生成回答；每句话都会先与出处核对，核对通过才保留……"}
