"""Answer types: a question that wants a figure needs a paragraph that states one; one about
people the rules treat apart needs a paragraph that names them."""

import pytest

from rag.qtype import (age_group_figure, asked_figure, current_year, dated_figure, expected_type, monthly_figure, months,
                       names_ages, places, set_apart, states, states_for, unanswered_figure, unanswered_group,
                       unanswered_local_figure, unanswered_places)


@pytest.mark.parametrize("q, kind", [
    ("What will the minimum wage be in Beijing?", "money"),
    ("What's the unemployment rate target?", "percent"),
    ("退休年龄是多少岁？", "age"),
    ("产假能休多少天？", "days"),
    ("How do new occupations create employment?", None),
    ("How much jobless benefit is paid each month?", "money"),
    ("How much training did people get?", None),
    ("生育津贴最多能领多少个月？", "duration"),  # how long, not how much
    ("大额医疗补助每年最高能付多少万元？", "money"), ("罚款最多几千元？", "money"),
    ("How many years do I have to pay in?", "duration"),
    ("近几年养老金涨了吗？", None),  # "in recent years" asks no length
    ("断缴的社保最多能补多少年？", "duration"),
    ("工伤职工每月能领多少？", "money"),
    ("个体户交医保的缴费基数为多少？", "money"),  # a contribution base is an amount
    ("职工医保的缴费基数上限是多少？", "money"),  # and so are its bounds
    # The English of 比例是多少: a rate, ratio or share asked for, however the question starts.
    ("What interest rate applies to a housing-fund loan?", "percent"),
    ("What is the reimbursement ratio for day surgery?", "percent"),
    ("What share of the premium does the city pay?", "percent"),
    ("What happens to my rate of pay on sick leave?", None),
    ("What does the contribution rate depend on?", None),
    ("失业金几月几号开始发？", None),  # which day, not how long
    ("领了几个月就停了？", "duration"),
    ("If I am past retirement age, what happens to my account?", None),  # a condition, not asked
    ("How much is the one-time maternity medical payment in this city?", "money"),
    ("What is the city's lowest monthly living allowance?", "money"),
    ("What is the highest monthly pension a retiree can draw?", "money"),
    ("How much of my contributions does the fund take over?", None),  # a share, stated or not in figures
    # A points scheme's score; not minutes, not a fraction.
    ("硕士学历能加几分？", "points"),
    ("How many points does a skills certificate add?", "points"),
    ("办理要几分钟？", None),
    ("What is a points-based hukou scheme?", None),
])
def test_expected_type(q, kind):
    assert expected_type(q) == kind


def test_an_amount_set_by_reference_to_a_wage_or_a_standard_is_stated():
    assert states("一次性补助金为12个月的本市上年度职工月平均工资", "money")
    assert not states("按最低工资标准的80%发放", "money")  # a share of the standard, not the standard
    assert not states("缴费满6个月的职工可以申领", "money")


def test_states():
    assert states("城镇调查失业率均值为5.2%", "percent")
    assert states("取得高级职业资格证书的，积60分。", "points") and not states("分为两部分，十分重要。", "points")
    assert not states("城镇调查失业率保持稳定", "percent")
    assert states("一次性发给十二个月的本人工资，即工资的十二倍", "money")  # a multiple of a wage is an amount
    assert states("补助标准为二千元", "money")
    assert states("应当自申请之日起15日内办结", "days") and states("三十日以内", "days")
    assert not states("自2031年5月1日起施行", "days")  # a date is not a period
    assert states("参保人达到法定退休年龄时可以申领", "age")  # an age set by reference
    assert states("女满四十五周岁以上的", "age")  # an age in Chinese numerals, as laws write it
    assert not states("退休年龄另行规定", "age")
    assert states("领取期限最长为二十四个月", "duration") and states("贷款期限最长20年", "duration")
    assert not states("2031年3月修订", "duration")


@pytest.mark.parametrize("q, expected", [
    ("2026年城镇要新增多少就业岗位？", ("count", frozenset({"2026"}))),
    ("How many graduates will there be in 2026?", ("count", frozenset({"2026"}))),
    ("In 2025, what was the urban unemployment rate?", ("percent", frozenset({"2025"}))),
    ("How many entrepreneurship models are promoted?", None),  # no year: a list answers it
    ("2026年有哪些稳就业措施？", None),  # a year, but no figure asked
    ("I joined in 2016. At what age can I draw a pension?", None),  # the year tells the asker's case
])
def test_dated_figure(q, expected):
    assert dated_figure(q) == expected


