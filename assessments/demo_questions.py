"""Thirty-four questions on chapter 4 of the white paper (「中小學國際教育推動計畫」), in zh-Hant and English.

Each question is a dict: ``type``, ``name``, ``zh`` and ``en`` (the question), and per type ``options`` (for choices
and short answers ``(zh, en, fraction)``; for matching ``(zh, en, match_zh, match_en)``; for ordering ``(zh, en)``
in the right order; for numbers ``(value, tolerance, fraction)``), ``true`` for true/false, ``feedback`` (zh, en).
"""

MINISTRY = ("教育部", "The Ministry of Education")
AUTHORITIES = ("各主管教育行政機關及學校", "The competent education authorities and the schools")

QUESTIONS = [
    {
        "type": "single_choice",
        "name": "Centre plan: who carries it out",
        "zh": "「國際教育中心計畫」的執行機關是？",
        "en": "Who carries out the International Education Centre plan?",
        "options": [(*MINISTRY, 1), (*AUTHORITIES, 0), ("各師資培育大學", "The teacher-education universities", 0)],
        "feedback": (
            "第二節的六項計畫皆由教育部執行。",
            "All six plans of section 2 are carried out by the Ministry.",
        ),
    },
    {
        "type": "single_choice",
        "name": "School exchange plan: who carries it out",
        "zh": "「學校辦理國際交流計畫」的執行機關是？",
        "en": "Who carries out the plan for schools to run international exchanges?",
        "options": [(*AUTHORITIES, 1), (*MINISTRY, 0), ("國際教育中心", "The International Education Centre", 0)],
        "feedback": (
            "學校層級的計畫由各主管教育行政機關及學校執行。",
            "School-level plans are run by the authorities and schools.",
        ),
    },
    {
        "type": "single_choice",
        "name": "Exchange plan: funding",
        "zh": "學校辦理國際交流計畫的經費如何籌措？",
        "en": "How is the school international exchange plan funded?",
        "options": [
            (
                "教育部與主管教育行政機關共同籌集經費",
                "The Ministry and the competent authorities raise the funds together",
                1,
            ),
            ("完全由學校自籌", "Entirely by the schools themselves", 0),
            ("完全由家長負擔", "Entirely by parents", 0),
        ],
    },
    {
        "type": "numeric",
        "name": "Exchange plan: number of funded items",
        "zh": "「學校辦理國際交流計畫」列出幾項補助項目？（請填數字）",
        "en": "How many funded items does the school international exchange plan list? (a number)",
        "options": [("12", "0", 1)],
    },
    {
        "type": "multiple_response",
        "name": "Exchange plan: funded items",
        "zh": "下列哪些是「學校辦理國際交流計畫」的補助項目？（複選）",
        "en": "Which of these are funded items of the school international exchange plan? (choose all)",
        "options": [
            ("英語村", "English villages", 0.25),
            ("姊妹校交流活動", "Sister-school exchanges", 0.25),
            ("國際志工服務", "International volunteer service", 0.25),
            ("國際師生交換", "International exchanges of pupils and teachers", 0.25),
            ("興建校舍", "Building new classrooms", -0.5),
        ],
    },
    {
        "type": "true_false",
        "name": "Exchange plan: international online exchanges",
        "zh": "參與國際網路交流計畫屬於學校辦理國際交流計畫的補助項目。",
        "en": "Taking part in international online exchange projects is a funded item of the school exchange plan.",
        "true": True,
    },
    {
        "type": "true_false",
        "name": "Exchange plan: one-way",
        "zh": "學校辦理國際交流計畫補助的是單向的出國參訪活動。",
        "en": "The school exchange plan funds one-way visits abroad.",
        "true": False,
        "feedback": ("計畫目的為補助中小學進行「雙向」的國際交流活動。", "It funds two-way international exchanges."),
    },
    {
        "type": "short_answer",
        "name": "Exchange plan: English immersion item",
        "zh": "國際交流計畫第十項補助項目是什麼？（三個字）",
        "en": "What is the tenth funded item of the exchange plan? (two words)",
        "options": [("英語村", "English village", 1), ("", "English villages", 1)],
    },
    {
        "type": "single_choice",
        "name": "Teacher growth at school: certificate",
        "zh": "依「學校辦理教師專業成長計畫」，參加國際教育專業社群網絡可取得哪一種證書？",
        "en": "Under the school teacher growth plan, which certificate does joining a professional community network "
        "lead to?",
        "options": [
            ("國際教育專業社群證書", "The international education professional community certificate", 1),
            ("教師資格證書", "The teaching licence", 0),
            ("外語能力證書", "A foreign-language certificate", 0),
        ],
    },
    {
        "type": "numeric",
        "name": "School internationalisation: number of items",
        "zh": "「學校辦理學校國際化計畫」列出幾個補助項目（面向）？",
        "en": "How many funded items (dimensions) does the school internationalisation plan list?",
        "options": [("6", "0", 1)],
    },
    {
        "type": "matching",
        "name": "School internationalisation: dimensions",
        "zh": "將學校國際化的面向與其內容配對。",
        "en": "Match each dimension of school internationalisation with what it includes.",
        "options": [
            (
                "人力國際化",
                "Staff",
                "成立專責單位、建置行政支援系統",
                "A dedicated unit and an administrative support system",
            ),
            (
                "行政國際化",
                "Administration",
                "開發行政與教學之雙語表單",
                "Bilingual administrative and teaching forms",
            ),
            ("校園國際化", "Campus", "營造雙語學習環境", "A bilingual learning environment"),
            ("國際夥伴關係", "Partnerships", "辦理校際國際交流活動", "Exchanges between schools"),
        ],
    },
    {
        "type": "single_choice",
        "name": "School internationalisation: host families",
        "zh": "「建置接待家庭網絡」屬於學校國際化的哪一個面向？",
        "en": "To which dimension of school internationalisation does building a host-family network belong?",
        "options": [
            ("行政國際化", "Administration", 1),
            ("課程國際化", "Curriculum", 0),
            ("校園國際化", "Campus", 0),
            ("學習國際化", "Learning", 0),
        ],
    },
    {
        "type": "multiple_response",
        "name": "School internationalisation: learning",
        "zh": "下列哪些屬於「學習國際化」？（複選）",
        "en": "Which of these belong to internationalising learning? (choose all)",
        "options": [
            ("調整教學方式", "Adapting teaching methods", 0.25),
            ("運用資訊及科技輔助教學設備", "Using ICT to support teaching", 0.25),
            ("發展跨國文化學習機會", "Developing cross-cultural learning opportunities", 0.25),
            ("培養學生自主學習能力", "Building pupils' autonomous learning", 0.25),
            ("成立專責單位", "Setting up a dedicated unit", -0.5),
        ],
    },
    {
        "type": "true_false",
        "name": "Curriculum internationalisation: clubs",
        "zh": "透過選課及社團推展國際時勢學習，屬於課程國際化。",
        "en": "Promoting learning about world affairs through electives and clubs is part of curriculum "
        "internationalisation.",
        "true": True,
    },
    {
        "type": "cloze",
        "name": "School internationalisation: purpose (cloze)",
        "zh": "學校國際化計畫的目的，是配合各校國際教育的推動重點，以及課程融入、{1:MC:課程評量~=國際交流~體育競賽}、"
        "教師專業成長的特色，從學校{1:MC:=軟硬體~經費~招生}營造國際化的學習環境。",
        "en": "The school internationalisation plan builds on curriculum integration, {1:MC:assessment~"
        "=international exchange~sports contests} and teacher growth to create an international learning "
        "environment through the school's {1:MC:=software and hardware~budget~admissions}.",
    },
    {
        "type": "single_choice",
        "name": "Centre plan: purpose",
        "zh": "下列何者「不是」國際教育中心計畫的目的？",
        "en": "Which of these is NOT a purpose of the International Education Centre plan?",
        "options": [
            ("直接核發學生畢業證書", "Issuing pupils' graduation diplomas", 1),
            ("進度管控及績效評估", "Monitoring progress and evaluating performance", 0),
            ("行政支援與諮詢", "Administrative support and advice", 0),
            ("宣導與推廣", "Promotion and outreach", 0),
        ],
    },
    {
        "type": "numeric",
        "name": "Centre plan: number of work items",
        "zh": "國際教育中心計畫列出幾項工作項目？",
        "en": "How many work items does the International Education Centre plan list?",
        "options": [("7", "0", 1)],
    },
    {
        "type": "true_false",
        "name": "Centre plan: excellence award",
        "zh": "協助規劃及辦理國際教育績優獎計畫，是國際教育中心計畫的工作項目之一。",
        "en": "Helping to plan and run the excellence award is one of the work items of the Centre plan.",
        "true": True,
    },
    {
        "type": "single_choice",
        "name": "Teacher growth plan: assistants",
        "zh": "依「國際教育教師專業成長計畫」，招募新移民、外國學生、僑生等加以培訓，擔任什麼角色？",
        "en": "Under the teacher professional growth plan, new immigrants, foreign and overseas Chinese students are "
        "recruited and trained to serve as what?",
        "options": [
            (
                "外語教學助理或國際教育助理",
                "Foreign-language teaching assistants or international education assistants",
                1,
            ),
            ("學校校長", "Head teachers", 0),
            ("教育行政主管", "Education administrators", 0),
        ],
    },
    {
        "type": "multiple_response",
        "name": "Teacher growth plan: work items",
        "zh": "下列哪些是「國際教育教師專業成長計畫」的工作項目？（複選）",
        "en": "Which of these are work items of the teacher professional growth plan? (choose all)",
        "options": [
            ("規劃國際教育專業知能認證課程", "Planning the professional competency certification course", 1 / 3),
            ("建置國際教育專家資料庫", "Building the database of international education experts", 1 / 3),
            ("協調師資培育大學開設國際教育相關課程", "Asking teacher-education universities to offer courses", 1 / 3),
            ("研發國際教育資源手冊", "Writing international education resource handbooks", -1 / 3),
        ],
        "feedback": ("資源手冊屬於課程發展計畫。", "Resource handbooks belong to the curriculum development plan."),
    },
    {
        "type": "true_false",
        "name": "Teacher growth plan: holidays",
        "zh": "教師專業成長計畫建立獎勵措施，鼓勵校長與教師利用寒暑假進行國際交流與專業研習。",
        "en": "The teacher growth plan rewards head teachers and teachers who use school holidays for exchanges and "
        "professional training.",
        "true": True,
    },
    {
        "type": "short_answer",
        "name": "Overseas visits plan: who is selected",
        "zh": "「國際教育海外參訪計畫」遴選教師及哪一類人員赴海外參訪？",
        "en": "Besides teachers, who is selected for visits abroad under the overseas visits plan?",
        "options": [
            ("教育行政人員", "education administrators", 1),
            ("行政人員", "administrators", 0.5),
            ("教育行政人員*", "education administration staff", 1),
        ],
    },
    {
        "type": "ordering",
        "name": "Overseas visits plan: cycle",
        "zh": "依海外參訪計畫的工作項目，將一次海外參訪的流程排序。",
        "en": "Put the overseas visit work items in the order of a visit.",
        "options": [
            ("規劃海外參訪活動", "Plan the visits"),
            ("辦理海外參訪", "Run the visits"),
            ("辦理參訪後之心得分享與研討", "Share and discuss what was learnt"),
            ("檢討與改進參訪方式", "Review and improve how visits are run"),
        ],
    },
    {
        "type": "single_choice",
        "name": "Curriculum plan: indicators",
        "zh": "研訂各階段中小學國際教育能力指標，屬於哪一項計畫？",
        "en": "Setting competence indicators for each school stage belongs to which plan?",
        "options": [
            ("國際教育課程發展計畫", "The curriculum development plan", 1),
            ("國際教育資訊網計畫", "The information network plan", 0),
            ("國際教育績優獎計畫", "The excellence award plan", 0),
        ],
    },
    {
        "type": "true_false",
        "name": "Curriculum plan: ICT",
        "zh": "研發資訊科技與網路資源融入國際教育教學的模式與策略，是課程發展計畫的工作項目。",
        "en": "Developing ways to bring ICT and online resources into international education teaching is a work item "
        "of the curriculum development plan.",
        "true": True,
    },
    {
        "type": "single_choice",
        "name": "Information network plan: purpose",
        "zh": "「國際教育資訊網計畫」的目的為何？",
        "en": "What is the purpose of the information network plan?",
        "options": [
            (
                "建置及維護國際教育資訊平臺",
                "Building and maintaining the international education information platform",
                1,
            ),
            ("補助學生出國留學", "Funding pupils to study abroad", 0),
            ("評選績優學校", "Choosing outstanding schools", 0),
        ],
    },
    {
        "type": "numeric",
        "name": "Excellence award plan: work items",
        "zh": "「國際教育績優獎計畫」列出幾項工作項目？",
        "en": "How many work items does the excellence award plan list?",
        "options": [("4", "0", 1)],
    },
    {
        "type": "matching",
        "name": "Ministry plans and their work",
        "zh": "將教育部的計畫與其工作配對。",
        "en": "Match each Ministry plan with one of its work items.",
        "options": [
            (
                "國際教育資訊網計畫",
                "Information network plan",
                "建置中小學國際教育資料庫",
                "Build the international education database",
            ),
            ("國際教育績優獎計畫", "Excellence award plan", "辦理績優獎之頒獎活動", "Hold the award ceremony"),
            (
                "國際教育課程發展計畫",
                "Curriculum development plan",
                "研發各階段資源手冊",
                "Write resource handbooks for each stage",
            ),
            ("國際教育海外參訪計畫", "Overseas visits plan", "彙編海外參訪知識與經驗", "Compile what visits taught"),
        ],
    },
    {
        "type": "numeric",
        "name": "Expected results: years",
        "zh": "教育部期望經過幾年的耕耘與努力，獲致白皮書所列的成果？",
        "en": "After how many years of work does the Ministry expect the results the white paper lists?",
        "options": [("10", "0", 1)],
    },
    {
        "type": "multiple_response",
        "name": "Expected results",
        "zh": "下列哪些是白皮書期望的成果？（複選）",
        "en": "Which of these are results the white paper expects? (choose all)",
        "options": [
            ("加速國際接軌的腳步", "Faster connection with the world", 1 / 3),
            ("孕育和諧多元文化社會", "A harmonious multicultural society", 1 / 3),
            ("提升新世代人才品質", "Better-prepared new generations", 1 / 3),
            ("縮短國民義務教育年限", "Shorter compulsory education", -1 / 3),
        ],
    },
    {
        "type": "short_answer",
        "name": "Expected results: multicultural Taiwan",
        "zh": "國際教育扎根政策要堅實奠定哪一個社會多元文化穩定發展的基礎？",
        "en": "Whose multicultural society is the policy meant to give a firm foundation?",
        "options": [("臺灣", "Taiwan", 1), ("台灣", "Taiwan's", 1)],
        "feedback": ("「臺」與「台」皆可。", "Both 臺 and 台 are accepted."),
    },
    {
        "type": "cloze",
        "name": "Expected results: competitiveness (cloze)",
        "zh": "國際教育扎根政策將強化學生的國際知識、技能與{1:SA:=國家使命感}，"
        "大幅提昇新世紀國民的{1:SA:=國際競爭力}。",
        "en": "The policy strengthens pupils' international knowledge, skills and {1:SA:=sense of national mission} "
        "and raises citizens' {1:SA:=international competitiveness}.",
    },
    {
        "type": "true_false",
        "name": "Section 2 direction",
        "zh": "第二節「教育部協助及支援計畫」是由上而下推動的計畫。",
        "en": "The Ministry's support plans of section 2 are driven from the top down.",
        "true": True,
    },
    {
        "type": "essay",
        "name": "Essay: a school exchange plan",
        "zh": "請為你的學校規劃一項國際交流活動，說明它屬於哪一個補助項目、預期目標，以及如何與課程連結。",
        "en": "Plan an international exchange for your school: which funded item it falls under, its aims, and how it "
        "links to the curriculum.",
        "rubric": (
            "指出正確的補助項目（2 分）；目標具體（4 分）；與課程連結清楚（4 分）。",
            "Names the right funded item (2); concrete aims (4); a clear link to the curriculum (4).",
        ),
    },
]
