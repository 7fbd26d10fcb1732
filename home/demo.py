"""Demo content for the site's own pages, and the helpers every app's demo uses to build bilingual pages.

Every demo page exists in zh-Hant and in English: the English page is the Wagtail translation of the zh-Hant
page (same translation key), so the language switcher moves between them. Running the demo twice changes
nothing: pages are found by their parent and slug, and only pages whose content differs are published again.
"""

import datetime
import json

from django.db import transaction
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site

from .models import HomePage, NewsIndexPage, NewsPage, OrganisationSettings, StandardPage

LANGUAGES = ("zh-hant", "en")


def locales():
    """The two content locales, created when missing."""
    return {code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES}


def paragraphs(*texts):
    """A StreamField value of plain paragraphs, in the raw form StreamField accepts."""
    return [{"type": "paragraph", "value": f"<p>{text}</p>"} for text in texts]


def _comparable(field, value):
    if isinstance(field, StreamField):
        return _without_block_ids(json.loads(json.dumps(field.get_prep_value(field.to_python(value)), default=str)))
    return value


def _without_block_ids(data):
    # Block ids are fresh UUIDs each time a raw value is parsed; they say nothing about the content.
    if isinstance(data, list):
        return [_without_block_ids(item) for item in data]
    if isinstance(data, dict):
        return {key: _without_block_ids(item) for key, item in data.items() if key != "id"}
    return data


def _apply(page, fields):
    """Set the fields on the page; True when any of them changed."""
    changed = False
    for name, value in fields.items():
        field = page._meta.get_field(name)
        before = _comparable(field, field.value_from_object(page))
        setattr(page, name, value)
        if _comparable(field, field.value_from_object(page)) != before:
            changed = True
    return changed


def _publish(page, changed):
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()
        # publish() saves a copy made from the revision; bring this instance up to date with it.
        page.refresh_from_db()


def _ensure_in_locale(parent, model, slug, locale, fields, translation_of=None):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, locale=locale, **fields)
        if translation_of is not None:
            page.translation_key = translation_of.translation_key
        parent.add_child(instance=page)
        _publish(page, changed=True)
        return page
    _publish(page, _apply(page, fields))
    return page


@transaction.atomic
def ensure_page(parent_by_lang, model, slug, fields_by_lang):
    """Create or update a zh-Hant page under parent_by_lang["zh-hant"] and its English translation under
    parent_by_lang["en"]; both are published. Returns {"zh-hant": page, "en": page}."""
    locale_by_code = locales()
    zh = _ensure_in_locale(
        parent_by_lang["zh-hant"], model, slug, locale_by_code["zh-hant"], fields_by_lang["zh-hant"]
    )
    en = _ensure_in_locale(
        parent_by_lang["en"], model, slug, locale_by_code["en"], fields_by_lang["en"], translation_of=zh
    )
    return {"zh-hant": zh, "en": en}


HOME_FIELDS = {
    "zh-hant": {
        "title": "國際教育專業知能認證",
        "hero_title": "成為具國際視野的中小學教師",
        "hero_text": (
            "依據教育部《中小學國際教育白皮書》，本平臺提供國際教育專業知能認證課程、研習及工作坊、"
            "專業社群網絡與國際教育專家資料庫。完成課程與研習時數，即可取得具數位簽章的專業知能證書。"
        ),
        "hero_cta_label": "認識認證制度",
    },
    "en": {
        "title": "International Education Professional Competency Certification",
        "hero_title": "Bring the world into your classroom",
        "hero_text": (
            "Following the Ministry of Education's White Paper on International Education for Primary and "
            "Secondary Schools, IE Academy offers the certification course, workshops, professional community "
            "networks and the international-education expert database. Complete the courses and workshop hours "
            "and receive a digitally signed professional competency certificate."
        ),
        "hero_cta_label": "How certification works",
    },
}


@transaction.atomic
def home_pages():
    """The zh-Hant home page (the default site's root) and its English translation, created when missing."""
    locale_by_code = locales()
    root = Page.get_first_root_node()
    zh = HomePage.objects.child_of(root).filter(locale=locale_by_code["zh-hant"]).first()
    if zh is None:
        zh = _ensure_in_locale(root, HomePage, "home-zh-hant", locale_by_code["zh-hant"], HOME_FIELDS["zh-hant"])
    site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True, hostname="localhost")
    if site.root_page_id != zh.pk:
        site.root_page = zh
        site.save()
    # Wagtail's installation leaves a "Welcome to your new Wagtail site!" page; nobody should land on it.
    Page.objects.child_of(root).filter(content_type__model="page", content_type__app_label="wagtailcore").exclude(
        sites_rooted_here__isnull=False
    ).delete()
    en = zh.get_translation_or_none(locale_by_code["en"])
    if en is None:
        en = _ensure_in_locale(root, HomePage, "home-en", locale_by_code["en"], HOME_FIELDS["en"], translation_of=zh)
    return {"zh-hant": zh.specific, "en": en.specific}