def test_states_for_a_year():
    text = "2025年，全国城镇新增就业1267万人，城镇调查失业率均值为5.2%。"
    assert states_for(text, "count", frozenset({"2025"}))
    assert not states_for(text, "count", frozenset({"2026"}))
    assert not states_for("2026年是“十五五”开局之年。", "count", frozenset({"2026"}))  # a year is not a count
    last_year = "去年以来，补贴性培训超过1100万人次。"
    assert states_for(last_year, "count", frozenset({"2025"}), now=2026)  # 去年 is 2025 when written in 2026
    assert not states_for(last_year, "count", frozenset({"2026"}), now=2026)
    assert states_for(last_year, "count", frozenset({"2026"}))  # the document's year unknown: it may mean it


def test_current_year_is_the_latest_named():
    assert current_year("2025年，全国城镇新增就业1267万人。2026年是开局之年。") == 2026
    assert current_year("没有年份。") is None


@pytest.mark.parametrize("text, named", [
    ("What was the unemployment rate in December 2025?", {12}),
    ("Dec. and Sept figures", {12, 9}),
    ("十二月份失业率", {12}),
    ("今年9月，将在上海举办", {9}),
    ("新华社北京1月20日电", {1}),
    ("How many jobs were created in May?", {5}),
    ("May I ask about pensions?", set()),  # the verb, not the month
    ("每个月能领多少钱？", set()),
    ("培训3个月", set()),
])
def test_months(text, named):
    assert months(text) == named


def test_monthly_figure_needs_a_figure_asked():
    assert monthly_figure("2025年12月城镇调查失业率是多少？") == {12}
    assert monthly_figure("9月的世界技能大赛以什么为主题？") == frozenset()


@pytest.mark.parametrize("q, ages", [
    ("16至24岁年轻人的失业率有多高？", {"16", "24"}),
    ("What was the unemployment rate for 16-24 year-olds?", {"16", "24"}),
    ("What is the jobless rate among people aged 16 to 24?", {"16", "24"}),
    ("How many workers over 60 are there in 2026?", {"60"}),
    ("I am 23, what is the unemployment rate?", set()),  # the asker's age, not a group
    ("Which 3-5 programmes will expand?", set()),  # a range, but of no ages
    ("16到24岁的人有哪些就业政策？", set()),  # an age group, but no figure asked
])
def test_age_group_figure(q, ages):
    assert age_group_figure(q) == ages


def test_names_ages():
    assert names_ages("16至24岁劳动力失业率为16.5%", frozenset({"16", "24"}))
    assert not names_ages("城镇调查失业率均值为5.2%", frozenset({"16", "24"}))
    assert not names_ages("第16届，共24个项目", frozenset({"16", "24"}))  # the numbers, but no ages


def test_unanswered_figure():
    passages = [("2025年，城镇调查失业率均值为5.2%。", "In 2025, the surveyed urban unemployment rate averaged 5.2%.")]
    assert not unanswered_figure("2025年城镇调查失业率是多少？", passages, now=2026)
    assert unanswered_figure("2026年城镇调查失业率是多少？", passages, now=2026)  # another year
    assert unanswered_figure("What was the unemployment rate in December 2025?", passages, now=2026)  # a month
    assert unanswered_figure("16至24岁年轻人的失业率有多高？", passages, now=2026)  # an age group
    assert unanswered_figure("最低工资是多少钱？", passages, now=2026)  # no money figure at all
    assert not unanswered_figure("How will employment be stabilized?", passages, now=2026)  # no figure asked
    assert not unanswered_figure("失业率是多少？", [("城镇调查失业率均值为5.2%。", "")], now=2026)  # no English


@pytest.mark.slow
def test_a_figure_for_an_age_group_the_document_does_not_name_is_not_covered(real_engine):
    assert real_engine.ask("16至24岁年轻人的失业率有多高？").abstained
    assert not real_engine.ask("城镇调查失业率是多少？").abstained


@pytest.mark.slow
def test_a_figure_for_a_month_the_document_does_not_name_is_not_covered(real_engine):
    assert real_engine.ask("What was the unemployment rate in December 2025?").abstained
    assert not real_engine.ask("In 2025, what was the urban unemployment rate?").abstained


@pytest.mark.slow
def test_a_figure_for_another_year_is_not_covered(real_engine):
    assert real_engine.ask("2026年全国城镇新增就业要达到多少人？").abstained
    a = real_engine.ask("2025年全国城镇新增就业了多少人？")
    assert not a.abstained and a.citations[0].id == "§2.2"


