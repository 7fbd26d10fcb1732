"""Demo communities with their sessions, and an expert directory of invented people. Idempotent."""

import colorsys
import datetime
import io
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.images import get_image_model

from courses.attendance import record_attendance
from courses.models import Attendance, TrainingSession
from home.demo import ensure_page, home_pages

from .models import CommunityIndexPage, CommunityPage, CommunitySession, Expert, ExpertIndexPage

TEACHER_EMAIL = "teacher@demo.ie-academy.tw"
TRAINER_EMAIL = "trainer@demo.ie-academy.tw"

COMMUNITY_INDEX_FIELDS = {
    "zh-hant": {
        "title": "專業社群",
        "show_in_menus": True,
        "introduction": "國際教育專業社群網絡：與同縣市、同學習階段的教師定期聚會，共同備課、分享交流經驗。"
        "參與社群聚會的紀錄可累計取得專業社群證書。",
    },
    "en": {
        "title": "Communities",
        "show_in_menus": True,
        "introduction": "Professional community networks for international education: meet teachers of your region "
        "and school level regularly, plan lessons together and share exchange experience. Attended sessions "
        "count toward the community certificate.",
    },
}

EXPERT_INDEX_FIELDS = {
    "zh-hant": {
        "title": "專家資料庫",
        "show_in_menus": True,
        "introduction": "國際教育專家資料庫：可依專長、語言、服務縣市與合作方式，找到講座講師、輔導委員與諮詢顧問。",
    },
    "en": {
        "title": "Expert directory",
        "show_in_menus": True,
        "introduction": "The international-education expert database: find speakers, mentors and consultants "
        "by expertise, language, region served and availability.",
    },
}

# slug, region, level, focus, zh (title, description, pattern), en (title, description, pattern), sessions
COMMUNITIES = [
    (
        "taichung-senior-high-curriculum",
        "taichung_city",
        "senior_high",
        "curriculum",
        (
            "臺中市高中國際教育課程社群",
            "臺中市高級中等學校教師共同發展融入國際議題的校訂課程，每月一次共同備課與觀課回饋。",
            "每月第二個星期三 15:00",
        ),
        (
            "Taichung Senior High International Curriculum Community",
            "Senior high school teachers in Taichung develop school-based courses that bring in global issues, "
            "with a monthly session of joint lesson planning and observation feedback.",
            "Second Wednesday of each month, 15:00",
        ),
        [
            (
                -21,
                "SDGs 議題融入課程設計",
                "Designing lessons around the SDGs",
                "臺中市立忠明高級中學 圖書館會議室",
                "",
            ),
            (
                9,
                "跨領域國際教育教案分享",
                "Sharing cross-subject international lessons",
                "",
                "https://meet.example.org/tc-curriculum",
            ),
            (
                37,
                "學生國際議題專題發表觀摩",
                "Student global-issue project showcase",
                "臺中市立忠明高級中學 演講廳",
                "",
            ),
        ],
    ),
    (
        "hualien-elementary-sister-schools",
        "hualien_county",
        "elementary",
        "sister_school",
        (
            "花蓮縣國小姊妹校交流社群",
            "花蓮縣國民小學教師交流締結姊妹校、視訊交流與互訪的經驗，協助偏鄉學校踏出國際交流第一步。",
            "隔月第一個星期五 14:00（線上）",
        ),
        (
            "Hualien Elementary Sister-School Community",
            "Elementary teachers in Hualien share how to set up sister-school partnerships, video exchanges and "
            "visits, helping rural schools take their first step into international exchange.",
            "First Friday every other month, 14:00 (online)",
        ),
        [
            (
                -35,
                "姊妹校視訊交流實務",
                "Running video exchanges with a sister school",
                "",
                "https://meet.example.org/hl-sister",
            ),
            (-6, "締約文件與家長溝通", "Partnership agreements and talking to parents", "花蓮縣教育處 第二會議室", ""),
            (
                24,
                "交流活動成果分享",
                "Sharing the outcomes of exchange activities",
                "",
                "https://meet.example.org/hl-sister",
            ),
        ],
    ),
    (
        "kaohsiung-junior-high-global-citizenship",
        "kaohsiung_city",
        "junior_high",
        "global_citizenship",
        (
            "高雄市國中全球公民教育社群",
            "高雄市國民中學教師以全球公民素養為核心，設計議題探究、模擬聯合國與服務學習活動。",
            "每月最後一個星期二 16:00",
        ),
        (
            "Kaohsiung Junior High Global Citizenship Community",
            "Junior high teachers in Kaohsiung design inquiry lessons, model United Nations and service learning "
            "around global citizenship.",
            "Last Tuesday of each month, 16:00",
        ),
        [
            (-14, "模擬聯合國入門", "Getting started with model United Nations", "高雄市立港都國民中學 會議室", ""),
            (16, "全球議題探究教學", "Teaching inquiry into global issues", "高雄市立港都國民中學 會議室", ""),
        ],
    ),
    (
        "taipei-foreign-language-teaching",
        "taipei_city",
        "",
        "foreign_language",
        (
            "臺北市外語教學與跨文化溝通社群",
            "跨學習階段的外語教師分享雙語教學、跨文化溝通與國際線上共學的教材與方法。",
            "每季一次星期六上午",
        ),
        (
            "Taipei Foreign-Language Teaching and Intercultural Communication Community",
            "Language teachers of every school level share materials and methods for bilingual teaching, "
            "intercultural communication and online learning with partner classes abroad.",
            "One Saturday morning each quarter",
        ),
        [
            (
                45,
                "國際線上共學課程設計",
                "Designing online lessons with a partner class",
                "",
                "https://meet.example.org/tp-language",
            ),
        ],
    ),
]

