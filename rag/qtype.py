"""Expected answer types: a question that asks for an amount of money, a percentage, an
age, a length of time or a number of days can only be answered by text that states one.

This catches the questions near the document's topic that share its words but ask for a
figure it never gives ("What will the minimum wage be?", "退休年龄是多少岁？").

A question that asks for a figure of a given year (money, percentage, age, days, or a count:
"how many", "多少人") needs a paragraph that states such a figure and names that year, or
speaks of "this year"/"last year" (今年/去年) when that is the year, the document's "this
year" being the latest year it names: "2026年城镇新增就业的目标是
多少人？" is not answered by the 2025 figure. Counts are checked only with a year or a month:
"How many entrepreneurship models...?" is answered by a list, not by a number. The same holds
for a figure of a named month: the 2025 average does not answer "the rate in December 2025";
and of an age group: the rate for everyone does not answer "the rate for 16-24 year-olds".

A question that asks which provinces, cities or regions ("哪几个省市", "which provinces")
needs a paragraph that names one: "the pilot will be extended nationwide" does not list
where it runs now. A question asking for a figure of a named province or city ("How much is
unemployment benefit in Shenzhen?") needs a document that names that place: such figures are
set locally, and a Guangzhou text's, or the national rule, are not Shenzhen's.

Likewise a question about people whom China's social-insurance and employment rules treat
apart (foreign nationals, who have a regulation of their own, and residents of Hong Kong,
Macao and Taiwan) needs a paragraph that names them: what the document says of workers in
general does not say what applies to them. Not handled: a question that only mentions such
people while asking about something else ("I'm an expat HR manager: are job-retention refunds
continuing?") is refused too.

Each rule here is a predicate over the question and the retrieved passages (unanswered_figure,
unanswered_group, unanswered_places) or the places the document names (unanswered_local_figure);
rag.retrieve.answerability turns the first that holds into the typed reason of its decision.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

# "领多少个月", "补多少天": how long, not how much.
_NOT_DURATION = r"(?!\s*个?(月|天|年|周|日|小时|次))"

_TYPES: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "percent": (
        re.compile(
            # "What is the … rate", "What contribution rate do…", "What share of wages…": the English
            # of 比例是多少 and 率是多少.
            # Not a share the question states ("under 80%", "is it 8 percent?").
            r"\bpercentage\b|(?<![\d.]\s)(?<![\d.])\b(?:percent|per cent)\b|(?<![\d.]\s)(?<![\d.])%"
            r"|what(?:'s| is| was| are| were| will be) the [\w\s'’-]*\b(?:rates?|ratios?)\b|how high is|tax rate"
            r"|^\W*(?:what|which)\s+(?:(?!(?:is|are|was|were|do|does|did|will|would|can|must|happens?|to|of|in|for|my|your)\b)[\w-]+\s+){0,3}?"
            r"(?:rates?|ratios?|proportion)\b|^\W*what (?:share|proportion) of\b"
            r"|百分之?(几|多少)|百分比|比例(是|为|有)?多少|多少比例|报销比例|率(是|为|有)?(多少|多高|几成)|税率|缴存比例",
            re.I,
        ),
        re.compile(r"\d\s*(%|％|个百分点|percent|per cent)|百分之", re.I),
    ),
    # Reimbursed or deducted "how much" is answered by an amount or by a share ("报销70%").
    "reimbursed": (
        re.compile(rf"(报销|抵扣|扣除|补)多少{_NOT_DURATION}|how much (?:of [\w\s]+ )?(?:is |are |will |can |gets? )?(?:be )?"
                   r"(?:reimbursed|covered|refunded|deducted)", re.I),
        re.compile(r"\d\s*[万亿千百]?\s*(元|块|yuan|rmb|%|％|个百分点|percent|per cent)|[¥￥$]\s*\d|百分之|\b(yuan|rmb)\b",
                   re.I),
    ),
    "money": (
        re.compile(
            r"how much (money|does it cost|will i (get|receive)|can i (get|deduct|claim|receive))"
            r"|how much (is|are|will) (the )?\w*\s*(wage|salary|pay|pension|benefit|allowance|subsidy|fee|price|cost)s?"
            r"|how much(?! of\b)(?: [\w'’-]+){0,6}? (wages?|salary|salaries|pensions?|benefits?|allowances?|subsid(y|ies)|fees?|money"
            r"|grants?|payments?|compensation)\b"
            r"|how (large|big|generous) (is|are|was|were|will|would)\b[\w\s'-]{0,40}?\b(subsid(y|ies)|benefits?|allowances?"
            r"|pensions?|wages?|salar(y|ies)|fees?|grants?|bonus(es)?|payments?)\b"
            r"|what(?:'s| is| was| will| would)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,4}?(wage|salary|price|fee|cost|allowance|amount(?! of (?:annual |paid |sick )?(?:leave|time|days?|hours?)))s?\b"
            r"(?!\s+(?:and|distribution|system|polic|reform|mechanism))"
            # "What is the minimum monthly pension…": a benefit's level is an amount.
            r"|what(?:'s| is| was| will| would| are)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,3}?(?:minimum|maximum|highest|lowest|monthly"
            r"|average)\s+(?:[\w'’-]+\s+){0,2}?(?:pensions?|benefits?|subsid(?:y|ies)|grants?|payments?|allowances?)\b"
            rf"|\b(yuan|rmb)\b|多少钱|几块钱|多少元|多少块|(多少|几)[十百千万亿]+[元块]|金额是多少|(标准|基数)(的?(上下限|上限|下限))?(是|为)?多少|(领|涨|上调)多少{_NOT_DURATION}",
            re.I,
        ),
        # "5万元", "二千元", and a sum set as a multiple of another ("2倍以上5倍以下的罚款",
        # "月平均工资的三倍"), as a share of a wage ("本人工资的90%") or as months of a wage ("27个月的
        # 本人工资", "6个月的统筹地区上年度职工月平均工资") state an amount too: benefits and fines are
        # set so in Chinese law. Not a share of a standard ("最低工资标准的80%"): that is not the
        # standard a question asks for.
        re.compile(r"\d\s*[万亿千百]?\s*(元|块|yuan|rmb)|[一二三四五六七八九十百千万两]+\s*元|[¥￥$]\s*\d|\b(yuan|rmb)\b"
                   r"|[\d一二三四五六七八九十两]\s*倍[^。；]{0,12}罚款|(工资|收入|基数)的?[\d一二三四五六七八九十两]+倍"
                   r"|(工资|收入|基数)的?\s*\d+(\.\d+)?\s*[%％]|\d+\s*个月的[^。；，]{0,16}?工资|\d+\s*个月的?(本人|平均)?工资", re.I),
    ),
    "age": (
        re.compile(r"how old|what age|retirement age|age (limit|of)|多少岁|几岁|年龄|岁退休", re.I),
        # An age set by reference is stated too: "达到国家规定的退休年龄" is the answer a guide gives.
        # So is one the law sets for everyone: "在法定劳动年龄内" (16 to the retirement age).
        re.compile(r"[\d一二三四五六七八九十]\s*(岁|周岁)|years old|aged \d|age of \d|达到(国家规定的|法定)退休年龄"
                   r"|(国家规定的|法定)(劳动|就业|退休)年龄", re.I),
    ),
    # How long, in months or years ("最长可以领多少个月", "how many years"): a period of that
    # kind or of days answers it; "近几年" is not a question of length.
    "duration": (
        # "休多久": how long one may rest, in days or months.
        # "几个月" is how long, "几月" (几月几号) which month.
        re.compile(r"(?<![近这前后])(?:(多少|几)个?年(?![份来前后度几])|(多少个?|几个)月(?![份来前后度]))|\bhow many (years|months)\b|休多久", re.I),
        re.compile(r"(?<![\d年])\d{1,2}\s*个?(年|月)(?!\d)|[一二三四五六七八九十两半]+个?(年|月)(?!份)|\b\d+\s*(years?|months?)\b"
                   r"|终身|长期|\d\s*(天|日历日|个工作日|周)|(?<!月)[\d一二三四五六七八九十百]+\s*日(内|以内|之内)", re.I),
    ),
    "days": (
        re.compile(r"how many (days|weeks)|多少天|几天|多少周", re.I),
        # A period in legal text is also "N日内", "三十日以内" (a date, "5月1日", is not).
        re.compile(r"\d\s*(天|日历日|个工作日|周)|\b\d+\s*(days|weeks)\b|[一二三四五六七八九十百]+天"
                   r"|(?<!月)[\d一二三四五六七八九十百]+\s*日(内|以内|之内|以上|以后|后|起)"
                   r"|(?<![月\d])\d{1,3}\s*日的", re.I),  # "享受15日的护理假津贴" (not "每月15日的")
    ),
    # A points scheme's score (积分入户, 积分落户): "积多少分", "how many points". Not minutes (几分钟)
    # or a fraction (几分之几); stated in digits ("积10分"), as "十分" is also "very".
    "points": (
        re.compile(r"\bhow many (?:points|marks)\b|(?:多少|几)分(?![钟之])|多少积分|(?:积分|分值)(?:是|为|有)?多少", re.I),
        re.compile(r"\d\s*分(?![钟之])|\b\d+\s*points?\b", re.I),
    ),
}


_COUNT = (
    # "多少人", "多少万个", "多少就业岗位": a unit up to four characters after 多少.
    re.compile(r"\bhow many\b|多少万?[^，。？！、\s]{0,4}?(人|名|个|家|次|人次|岗位|项)|人数", re.I),
    re.compile(r"\d[\d,.]*\s*(万|亿)?\s*(人|名|个|家|次|人次|项|所|户)|[一二三四五六七八九十两]+[百千万亿]?(个|名|人|家|次|项|所)"
               r"|百万|千万|\b(million|billion|thousand)\b", re.I),
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_RELATIVE_YEAR = {0: re.compile(r"今年|本年|\bthis year\b", re.I), -1: re.compile(r"去年|\blast year\b", re.I),
                  1: re.compile(r"明年|\bnext year\b", re.I)}


# "What decides how much the subsidy is?" asks how a figure is set, not for the figure.
_HOW_SET = re.compile(r"\b(?:determin|decid|affect|influenc|calculat|set)\w*\s+how (?:much|many|high|long)\b"
                      r"|\bhow (?:much|many)\b[^?]{0,60}\b(?:is|are) (?:determined|decided|set|calculated|worked out)\b"
                      r"|(由|根据|依据)(什么|哪些因素|何)(决定|确定)", re.I)


# 几 asks "how many" only in a question that wants a number: in a yes/no question (…吗？, 算不算), and
# always as 好几, it is "a few" ("多休了几天年假，公司可以扣回吗？" asks whether, not how many).
_INDEFINITE = re.compile(r"好几|几(?=\s*个?\s*(天|年|月|周|次|人|名|家|项|倍|岁|块|元|万|千|百))")


# Retirement age reached, near, passed or not yet reached is a condition, not a question of age:
# "once they reach retirement age, what happens to…", "someone still below retirement age…",
# "达到退休年龄后…", "快到退休年龄的人…", "超过退休年龄…".
# So is the age at which a pension can be drawn ("已到领取年龄，缴费还差三年，怎么处理？").
_REACHED = re.compile(r"\b(?:reach(?:es|ed|ing)?|near(?:s|ing)?|approach(?:es|ing)?|close to|below|under|above|over|past|beyond"
                      r"|before|after|at)\s+(?:the\s+)?"
                      r"(?:statutory\s+|legal\s+)?(?:retirement|pension|pensionable|claiming)\s+age\b"
                      r"|(?:已经|已)?(?:达到|到达|到了|到|满|快到|接近|临近|即将达到|将近|超过|低于)(?:国家规定的|法定|规定的)?"
                      r"(?:退休|领取(?:养老金|待遇)?|领养老金)年龄", re.I)


# A yes/no question: "…吗？", or the A-not-A form ("算不算", "是不是", "能不能", "有没有").
_YES_NO = re.compile(r"吗\s*[？?]?\s*$|([\u4e00-\u9fff])[不没]\1")
# 几 after a demonstrative or "last/first/past" is "a few", never a question: "这几天", "最后几天", "前几年".
_DEICTIC = re.compile(r"(?:(?<=[这那前头])|(?<=最后)|(?<=过去))几")
# A question asking why asks for a reason, whatever figure it mentions.
_WHY = re.compile(r"为什么|为何|\bwhy\b|\bhow come\b", re.I)


# Where the last clause asks ("…，在广州退休前要先处理什么？"), a 几 in an earlier one tells ("交过几年").
_CLAUSES = re.compile(r"[，,；;：:]")
_ASKS = re.compile(r"什么|哪|怎么|怎样|如何|吗|呢|谁|是否|能否|可否|多少|几|多久|多长|多高")


def _unasked(question: str) -> str:
    """The question less its indefinite 几 ("a few") and the retirement age it only reaches."""
    question = _DEICTIC.sub("", _REACHED.sub(" ", question))
    if "好几" in question or _YES_NO.search(question):
        return _INDEFINITE.sub("", question)
    *told, asked = _CLAUSES.split(question)
    if told and _ASKS.search(asked):
        return "，".join(_INDEFINITE.sub("", c) for c in told) + "，" + asked
    return question


# A question offering a choice asks which, not for a figure: "Is it a share of the wage, or a
# fixed sum?", "是按比例缴还是按固定数额缴？". Not where it also asks how much ("多少…还是…").
_CHOICE_EN = re.compile(r"^\W*(?:is|are|was|were|do|does|did|will|would|can|should|must|has|have)\b[^?]*\bor\b", re.I)
_CHOICE_ZH = re.compile(r"^(?!.*(?:多少|几|多久|多长|多高|多大)).*还是")


# A Chinese question whose only interrogative asks which, who, when, how or whether names a figure
# without asking it: "报销比例按哪个城市的政策执行？" asks which city's rules apply.
_OTHER_ASKED_ZH = re.compile(r"^(?!.*(?:多少|几|多高|多低|多大|多久|多长|多重|什么水平|是什么|是啥|为何值)).*"
                             r"(?:哪|谁|何时|什么时候|啥时候|怎么|怎样|如何|吗|是否|能否|可否|有没有|是不是|会不会|能不能|可不可以)")


def _no_figure(question: str) -> bool:
    """It asks how a figure is set, or why, or which of two, or something else than the figure
    it names: not for a figure."""
    return bool(_HOW_SET.search(question) or _WHY.search(question) or _CHOICE_EN.search(question)
                or _CHOICE_ZH.search(question) or _OTHER_ASKED_ZH.search(question))


def expected_type(question: str) -> str | None:
    question = _unasked(question)
    if _no_figure(question):
        return None
    for name, (asks, _) in _TYPES.items():
        if asks.search(question):
            return name
    return None


def states(text: str, kind: str) -> bool:
    """Whether `text` states a figure of the given type."""
    return bool(_TYPES[kind][1].search(text))


# A worked example ("例：总课时80，理论课程按照总课时的20%计算…") runs to the end of its paragraph.
_EXAMPLE = re.compile(r"(?:举例|例如|例)\s*[：:].*", re.S)


_ASKS_EXAMPLE = re.compile(r"例子|举例|案例|示例|\bexamples?\b|\be\.g\.", re.I)


def rules(text: str, kind: str, question: str = "") -> bool:
    """Whether `text` states a figure of the given type outside a worked example: the
    example's figure is one case's, not the rule's, unless the question asks about an example."""
    return states(text if _ASKS_EXAMPLE.search(question) else _EXAMPLE.sub("", text), kind)