@pytest.mark.parametrize("text, yes", [
    ("Do foreign employees have to pay into social insurance?", True),
    ("Can expats join the pension scheme?", True),
    ("What applies to foreigners working in Shanghai?", True),
    ("Do Hong Kong residents working on the mainland get a pension?", True),
    ("外籍员工要交社保吗？", True),
    ("港澳居民在内地就业能参加养老保险吗？", True),
    ("那外国人呢？", True),
    ("Is there support for foreign-invested manufacturers to keep their staff?", False),
    ("Will foreign trade affect jobs?", False),
    ("外资企业稳岗有补贴吗？", False),
    ("第48届世界技能大赛在哪里举办？", False),
    ("", False),
])
def test_set_apart(text, yes):
    assert set_apart(text) is yes


def test_unanswered_group():
    general = [("支持灵活就业人员参加职工养老保险。", "Support flexibly employed people in enrolling in employee pensions.")]
    assert unanswered_group("Do foreign employees have to join the employee pension?", general)
    assert not unanswered_group("Can gig workers join the employee pension?", general)
    assert not unanswered_group("外籍员工要交社保吗？", [("外籍人员依法参加社会保险。", "")])


@pytest.mark.slow
def test_a_question_about_people_the_document_never_names_is_not_covered(real_engine):
    assert real_engine.ask("Must expatriate staff in China contribute to the Chinese social insurance funds?").abstained
    assert real_engine.ask("外籍员工在中国要交社保吗？").abstained
    assert real_engine.ask("那外国人呢？", history=["灵活就业人员能参加职工养老保险吗？"]).abstained
    assert not real_engine.ask("Is there support for foreign-invested manufacturers to keep their staff?").abstained


def test_unanswered_places():
    nationwide = [("推动职业伤害保障试点扩大到全国。", "We will extend the occupational injury protection pilot nationwide.")]
    shanghai = [("今年9月，将在上海举办第48届世界技能大赛。", "")]
    assert unanswered_places("职业伤害保障试点现在在哪些省份进行？", nationwide)
    assert unanswered_places("Which provinces run the occupational injury pilot?", nationwide)
    assert not unanswered_places("世界技能大赛在哪个城市举办？", shanghai)
    assert not unanswered_places("Which city hosts WorldSkills?", [("", "It will be held in Shanghai.")])
    assert not unanswered_places("职业伤害保障试点会扩大吗？", nationwide)  # no places asked
    assert not unanswered_places("想学门手艺，该去哪儿报名呢？", nationwide)  # "where" is not "which provinces"
    by_kind = [("山区、库区等地区的农村劳动力，可以申请培训补贴。", "")]
    assert not unanswered_places("哪些地区的农民可以申请培训补贴？", by_kind)  # regions named by their kind
    assert unanswered_places("哪些省份的农民可以申请培训补贴？", by_kind)  # provinces are named, not described


@pytest.mark.slow
def test_the_refusal_says_what_the_document_lacks(real_engine):
    a = real_engine.ask("Must expatriate staff in China contribute to the Chinese social insurance funds?")
    assert a.abstained and a.text.startswith("The document does not cover this question: the paragraphs nearest "
                                             "to it do not speak of foreign nationals")
    a = real_engine.ask("职业伤害保障试点现在在哪些省份进行？")
    assert a.abstained and a.text.startswith("文件没有涉及这个问题：与之最接近的段落没有列出省份或城市，无法依据原文回答。")
    assert real_engine.ask("怎么做红烧肉？").text.startswith("文件没有涉及这个问题")


@pytest.mark.parametrize("text, named", [
    ("深圳市的失业保险金标准", {"深圳"}), ("How much is it in Shenzhen or Xi'an?", {"深圳", "西安"}),
    ("江西安排了培训补贴", {"江西"}),  # read without overlap: not 西安
    ("本市失业人员", set()), ("The Canton Fair", {"广州"}),
])
def test_places_are_named_in_either_language(text, named):
    assert places(text) == named


def test_a_figure_of_a_place_the_document_never_names_is_not_answered():
    guangzhou = frozenset({"广州"})
    assert unanswered_local_figure("深圳的失业保险金每月多少钱？", guangzhou)
    assert unanswered_local_figure("What is the unemployment benefit rate in Shenzhen?", guangzhou)
    assert not unanswered_local_figure("广州的失业保险金每月多少钱？", guangzhou)  # its own place
    assert not unanswered_local_figure("深圳的职工可以申请技能补贴吗？", guangzhou)  # no figure asked
    assert not unanswered_local_figure("失业保险金每月多少钱？", guangzhou)  # no place named


