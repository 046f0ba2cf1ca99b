"""Language detection, sentence splitting and lexical tokens for Chinese and English.

Tokens feed BM25: jieba words plus character bigrams for Chinese (so that a paraphrase
sharing half a word still matches), lower-cased, lightly stemmed words without stop
words for English. jieba is imported on first use.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

# Han characters: the CJK Unified Ideographs, Extension A and the Compatibility Ideographs. The one
# definition every module uses (HAN inside a character class, or the compiled patterns below).
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN = HAN_CHAR = re.compile(f"[{HAN}]")
_HAN_RUN = HAN_RUN = re.compile(f"[{HAN}]+")
# What comes before a bound (以上, 以下, 以内) that bounds a figure: "60周岁以上", "5万元以下", "30日内".
FIGURE_BEFORE = r"[\d〇一二两三四五六七八九十百千万半][^，。；：、\s]{0,3}"


def cjk(ch: str) -> bool:
    """A character of the wide scripts' range (Chinese, its punctuation, full-width forms), after
    or before which a line breaks with no space."""
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def joined(a: str, b: str) -> str:
    """Two pieces of one paragraph a line break split: no space beside a Chinese character, one
    between words."""
    if not a or not b:
        return a or b
    return a + b if cjk(a[-1]) or cjk(b[0]) else a + " " + b
_LATIN = re.compile(r"[A-Za-z]")
_SENT_ZH = re.compile(r"(?<=[。！？；!?;])(?![”’」』)）])|(?<=[。！？!?][”’」』)）])")
_SENT_EN = re.compile(r"(?<=[.!?;])[\"”’)]?\s+(?=[\"“‘(A-Z0-9])")
_WORD = re.compile(r"[a-z0-9]+(?:[.%][0-9]+)?%?|[a-z]+(?:'[a-z]+)?")

# Not "out": it gives a move its direction, and a phrase its sense ("transfer out" is 转出, not
# 转入; "out of work" is 无业), where "in" and "into" mostly name a place or a time.
EN_STOP = frozenset(
    """a about above after again all also am an and any are as at be been being below between both
    but by can could did do does doing down during each few for from further had has have having he her
    here hers him his how i if in into is it its itself just let me more most my no nor not now of off on
    once only or other our ours over own same she should so some such than that the their theirs them
    then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourselves anything something thing things tell
    please know explain say says said give get got going much many does mean means meant regarding
    according document article interview policy policies china chinese year years plan plans planned
    planning new""".split()
)
# Question words and fillers carry no topic; the numbers and nouns do.
ZH_STOP = frozenset(
    """的 了 和 与 及 是 在 有 为 将 对 把 被 等 也 都 就 还 又 并 更 让 使 以 从 于 之 其 这 那 哪 哪些 哪个 哪里 哪儿 什么 怎么
    怎样 如何 吗 呢 吧 啊 么 多少 几 谁 我 我们 你 你们 他 他们 她 它 要 会 能 可以 是否 有没有 没有 不 一些
    今年 去年 明年 问 答 请问 一下 方面 哪些方面 什么样 为什么 怎么样 情况 政策 方面 关于 中国 国家 文章 采访""".split()
)
_ZH_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
# Asking how long or when: no topic, and its pieces (时间, 时候) would match any sentence of dates.
_ASKS_HOW_LONG = re.compile(r"多长时间|多长|多久|什么时候")


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits to ASCII) with control characters removed."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\n\t")


def unradical(text: str) -> str:
    """Radicals written for the characters they stand for, as a PDF's font may map its glyphs
    (⼈⺠ for 人民, ⾸⻚ for 首页): the text is then searched, quoted and matched as typed."""
    return text.translate(_radicals()) if _RADICAL.search(text) else text


_RADICAL = re.compile(r"[\u2e80-\u2fdf]")


@lru_cache(maxsize=1)
def _radicals() -> dict[int, str]:
    """Each Kangxi radical to its character (NFKC), and each supplementary radical to the
    character of the Kangxi radical its name gives ("CJK RADICAL C-SIMPLIFIED LEAF" -> 頁 -> 页,
    simplified where its name says so); 民 has no radical of its own."""
    kangxi = {unicodedata.name(chr(c)).removeprefix("KANGXI RADICAL "): unicodedata.normalize("NFKC", chr(c))
              for c in range(0x2F00, 0x2FD6)}
    table = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
    simplify = _opencc("t2s")
    for c in range(0x2E80, 0x2EF4):
        m = re.fullmatch(r"CJK RADICAL (?:[CJ]-)?(SIMPLIFIED )?(.+?)(?: ONE| TWO| THREE| FOUR)?", unicodedata.name(chr(c), ""))
        if m and m.group(2) in kangxi:
            ch = kangxi[m.group(2)]
            table[c] = simplify.convert(ch) if m.group(1) and simplify else ch
    table[0x2EA0] = "民"  # CJK RADICAL CIVILIAN
    return table


@lru_cache(maxsize=2)
def _opencc(config: str):
    """An OpenCC converter, or None where the package is missing: then text stays as typed."""
    try:
        import opencc  # about 10 ms; loaded only once a text has Chinese characters
    except ImportError:
        logging.getLogger(__name__).warning("opencc is not installed: questions in traditional characters "
                                            "are not converted to the document's script")
        return None
    return opencc.OpenCC(config)


def is_traditional(text: str) -> bool:
    """Whether Chinese text is written in traditional characters: converting it to simplified
    changes more than 5% of its Chinese characters (none, for a simplified text)."""
    han = len(_HAN.findall(text))
    if not han or _opencc("t2s") is None:
        return False
    simple = _opencc("t2s").convert(text)
    if len(simple) != len(text):
        return True
    return sum(a != b for a, b in zip(text, simple)) > 0.05 * han


def in_script(text: str, traditional: bool = False) -> str:
    """The text with its Chinese characters in simplified script (traditional if asked), so a
    question typed in the other script finds the document's words: 養老金 -> 养老金."""
    converter = _opencc("s2t" if traditional else "t2s") if _HAN.search(text) else None
    return converter.convert(text) if converter else text