# A question asking which other document (a law, regulation, notice or plan) the text rests
# on, cites or circulates is answered by a paragraph naming one by its title in 《》: "Which
# provincial regulation is this guide based on?", "按哪个文件的规定计息？". Not "which documents"
# a claim needs: that is paperwork, and names no cue of provenance.
_REFERENCE_NOUNS = (r"(?:documents?|regulations?|laws?|notices?|opinions?|plans?|programmes?|programs?"
                    r"|acts?|statutes?|circulars?|decisions?|decrees?|guidelines?)")
_REFERENCE_CUES = (r"(?:based on|basis|pursuant|in accordance|according to|drawn up|formulated|issued under|sets? out"
                   r"|lays? down|circulat\w*|forward\w*|replac\w*|supersed\w*|repeal\w*|refers?|cites?|mention\w*|rel(?:y|ies) on"
                   r"|implement\w*|earlier|previous|provincial|national|state council|ministr(?:y|ies))")
_ASKS_REFERENCE = re.compile(
    rf"\b(?:which|what)\b(?:\s+(?!(?:is|are|was|were|do|does|did|date|day|year|time)\b)[\w'’-]+){{0,4}}?\s+{_REFERENCE_NOUNS}\b(?=.*\b{_REFERENCE_CUES}\b)"
    rf"|\b(?:based on|under|according to|pursuant to|in accordance with)\s+(?:which|what)\b(?:\s+[\w'’-]+){{0,3}}?\s+{_REFERENCE_NOUNS}\b"
    rf"|\bname (?:of )?(?:a|an|the|one|any)\b(?:\s+[\w'’-]+){{0,4}}?\s+{_REFERENCE_NOUNS}\b"
    r"|(?:依据|根据|按照|依照|按)(?:的是)?(?:哪|什么)(?:个|部|份|项|些|几个|几份)?(?:文件|法规|法律|规定|条例|办法|意见|通知|方案|规章|决定)"
    r"|(?:文件|方案|办法|通知|意见|条例|规定|法规)的?(?:名称|名字|全称|标题|文号|叫什么)",
    re.I | re.S,
)
_CITES = re.compile(r"《[^《》]{2,80}》")