ABOUT_FIELDS = {
    "zh-hant": {
        "title": "關於認證",
        "show_in_menus": True,
        "introduction": "國際教育專業知能認證是教育部為中小學教師與行政人員規劃的專業成長途徑。",
        "body": paragraphs(
            "《中小學國際教育白皮書》第四章「國際教育教師專業成長計畫」規劃國際教育專業知能認證課程，"
            "鼓勵教師參加研習取得專業知能證書，並輔導建立國際教育專業社群網絡。",
            "認證分為初階與進階：完成指定的線上課程、達到最低研習時數與測驗成績後，"
            "系統會自動審核資格並核發證書；參與專業社群定期研習者，另可取得專業社群證書。",
            "每一張證書都是具數位簽章的 PDF，任何人都可以在「證書查驗」頁面以證書編號、QR Code "
            "或上傳 PDF 檔案確認其真偽與效期。",
        ),
    },
    "en": {
        "title": "About the certification",
        "show_in_menus": True,
        "introduction": (
            "The international education professional competency certification is the Ministry of Education's "
            "path of professional growth for primary and secondary teachers and school administrators."
        ),
        "body": paragraphs(
            "Chapter 4 of the White Paper on International Education for Primary and Secondary Schools plans a "
            "certification course for international-education professional competency, encourages teachers to "
            "earn the professional competency certificate, and supports professional community networks.",
            "There are two levels, Beginner and Advanced. Once you have completed the required online courses and "
            "reached the minimum workshop hours and scores, your eligibility is checked automatically and your "
            "certificate is issued. Members who attend the regular sessions of a professional community can also "
            "earn the community certificate.",
            "Every certificate is a digitally signed PDF. Anyone can check that it is genuine and valid on the "
            "verification page, by its code, its QR code or by uploading the PDF.",
        ),
    },
}

HELP_FIELDS = {
    "zh-hant": {
        "title": "使用說明",
        "show_in_menus": True,
        "introduction": "帳號、課程、研習與證書的常見問題，以及本平臺的隱私權政策。",
    },
    "en": {
        "title": "Help",
        "show_in_menus": True,
        "introduction": "Questions about accounts, courses, workshops and certificates, and our privacy policy.",
    },
}

FAQ_FIELDS = {
    "zh-hant": {
        "title": "常見問題",
        "show_in_menus": True,
        "introduction": "註冊、上課與取得證書時最常遇到的問題。",
        "body": [
            {"type": "heading", "value": "誰可以參加認證課程？"},
            *paragraphs("全國公私立國民小學、國民中學、高級中等學校及職業學校的教師與行政人員皆可免費註冊參加。"),
            {"type": "heading", "value": "證書上的姓名從哪裡來？"},
            *paragraphs("證書依您在「我的資料」中填寫的中文與英文姓名印製，請在申請證書前確認無誤。"),
            {"type": "heading", "value": "研習時數如何計算？"},
            *paragraphs("線上課程依課程公告的時數計算；實體研習及工作坊依講師登錄的出席紀錄計算。"),
            {"type": "heading", "value": "如何確認一張證書是真的？"},
            *paragraphs("在「證書查驗」頁面輸入證書編號、掃描證書上的 QR Code，或上傳證書 PDF 檔即可。"),
        ],
    },
    "en": {
        "title": "Frequently asked questions",
        "show_in_menus": True,
        "introduction": "What people ask most about signing up, studying and earning a certificate.",
        "body": [
            {"type": "heading", "value": "Who can take the certification course?"},
            *paragraphs(
                "Teachers and administrators of any public or private elementary, junior high, senior high or "
                "vocational high school in Taiwan can sign up free of charge."
            ),
            {"type": "heading", "value": "Where do the names on my certificate come from?"},
            *paragraphs(
                "Certificates print the Chinese and English names you enter in My profile. Please check them "
                "before you become eligible."
            ),
            {"type": "heading", "value": "How are study hours counted?"},
            *paragraphs(
                "Online courses count the hours announced for the course; workshops count the attendance the "
                "trainer records."
            ),
            {"type": "heading", "value": "How can I tell that a certificate is genuine?"},
            *paragraphs(
                "On the verification page, enter the certificate code, scan the QR code printed on it, or upload "
                "the certificate's PDF."
            ),
        ],
    },
}

