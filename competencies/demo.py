"""The demo competency framework: the white paper's four goals of international education as areas, with
indicators for each school stage (能力指標, which chapter 4 asks the Ministry to write for every stage).

The four goals (國家認同, 國際素養, 全球競合力, 全球責任感) are the white paper's; the indicators under them are
written for this demo in the white paper's words, one or two a stage, and carry the stage letter the curriculum
uses (E elementary, J junior high, U senior high). Idempotent: the framework is found by slug and version.
"""

from django.db import transaction

from .models import Area, Framework, Indicator, SchoolStage

SLUG = "ie-competencies"

FRAMEWORK = {
    "name_zh": "中小學國際教育能力指標",
    "name_en": "Competency indicators for international education in primary and secondary schools",
    "description_zh": (
        "依《中小學國際教育白皮書》四大目標：國家認同、國際素養、全球競合力與全球責任感，研訂各階段能力指標。"
    ),
    "description_en": (
        "Indicators for each school stage under the four goals of the White Paper on International Education for "
        "Primary and Secondary Schools: national identity, international literacy, global competitiveness and "
        "global responsibility."
    ),
}

E, J, U = SchoolStage.ELEMENTARY, SchoolStage.JUNIOR, SchoolStage.SENIOR

# (area code, zh, en, description zh, description en, [(stage, zh title, en title), ...])
AREAS = [
    (
        "NI",
        "國家認同",
        "National identity",
        "了解本國文化的特色與在國際間的位置，建立對自己文化的自尊與自信。",
        (
            "Knowing what is distinctive about our own culture and its place "
            "in the world, with self-respect and confidence."
        ),
        [
            (
                E,
                "認識我國的文化特色，表達對本土文化的了解與喜愛。",
                "Recognise the features of Taiwan's culture and show understanding of it.",
            ),
            (
                E,
                "能以簡單的方式向外國朋友介紹自己的家鄉。",
                "Introduce one's home town to friends from abroad in simple ways.",
            ),
            (
                J,
                "理解我國文化的發展脈絡及其與國際互動的關聯。",
                "Understand how our culture developed and how it relates to other countries.",
            ),
            (
                J,
                "在國際交流中說明我國的文化與社會特色。",
                "Explain our culture and society during international exchanges.",
            ),
            (
                U,
                "分析我國在國際社會中的角色與貢獻，發展具國際視野的國家認同。",
                (
                    "Analyse Taiwan's role and contributions in the world and hold a "
                    "national identity with an international outlook."
                ),
            ),
            (
                U,
                "在國際場合中適切代表並推介我國文化。",
                "Represent and promote Taiwan's culture appropriately in international settings.",
            ),
        ],
    ),
    (
        "IL",
        "國際素養",
        "International literacy",
        "體認文化的多樣性，從了解、尊重到欣賞不同文化，具備跨文化溝通的能力。",
        (
            "Recognising cultural diversity, moving from understanding to respect "
            "and appreciation, and communicating across cultures."
        ),
        [
            (
                E,
                "認識世界不同國家的文化與生活方式。",
                "Learn about the cultures and ways of life of different countries.",
            ),
            (E, "尊重與自己不同的文化與習俗。", "Respect cultures and customs that differ from one's own."),
            (
                J,
                "比較不同文化的異同，培養跨文化溝通的態度。",
                "Compare cultures and develop attitudes for intercultural communication.",
            ),
            (
                J,
                "運用外語與不同文化背景的人交流。",
                "Use a foreign language to communicate with people of other cultures.",
            ),
            (
                U,
                "反思自身文化觀點，欣賞並包容多元文化。",
                "Reflect on one's own cultural perspective and appreciate cultural diversity.",
            ),
            (
                U,
                "具備跨文化溝通與合作的能力，參與國際交流活動。",
                "Communicate and cooperate across cultures and take part in international exchanges.",
            ),
        ],
    ),
    (
        "GC",
        "全球競合力",
        "Global competitiveness",
        "具備國際移動所需的外語、資訊與批判思考能力，在合作與競爭中展現實力。",
        (
            "The language, digital and critical-thinking skills needed for "
            "international mobility, in cooperation and competition."
        ),
        [
            (
                E,
                "培養學習外語的興趣與基本能力。",
                "Develop an interest and basic skills in learning foreign languages.",
            ),
            (E, "運用資訊科技認識世界。", "Use information technology to learn about the world."),
            (J, "了解全球化下合作與競爭的現象。", "Understand cooperation and competition under globalisation."),
            (
                J,
                "運用資訊與網路資源進行國際議題的探究。",
                "Use digital and online resources to inquire into international issues.",
            ),
            (
                U,
                "分析全球競合的運作模式，規劃個人的國際學習與生涯。",
                (
                    "Analyse how global cooperation and competition work and "
                    "plan one's international learning and career."
                ),
            ),
            (
                U,
                "以外語及專業知能參與國際合作與競賽。",
                "Take part in international cooperation and competitions with foreign languages and expertise.",
            ),
        ],
    ),
    (
        "GR",
        "全球責任感",
        "Global responsibility",
        "認識並尊重基本人權，關懷全球議題與弱勢處境，實踐永續發展的理念。",
        "Knowing and respecting human rights, caring about global issues and the vulnerable, and living sustainably.",
        [
            (
                E,
                "認識全球共同面對的環境與人權議題。",
                "Learn about environmental and human-rights issues the world shares.",
            ),
            (E, "在日常生活中實踐愛護地球的行動。", "Care for the planet in everyday life."),
            (
                J,
                "理解全球議題的成因與相互依存的關係。",
                "Understand the causes of global issues and how countries depend on one another.",
            ),
            (
                J,
                "關懷國際弱勢者的處境並參與服務學習。",
                "Care about vulnerable people abroad and take part in service learning.",
            ),
            (
                U,
                "評析全球議題並提出永續發展的行動方案。",
                "Evaluate global issues and propose actions for sustainable development.",
            ),
            (
                U,
                "以世界公民的責任參與國際志工或全球行動。",
                "Take part in international volunteering or global action as a responsible world citizen.",
            ),
        ],
    ),
]


def indicator_code(area_code, stage, number):
    return f"{area_code}-{stage}{number}"


@transaction.atomic
def ensure_framework():
    """The published first version of the demo framework, built once."""
    framework = Framework.objects.filter(slug=SLUG, version=1).first()
    if framework is not None:
        return framework
    framework = Framework.objects.create(slug=SLUG, version=1, **FRAMEWORK)
    for area_order, (code, name_zh, name_en, description_zh, description_en, indicators) in enumerate(AREAS):
        area = Area.objects.create(
            framework=framework,
            code=code,
            name_zh=name_zh,
            name_en=name_en,
            description_zh=description_zh,
            description_en=description_en,
            sort_order=area_order,
        )
        counters = {}
        for order, (stage, title_zh, title_en) in enumerate(indicators):
            counters[stage] = counters.get(stage, 0) + 1
            Indicator.objects.create(
                area=area,
                code=indicator_code(code, stage, counters[stage]),
                stage=stage,
                title_zh=title_zh,
                title_en=title_en,
                sort_order=order,
            )
    framework.publish()
    return framework


def load(stdout):
    framework = ensure_framework()
    stdout.write(
        f"Competencies: {framework.slug} v{framework.version} ({framework.get_status_display()}), "
        f"{Indicator.objects.filter(area__framework=framework).count()} indicators."
    )
