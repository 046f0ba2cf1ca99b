"""The figures of an untranslated quote, in English."""

from __future__ import annotations

import pytest

from rag.answer import untranslated_answer
from rag.evaluate import in_language
from rag.figures import figures_en


@pytest.mark.parametrize("text, figures", [
    ("自2031年3月1日起施行。", ("1 March 2031",)),
    ("2031年3月以前参保的", ("March 2031",)),
    ("每人每月补助120元，最高不超过1.5万元。", ("120 yuan", "15,000 yuan")),
    ("报销比例为70%，在10个工作日内办结。", ("70%", "10 working days")),
    ("年满60 周岁、累计缴费满15年的", ("age 60", "15 years")),
    ("3个月内支付2倍工资，2031年起实施", ("3 months", "2 times", "2031")),
    ("每年调整一次，具体标准另行公布。", ()),  # no figure stated, nothing read
    ("缴费满１５年，报销７０％", ("15 years", "70%")),  # full-width digits
    ("于每年12月31日前申报，30日内审核，3月起发放", ("31 December", "30 days")),  # 3月: March, not a period
    ("男性16-60周岁，女性16-50周岁，补贴3至6个月", ("age 16–60", "age 16–50", "3–6 months")),  # ranges whole
])
def test_the_figures_a_text_states_in_digits_are_written_in_english(text, figures):
    assert figures_en([text]) == figures


@pytest.mark.parametrize("text, figures", [
    ("补助期限最长为十八个月，每满一年增加两个月。", ("18 months", "1 year", "2 months")),
    ("年满五十五周岁的，一次性发给三万元，按百分之六十五支付。", ("age 55", "30,000 yuan", "65%")),
    ("自二〇三一年七月一日起施行，十五日内办结，支付两倍工资。", ("1 July 2031", "15 days", "2 times")),
    ("费率为百分之零点五，每人一百零五元。", ("0.5%", "105 yuan")),
    # Not figures: an ordinal, "the same", "the last", a range, "tens of", a month's name, "dual".
    ("第一年免缴，同一年度不重复，上一个月的工资，三四个月后，数十年来，十一月起，城乡二元结构。", ()),
])
def test_figures_in_chinese_numerals_are_read_where_they_are_figures(text, figures):
    assert figures_en([text]) == figures


def test_each_figure_once_in_order_and_at_most_the_limit():
    assert figures_en(["补贴60元。", "另补60元，再补90元。"]) == ("60 yuan", "90 yuan")
    assert len(figures_en([f"{n}元" for n in range(1, 30)])) == 8


def test_an_untranslated_answer_gives_its_figures_and_is_still_not_english():
    text = untranslated_answer("According to the notice:\n自2031年1月1日起，每人每年补贴60元。[§1.1]",
                               ["自2031年1月1日起，每人每年补贴60元。"], lambda quoted: (("补贴", "subsidy"),))
    assert "Figures in the quote: 1 January 2031; 60 yuan." in text
    assert not in_language(text, "en")  # a quote with English notes is not an English answer
    assert in_language("Pensions will be paid on time and in full [§4.4].", "en")


def test_dates_in_digits_as_pages_and_law_databases_write_them():
    assert figures_en(["【颁布日期】20310422", "发布时间：2031-04-20 08:58", "2031/5/1起施行"]) == (
        "22 April 2031", "20 April 2031", "1 May 2031")
    assert figures_en(["索引号：000217883/2031-00035", "电话：86279457"]) == ()  # no date in an index or a phone number


def test_a_quoted_government_body_is_named_in_english_among_the_glosses():
    from rag.bridge import body_glosses, gloss

    assert body_glosses(["【颁布单位】某某部", "某某省人力资源社会保障厅 某某省财政厅关于培训补贴的通知"]) == (
        ("某某省人力资源社会保障厅", "Department of Human Resources and Social Security"),
        ("某某省财政厅", "Department of Finance"))  # a place the dictionary lacks is left out
    assert body_glosses(["中华人民共和国劳动和社会保障部令 第21号", "广东省地方税务局"]) == (
        ("中华人民共和国劳动和社会保障部", "Ministry of Labour and Social Security"),
        ("广东省地方税务局", "Guangdong Bureau of Local Taxation"))
    assert body_glosses(["由人力资源社会保障部门负责", "财政局长签字"]) == ()  # a department in general, an office-holder
    assert gloss(["【颁布单位】劳动部"])[0] == ("劳动部", "Ministry of Labour")