PRIVACY_FIELDS = {
    "zh-hant": {
        "title": "隱私權政策",
        "show_in_menus": True,
        "introduction": "我們只蒐集辦理認證所需的個人資料，並依《個人資料保護法》妥善保管。",
        "body": paragraphs(
            "我們蒐集您的電子郵件、中英文姓名、服務學校、學制、縣市及任教領域，用於辦理課程、研習與證書核發。",
            "學習紀錄與出席紀錄僅供您本人、授課講師及認證管理人員查閱；證書查驗頁面只顯示證書上已印製的資訊。",
            "您可以隨時在「我的資料」更正個人資料；如需刪除帳號，請與我們聯絡。",
        ),
    },
    "en": {
        "title": "Privacy policy",
        "show_in_menus": True,
        "introduction": (
            "We collect only the personal data needed to run the certification and keep it under Taiwan's "
            "Personal Data Protection Act."
        ),
        "body": paragraphs(
            "We collect your e-mail address, your names in Chinese and English, your school, school level, "
            "county or city and subject area, to run courses and workshops and to issue certificates.",
            "Your learning and attendance records are seen only by you, your trainers and the certification "
            "administrators; the verification page shows only what is printed on the certificate.",
            "You can correct your data at any time in My profile; to delete your account, contact us.",
        ),
    },
}

NEWS_INDEX_FIELDS = {
    "zh-hant": {
        "title": "最新消息",
        "show_in_menus": True,
        "introduction": "國際教育資訊網：認證課程、研習、工作坊與專業社群的最新公告。",
    },
    "en": {
        "title": "News",
        "show_in_menus": True,
        "introduction": (
            "The international education information network: announcements about the certification course, "
            "workshops and professional communities."
        ),
    },
}