# The grammar of a question tells its language better than its nouns: "What is 灵活就业?" is
# English quoting a Chinese term, "AI对就业有什么影响？" Chinese naming an English one.
_ZH_GRAMMAR = re.compile(r"吗|呢|什么|怎么|怎样|如何|哪|多少|是否|有没有|能不能|会不会|为什么|请问|是|的|了|对|有|谁|几")
_EN_GRAMMAR = re.compile(r"\b(?:what|how|why|when|where|who|which|is|are|was|were|will|would|does|do|did|can|could|"
                         r"should|the|an?|of|for|to|in|on|about|mean|means|explain)\b", re.I)


def detect_language(text: str) -> str:
    """'en' or 'zh': the language whose grammar words the question uses, when only one of them
    has any; else English when it has at least two English words for each run of Chinese
    characters (a quoted term is one run: "What is 有人没活干?")."""
    han = _HAN.search(text)
    latin = len(re.findall(r"[A-Za-z]+", text))
    if not han or not latin:
        return "zh" if han else "en"
    zh, en = bool(_ZH_GRAMMAR.search(text)), bool(_EN_GRAMMAR.search(text))
    if zh != en:
        return "zh" if zh else "en"
    runs = len(_HAN_RUN.findall(text))
    return "en" if latin >= 2 * runs else "zh"


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping each sentence's closing punctuation."""
    parts = _SENT_EN.split(text) if not _HAN.search(text) else _SENT_ZH.split(text)
    return [p.strip() for p in parts if p and p.strip()]


TOKENIZER_VERSION = "6"  # raise it when zh_tokens or en_tokens cut differently: saved tokens are made again
_JIEBA_CACHE_DIR: list[str] = []  # set by set_cache_dir before jieba loads


def set_cache_dir(path) -> None:
    """Keep jieba's dictionary cache in the project's temporary folder rather than the system's.
    Takes effect if called before the first tokenization."""
    _JIEBA_CACHE_DIR[:] = [str(path)]