@pytest.mark.parametrize("q", ["What factors determine how much the subsidy is?", "补贴标准由什么决定？",
                               "What affects how many months of benefit I can get?",
                               "How much each person gets is decided by whom?"])
def test_asking_how_a_figure_is_set_is_not_asking_for_it(q):
    assert expected_type(q) is None


@pytest.mark.parametrize("q, kind", [
    ("请了几天病假，单位可以不发工资吗？", None),  # 几 in a yes/no question: "a few"
    ("我已经干了好几年了，可以申请吗", None),
    ("病假最多能请几天？", "days"),
    ("一年能休几天年假？", "days"),
    ("出差那几天的补贴算不算工资？", None),  # an A-not-A question is a yes/no question too
    ("有没有规定几年内必须办完？", None),
    ("前几年交的社保还有用吗", None),  # after a demonstrative or 前/最后, 几 is "a few"
    ("病假期间最后几天的工资怎么发？", None),
    ("为什么要在截止前几天提交？", None),  # a question asking why asks for a reason
    ("我在老家交过几年社保，来这边以后要办什么手续？", None),  # 几 in a clause that tells, not asks
    ("我交了几年社保，退休后能领多少钱？", "money"),
    ("工作满一年后，年休假有几天？", "days"),
    ("Why is the deadline ten days?", None),
])
def test_an_indefinite_ji_asks_for_no_figure(q, kind):
    assert expected_type(q) == kind
    assert kind or asked_figure(q) is None


@pytest.mark.parametrize("q", ["Does the minimum wage include overtime pay?", "最低工资包括加班费吗？",
                               "Who sets the minimum wage standard?"])
def test_speaking_of_the_minimum_wage_is_not_asking_for_an_amount(q):
    # A document about minimum wages is asked about them all the time, mostly not for a figure.
    assert expected_type(q) is None



@pytest.mark.parametrize("q, kind", [("How large is the start-up grant in Hangzhou?", "money"),
                                     ("How big are the bonuses for hiring graduates?", "money"),
                                     ("How large is the pilot programme?", None)])
def test_how_large_a_payment_is_asks_for_an_amount(q, kind):
    assert expected_type(q) == kind


@pytest.mark.parametrize("q,kind", [
    ("What is the total amount of the relocation grant?", "money"),
    ("What is the amount of paid leave a new hire gets?", None),  # an amount of time, not money
    ("Once a worker reaches retirement age, does the care allowance stop?", None),
    ("到达退休年龄以后，护理费还继续发吗？", None),
    ("临近退休年龄的职工找不到工作，有什么帮扶？", None),  # nearly reached: a condition too
    ("What support is there for workers nearing retirement age?", None),
    ("已到领取年龄，缴费还差三年，怎么处理？", None),  # the age a pension is drawn at, reached
    ("If someone reaches pension age with only ten years paid in, what then?", None),
    ("领取养老金的年龄是多少？", "age"),
    ("Is the housing grant a share of the rent, or a fixed sum?", None),  # which of two
    ("补贴是按工资比例发还是按固定数额发？", None),
    ("How much is the subsidy for graduates or migrant workers?", "money"),
    ("补贴是多少钱，还是按比例算？", "money"),
    ("What is the retirement age for miners?", "age"),
    ("报名的年龄上限是多少？", "age"),
    ("病休最长能休多久？", "duration"),  # months answer it, not only days
    ("What's the age limit on teachers paid the rural hardship allowance?", "age"),  # the allowance names who, not what
    ("What is the monthly hardship allowance?", "money"),
])
def test_an_amount_and_an_age_are_asked_for_not_named(q, kind):
    assert expected_type(q) == kind


@pytest.mark.parametrize("text", ["按月支付护理费，标准为上年度职工月平均工资的40%", "一次性支付18个月的本人工资"])
def test_a_benefit_set_as_a_share_or_months_of_a_wage_is_an_amount(text):
    assert states(text, "money")


def test_a_question_about_a_branch_the_document_never_speaks_of():
    from rag.qtype import branches, unanswered_branch

    spoken = branches("失业保险金按月发放。职工因工受伤的，按工伤保险规定处理。")
    assert spoken == frozenset({"unemployment", "injury"})
    for q in ("How long is paternity leave?", "产假有多少天？", "Is my housing fund portable?", "住院报销比例是多少？"):
        assert unanswered_branch(q, spoken), q
    for q in ("How much is the jobless benefit each month?", "工伤职工住院期间工资怎么发？", "失业金怎么领？",
              "What does the worker get after an injury at work?", "Is the injured worker on paid leave?"):
        assert not unanswered_branch(q, spoken), q


