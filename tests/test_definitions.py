from rag.retrieve.definitions import asks_meaning, defined_terms, defines_asked

TEXTS = ["第三条 本办法所称缴费工资，是指职工上月的应发工资。",
         "第四条 缴费工资按月申报。",
         "本办法所称工资，包括计时工资和计件工资。"]


def test_the_terms_a_text_defines_by_its_formula():
    assert defined_terms(TEXTS) == ["缴费工资", "", "工资"]
    assert defined_terms(["本规定所称“灵活就业人员”是指无雇工的个体工商户。"]) == ["灵活就业人员"]


def test_a_question_on_what_a_term_means_names_the_longest_defined_term():
    terms = defined_terms(TEXTS)
    assert defines_asked("缴费工资是什么意思？", terms) == [0]
    assert defines_asked("缴费工资按什么时候申报？", terms) == []  # not asking what it means
    assert defines_asked("What does the term mean?", terms, bridged=["缴费", "工资"]) == [0]
    assert defines_asked("What does it mean?", terms, bridged=["工资"]) == [2]


def test_asking_meaning():
    assert asks_meaning("什么叫正常劳动？") and asks_meaning("What is meant by normal work?")
    assert not asks_meaning("正常劳动的工资怎么算？")


def test_a_definition_is_shown_first_for_its_term(tmp_path):
    from rag.config import Config
    from rag.engine import Engine

    doc = tmp_path / "rules.txt"
    doc.write_text("缴费办法\n第一条 为了规范缴费，制定本办法。\n第二条 职工按缴费工资的8%缴费，缴费工资每年核定一次。\n"
                   "第三条 本办法所称缴费工资，是指职工上一年度的月平均工资。\n第四条 缴费工资低于最低标准的，按最低标准计算。\n"
                   "第五条 本办法自发布之日起施行。\n", encoding="utf-8")
    engine = Engine.open(Config.from_env(document=str(doc), index_dir=str(tmp_path / "index")))
    assert engine.retrieve("缴费工资是什么意思？", "zh", 3).hits[0].paragraph.id == "§3.1"