def import_jieba():
    """jieba, imported without pkg_resources. jieba 0.42 opens its bundled dictionary through
    pkg_resources where that imports (about 70 ms, a twentieth of a cold `rag ask`; setuptools
    81 no longer ships it), else from beside its own module: the same file. A None in
    sys.modules makes that import fail for the moment jieba's is running."""
    import sys

    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    block = "pkg_resources" not in sys.modules
    if block:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if block and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


@lru_cache(maxsize=1)
def _jieba():
    import logging
    import os

    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    if _JIEBA_CACHE_DIR and os.path.isdir(_JIEBA_CACHE_DIR[0]) and os.access(_JIEBA_CACHE_DIR[0], os.W_OK):
        jieba.dt.tmp_dir = _JIEBA_CACHE_DIR[0]
    return jieba


# The characters jieba looks words up by (its re_han_default): any other character ends a block.
_JIEBA_BLOCK = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")
_ASCII_BLOCK = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+#&._%-")
_LEXICON: list[tuple[frozenset[str], object]] = []  # (characters, jieba.Tokenizer): see use_lexicon


def lexicon_chars(texts) -> frozenset[str]:
    """The characters of `texts` that jieba looks words up by, and ASCII letters and digits."""
    return frozenset(c for t in texts for c in _JIEBA_BLOCK.findall(t)) | _ASCII_BLOCK


def lexicon_for(chars: frozenset[str]) -> dict:
    """jieba's dictionary cut down to the words written with `chars` only (about a tenth of it for
    one document): {"words": newline-joined, "freqs": [...], "total": jieba's total}."""
    full = _jieba().dt
    full.check_initialized()
    words = [w for w in full.FREQ if chars.issuperset(w)]
    return {"words": "\n".join(words), "freqs": [full.FREQ[w] for w in words], "total": full.total}


def use_lexicon(chars: frozenset[str], lexicon: dict) -> None:
    """Cut text written only with `chars` with `lexicon` (lexicon_for(chars)), not jieba's whole
    dictionary, which takes about 0.5 s to load. The cut is the same: every word jieba could find
    in such a text, and its frequency, is in the lexicon, and its total is jieba's. Text with any
    other character is cut with the whole dictionary, loaded then."""
    tok = import_jieba().Tokenizer()
    tok.FREQ = dict(zip(lexicon["words"].split("\n"), lexicon["freqs"]))
    tok.total, tok.initialized = lexicon["total"], True
    _LEXICON[:] = [(frozenset(chars), tok)]


def _cutter(text: str):
    """The tokenizer for `text`: the lexicon when it holds all its characters, else jieba's own."""
    if _LEXICON:
        chars, tok = _LEXICON[0]
        if chars.issuperset(_JIEBA_BLOCK.findall(text)):
            return tok
    return _jieba().dt


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


# British spellings as CC-CEDICT's (American) English has them: "labour" is 劳动 only as "labor",
# "subsidised" 补贴 only as "subsidized". By rule, not by word, so every form of a word meets its
# American one ("organisations", "neighbourhood"); applied to the question and to the English of
# the document alike, so a word the rule reads wrongly ("promise" as "promize") still meets
# itself. -our only after these beginnings: not "four", "hour", "your", "tour".
_BRITISH = tuple((re.compile(a), b) for a, b in (
    (r"^(lab|fav|hon|behavi|neighb|col|harb|rum|hum|endeav|vap|flav|od|arm|sav|vig|tum|parl|val|clam|ard|ferv)our", r"\1or"),
    # -ise after the endings of the verbs American spells -ize (organ-ise, subsid-ise, real-ise), not
    # of those it spells -ise too (advert-ise, surpr-ise, appra-ise)
    (r"^(?!(?:prom|prem|comprom|dem)is)(\w+(?:al|an|gn|id|or|it|im|as|rd|ic|il|ar|og|er|on|om|rn|in|th|em|ys))"
     r"is(e|es|ed|ing|ation|ations|er|ers)$", r"\1iz\2"),
    (r"^(anal|paral|catal)ys(e|es|ed|ing)$", r"\1yz\2"),
    (r"^((?:kilo|centi|milli)?met|cent|lit|theat|fib|calib|lust|spect|somb|meag)re(s|d)?$", r"\1er\2"),
    (r"^(licen|defen|offen|preten)ce(s)?$", r"\1se\2"),
    (r"^programme(s)?$", r"program\1"),
    (r"^(enrol|fulfil|instal|skil|wil)(ment|ments|s|ful)?$", r"\1l\2"),
    (r"^(travel|cancel|label|model|counsel|level|fuel|signal|total|channel|equal|dial)l(ed|ing|er|ers|or|ors)$", r"\1\2"),
    (r"^(p|orthop|encyclop)aed", r"\1ed"), (r"^(an)aes", r"\1es"), (r"^haem", "hem"), (r"^foet", "fet"), (r"^oe(dem|soph|strog)", r"e\1"),
    (r"^ageing$", "aging"), (r"^(judge|acknowledge)ment(s)?$", lambda m: m[1][:-1] + "ment" + (m[2] or "")),
    (r"^cheque(s)?$", r"check\1"), (r"^catalogue(s)?$", r"catalog\1"),
    (r"^catalogu(ed|ing)$", r"catalog\1"), (r"^tyre(s)?$", r"tire\1"),
))