# name_zh, name_en, title (zh, en), organisation (zh, en), expertise, languages, regions, availability, bio (zh, en)
EXPERTS = [
    (
        "林慧君",
        "Hui-Chun Lin",
        ("教授", "Professor"),
        ("國立北辰大學教育學系", "Department of Education, National Beichen University"),
        ["concepts", "global_citizenship"],
        ["zh", "en"],
        ["taipei_city", "new_taipei_city"],
        ["speaker", "consultant"],
        (
            "研究國際教育政策與全球公民教育，曾參與多項中小學國際教育課程發展計畫。",
            "Researches international-education policy and global citizenship education; has advised many school "
            "curriculum projects.",
        ),
    ),
    (
        "張哲維",
        "Che-Wei Chang",
        ("副教授", "Associate Professor"),
        (
            "國立南瀛教育大學課程與教學研究所",
            "Graduate Institute of Curriculum and Instruction, National Nanying University of Education",
        ),
        ["curriculum", "growth"],
        ["zh", "en"],
        ["tainan_city", "chiayi_city", "chiayi_county"],
        ["speaker", "mentor"],
        (
            "專長素養導向課程設計與教師專業成長社群的經營。",
            "Works on competency-based curriculum design and on running teacher professional learning communities.",
        ),
    ),
    (
        "陳怡安",
        "Yi-An Chen",
        ("校長", "Principal"),
        ("新竹縣立星光國民小學", "Xingguang Elementary School, Hsinchu County"),
        ["school", "sister_school"],
        ["zh", "en", "ja"],
        ["hsinchu_county", "hsinchu_city", "miaoli_county"],
        ["mentor", "consultant"],
        (
            "帶領學校與日本、澳洲三所學校締結姊妹校，推動學校國際化與姊妹校交流。",
            "Led her school into sister-school partnerships with three schools in Japan and Australia.",
        ),
    ),
    (
        "黃志明",
        "Chih-Ming Huang",
        ("主任", "Director"),
        ("雲嘉國際教育資源中心", "Yunlin-Chiayi International Education Resource Centre"),
        ["exchange", "study_visits"],
        ["zh", "nan", "en"],
        ["yunlin_county", "chiayi_county"],
        ["consultant"],
        (
            "規劃國際教育旅行與海外研習參訪超過十年，熟悉行前課程與安全管理。",
            "Has planned educational travel and overseas study visits for over ten years, including preparation and "
            "safety.",
        ),
    ),
    (
        "吳佳蓉",
        "Chia-Jung Wu",
        ("英語教師", "English teacher"),
        ("臺中市立明道國民中學", "Mingdao Junior High School, Taichung City"),
        ["foreign_language", "intercultural"],
        ["zh", "en"],
        ["taichung_city", "changhua_county"],
        ["speaker", "mentor"],
        (
            "推動國中雙語教學與國際線上共學，分享跨文化溝通教學活動設計。",
            "Runs bilingual teaching and online learning with partner classes abroad; shares intercultural "
            "communication activities.",
        ),
    ),
    (
        "蔡明宏",
        "Ming-Hung Tsai",
        ("研究員", "Research Fellow"),
        ("國家教育研究中心（虛構）", "National Education Research Centre (fictional)"),
        ["concepts", "school"],
        ["zh", "en", "de"],
        ["taipei_city", "taoyuan_city"],
        ["consultant"],
        (
            "研究學校國際化指標與國際教育政策評估。",
            "Studies indicators of school internationalisation and evaluates international-education policy.",
        ),
    ),
    (
        "鄭雅文",
        "Ya-Wen Cheng",
        ("輔導團員", "Advisory team member"),
        ("高雄市國際教育輔導團", "Kaohsiung City International Education Advisory Team"),
        ["curriculum", "global_citizenship"],
        ["zh", "en"],
        ["kaohsiung_city", "pingtung_county"],
        ["mentor", "speaker"],
        (
            "協助國中小教師將永續發展目標與全球議題融入各領域課程。",
            "Helps teachers bring the sustainable development goals and global issues into every subject.",
        ),
    ),
    (
        "劉建國",
        "Chien-Kuo Liu",
        ("教授", "Professor"),
        ("國立東岸大學華語文教學系", "Department of Chinese as a Second Language, National Dong'an University"),
        ["foreign_language", "exchange"],
        ["zh", "en", "vi", "id"],
        ["hualien_county", "taitung_county"],
        ["speaker", "consultant"],
        (
            "專長華語文教學與新住民語文教育，協助學校與東南亞學校建立交流。",
            "Specialises in teaching Chinese as a second language and new-immigrant languages; connects schools "
            "with partners in Southeast Asia.",
        ),
    ),
    (
        "許淑貞",
        "Shu-Chen Hsu",
        ("退休校長", "Retired principal"),
        ("宜蘭縣國際教育推動小組", "Yilan County International Education Working Group"),
        ["school", "growth"],
        ["zh", "nan"],
        ["yilan_county", "keelung_city"],
        ["mentor"],
        (
            "曾任國小校長十二年，陪伴初任行政人員規劃學校國際教育計畫。",
            "Principal for twelve years; mentors new school leaders planning their school's international-education "
            "programme.",
        ),
    ),
    (
        "楊子豪",
        "Tzu-Hao Yang",
        ("執行長", "Executive Director"),
        ("青年全球行動協會（虛構）", "Youth Global Action Association (fictional)"),
        ["global_citizenship", "intercultural"],
        ["zh", "en", "es"],
        ["taipei_city", "new_taipei_city", "taoyuan_city"],
        ["speaker"],
        (
            "帶領學生參與國際志工與模擬聯合國，推廣全球公民行動。",
            "Leads students in international volunteering and model United Nations, promoting global citizenship in "
            "action.",
        ),
    ),
    (
        "江美惠",
        "Mei-Hui Chiang",
        ("日語教師", "Japanese teacher"),
        ("臺南市立府城高級中學", "Fucheng Senior High School, Tainan City"),
        ["foreign_language", "sister_school"],
        ["zh", "ja"],
        ["tainan_city"],
        ["mentor"],
        (
            "負責學校與日本姊妹校的年度互訪及線上交流課程。",
            "Organises the annual visits and online lessons with the school's Japanese sister school.",
        ),
    ),
    (
        "何承恩",
        "Cheng-En Ho",
        ("助理教授", "Assistant Professor"),
        ("國立中嶺科技大學通識教育中心", "General Education Centre, National Zhongling University of Technology"),
        ["intercultural", "concepts"],
        ["zh", "en", "fr"],
        ["taoyuan_city", "hsinchu_city"],
        ["speaker", "consultant"],
        (
            "研究跨文化溝通與文化敏感度教學，設計教師研習工作坊。",
            "Researches intercultural communication and cultural-sensitivity teaching; designs teacher workshops.",
        ),
    ),
    (
        "周佩玲",
        "Pei-Ling Chou",
        ("主任", "Director of Academic Affairs"),
        ("澎湖縣立海濱國民中學", "Haibin Junior High School, Penghu County"),
        ["exchange", "school"],
        ["zh", "en"],
        ["penghu_county", "kinmen_county", "lienchiang_county"],
        ["mentor"],
        (
            "在離島學校推動國際交流，善用線上交流克服交通限制。",
            "Brings international exchange to island schools, using online exchange to overcome distance.",
        ),
    ),
    (
        "謝宗翰",
        "Tsung-Han Hsieh",
        ("課程督學", "Curriculum inspector"),
        ("彰化縣政府教育處", "Education Department, Changhua County Government"),
        ["curriculum", "school"],
        ["zh", "nan"],
        ["changhua_county", "nantou_county", "yunlin_county"],
        ["consultant"],
        (
            "協助縣內學校撰寫國際教育計畫並檢核課程實施。",
            "Helps county schools write international-education plans and reviews how the curriculum is delivered.",
        ),
    ),
    (
        "潘芷晴",
        "Chih-Ching Pan",
        ("族語教師", "Indigenous language teacher"),
        ("臺東縣立山海國民小學", "Shanhai Elementary School, Taitung County"),
        ["intercultural", "exchange"],
        ["zh", "indigenous", "en"],
        ["taitung_county", "hualien_county"],
        ["speaker", "mentor"],
        (
            "推動原住民族文化與南島國家學校的交流，分享文化回應教學。",
            "Builds exchanges between Indigenous culture and schools in Austronesian countries; shares culturally "
            "responsive teaching.",
        ),
    ),
    (
        "羅文傑",
        "Wen-Chieh Lo",
        ("專案經理", "Programme manager"),
        ("國際教育旅行聯盟（虛構）", "International Educational Travel Alliance (fictional)"),
        ["study_visits", "sister_school"],
        ["zh", "en", "ko"],
        ["new_taipei_city", "keelung_city", "yilan_county"],
        ["consultant"],
        (
            "協助學校規劃韓國與東南亞教育旅行，媒合姊妹校並規劃海外研習參訪行程。",
            "Helps schools plan educational trips to Korea and Southeast Asia, matches sister schools and designs "
            "study visits.",
        ),
    ),
]

