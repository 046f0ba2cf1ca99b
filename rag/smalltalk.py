"""Messages that are conversation, not questions: "hello", "谢谢", "what can you do?".

A chat box gets these as surely as it gets questions. Searched as questions, they found a
paragraph ("你好" quoted an article on expert panels); they are answered as conversation
instead, in the message's language, citing nothing. A message is conversation only when the
whole of it is: "你好，请问养老金怎么领？" is a question, and is searched as one.

Not handled: conversation in other languages, and pleasantries longer than the short forms
below ("hello, I hope you are well today").
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Sequence

from .text import clipped


class Act(str, Enum):
    GREETING = "greeting"  # and "what can you do?": answered with what the bot does
    THANKS = "thanks"  # and "ok", "got it"
    FAREWELL = "farewell"


_END = r"[\s,.!?~…。，！？、～:：;；()（）\"'“”‘’\-]*"
_EN = {
    Act.GREETING: r"(hi|hello|hey|hiya|howdy|greetings|yo|good (morning|afternoon|evening|day)|test|testing)"
                  r"( there| all| everyone| bot)?(, how are you( doing)?| how are you( doing)?)?"
                  r"|how are you( doing)?|help|help me|what can you do|what do you do|who are you|what are you"
                  r"|how (do|can|should) i use (this|you|it)|how does (this|it) work|what (can|should) i ask( you)?",
    Act.THANKS: r"((ok|okay|great|good|fine|cool|nice|perfect)[, ]+)?(thanks|thank you|thx|ty|many thanks|cheers)"
                r"( (a lot|so much|very much))?( for (your|the|that) (help|answer))?"
                r"|ok|okay|k|got it|i see|understood|great|cool|nice|perfect",
    Act.FAREWELL: r"bye|goodbye|good bye|bye bye|see you( later)?|that'?s all",
}
_ZH = {
    Act.GREETING: r"(你好|您好|嗨|哈喽|哈啰|早上好|上午好|中午好|下午好|晚上好|大家好|在吗|在不在|测试)"
                  r"[啊呀呢吗]?(，?(在吗|在不在))?"
                  r"|帮助|求助|你能做什么|你可以做什么|你会什么|你能干什么|你是谁|你是什么|怎么用|如何使用|怎么使用"
                  r"|(我)?(能|可以)问(你)?(些)?什么(问题)?|使用说明",
    Act.THANKS: r"((好的|好|行|嗯)，?)?(谢谢|多谢|感谢|谢了|谢啦|谢谢你|谢谢您|非常感谢|太感谢了|感谢你|感谢您)[了啦]?"
                r"|好的|好|嗯|嗯嗯|行|知道了|明白了|懂了|收到|了解了",
    Act.FAREWELL: r"再见|拜拜|回头见",
}
_ACTS = [(act, re.compile(rf"{_END}(?:{_EN[act]}|{_ZH[act]}){_END}", re.I)) for act in Act]

REPLIES = {
    Act.GREETING: {
        "en": "Hello. I answer questions about {scope}, quoting the text and citing the paragraph each answer "
              "comes from. Ask in English or Chinese{example}",
        "zh": "您好。我根据{scope}回答问题，引用原文并注明出处段落。可以用中文或英文提问{example}",
    },
    Act.THANKS: {"en": "You're welcome. Ask another question whenever you like.",
                 "zh": "不客气。有其他问题可以继续问我。"},
    Act.FAREWELL: {"en": "Goodbye.", "zh": "再见。"},
}
_ONE = {"en": ("“{title}”", ", for example: “What is this document about?”"),
        "zh": ("《{title}》", "，例如：“这份文件主要讲了什么？”")}
_END_MARK = {"en": ".", "zh": "。"}
_MANY = {"en": "the {n} documents of the library, such as {titles}", "zh": "资料库中的{n}份文件（如{titles}）"}
SHOWN = 2  # titles a library's greeting names


# A greeting before a question, and thanks after it ("你好，请问失业金怎么领？谢谢！"): searched, they
# are noise (a greeting before each blind question of ten fixtures cost English Recall@1 0.016).
_BEFORE = re.compile(r"^\W*(?:hi|hello|hey|good (?:morning|afternoon|evening)|您好|你好|嗨|哈喽|哈啰|大家好)"
                     r"(?: there| all| everyone)?[\s,，.。!！~～]+", re.I)
_AFTER = re.compile(r"(?<=[?？.。!！,，])\s*(?:thanks?(?: you)?(?: (?:a lot|so much|very much))?|thx|many thanks"
                    r"|谢谢(?:你|您)?[了啦]?|多谢|感谢)[\s.。!！~～]*$", re.I)


def without_pleasantries(question: str) -> str:
    """The question without a greeting before it or thanks after it; as it is when that is all it is."""
    rest = _AFTER.sub("", _BEFORE.sub("", question, count=1), count=1).strip()
    return rest or question


def act_of(message: str) -> Act | None:
    """The conversational act the whole message is, or None for anything else."""
    text = message.strip()
    if len(text) > 60:
        return None
    return next((act for act, pattern in _ACTS if pattern.fullmatch(text)), None)


def reply(act: Act, lang: str, titles: Sequence[str]) -> str:
    """The answer to `act` in `lang`; a greeting names what the bot answers from (`titles`)."""
    if len(titles) == 1:
        scope, example = _ONE[lang][0].format(title=titles[0]), _ONE[lang][1]
    else:
        quoted = [_ONE[lang][0].format(title=clipped(t)) for t in titles[:SHOWN]]
        scope = _MANY[lang].format(n=len(titles), titles=(" and " if lang == "en" else "、").join(quoted))
        example = _END_MARK[lang]
    return REPLIES[act][lang].format(scope=scope, example=example)
