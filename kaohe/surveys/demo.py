"""The two questionnaires the seeds imply, written by the project, and their 2021 surveys.

Seed 003: satisfaction (10%) = 民营企业家座谈情况 (S1) + 办事大厅实地走访情况 (S2).
Seed 000: each department nominates one private enterprise; the team holds a forum of about
five entrepreneurs; the team visits the government service hall (效率、质量、公示牌).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from .choices import DEFAULT_RATING_SCALE, QuestionKind, QuestionnaireKind, SurveyMode
from .models import Questionnaire, Survey, SurveyTarget
from .services.questionnaires import QuestionSpec, fill_questions
from .services.surveys import new_token

R, S, M, T = QuestionKind.RATING, QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TEXT


def _q(kind, text, section="", choices=None, required=True) -> QuestionSpec:
    if kind == R:
        return QuestionSpec(kind, text, required, section, list(DEFAULT_RATING_SCALE))
    return QuestionSpec(kind, text, required, section, [(c, None) for c in choices or []])


FORUM_SECTION_1 = "一、法治化营商环境"
FORUM_SECTION_2 = "二、执法与服务"
FORUM_QUESTIONS = [
    _q(R, "您对本地依法平等保护民营企业合法权益的情况是否满意？", FORUM_SECTION_1),
    _q(R, "您对政府及部门依法决策、政策稳定和诚信履约的情况是否满意？", FORUM_SECTION_1),
    _q(R, "您对企业复工复产中得到的法治保障是否满意？", FORUM_SECTION_1),
    _q(R, "您对行政执法人员规范、公正、文明执法的情况是否满意？", FORUM_SECTION_2),
    _q(R, "您对涉企行政检查的频次和方式（不扰企）是否满意？", FORUM_SECTION_2),
    _q(R, "您对说理式执法、行政指导、违法风险点提示等服务型执法是否满意？", FORUM_SECTION_2),
    _q(
        S,
        "过去一年，贵企业是否遇到过重复检查、多头执法？",
        FORUM_SECTION_2,
        ["没有", "有", "不清楚"],
    ),
    _q(
        M,
        "您认为最需要改进的方面（可多选）",
        FORUM_SECTION_2,
        ["执法程序", "执法人员态度", "政策宣传解读", "审批效率", "投诉举报处理", "其他"],
        required=False,
    ),
    _q(T, "您对本地法治政府建设和营商环境的意见建议", FORUM_SECTION_2, required=False),
]
HALL_QUESTIONS = [
    _q(S, "您本次办理的事项", "", ["企业开办", "不动产登记", "社保医保", "税务", "其他"]),
    _q(R, "您对窗口工作人员的服务态度是否满意？"),
    _q(R, "您对办事效率（等候和办理时间）是否满意？"),
    _q(R, "您对办事指南、公示牌等信息公开情况是否满意？"),
    _q(R, "您对申请材料精简、“一次办好”的情况是否满意？"),
    _q(R, "总体而言，您对本次办事是否满意？"),
    _q(S, "本次事项是否一次办成？", "", ["是", "否"]),
    _q(T, "您的意见建议", "", required=False),
]
QUESTIONNAIRES = [
    (
        "S1",
        QuestionnaireKind.FORUM,
        "民营企业家座谈会满意度问卷",
        "本问卷不记名，不记录您的姓名、企业名称和联系方式，请根据实际感受填写。",
        FORUM_QUESTIONS,
    ),
    (
        "S2",
        QuestionnaireKind.HALL,
        "政务服务大厅办事群众满意度问卷",
        "本问卷不记名，约需 1 分钟。您的评价将用于依法行政考核。",
        HALL_QUESTIONS,
    ),
]


def build_demo_surveys(scheme) -> list[Survey]:
    """Questionnaires S1/S2 and one survey per leaf over every subject (Jan 25 – Feb 5, 2021)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    opens = datetime(2021, 1, 25, 8, tzinfo=zone)
    closes = datetime(2021, 2, 5, 18, tzinfo=zone)
    subjects = list(scheme.subjects.all())
    made = []
    for code, kind, title, intro, specs in QUESTIONNAIRES:
        questionnaire = Questionnaire.objects.create(
            scheme=scheme, title=title, kind=kind, intro=intro, thanks="感谢您的参与！"
        )
        fill_questions(questionnaire, specs)
        survey = Survey.objects.create(
            scheme=scheme,
            questionnaire=questionnaire,
            indicator=scheme.indicators.filter(code=code).first(),
            title=f"{scheme.year}年度{title.replace('问卷', '调查')}",
            mode=SurveyMode.PER_SUBJECT,
            opens_at=opens,
            closes_at=closes,
            min_answers=5 if kind == QuestionnaireKind.FORUM else 10,
            token=new_token(),
        )
        SurveyTarget.objects.bulk_create(
            SurveyTarget(survey=survey, subject=s, token=new_token()) for s in subjects
        )
        made.append(survey)
    return made