PHOTO_SIZE = 320


def demo_user(email):
    return get_user_model().objects.filter(email=email).first()


def portrait(name_en, index):
    """A plain coloured square standing in for a photo: demo experts are invented and have no faces."""
    image = get_image_model().objects.filter(title=f"Demo expert: {name_en}").first()
    if image is not None:
        return image
    red, green, blue = colorsys.hsv_to_rgb((index * 0.137) % 1, 0.35, 0.85)
    buffer = io.BytesIO()
    PILImage.new("RGB", (PHOTO_SIZE, PHOTO_SIZE), (int(red * 255), int(green * 255), int(blue * 255))).save(
        buffer, "PNG"
    )
    slug = name_en.lower().replace(" ", "-").replace("'", "")
    return get_image_model().objects.create(
        title=f"Demo expert: {name_en}", file=ImageFile(buffer, name=f"expert-{slug}.png")
    )


def ensure_session(community, days_from_now, title_zh, title_en, place, online_url):
    session = CommunitySession.objects.filter(community=community, training_session__title=title_zh).first()
    if session is not None:
        return session
    starts_at = timezone.localtime().replace(hour=15, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=days_from_now
    )
    training = TrainingSession.objects.create(
        kind=TrainingSession.Kind.COMMUNITY,
        title=title_zh,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        hours=Decimal("2"),
    )
    return CommunitySession.objects.create(
        community=community,
        training_session=training,
        title_en=title_en,
        agenda_zh=f"{title_zh}：經驗分享、分組討論、下次聚會分工。",
        agenda_en=f"{title_en}: experience sharing, group discussion, tasks for next time.",
        place=place,
        online_url=online_url,
    )