def asks_reference(question: str) -> bool:
    """Whether the question asks which other document the text rests on, cites or circulates."""
    return bool(_ASKS_REFERENCE.search(question))


def cites(text: str) -> bool:
    """Whether `text` names a document by its title in 《》."""
    return bool(_CITES.search(text))


# A question asking for a date (a deadline, when a rule takes effect, which day) is answered by
# a paragraph stating one, or a time limit for a deadline ("30日内"): "By what date must the form
# be filed?", "从哪天开始执行？". Not "when can I get the money?": that is answered by "次月" as
# often as by a date.
_ASKS_DATE = re.compile(
    r"\b(?:what|which) (?:date|day|month)\b|\bby when\b|\b(?:start|end|effective|due|closing|opening) date\b"
    r"|\bwhat(?:'s| is| was| are) the (?:\w+ )?deadlines?\b|\bdeadlines? for\b|\bby what deadline\b|^\W*deadlines?\b"
    r"|\bwhen (?:does|did|will|do|is|was|were|must|should|are)\b[\w\s'’-]{0,60}?\b(?:take effect|come into (?:force|effect)"
    r"|took effect|came into|effective|expire\w*|issued|signed|published)\b"
    r"|哪天|哪一天|几月几[号日]|(?<!第)几号(?!令)|哪个月|几月份|截止(?:日期|时间|到)|(?:开始|起始|施行|实施|生效)(?:日期|时间)"
    r"|(?:从|自)?(?:什么时候|何时)(?:起|开始)?(?:施行|实施|执行|生效)",
    re.I,
)
_DATE = re.compile(
    r"\d{4}\s*年\s*\d{1,2}\s*月|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月(?:底|末|初|上旬|中旬|下旬)|每年\s*\d{1,2}\s*月"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日|之日起|起施行|起执行"
    r"|\d+\s*个?(?:工作日|日|天|月)(?:内|以内|之内)"  # a deadline as a time limit: "30日内"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december) \d",
    re.I,
)