@lru_cache(maxsize=65536)
def american(word: str) -> str:
    """A lower-case English word in American spelling, as the dictionary spells it."""
    for pattern, to in _BRITISH:
        word = pattern.sub(to, word)
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem: 'pensions' and 'pension', 'employed' and 'employment' meet."""
    return _stemmer().stemWord(word) if word.isalpha() else word


# "How long", "how often": the question's frame, not its topic ("long" would reach 全年 "all year
# long", 长期 "long-term"). The type of figure asked for is read by rag.qtype, not from tokens.
_HOW_FRAME = re.compile(r"\bhow\s+(?:long|often|soon|far)\b")


def en_tokens(text: str) -> list[str]:
    words = _WORD.findall(_HOW_FRAME.sub("how", normalize(text).lower().replace("-", " ").replace("'s", "")))
    return [stem(american(w)) for w in words if w not in EN_STOP and len(w) > 1 or w.isdigit()]


def zh_tokens(text: str) -> list[str]:
    """jieba search-mode words plus Han character bigrams, without stop words and punctuation."""
    text = _ASKS_HOW_LONG.sub(" ", normalize(text))
    out: list[str] = []
    for w in _cutter(text).cut_for_search(text):
        w = w.strip().lower()
        if not w or w in ZH_STOP or _ZH_PUNCT.fullmatch(w):
            continue
        if _HAN.search(w):
            out.append(w)
        else:
            out.extend(en_tokens(w))
    for run in _HAN_RUN.findall(text):
        out.extend("~" + run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in ZH_STOP)
    return out


def tokens(text: str, lang: str) -> list[str]:
    return zh_tokens(text) if lang == "zh" else en_tokens(text)


_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0, "O": 0, "Ｏ": 0, "两": 2}  # 二O一一: the letter O typed for 〇


def cn_number(s: str) -> int | None:
    """A number in digits or Chinese numerals: '2020', '二〇二〇' -> 2020, '二十五' -> 25,
    '一百二十' -> 120; None for what is not one."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c not in "十百千" for c in s):
        return None
    if all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total, digit = 0, None
    for c in s:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * {"十": 10, "百": 100, "千": 1000}[c]
            digit = None
    return total + (digit or 0)


def squash(s: str) -> str:
    """The text without any whitespace: how quotes are compared with the document's text."""
    return "".join(s.split())


def bare_name(text: str) -> str:
    """A name less its spaces, quotes, brackets and commas: how a question's "2025年,广州市…" or
    "《就业援助规定》" is compared with a title "2025年，广州市…"."""
    return re.sub(r"[\s《》〈〉“”\"'（）()·,，、:：]", "", text or "")


def clipped(text: str, n: int = 30) -> str:
    """`text` cut to `n` characters with "…" where longer: a title named as a pointer, not quoted."""
    return text if len(text) <= n else text[: n - 1] + "…"