@transaction.atomic
def load(stdout):
    homes = home_pages()
    trainer, teacher = demo_user(TRAINER_EMAIL), demo_user(TEACHER_EMAIL)
    index = ensure_page(homes, CommunityIndexPage, "communities", COMMUNITY_INDEX_FIELDS)
    session_count = 0
    for slug, region, level, focus, zh, en, sessions in COMMUNITIES:
        shared = {"region": region, "school_level": level, "focus_area": focus}
        pages = ensure_page(
            index,
            CommunityPage,
            slug,
            {
                "zh-hant": {"title": zh[0], "description": zh[1], "meeting_pattern": zh[2], **shared},
                "en": {"title": en[0], "description": en[1], "meeting_pattern": en[2], **shared},
            },
        )
        community = pages["zh-hant"]
        if trainer is not None and not community.facilitators.filter(pk=trainer.pk).exists():
            community.facilitators.add(trainer)
            community.save_revision().publish()
        for days, title_zh, title_en, place, online_url in sessions:
            session = ensure_session(community, days, title_zh, title_en, place, online_url)
            session_count += 1
            if teacher is not None and slug == COMMUNITIES[0][0]:
                community.join(teacher)
                if session.training_session.ends_at < timezone.now():
                    record_attendance(session.training_session, teacher, Attendance.Method.LIST, trainer)

    ensure_page(homes, ExpertIndexPage, "experts", EXPERT_INDEX_FIELDS)
    for number, (name_zh, name_en, title, organisation, expertise, languages, regions, availability, bio) in enumerate(
        EXPERTS
    ):
        slug = name_en.lower().replace(" ", "").replace("-", "")
        expert, _created = Expert.objects.update_or_create(
            name_en=name_en,
            defaults={
                "name_zh": name_zh,
                "title_zh": title[0],
                "title_en": title[1],
                "organisation_zh": organisation[0],
                "organisation_en": organisation[1],
                "expertise": expertise,
                "languages": languages,
                "regions": regions,
                "availability": availability,
                "bio_zh": bio[0],
                "bio_en": bio[1],
                "email": f"{slug}@experts.example.org",
                "phone": f"0{2 + number % 7}-2{number:03d}-{5100 + number * 37}",
            },
        )
        if expert.photo_id is None:
            expert.photo = portrait(name_en, number)
            expert.save(update_fields=["photo"])
    stdout.write(
        f"Community: {len(COMMUNITIES)} communities with {session_count} sessions, {len(EXPERTS)} experts, "
        "in zh-hant and en."
    )