def test_schemes_beside_the_five_insurances_and_overtime_are_branches_of_their_own():
    from rag.qtype import branches, unanswered_branch

    medical = branches("参保人住院发生的基本医疗费用，年度最高支付限额为20万元。")
    for q in ("Is long-term care for a bedridden parent covered?", "长护险每天补多少？",
              "What does the serious-illness insurance reimburse above the cap?", "节假日加班工资怎么算？",
              "How is overtime on a rest day paid?", "职业年金怎么领取？"):
        assert unanswered_branch(q, medical), q
    hours = branches("用人单位因生产经营需要，经与工会和劳动者协商后可以延长工作时间。")
    assert "overtime" in hours and not unanswered_branch("How many hours of overtime are allowed?", hours)
    assert "critical illness" in branches("大病保险起付标准为1.5万元")


def test_taxation_is_a_branch_of_its_own_but_a_wage_before_or_after_tax_is_a_wage():
    from rag.qtype import branches, unanswered_branch

    subsidy = branches("符合条件的，按每人1500元的标准发放一次性补贴。")
    for q in ("Is the one-off subsidy taxable?", "Do I pay income tax on this grant?", "这笔补贴要交个税吗？",
              "补贴能不能免税？"):
        assert unanswered_branch(q, subsidy), q
    for q in ("Is the base my pre-tax wage?", "Is it paid before tax?", "按税前工资算还是税后工资算？"):
        assert not unanswered_branch(q, subsidy), q
    collected = branches("社会保险费由税务部门统一征收。")
    assert "tax" in collected and not unanswered_branch("Which tax office collects the fees?", collected)


@pytest.mark.parametrize("text, spoken", [
    ("办理就业失业登记，提供职业介绍。", set()),  # registering as unemployed is not unemployment insurance
    ("入住养老机构的老人", set()),  # a care home is not a pension
    ("劳动者在医疗期内的，不得解除劳动合同。", set()),  # sick leave is not medical insurance
    ("违反计划生育政策的", set()),  # family planning is not maternity
    ("灵活就业的，享受养老、医疗、失业等社会保险补贴。", {"pension", "medical", "unemployment"}),
    ("领取失业保险金期间", {"unemployment"}),
    ("住院费用按比例报销", {"medical"}),
])
def test_a_branch_is_spoken_of_as_insurance_or_benefit_not_by_its_bare_word(text, spoken):
    from rag.qtype import branches

    assert branches(text) == frozenset(spoken)


def test_a_question_comparing_places_is_asked_of_one_place_alone():
    from rag.qtype import only_place

    assert only_place("广州和上海的失业金每月多少钱？", "上海") == "和上海的失业金每月多少钱？"
    assert only_place("How much is it in Guangzhou and in Shanghai?", "广州") == "How much is it in Guangzhou and in ?"


@pytest.mark.parametrize("text, home, own", [
    ("深圳市的住房公积金能提取几次？", {"深圳"}, "本市的住房公积金能提取几次？"),
    ("在广东省灵活就业怎么参保？", {"广东"}, "在本省灵活就业怎么参保？"),
    ("Can migrants in Guangdong Province join?", {"广东"}, "Can migrants in this province join?"),
    ("What does Beijing pay, and what does Tianjin pay?", {"北京"}, "What does this city pay, and what does Tianjin pay?"),
    ("深圳和广州有什么不同？", set(), "深圳和广州有什么不同？"),  # a national text has no place of its own
])
def test_a_question_names_the_documents_own_place_as_the_document_does(text, home, own):
    from rag.qtype import in_own_words

    assert in_own_words(text, frozenset(home)) == own


def test_a_place_is_named_in_the_readers_language():
    from rag.qtype import place_name

    assert (place_name("上海", "zh"), place_name("上海", "en"), place_name("广州", "en")) == ("上海", "Shanghai", "Guangzhou")
    assert (place_name("内蒙古", "en"), place_name("西安", "en")) == ("Inner Mongolia", "Xi'an")


def test_places_are_read_left_to_right_in_either_script_and_case():
    from rag.qtype import places

    assert places("江西安排了试点") == {"江西"}  # not 西安, which overlaps it
    assert places("Pilots in XI'AN, Xian and Macau; 上海 too.") == {"西安", "澳门", "上海"}
    assert places("Inner Mongolia and Canton") == {"内蒙古", "广州"}
    assert places("a cantonese dish, the shanghaied crew") == frozenset()  # whole words only
    assert places("") == frozenset()