# From chapter 4 of the white paper: the Ministry's teacher professional growth plan and information network.
NEWS = [
    (
        "certification-course-opens",
        datetime.date(2026, 9, 1),
        {
            "title": "國際教育專業知能認證課程開放報名",
            "summary": "初階認證課程線上模組已上線，完成課程與研習時數即可取得專業知能證書。",
            "body": paragraphs(
                "依據白皮書「國際教育教師專業成長計畫」，教育部規劃國際教育專業知能認證課程，"
                "並鼓勵教師參加研習取得專業知能證書。",
                "初階課程包含國際教育概論、國際議題融入課程與跨文化溝通三門線上課程，歡迎全國中小學教師註冊參加。",
            ),
        },
        {
            "title": "Registration opens for the certification course",
            "summary": (
                "The online modules of the Beginner course are live: complete the courses and workshop hours to "
                "earn the professional competency certificate."
            ),
            "body": paragraphs(
                "Under the white paper's teacher professional growth plan, the Ministry of Education set up the "
                "certification course for international-education professional competency and encourages "
                "teachers to earn the professional competency certificate.",
                "The Beginner level has three online courses: an introduction to international education, bringing "
                "global issues into the curriculum, and intercultural communication. Every primary and secondary "
                "school teacher is welcome.",
            ),
        },
    ),
    (
        "autumn-workshops",
        datetime.date(2026, 9, 15),
        {
            "title": "秋季國際教育專業知能研習及工作坊",
            "summary": "北、中、南、東四區將辦理實體工作坊，強化在職教師國際教育專業素養與實務能力。",
            "body": paragraphs(
                "為強化在職教師國際教育專業素養與實務能力，本學期於臺北、臺中、高雄及花蓮辦理研習及工作坊。",
                "出席時數由講師登錄後，將自動計入認證所需的研習時數。",
            ),
        },
        {
            "title": "Autumn workshops on international education",
            "summary": (
                "In-person workshops in the north, centre, south and east strengthen serving teachers' "
                "international-education competency and practice."
            ),
            "body": paragraphs(
                "This term we hold workshops in Taipei, Taichung, Kaohsiung and Hualien to strengthen serving "
                "teachers' professional competency and practice in international education.",
                "The hours you attend are recorded by the trainer and count automatically towards certification.",
            ),
        },
    ),
    (
        "community-networks",
        datetime.date(2026, 10, 1),
        {
            "title": "國際教育專業社群網絡招募成員",
            "summary": "加入專業社群、參與定期研習活動，可取得國際教育專業社群證書。",
            "body": paragraphs(
                "白皮書鼓勵學校參加國際教育專業社群網絡，培訓校內國際教育行政支援團隊人力。",
                "各區社群每月辦理定期研習，出席紀錄將計入專業社群證書的申請條件。",
            ),
        },
        {
            "title": "Professional community networks welcome new members",
            "summary": (
                "Join a professional community and attend its regular sessions to earn the international "
                "education community certificate."
            ),
            "body": paragraphs(
                "The white paper encourages schools to join the international-education professional community "
                "networks and to train their own international-education support teams.",
                "Each regional community meets monthly; attendance counts towards the community certificate.",
            ),
        },
    ),
    (
        "expert-database",
        datetime.date(2026, 10, 20),
        {
            "title": "國際教育專家資料庫正式上線",
            "summary": "學校可依專長領域、語言與地區查詢國際教育專家，取得證書的教師也可申請列名。",
            "body": paragraphs(
                "依白皮書「建置國際教育專業知能認證課程資訊網及國際教育專家資料庫」的規劃，專家資料庫正式上線。",
                "已取得專業知能證書的教師，可在個人頁面選擇公開列名，分享國際教育實務經驗。",
            ),
        },
        {
            "title": "The international-education expert database is live",
            "summary": (
                "Schools can search experts by area of expertise, language and region; certified teachers can "
                "choose to be listed."
            ),
            "body": paragraphs(
                "As the white paper plans an information website for the certification course and an "
                "international-education expert database, the expert directory is now open.",
                "Teachers who hold the professional competency certificate can choose to be listed and share their "
                "experience.",
            ),
        },
    ),
    (
        "curriculum-integration-training",
        datetime.date(2026, 11, 5),
        {
            "title": "國際議題融入課程教師培訓",
            "summary": "研發國際議題融入各領域的教學模式與策略，辦理國際教育融入課程教師培訓。",
            "body": paragraphs(
                "「國際教育課程發展計畫」將依國小、國中、高中職等教育階段，研發國際議題融入各科／領域的教學模式與策略。",
                "培訓課程將示範資訊科技與網路資源融入國際教育教學的做法。",
            ),
        },
        {
            "title": "Training on bringing global issues into the curriculum",
            "summary": (
                "Teaching models and strategies for bringing global issues into every subject, and training for "
                "the teachers who use them."
            ),
            "body": paragraphs(
                "The curriculum development plan develops, for elementary, junior high and senior high schools, "
                "models and strategies for bringing global issues into every subject and learning area.",
                "The training shows how information technology and online resources support teaching international "
                "education.",
            ),
        },
    ),
    (
        "overseas-study-visits",
        datetime.date(2026, 11, 20),
        {
            "title": "中小學國際教育海外參訪計畫說明會",
            "summary": "遴選教師及教育行政人員赴海外參訪，返國後辦理心得分享與研討活動。",
            "body": paragraphs(
                "「國際教育海外參訪計畫」將遴選教師及教育行政人員，分高中、高職、國中、國小梯次赴海外參訪。",
                "參訪後將辦理心得分享與研討活動，彙編傳承海外參訪的知識與經驗。",
            ),
        },
        {
            "title": "Information session: overseas study visits",
            "summary": (
                "Teachers and education administrators are selected for overseas study visits and share what "
                "they learnt when they return."
            ),
            "body": paragraphs(
                "The overseas study visit plan selects teachers and education administrators for visits abroad, in "
                "groups for senior high, vocational high, junior high and elementary schools.",
                "After each visit, participants share their findings in seminars, and the knowledge is compiled "
                "for those who follow.",
            ),
        },
    ),
]

ORGANISATION = {
    "name_zh": "教育部國際教育專業知能認證中心",
    "name_en": "Ministry of Education International Education Certification Centre",
    "address": "100217 臺北市中正區中山南路 5 號",
    "email": "service@ie-academy.tw",
    "phone": "+886-2-7736-6666",
}


def load(stdout):
    homes = home_pages()
    about = ensure_page(homes, StandardPage, "about", ABOUT_FIELDS)
    for code in LANGUAGES:
        home = homes[code]
        _publish(home, _apply(home, {**HOME_FIELDS[code], "hero_cta_page": about[code]}))
    news_index = ensure_page(homes, NewsIndexPage, "news", NEWS_INDEX_FIELDS)
    for slug, date, zh_fields, en_fields in NEWS:
        ensure_page(
            news_index, NewsPage, slug, {"zh-hant": {**zh_fields, "date": date}, "en": {**en_fields, "date": date}}
        )
    help_pages = ensure_page(homes, StandardPage, "help", HELP_FIELDS)
    ensure_page(help_pages, StandardPage, "faq", FAQ_FIELDS)
    ensure_page(help_pages, StandardPage, "privacy", PRIVACY_FIELDS)
    OrganisationSettings.objects.update_or_create(site=Site.objects.get(is_default_site=True), defaults=ORGANISATION)
    stdout.write(f"Home: home, about, news ({len(NEWS)} items) and help pages in {' and '.join(LANGUAGES)}.")
