"""Demo content: the standard in-service questionnaire (研習回饋問卷), given to every demo workshop."""

from courses.models import TrainingSession

from .models import Question, Questionnaire, Survey

STANDARD_TITLE_ZH = "研習回饋問卷"

STANDARD_QUESTIONS = [
    (Question.Kind.LIKERT, "我對本次研習的內容感到滿意。", "I am satisfied with the content of this workshop.", ""),
    (Question.Kind.LIKERT, "我對講師的授課感到滿意。", "I am satisfied with the trainer.", ""),
    (Question.Kind.LIKERT, "我對研習場地與安排感到滿意。", "I am satisfied with the venue and arrangements.", ""),
    (Question.Kind.LIKERT, "本次研習對我的教學有幫助。", "This workshop is useful for my teaching.", ""),
    (
        Question.Kind.MULTIPLE,
        "您會如何運用本次研習所學？（可複選）",
        "How will you use what you learnt? (choose any)",
        "融入課程設計 | In curriculum design\n"
        "與同事分享 | Sharing with colleagues\n"
        "規劃國際交流活動 | Planning an exchange\n"
        "尚未確定 | Not sure yet",
    ),
    (Question.Kind.TEXT, "其他建議", "Suggestions", ""),
]


def standard_questionnaire() -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(title_zh=STANDARD_TITLE_ZH).first()
    if questionnaire is not None:
        return questionnaire
    questionnaire = Questionnaire(
        title_zh=STANDARD_TITLE_ZH,
        title_en="Workshop feedback questionnaire",
        introduction_zh="感謝您參與研習！您的回饋為匿名，將用於改進未來的研習。",
        introduction_en="Thank you for taking part! Your answers are anonymous and help us improve future workshops.",
    )
    for order, (kind, text_zh, text_en, options) in enumerate(STANDARD_QUESTIONS):
        questionnaire.questions.add(
            Question(
                kind=kind,
                text_zh=text_zh,
                text_en=text_en,
                options=options,
                required=kind != Question.Kind.TEXT,
                sort_order=order,
            )
        )
    questionnaire.save()
    return questionnaire


def load(stdout):
    questionnaire = standard_questionnaire()
    given = 0
    for session in TrainingSession.objects.filter(kind=TrainingSession.Kind.WORKSHOP, feedback_survey__isnull=True):
        Survey.objects.create(questionnaire=questionnaire, session=session)
        given += 1
    stdout.write(f"feedback: the standard questionnaire, given to {given} workshops.")