@pytest.mark.parametrize("q", [
    "If my attendance is under 80%, do I still get the subsidy?",  # a share stated, not asked
    "Is the rate 8 percent?",
    "出勤率低于百分之八十还能领补贴吗？",
])
def test_a_figure_the_question_states_is_not_the_figure_it_asks_for(q):
    assert expected_type(q) is None and not age_group_figure(q)


@pytest.mark.parametrize("q", ["What percentage of wages is paid?", "What % of the fee?", "报销比例是百分之多少？"])
def test_a_share_asked_for_is_a_percentage(q):
    assert expected_type(q) == "percent"


def test_a_worked_examples_figure_is_not_the_rules_unless_the_example_is_asked_about():
    from rag.qtype import rules

    rule, example = "理论课时应不少于总课时的20%。", "例：总课时80，理论课程按照总课时的20%计算，为16课时。"
    assert rules(rule, "percent") and not rules(example, "percent")
    assert rules(example, "percent", "In the worked example, what share is theory?")


@pytest.mark.parametrize("question", [
    "Which national law is this regulation based on?", "Under which regulations were these measures drawn up?",
    "Name a provincial regulation the guide refers to.", "Which earlier notice does it replace?",
    "这项办法是依据哪部法律制定的？", "补贴按哪个文件的规定发放？", "去年印发的那份方案叫什么名字？"])
def test_a_question_asking_which_document_the_text_rests_on(question):
    from rag.qtype import asks_reference

    assert asks_reference(question)


@pytest.mark.parametrize("question", [
    "Which documents must I bring to the service counter?", "What rules apply to part-time staff?",
    "On what date was the notice signed?", "需要带哪些材料？", "工资按什么标准发放？"])
def test_paperwork_a_date_or_a_rule_is_not_a_document_asked_for(question):
    from rag.qtype import asks_reference

    assert not asks_reference(question)


def test_a_document_is_cited_by_its_title_in_angle_quotes():
    from rag.qtype import cites

    assert cites("根据《中华人民共和国社会保险法》，制定本办法。")
    assert not cites("按照国家有关规定执行。")


@pytest.mark.parametrize("question, asks", [
    ("From what date do these rules apply?", True), ("What is the deadline for filing a claim?", True),
    ("When did the measures take effect?", True), ("补贴申请截止到哪天？", True), ("这项办法从什么时候开始施行？", True),
    ("I missed the deadline. What can I do now?", False), ("When can I get the money?", False),
    ("这部规定是以第几号令公布的？", False), ("多久能办完？", False)])
def test_a_question_asking_for_a_date(question, asks):
    from rag.qtype import asks_date

    assert asks_date(question) == asks


def test_a_date_is_a_day_a_month_of_the_year_or_a_time_limit():
    from rag.qtype import states_date

    for text in ("本办法自2031年3月1日起施行。", "每年3月底前提交材料。", "应当自变更之日起30日内办理。", "自印发之日起执行"):
        assert states_date(text), text
    assert not states_date("按月发放失业保险金。")


@pytest.mark.parametrize("question, asks", [
    ("失业人员在什么情况下停发失业保险金？", True), ("哪些情形可以不缴纳？", True),
    ("Under what circumstances can a contract be suspended?", True),
    ("In which situations is a claim turned down?", True),
    ("失业保险金怎么申领？", False), ("What happens in my case?", False), ("这种情况怎么办？", False)])
def test_a_question_asking_for_the_cases_a_rule_lists(question, asks):
    from rag.qtype import shown_first, states_cases

    test = shown_first(question)
    assert (test is states_cases) == asks


def test_the_cases_are_stated_by_a_list_lead_or_a_condition():
    from rag.qtype import states_cases

    for text in ("职工有下列情形之一的，可以申请补贴：", "符合以下条件的人员可以申领：", "具备本办法规定条件的，予以办理。"):
        assert states_cases(text), text
    assert not states_cases("申请人应当持身份证到经办机构申请。")


def test_an_age_the_law_sets_is_stated_by_reference():
    from rag.qtype import rules

    assert rules("本办法所称务工人员是指在法定劳动年龄内的来本市务工人员。", "age", "务工人员在年龄上有什么限定？")
    assert not rules("务工人员应当签订劳动合同。", "age", "务工人员在年龄上有什么限定？")
