"""The demo quizzes, drawn from chapter 4 of the white paper on international education (中小學國際教育白皮書).

Each is the ``content.json`` of an ``IEA.Quiz`` package: zh-Hant text with an English translation.
"""

L10N_ZH_HANT = {
    "check": "檢查答案 Check",
    "retry": "重新作答 Try again",
    "correct": "答對了！Correct!",
    "incorrect": "再想想看。Not quite.",
    "result": "你答對 @score 題，共 @total 題。You scored @score out of @total.",
    "passed": "恭喜通過！Well done: you passed.",
    "failed": "請再複習本單元後重新作答。Review the module and try again.",
    "questionLabel": "第 @n 題，共 @total 題 · Question @n of @total",
    "chooseOne": "請選一個答案。Choose one answer.",
    "chooseAll": "請選出所有正確答案。Choose every correct answer.",
    "noAnswer": "請先選擇答案。Choose an answer first.",
}


def _quiz(title, title_en, intro, intro_en, questions):
    return {
        "title": title,
        "titleTranslation": title_en,
        "intro": intro,
        "introTranslation": intro_en,
        "lang": "zh-Hant",
        "translationLang": "en",
        "passPercentage": 60,
        "l10n": L10N_ZH_HANT,
        "questions": questions,
    }


def _answer(text, translation, correct=False, feedback=""):
    return {"text": text, "translation": translation, "correct": correct, "feedback": feedback}


EXCHANGE_QUIZ = _quiz(
    "國際交流計畫小測驗",
    "Quiz: international exchange programmes",
    "依據白皮書第四章「學校辦理國際交流計畫」作答。",
    "Based on chapter 4 of the white paper: schools' international exchange programmes.",
    [
        {
            "id": "exchange-purpose",
            "text": "學校國際交流計畫的經費由誰共同籌集？",
            "translation": "Who jointly funds schools' international exchange programmes?",
            "answers": [
                _answer(
                    "教育部與主管教育行政機關",
                    "The Ministry of Education and the competent education authorities",
                    True,
                ),
                _answer("學校家長會", "The school's parents' association"),
                _answer("外國姊妹校", "Foreign sister schools"),
            ],
        },
        {
            "id": "exchange-items",
            "text": "下列哪些屬於國際交流計畫的補助項目？（可複選）",
            "translation": "Which of these are funded items of the exchange programme? (choose all that apply)",
            "answers": [
                _answer("姊妹校交流活動", "Sister-school exchanges", True),
                _answer("國際志工服務", "International volunteer service", True),
                _answer("校舍耐震補強", "Seismic retrofitting of school buildings"),
                _answer("參與國際會議或競賽", "Taking part in international conferences or competitions", True),
            ],
        },
        {
            "id": "exchange-direction",
            "text": "白皮書補助的國際交流活動是哪一種方向？",
            "translation": "In which direction are the funded exchange activities meant to run?",
            "answers": [
                _answer("只有出國", "Outbound only"),
                _answer("雙向交流", "Both ways", True, "白皮書寫明補助「雙向的國際交流活動」。"),
                _answer("只有接待外賓", "Hosting visitors only"),
            ],
        },
    ],
)

INTERNATIONALISATION_QUIZ = _quiz(
    "學校國際化小測驗",
    "Quiz: school internationalisation",
    "依據白皮書第四章「學校辦理學校國際化計畫」作答。",
    "Based on chapter 4 of the white paper: the school internationalisation programme.",
    [
        {
            "id": "campus",
            "text": "「校園國際化」包含下列哪一項？",
            "translation": "Which of these belongs to “internationalising the campus”?",
            "answers": [
                _answer("營造雙語學習環境", "Creating a bilingual learning environment", True),
                _answer("增加考試次數", "Holding more examinations"),
                _answer("延長上課時間", "Lengthening the school day"),
            ],
        },
        {
            "id": "administration",
            "text": "「行政國際化」包含哪些工作？（可複選）",
            "translation": "What does “internationalising administration” include? (choose all that apply)",
            "answers": [
                _answer("開發行政與教學之雙語表單", "Bilingual administrative and teaching forms", True),
                _answer("建置接待家庭網絡", "A network of host families", True),
                _answer("取消外語課程", "Dropping foreign-language classes"),
            ],
        },
        {
            "id": "curriculum",
            "text": "「課程國際化」鼓勵各科做什麼？",
            "translation": "What does “internationalising the curriculum” encourage every subject to do?",
            "answers": [
                _answer("將國際重要議題融入課程", "Bring major international issues into the curriculum", True),
                _answer("只使用外國教科書", "Use foreign textbooks only"),
                _answer("減少跨學科教學", "Teach fewer cross-subject lessons"),
            ],
        },
        {
            "id": "partnership",
            "text": "下列何者屬於「國際夥伴關係」？",
            "translation": "Which of these is an “international partnership” activity?",
            "answers": [
                _answer("參與國際組織活動", "Taking part in the activities of international organisations", True),
                _answer("更換校徽", "Changing the school emblem"),
            ],
        },
    ],
)

PROFESSIONAL_GROWTH_QUIZ = _quiz(
    "教師專業成長小測驗",
    "Quiz: teachers' professional growth",
    "依據白皮書第四章「國際教育教師專業成長計畫」作答。",
    "Based on chapter 4 of the white paper: teachers' professional growth in international education.",
    [
        {
            "id": "certificate",
            "text": "教師完成國際教育專業知能認證課程後，可以取得什麼？",
            "translation": "What do teachers earn by completing the certification course?",
            "answers": [
                _answer("專業知能證書", "A professional competency certificate", True),
                _answer("教師資格證", "A teaching licence"),
                _answer("碩士學位", "A master's degree"),
            ],
        },
        {
            "id": "community",
            "text": "參加國際教育專業社群網絡的成員可取得哪一種證書？",
            "translation": "Which certificate can members of a professional community network earn?",
            "answers": [
                _answer("專業社群證書", "A community certificate", True),
                _answer("語言能力證書", "A language certificate"),
            ],
        },
        {
            "id": "ministry-work",
            "text": "教育部在教師專業成長計畫中要建置哪些資源？（可複選）",
            "translation": "Which resources does the ministry build for teachers' growth? (choose all that apply)",
            "answers": [
                _answer("認證課程資訊網", "An information website for the certification course", True),
                _answer("國際教育專家資料庫", "An international-education expert database", True),
                _answer("線上購物平臺", "An online shop"),
            ],
        },
    ],
)

DEMO_QUIZZES = {
    "iea-quiz-international-exchange.h5p": EXCHANGE_QUIZ,
    "iea-quiz-school-internationalisation.h5p": INTERNATIONALISATION_QUIZ,
    "iea-quiz-professional-growth.h5p": PROFESSIONAL_GROWTH_QUIZ,
}