def asks_date(question: str) -> bool:
    """Whether the question asks for a date: a deadline, a day, when a rule takes effect."""
    return bool(_ASKS_DATE.search(question))


def states_date(text: str) -> bool:
    """Whether `text` states a date ("2025年12月31日", "每年3月", "自印发之日起施行")."""
    return bool(_DATE.search(text))


def shown_first(question: str) -> Callable[[str], bool] | None:
    """What a passage must state to be shown first for the question: a figure of the type it
    asks for (outside a worked example), a document named in 《》, or a date; None when the
    question asks for none of these."""
    if kind := expected_type(question):
        return lambda text: rules(text, kind, question)
    if asks_reference(question):
        return cites
    if asks_date(question):
        return states_date
    if _ASKS_PERIOD.search(_unasked(question)):
        return states_period
    return states_cases if _ASKS_CASES.search(question) else None


# "How long…", "多久", "多长时间", "期限是多久": a period, of any unit. Ordering only: a question of
# how long a procedure takes is answered by a period too, but the document may say "及时", so
# such a question is never refused for stating none (unanswered_figure reads _TYPES alone).
# Not how often ("多久签注一次", "how often"): that is answered by a frequency.
_ASKS_PERIOD = re.compile(r"\bhow long\b|\bfor how (?:many|long)\b|(?:多久|多长时间)(?![^，,。？?]{0,6}一次)|多长期限"
                          r"|期限(?:是|为|有)?多长|几年|几个月", re.I)


# "在哪些情况下…", "什么情形下", "under what circumstances": the cases a rule lists. Answered by
# the list's lead ("有下列情形之一的，可以提取…：") and its items, which carry the lead as theirs
# (Retriever._renderings), before a procedure that shares the question's words.
_ASKS_CASES = re.compile(r"(?:什么|哪些|何种)(?:情况|情形)下|(?:哪些|何种)情形|under what circumstances"
                         r"|in (?:what|which) (?:cases|circumstances|situations)", re.I)
_STATES_CASES = re.compile(r"(?:下列|以下|如下)[^，。；：]{0,8}(?:情形|情况|条件)|(?:具备|符合|满足)[^，。；]{0,10}条件")


def states_cases(text: str) -> bool:
    """Whether `text` leads (or is an item of) a list of cases or conditions: "有下列情形之一的"."""
    return bool(_STATES_CASES.search(text))


def states_period(text: str) -> bool:
    """Whether `text` states a period: months, years, days or weeks."""
    return bool(_TYPES["duration"][1].search(text) or _TYPES["days"][1].search(text))


_MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
_MONTH_EN = re.compile(r"\b(january|february|march|april|june|july|august|september|october|november|december"
                       r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?|\b(?:in|of|by|since) (may)\b", re.I)
_MONTH_ZH = re.compile(r"(?<![\d一二三四五六七八九十])(1[0-2]|[1-9]|十[一二]|[一二三四五六七八九十])月")
_ZH_NUM = {c: i for i, c in enumerate("一二三四五六七八九十", start=1)} | {"十一": 11, "十二": 12}


def months(text: str) -> frozenset[int]:
    """The calendar months a text names (1-12): "December", "Dec.", "12月", "十二月"."""
    out = set()
    for m in _MONTH_EN.finditer(text):
        name = (m.group(1) or m.group(2)).lower()
        out.add(next(i for i, full in enumerate(_MONTHS_EN, start=1) if full.startswith(name[:3])))
    for m in _MONTH_ZH.finditer(text):
        out.add(int(m.group(1)) if m.group(1).isdigit() else _ZH_NUM[m.group(1)])
    return frozenset(out)


def asked_figure(question: str) -> str | None:
    """The type of figure the question asks for, a count included ("how many", "多少人")."""
    plain = _unasked(question)
    return expected_type(question) or ("count" if _COUNT[0].search(plain) and not _no_figure(plain) else None)


# A sentence ends at its stop ("I joined in 2016. At what age…?"), not at a decimal point.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？；;])")


def dated_figure(question: str) -> tuple[str, frozenset[str]] | None:
    """(figure type, years) when the question asks for a figure of a named year, else None. A
    year in a sentence before the one that asks tells the asker's case, not the figure's year."""
    asking = [s for s in _SENTENCE_END.split(question.strip()) if s.strip()][-1:] or [question]
    years = frozenset(_YEAR.findall(asking[0]))
    kind = asked_figure(question)
    return (kind, years) if years and kind else None


_AGE_GROUP = re.compile(r"(\d{1,2})\s*(?:-|–|~|到|至|to)\s*(\d{1,2})\s*(?:岁|周岁|-?\s*years?[\s-]*olds?\b|yrs?\b)"
                        r"|\baged\s+(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\b"
                        r"|\b(?:under|over|above|below)\s+(\d{1,2})\b(?!\s*(?:%|percent|per cent))|(\d{1,2})\s*(?:岁|周岁)(?:以上|以下|及以上|及以下)", re.I)
_AGE_WORD = re.compile(r"岁|\byears? old\b|\byear-olds?\b|\baged\b", re.I)


def age_group_figure(question: str) -> frozenset[str]:
    """The ages bounding an age group ("16到24岁", "16-24 year-olds", "over 60") named by a
    question asking for a figure, else nothing: the figure of an age group needs a paragraph
    that names that group, not the figure for everyone."""
    if not asked_figure(question):
        return frozenset()
    return frozenset(n for m in _AGE_GROUP.finditer(question) for n in m.groups() if n)


def names_ages(text: str, ages: frozenset[str]) -> bool:
    """Whether `text` speaks of ages and gives every one of `ages`."""
    return bool(_AGE_WORD.search(text)) and all(re.search(rf"(?<!\d){a}(?!\d)", text) for a in ages)


def monthly_figure(question: str) -> frozenset[int]:
    """The months named by a question asking for a figure (money, percentage, age, days or a
    count), else nothing: the figure of a month needs a paragraph that names that month."""
    if not asked_figure(question):
        return frozenset()
    return months(question)


def current_year(text: str, date: str = "") -> int | None:
    """The year a document speaks from: what its "this year" (今年) means. The year of its
    date (YYYY-MM-DD) where it has one, else the latest year it names up to the next year (a
    plan "到2035年" does not make 2035 "this year"); None when it names none."""
    if re.match(r"\d{4}-", date or ""):
        return int(date[:4])
    years = [int(y) for y in _YEAR.findall(text)]
    if len(years) > 1:
        counted = sorted(set(years))
        # The latest year named more than once, or the latest at all: a far target is named once.
        repeated = [y for y in counted if years.count(y) > 1]
        years = repeated or years
    return max(years) if years else None


def states_for(text: str, kind: str, years: frozenset[str], now: int | None = None) -> bool:
    """Whether `text` states a figure of the type for one of the years: it names the year, or
    speaks of this, last or next year and that is the year (any year when `now` is unknown)."""
    stated = _COUNT[1].search(text) if kind == "count" else states(text, kind)
    if not stated:
        return False
    if any(y in text for y in years):
        return True
    return any(p.search(text) and (now is None or str(now + shift) in years) for shift, p in _RELATIVE_YEAR.items())


def unanswered_figure(question: str, passages: Sequence[tuple[str, ...]], now: int | None = None) -> bool:
    """Whether the question asks for a figure that none of the passages gives: one of its type,
    for the year, month or age group it names. Each passage is one paragraph's renderings
    (its text, and its English where there is one); any rendering may give the figure."""
    kind = expected_type(question)
    if kind and not _any_rendering(passages, lambda t: states(t, kind)):
        return True
    dated = dated_figure(question)
    if dated and not _any_rendering(passages, lambda t: states_for(t, *dated, now)):
        return True
    named = monthly_figure(question)
    if named and not _any_rendering(passages, lambda t: bool(named & months(t))):
        return True
    ages = age_group_figure(question)
    return bool(ages) and not _any_rendering(passages, lambda t: names_ages(t, ages))


def _any_rendering(passages: Sequence[tuple[str, ...]], test) -> bool:
    """Whether any rendering of any passage (each one paragraph's renderings) passes `test`."""
    return any(test(text) for renderings in passages for text in renderings if text)


# Foreign nationals and residents of Hong Kong, Macao and Taiwan, as people (not "foreign
# trade" or "foreign-invested firms"), in both languages.
_SET_APART = re.compile(
    r"外籍|外国(?:人|员工|职工|雇员|专家|人才|公民|籍)|老外|港澳台|(?:港澳|香港|澳门|台湾)(?:居民|同胞|人员|员工|人士)|台胞"
    r"|\bforeigners?\b|\bforeign\s+(?:employees?|workers?|staff|nationals?|citizens?|residents?|talents?|experts?"
    r"|professionals?|hires?)\b|\bexpat(?:riate)?s?\b|\bnon-chinese\b"
    r"|\b(?:hong kong|macao|macau|taiwan(?:ese)?)\s+(?:residents?|compatriots?|people|citizens?|employees?|workers?|staff)\b",
    re.I,
)


def set_apart(text: str) -> bool:
    """Whether `text` speaks of people whom the rules treat apart (foreign nationals, residents
    of Hong Kong, Macao or Taiwan)."""
    return bool(_SET_APART.search(text))


def unanswered_group(question: str, passages: Sequence[tuple[str, ...]]) -> bool:
    """Whether the question asks about people the rules treat apart and none of the passages
    (each one paragraph's renderings) names them."""
    return set_apart(question) and not _any_rendering(passages, set_apart)


_ASKS_PLACES = re.compile(
    r"哪(?:几|些)?个?(?:省|省份|省市|省区|城市|地区|地市|市)|\b(?:which|what) (?:provinces?|cities|city|regions?|localities)\b",
    re.I,
)
# Provincial-level divisions, provincial capitals and the largest other cities, as written in
# Chinese and in English: general geography, the same for every document.
PLACES = (
    ("北京", "beijing"), ("天津", "tianjin"), ("上海", "shanghai"), ("重庆", "chongqing"), ("河北", "hebei"),
    ("山西", "shanxi"), ("辽宁", "liaoning"), ("吉林", "jilin"), ("黑龙江", "heilongjiang"), ("江苏", "jiangsu"),
    ("浙江", "zhejiang"), ("安徽", "anhui"), ("福建", "fujian"), ("江西", "jiangxi"), ("山东", "shandong"),
    ("河南", "henan"), ("湖北", "hubei"), ("湖南", "hunan"), ("广东", "guangdong"), ("海南", "hainan"),
    ("四川", "sichuan"), ("贵州", "guizhou"), ("云南", "yunnan"), ("陕西", "shaanxi"), ("甘肃", "gansu"),
    ("青海", "qinghai"), ("台湾", "taiwan"), ("内蒙古", "inner mongolia"), ("广西", "guangxi"), ("西藏", "tibet"),
    ("宁夏", "ningxia"), ("新疆", "xinjiang"), ("香港", "hong kong"), ("澳门", "macao|macau"),
    ("石家庄", "shijiazhuang"), ("太原", "taiyuan"), ("沈阳", "shenyang"), ("长春", "changchun"),
    ("哈尔滨", "harbin"), ("南京", "nanjing"), ("杭州", "hangzhou"), ("合肥", "hefei"), ("福州", "fuzhou"),
    ("南昌", "nanchang"), ("济南", "jinan"), ("郑州", "zhengzhou"), ("武汉", "wuhan"), ("长沙", "changsha"),
    ("广州", "guangzhou|canton"), ("海口", "haikou"), ("成都", "chengdu"), ("贵阳", "guiyang"), ("昆明", "kunming"),
    ("西安", "xi'?an"), ("兰州", "lanzhou"), ("西宁", "xining"), ("呼和浩特", "hohhot"), ("南宁", "nanning"),
    ("拉萨", "lhasa"), ("银川", "yinchuan"), ("乌鲁木齐", "urumqi"), ("深圳", "shenzhen"), ("大连", "dalian"),
    ("青岛", "qingdao"), ("宁波", "ningbo"), ("厦门", "xiamen"), ("苏州", "suzhou"), ("东莞", "dongguan"),
    ("佛山", "foshan"), ("无锡", "wuxi"), ("温州", "wenzhou"), ("珠海", "zhuhai"), ("雄安", "xiong'?an"),
)
_PLACE_PATTERNS = tuple((zh, re.compile(rf"{zh}|\b(?:{en})\b", re.I)) for zh, en in PLACES)
_PLACES = re.compile("|".join(p.pattern for _, p in _PLACE_PATTERNS), re.I)
_ENGLISH_PLACES = re.compile(r"\b(?:" + "|".join(en for _, en in PLACES) + r")\b")  # of lower-case text
# A place named with its administrative suffix, which 本市 replaces with it ("上海市" → "本市").
_OWN_PLACES = re.compile("|".join(rf"{zh}(?:市|省|壮族自治区|回族自治区|维吾尔自治区|自治区)?|\b(?:{en})(?:\s+(?:province|city|municipality))?\b" for zh, en in PLACES), re.I)


def places(text: str) -> frozenset[str]:
    """The places of PLACES that `text` names, in either language, by their Chinese names.
    Names are read left to right without overlap: "江西安排" names 江西, not 西安. Only the
    names the text holds are matched so (all of them at once, case-blind, take 17 ms over an
    interview and its English edition: a start pays it for each document)."""
    english = " ".join(_ENGLISH_PLACES.findall(text.lower()))
    held = [(zh, p) for zh, p in _PLACE_PATTERNS if zh in text or (english and p.search(english))]
    if not held:
        return frozenset()
    named = re.compile("|".join(p.pattern for _, p in held), re.I)
    return frozenset(next(zh for zh, p in held if p.fullmatch(m.group())) for m in named.finditer(text))


def place_name(zh: str, lang: str) -> str:
    """A place of PLACES as a reader of `lang` writes it: 上海, or "Shanghai"."""
    en = next((en for name, en in PLACES if name == zh), "")
    words = en.split("|")[0].replace("'?", "'").split()
    return zh if lang == "zh" or not en else " ".join(w[:1].upper() + w[1:] for w in words)


def home_places(title: str, issuer: str) -> frozenset[str]:
    """The places whose rule a document is, by its title or issuer ("上海市…办法", "广州市人力资源
    和社会保障局"); none for a national text."""
    return places(f"{title} {issuer}")


def only_place(text: str, keep: str) -> str:
    """The text less the names of places other than `keep`: asked of one place's documents, a
    question comparing places ("广州和上海的失业金…") is that place's own question."""
    return _PLACES.sub(lambda m: m.group() if keep in places(m.group()) else "", text)


# The provinces and regions of PLACES (a local rule says 本省 of them): after the four municipalities,
# before the first city. The others are cities (本市).
_PROVINCES = frozenset(zh for zh, _ in PLACES[4:PLACES.index(("石家庄", "shijiazhuang"))]) - {"台湾", "香港", "澳门"}


def in_own_words(text: str, home: frozenset[str]) -> str:
    """The text with the places of `home` (home_places: the document's own) as a
    local rule says them: "上海市…" as "本市…", "in Guangdong" as "in this province". Every
    paragraph of such a rule is about its place, and says so as 本市 where it says it at all."""
    def own(m: re.Match) -> str:
        named = places(m.group())
        if not named & home:
            return m.group()
        province = bool(named & _PROVINCES)
        if "\u4e00" <= m.group()[0] <= "\u9fff":
            return "本省" if province else "本市"
        return "this province" if province else "this city"
    return _OWN_PLACES.sub(own, text) if home else text


def unanswered_local_figure(question: str, named: frozenset[str]) -> bool:
    """Whether the question asks for a figure of a place the document never names (`named`:
    the places it does): benefit amounts, rates and wages are set by each place, so neither
    another place's figure nor the national rule gives it."""
    return bool(asked_figure(question)) and bool(places(question) - named)


def unanswered_places(question: str, passages: Sequence[tuple[str, ...]]) -> bool:
    """Whether the question asks which provinces, cities or regions and none of the passages
    names one, or, for regions, speaks of regions at all."""
    asked = _ASKS_PLACES.search(question)
    if not asked:
        return False
    # "哪些地区": areas are named by their kind as often as by name ("资源枯竭等地区").
    kind = re.search(r"地区|region|localit", asked.group(), re.I)
    return not _any_rendering(passages, lambda t: bool(_PLACES.search(t) or (kind and re.search(r"地区|区域", t))))


def _insured(word: str) -> str:
    """The branch named as insurance: "养老保险", or one of a list of them ("养老、医疗、失业等社会保险");
    not the bare word ("就业失业登记", "养老机构", "医疗期": registration, care homes, sick leave)."""
    return rf"{word}(?=[^。；;，,]{{0,12}}保险)"


# The branches of social insurance and the labour rights a question may be about: (key, how a
# question names it in Chinese, in English, how a text speaks of it). The field's own
# taxonomy, the same for every document: a question about one that the document never speaks
# of ("How many days of annual leave…?" of a minimum-wage regulation) is not answered by its
# figures of another.
BRANCHES = (
    ("pension", r"养老|退休金", r"\bpensions?\b|\bold[- ]age insurance\b", rf"{_insured('养老')}|养老金|养老待遇|退休金|退休费"),
    ("medical", r"医保|医疗保险|看病报销|住院报销", r"\b(?:medical|health) insurance\b|\bmedical (?:bills?|expenses)\b",
     rf"{_insured('医疗')}|医保|医疗费|医疗待遇|医药费|诊疗|住院|门诊"),
    ("unemployment", r"失业保险|失业金", r"\bunemployment (?:insurance|benefits?|pay|allowance)\b|\bjobless benefits?\b",
     rf"{_insured('失业')}|失业金|失业待遇|失业补助"),
    ("injury", r"工伤|职业病|职业伤害",
     r"\bwork(?:place)?[- ](?:related )?injur\w*|\binjured (?:at|on) (?:work|the job)\b|\boccupational (?:injur\w*|diseases?)\b"
     r"|\bworkers'? compensation\b", r"工伤|职业伤害|职业病|因工"),
    ("maternity", r"生育|产假|产检|哺乳|陪产", r"\bmaternity\b|\bchildbirth\b|\bprenatal\b|\bbreastfeed\w*|\bpaternity\b",
     r"(?<!计划)生育|产假|分娩|哺乳|产检|陪产"),
    ("housing fund", r"公积金", r"\bprovident fund\b|\bhousing fund\b", r"公积金"),
    # Not "paid leave": a worker injured is on paid leave for treatment (停工留薪期) too.
    ("annual leave", r"年休假|年假|带薪年休假", r"\bannual leave\b|\bpaid (?:annual )?vacations?\b|\bvacation days\b",
     r"年休假|年假|带薪假|休假"),
    ("minimum wage", r"最低工资", r"\bminimum wages?\b", r"最低工资"),
    ("severance", r"经济补偿|遣散费", r"\bseverance\b", r"经济补偿|补偿金|遣散"),
    # Schemes of their own beside the five insurances, and overtime pay: a medical-insurance
    # order's caps are not the critical-illness insurance's, nor its rates overtime pay's.
    ("long-term care", r"长期护理|长护险", r"\blong[- ]term (?:nursing )?care\b", r"长期护理|长护险"),
    ("critical illness", r"大病保险|大病医疗|重大疾病保险|大额医疗",
     r"\bcritical[- ]illness\b|\bserious[- ]illness insurance\b|\bcatastrophic (?:illness|medical)\b",
     r"大病|重大疾病|重特大疾病|大额医疗"),
    ("overtime", r"加班|加点", r"\bovertime\b", r"加班|加点|延长(?:劳动者)?工作时间|延长工时"),
    ("annuity", r"年金", r"\bannuit(?:y|ies)\b", r"年金"),
    # Taxation is a body of law of its own: a text that never names a tax does not say how a
    # benefit is taxed. Not a wage "before/after tax" (税前, 税后, "pre-tax"): that is a wage.
    ("tax", r"税(?![前后])", r"(?<!pre-)(?<!pre )(?<!after-)(?<!after )(?<!before )\btax(?:es|ed|ation|able|payers?)?\b",
     r"税"),
)
_BRANCH_ASKED = tuple((key, re.compile(f"{zh}|{en}", re.I)) for key, zh, en, _ in BRANCHES)
_BRANCH_SPOKEN = tuple((key, re.compile(text)) for key, _, _, text in BRANCHES)


def branches(text: str) -> frozenset[str]:
    """The branches of BRANCHES a document's (Chinese) text speaks of."""
    return frozenset(key for key, p in _BRANCH_SPOKEN if p.search(text))


def unanswered_branch(question: str, spoken: frozenset[str]) -> bool:
    """Whether the question names a branch of social insurance or a labour right that the
    document (`spoken`: the branches it speaks of) never does."""
    return any(p.search(question) and key not in spoken for key, p in _BRANCH_ASKED)
