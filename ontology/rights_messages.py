"""The rights reason's messages in the five interface languages (uz in Latin, kk, ru, en, fr): data only.

`rights_text` fills and joins them. Every message exists in every language (a
test checks). Placeholders: `{death}`, `{birth}`, `{year}`, `{bound}`… are the
clause's facts; `{in}` / `{of}` a country in the form the sentence needs;
`{rule}` one of `RULES`; `{quote}` the source's own words.
"""
from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("uz", "kk", "ru", "en", "fr")

# Country names as the sentences use them: "in" (where it is public domain) and "of" (whose law).
COUNTRY_IN: dict[str, dict[str, str]] = {
    "KZ": {"en": "in Kazakhstan", "ru": "в Казахстане", "kk": "Қазақстанда", "uz": "Qozogʻistonda", "fr": "au Kazakhstan"},
    "UZ": {"en": "in Uzbekistan", "ru": "в Узбекистане", "kk": "Өзбекстанда", "uz": "Oʻzbekistonda", "fr": "en Ouzbékistan"},
    "RU": {"en": "in Russia", "ru": "в России", "kk": "Ресейде", "uz": "Rossiyada", "fr": "en Russie"},
    "FR": {"en": "in France", "ru": "во Франции", "kk": "Францияда", "uz": "Fransiyada", "fr": "en France"},
    "US": {"en": "in the United States", "ru": "в США", "kk": "АҚШ-та", "uz": "AQShda", "fr": "aux États-Unis"},
}
COUNTRY_OF: dict[str, dict[str, str]] = {
    "KZ": {"en": "Kazakhstan", "ru": "Казахстана", "kk": "Қазақстан", "uz": "Qozogʻiston", "fr": "du Kazakhstan"},
    "UZ": {"en": "Uzbekistan", "ru": "Узбекистана", "kk": "Өзбекстан", "uz": "Oʻzbekiston", "fr": "de l'Ouzbékistan"},
    "RU": {"en": "Russia", "ru": "России", "kk": "Ресей", "uz": "Rossiya", "fr": "de la Russie"},
    "FR": {"en": "France", "ru": "Франции", "kk": "Франция", "uz": "Fransiya", "fr": "de la France"},
    "US": {"en": "the United States", "ru": "США", "kk": "АҚШ", "uz": "AQSh", "fr": "des États-Unis"},
}

# How a term is counted, as the "(…)" at the end of a result: "{n}" is the number of years.
RULES: dict[str, dict[str, str]] = {
    "life": {"en": "life + {n}", "ru": "жизнь автора + {n} {ru_years}", "kk": "автордың өмірі + {n} жыл",
             "uz": "muallif umri + {n} yil", "fr": "vie de l'auteur + {n} ans"},
    "publication": {"en": "{n} years from publication", "ru": "{n} {ru_years} с обнародования",
                    "kk": "жарияланғаннан кейін {n} жыл", "uz": "eʼlon qilinganidan keyin {n} yil",
                    "fr": "{n} ans après la publication"},
    "creation": {"en": "{n} years from creation", "ru": "{n} {ru_years} с создания", "kk": "жасалғаннан кейін {n} жыл",
                 "uz": "yaratilganidan keyin {n} yil", "fr": "{n} ans après la création"},
    "rehabilitation": {"en": "rehabilitation + {n}", "ru": "реабилитация + {n} {ru_years}",
                       "kk": "ақталған жылдан бастап {n} жыл", "uz": "oqlangan yildan boshlab {n} yil",
                       "fr": "réhabilitation + {n} ans"},
}

# "{basis}: {result}." — French puts a space before the colon.
JOIN: dict[str, str] = {"en": "{0}: {1}.", "ru": "{0}: {1}.", "kk": "{0}: {1}.", "uz": "{0}: {1}.", "fr": "{0} : {1}."}
QUOTE: dict[str, str] = {"en": "“{0}”", "ru": "«{0}»", "kk": "«{0}»", "uz": "«{0}»", "fr": "« {0} »"}

_BOUND = {"en": "(no one lives past 125)", "ru": "(никто не живёт дольше 125 лет)",
          "kk": "(ешкім 125 жастан асып өмір сүрмейді)", "uz": "(hech kim 125 yoshdan ortiq yashamaydi)",
          "fr": "(personne ne vit plus de 125 ans)"}
_REVIEW = {"en": "a curator will review it", "ru": "решение будет проверено куратором",
           "kk": "шешімді куратор тексереді", "uz": "qarorni kurator tekshiradi",
           "fr": "un conservateur vérifiera cette décision"}
_UNTIL = {"en": "restricted until a curator checks it", "ru": "доступ ограничен до проверки куратором",
          "kk": "куратор тексергенге дейін пайдалану шектеледі", "uz": "kurator tekshirguncha foydalanish cheklangan",
          "fr": "accès restreint jusqu'à vérification par un conservateur"}
_ART_1281 = {"en": "Civil Code of the Russian Federation, art. 1281(5)", "ru": "ГК РФ, ст. 1281, п. 5",
             "kk": "РФ Азаматтық кодексі, 1281-бап, 5-тармақ", "uz": "RF Fuqarolik kodeksi, 1281-modda, 5-band",
             "fr": "Code civil russe, art. 1281, al. 5"}

# Bases: what the term is counted from (the part before the colon).
BASES: dict[str, dict[str, str]] = {
    "died": {
        "en": "Author died {death}", "ru": "Год смерти автора — {death}", "kk": "Автор {death} жылы қайтыс болған",
        "uz": "Muallif {death}-yilda vafot etgan", "fr": "Décès de l'auteur en {death}"},
    "died_last": {
        "en": "The last surviving author died {death}", "ru": "Год смерти последнего из соавторов — {death}",
        "kk": "Тең авторлардың ең соңғысы {death} жылы қайтыс болған",
        "uz": "Hammualliflarning eng soʻnggisi {death}-yilda vafot etgan",
        "fr": "Décès du dernier coauteur survivant en {death}"},
    "born_bound": {
        "en": "Author born {birth}, death year unknown, so died by {bound} at the latest " + _BOUND["en"],
        "ru": "Год рождения автора — {birth}, год смерти неизвестен, следовательно, смерть наступила не позднее "
              "{bound} года " + _BOUND["ru"],
        "kk": "Автор {birth} жылы туған, қайтыс болған жылы белгісіз, демек {bound} жылдан кешіктірмей қайтыс "
              "болған " + _BOUND["kk"],
        "uz": "Muallif {birth}-yilda tugʻilgan, vafot etgan yili nomaʼlum, demak, {bound}-yildan kechiktirmay vafot "
              "etgan " + _BOUND["uz"],
        "fr": "Naissance de l'auteur en {birth}, année de décès inconnue, donc décès au plus tard en {bound} "
              + _BOUND["fr"]},
    "date_bound": {
        "en": "An author's death year is unknown, but the work dates from {made}, so the author died by {bound} "
              "at the latest " + _BOUND["en"],
        "ru": "Год смерти автора неизвестен, но произведение датировано {made} годом, следовательно, смерть "
              "наступила не позднее {bound} года " + _BOUND["ru"],
        "kk": "Автордың қайтыс болған жылы белгісіз, бірақ шығарма {made} жылмен белгіленген, демек автор {bound} "
              "жылдан кешіктірмей қайтыс болған " + _BOUND["kk"],
        "uz": "Muallifning vafot etgan yili nomaʼlum, biroq asar {made}-yilga oid, demak, muallif {bound}-yildan "
              "kechiktirmay vafot etgan " + _BOUND["uz"],
        "fr": "L'année de décès d'un auteur est inconnue, mais l'œuvre date de {made}, donc décès au plus tard en "
              "{bound} " + _BOUND["fr"]},
    "nobody_bound": {
        "en": "No author is named, but the work dates from {made}, so whoever made it died by {bound} at the "
              "latest " + _BOUND["en"],
        "ru": "Автор не указан, но произведение датировано {made} годом, следовательно, его создатели умерли не "
              "позднее {bound} года " + _BOUND["ru"],
        "kk": "Автор көрсетілмеген, бірақ шығарма {made} жылмен белгіленген, демек оны жасағандар {bound} жылдан "
              "кешіктірмей қайтыс болған " + _BOUND["kk"],
        "uz": "Muallif koʻrsatilmagan, biroq asar {made}-yilga oid, demak, uni yaratganlar {bound}-yildan "
              "kechiktirmay vafot etgan " + _BOUND["uz"],
        "fr": "Aucun auteur n'est nommé, mais l'œuvre date de {made}, donc ses auteurs sont décédés au plus tard "
              "en {bound} " + _BOUND["fr"]},
    "rehabilitated": {
        "en": "Author died {death} and was rehabilitated in {rehab}; the term runs from rehabilitation",
        "ru": "Год смерти автора — {death}, год реабилитации — {rehab}; срок исчисляется с года реабилитации",
        "kk": "Автор {death} жылы қайтыс болған, {rehab} жылы ақталған; мерзім ақталған жылдан бастап есептеледі",
        "uz": "Muallif {death}-yilda vafot etgan va {rehab}-yilda oqlangan; muddat oqlangan yildan boshlab "
              "hisoblanadi",
        "fr": "Décès de l'auteur en {death}, réhabilitation en {rehab} ; la durée court à partir de la "
              "réhabilitation"},
    "anonymous": {
        "en": "Anonymous work published {pub}", "ru": "Анонимное произведение, обнародованное в {pub} году",
        "kk": "{pub} жылы жарияланған анонимді шығарма", "uz": "{pub}-yilda eʼlon qilingan anonim asar",
        "fr": "Œuvre anonyme publiée en {pub}"},
    "collective": {
        "en": "Collective work of an organisation, published {pub}",
        "ru": "Коллективное произведение организации, обнародованное в {pub} году",
        "kk": "{pub} жылы жарияланған ұйымның ұжымдық шығармасы",
        "uz": "{pub}-yilda eʼlon qilingan tashkilotning jamoaviy asari",
        "fr": "Œuvre collective publiée en {pub} sous le nom d'une personne morale"},
    "published": {
        "en": "Published {pub}", "ru": "Опубликовано в {pub} году", "kk": "{pub} жылы жарияланған",
        "uz": "{pub}-yilda nashr etilgan", "fr": "Publication en {pub}"},
    "posthumous": {
        "en": "Published {pub}, after the author's death in {death}, and counted as a first posthumous publication",
        "ru": "Опубликовано в {pub} году, после смерти автора в {death} году, и считается впервые обнародованным "
              "после смерти автора",
        "kk": "Автор {death} жылы қайтыс болғаннан кейін {pub} жылы жарияланған және автор қайтыс болғаннан кейін "
              "алғаш жарияланған шығарма ретінде есептеледі",
        "uz": "Muallif {death}-yilda vafot etganidan keyin {pub}-yilda nashr etilgan va muallif vafotidan keyin ilk "
              "bor eʼlon qilingan asar sifatida hisoblanadi",
        "fr": "Publication en {pub}, après le décès de l'auteur en {death}, comptée comme une première "
              "publication posthume"},
    "unpublished_nobody": {
        "en": "Unpublished work without a named author, made {made}",
        "ru": "Необнародованное произведение без указания автора, созданное в {made} году",
        "kk": "{made} жылы жасалған, авторы көрсетілмеген жарияланбаған шығарма",
        "uz": "{made}-yilda yaratilgan, muallifi koʻrsatilmagan nashr etilmagan asar",
        "fr": "Œuvre non publiée, sans auteur nommé, créée en {made}"},
}

# Results: what follows from the basis (after the colon); {in} is COUNTRY_IN, {rule} a RULES entry.
RESULTS: dict[str, dict[str, str]] = {
    "pd": {
        "en": "public domain {in} since 1 January {year} ({rule})",
        "ru": "общественное достояние {in} с 1 января {year} года ({rule})",
        "kk": "{in} {year} жылғы 1 қаңтардан бастап қоғамдық игілік ({rule})",
        "uz": "{in} {year}-yil 1-yanvardan boshlab jamoat mulki ({rule})",
        "fr": "domaine public {in} depuis le 1er janvier {year} ({rule})"},
    "pd_latest": {
        "en": "public domain {in} since 1 January {year} at the latest ({rule})",
        "ru": "общественное достояние {in} не позднее чем с 1 января {year} года ({rule})",
        "kk": "{in} {year} жылғы 1 қаңтардан кешіктірмей қоғамдық игілік ({rule})",
        "uz": "{in} kechi bilan {year}-yil 1-yanvardan boshlab jamoat mulki ({rule})",
        "fr": "domaine public {in} au plus tard depuis le 1er janvier {year} ({rule})"},
    "protected": {
        "en": "protected {in} until the end of {last}, public domain from 1 January {year} ({rule})",
        "ru": "охраняется {in} до конца {last} года, общественное достояние с 1 января {year} года ({rule})",
        "kk": "{in} {last} жылдың соңына дейін қорғалады, {year} жылғы 1 қаңтардан бастап қоғамдық игілік ({rule})",
        "uz": "{in} {last}-yil oxirigacha muhofaza qilinadi, {year}-yil 1-yanvardan boshlab jamoat mulki ({rule})",
        "fr": "protégée {in} jusqu'à la fin de {last}, domaine public à partir du 1er janvier {year} ({rule})"},
}

# Whole sentences: notes on the computation, why it could not be made, the source, the curator.
SENTENCES: dict[str, dict[str, str]] = {
    "war_assumed": {
        "en": "The author lived through the Great Patriotic War (1941–1945) and may have worked or fought in it, "
              "so 4 years are added (" + _ART_1281["en"] + ").",
        "ru": "Автор жил во время Великой Отечественной войны (1941–1945) и мог работать в этот период или "
              "участвовать в ней, поэтому срок увеличен на 4 года (" + _ART_1281["ru"] + ").",
        "kk": "Автор Ұлы Отан соғысы (1941–1945) кезінде өмір сүрген және сол кезеңде жұмыс істеуі немесе "
              "соғысқа қатысуы мүмкін, сондықтан мерзімге 4 жыл қосылады (" + _ART_1281["kk"] + ").",
        "uz": "Muallif Ulugʻ Vatan urushi (1941–1945) davrida yashagan va bu davrda ishlagan yoki urushda "
              "qatnashgan boʻlishi mumkin, shuning uchun muddatga 4 yil qoʻshiladi (" + _ART_1281["uz"] + ").",
        "fr": "L'auteur a vécu pendant la Grande Guerre patriotique (1941–1945) et a pu y travailler ou y "
              "combattre : 4 ans sont ajoutés (" + _ART_1281["fr"] + ")."},
    "war_stated": {
        "en": "The source says the author worked or fought in the Great Patriotic War, so 4 years are added ("
              + _ART_1281["en"] + ").",
        "ru": "По данным источника, автор работал во время Великой Отечественной войны или участвовал в ней, "
              "поэтому срок увеличен на 4 года (" + _ART_1281["ru"] + ").",
        "kk": "Дереккөз бойынша автор Ұлы Отан соғысы кезінде жұмыс істеген немесе соғысқа қатысқан, сондықтан "
              "мерзімге 4 жыл қосылады (" + _ART_1281["kk"] + ").",
        "uz": "Manbaga koʻra, muallif Ulugʻ Vatan urushi davrida ishlagan yoki urushda qatnashgan, shuning uchun "
              "muddatga 4 yil qoʻshiladi (" + _ART_1281["uz"] + ").",
        "fr": "Selon la source, l'auteur a travaillé ou combattu pendant la Grande Guerre patriotique : 4 ans "
              "sont ajoutés (" + _ART_1281["fr"] + ")."},
    "mort_pour_la_france": {
        "en": "The source says the author was “mort pour la France”, so 30 years are added (French Intellectual "
              "Property Code, art. L123-10); " + _REVIEW["en"] + ".",
        "ru": "По данным источника, автор «погиб за Францию» (mort pour la France), поэтому срок увеличен на "
              "30 лет (Кодекс интеллектуальной собственности Франции, ст. L123-10); " + _REVIEW["ru"] + ".",
        "kk": "Дереккөз бойынша автор «Франция үшін қаза тапқан» (mort pour la France), сондықтан мерзімге 30 жыл "
              "қосылады (Франция Зияткерлік меншік кодексі, L123-10-бап); " + _REVIEW["kk"] + ".",
        "uz": "Manbaga koʻra, muallif «Fransiya uchun halok boʻlgan» (mort pour la France), shuning uchun "
              "muddatga 30 yil qoʻshiladi (Fransiya Intellektual mulk kodeksi, L123-10-modda); "
              + _REVIEW["uz"] + ".",
        "fr": "Selon la source, l'auteur est « mort pour la France » : 30 ans sont ajoutés (Code de la propriété "
              "intellectuelle, art. L123-10) ; " + _REVIEW["fr"] + "."},
    "former_term_settled": {
        "en": "Under the former 50-year term it was in the public domain from 1 January {year}, before 1993, and "
              "the later extension did not revive it (Federal Law No. 231-FZ of 18 December 2006, art. 6).",
        "ru": "По прежнему 50-летнему сроку произведение перешло в общественное достояние 1 января {year} года, "
              "до 1993 года, и последующее продление срока его не восстановило (Федеральный закон от 18.12.2006 "
              "№ 231-ФЗ, ст. 6).",
        "kk": "Бұрынғы 50 жылдық мерзім бойынша шығарма {year} жылғы 1 қаңтарда, 1993 жылға дейін қоғамдық "
              "игілікке өткен, ал кейінгі ұзарту оны қайта қорғауға алмаған (2006 жылғы 18 желтоқсандағы "
              "№ 231-ФЗ Федералдық заң, 6-бап).",
        "uz": "Avvalgi 50 yillik muddatga koʻra asar {year}-yil 1-yanvarda, 1993-yilgacha jamoat mulkiga oʻtgan va "
              "keyingi uzaytirish uni qayta muhofazaga olmagan (2006-yil 18-dekabrdagi 231-FZ-son Federal qonun, "
              "6-modda).",
        "fr": "Selon l'ancienne durée de 50 ans, l'œuvre était dans le domaine public depuis le 1er janvier {year}, "
              "avant 1993, et la prolongation ultérieure ne l'a pas fait renaître (loi fédérale n° 231-FZ du "
              "18 décembre 2006, art. 6)."},
    "former_term_open": {
        "en": "Under the former term (life + 50) it was in the public domain from 1 January {year}; whether the "
              "{amended} extension to life + 70 revived its protection is unsettled, so the longer term applies and "
              + _REVIEW["en"] + ".",
        "ru": "По прежнему сроку (жизнь автора + 50 лет) произведение было общественным достоянием с 1 января "
              "{year} года; восстановило ли продление {amended} года до 70 лет его охрану, не ясно, поэтому "
              "применяется более длинный срок, а " + _REVIEW["ru"] + ".",
        "kk": "Бұрынғы мерзім бойынша (автордың өмірі + 50 жыл) шығарма {year} жылғы 1 қаңтардан бастап қоғамдық "
              "игілік болған; {amended} жылы мерзімнің 70 жылға дейін ұзартылуы оның қорғауын қалпына келтірді "
              "ме — анық емес, сондықтан ұзақ мерзім қолданылады, ал " + _REVIEW["kk"] + ".",
        "uz": "Avvalgi muddatga koʻra (muallif umri + 50 yil) asar {year}-yil 1-yanvardan boshlab jamoat mulki "
              "boʻlgan; {amended}-yilda muddatning 70 yilgacha uzaytirilishi uning muhofazasini tikladimi — aniq "
              "emas, shuning uchun uzoqroq muddat qoʻllanadi va " + _REVIEW["uz"] + ".",
        "fr": "Selon l'ancienne durée (vie de l'auteur + 50 ans), l'œuvre était dans le domaine public depuis le "
              "1er janvier {year} ; on ne sait pas si la prolongation de {amended} à 70 ans a fait renaître sa "
              "protection : la durée la plus longue s'applique et " + _REVIEW["fr"] + "."},
    "posthumous_question": {
        "en": "If this is a later edition rather than the first publication, it is in the public domain since "
              "1 January {year}; " + _REVIEW["en"] + ".",
        "ru": "Если это не первое, а более позднее издание, произведение находится в общественном достоянии с "
              "1 января {year} года; " + _REVIEW["ru"] + ".",
        "kk": "Егер бұл алғашқы емес, кейінгі басылым болса, шығарма {year} жылғы 1 қаңтардан бастап қоғамдық "
              "игілік болып табылады; " + _REVIEW["kk"] + ".",
        "uz": "Agar bu ilk emas, balki keyingi nashr boʻlsa, asar {year}-yil 1-yanvardan boshlab jamoat mulki "
              "hisoblanadi; " + _REVIEW["uz"] + ".",
        "fr": "S'il s'agit d'une édition ultérieure et non de la première publication, l'œuvre est dans le "
              "domaine public depuis le 1er janvier {year} ; " + _REVIEW["fr"] + "."},
    "review": {
        "en": "A curator will review this decision.", "ru": "Решение будет проверено куратором.",
        "kk": "Бұл шешімді куратор тексереді.", "uz": "Bu qarorni kurator tekshiradi.",
        "fr": "Un conservateur vérifiera cette décision."},
    "us_renewal": {
        "en": "This assumes the US copyright was renewed, or restored for a foreign work; if it was not, the "
              "work may already be free in the United States.",
        "ru": "Предполагается, что авторское право в США было продлено (или восстановлено для иностранного "
              "произведения); если нет, произведение может быть уже свободным в США.",
        "kk": "АҚШ-тағы авторлық құқық ұзартылған (немесе шетелдік шығарма үшін қалпына келтірілген) деп "
              "есептеледі; олай болмаса, шығарма АҚШ-та қазірдің өзінде еркін болуы мүмкін.",
        "uz": "AQShdagi mualliflik huquqi uzaytirilgan (yoki xorijiy asar uchun tiklangan) deb hisoblanadi; agar "
              "shunday boʻlmasa, asar AQShda allaqachon erkin boʻlishi mumkin.",
        "fr": "On suppose que le droit d'auteur américain a été renouvelé, ou restauré pour une œuvre étrangère ; "
              "sinon, l'œuvre peut déjà être libre aux États-Unis."},
    "us_303a": {
        "en": "Unpublished works created before 1978 were protected at least until the end of 2002 (17 U.S.C. "
              "§ 303(a)).",
        "ru": "Необнародованные произведения, созданные до 1978 года, охранялись по меньшей мере до конца 2002 "
              "года (17 U.S.C. § 303(a)).",
        "kk": "1978 жылға дейін жасалған жарияланбаған шығармалар кемінде 2002 жылдың соңына дейін қорғалған "
              "(17 U.S.C. § 303(a)).",
        "uz": "1978-yilgacha yaratilgan nashr etilmagan asarlar kamida 2002-yil oxirigacha muhofaza qilingan "
              "(17 U.S.C. § 303(a)).",
        "fr": "Les œuvres non publiées créées avant 1978 étaient protégées au moins jusqu'à la fin de 2002 "
              "(17 U.S.C. § 303(a))."},
    "us_publication_unknown": {
        "en": "The record does not say whether it was ever published, so the longer of the two possible terms "
              "is used.",
        "ru": "В записи не указано, было ли произведение опубликовано, поэтому применяется более длинный из "
              "двух возможных сроков.",
        "kk": "Жазбада шығарманың жарияланған-жарияланбағаны көрсетілмеген, сондықтан екі ықтимал мерзімнің "
              "ұзағы қолданылады.",
        "uz": "Yozuvda asar nashr etilgan-etilmagani koʻrsatilmagan, shuning uchun ikki ehtimoliy muddatdan "
              "uzunrogʻi qoʻllanadi.",
        "fr": "La notice ne dit pas si l'œuvre a été publiée : la plus longue des deux durées possibles "
              "s'applique."},
    "us_pd": {
        "en": "In the United States it is in the public domain since 1 January {year}.",
        "ru": "В США произведение находится в общественном достоянии с 1 января {year} года.",
        "kk": "АҚШ-та шығарма {year} жылғы 1 қаңтардан бастап қоғамдық игілік болып табылады.",
        "uz": "AQShda asar {year}-yil 1-yanvardan boshlab jamoat mulki hisoblanadi.",
        "fr": "Aux États-Unis, l'œuvre est dans le domaine public depuis le 1er janvier {year}."},
    "not_evaluated": {
        "en": "Not evaluated: the record gives neither the authors' death years nor a date for the work, so its "
              "status under the law of {of} cannot be determined; " + _UNTIL["en"] + ".",
        "ru": "Не оценено: в записи нет ни годов смерти авторов, ни даты произведения, поэтому его статус по "
              "законодательству {of} определить нельзя; " + _UNTIL["ru"] + ".",
        "kk": "Бағаланбаған: жазбада авторлардың қайтыс болған жылдары да, шығарманың күні де жоқ, сондықтан оның "
              "{of} заңнамасы бойынша мәртебесін анықтау мүмкін емес; " + _UNTIL["kk"] + ".",
        "uz": "Baholanmagan: yozuvda mualliflarning vafot yillari ham, asarning sanasi ham yoʻq, shuning uchun "
              "uning {of} qonunchiligiga koʻra maqomini aniqlab boʻlmaydi; " + _UNTIL["uz"] + ".",
        "fr": "Non évalué : la notice ne donne ni les années de décès des auteurs ni la date de l'œuvre, son "
              "statut selon le droit {of} ne peut donc pas être déterminé ; " + _UNTIL["fr"] + "."},
    "not_proven": {
        "en": "Not evaluated: an author's death year is not known, and the dates in the record cannot show that "
              "the term under the law of {of} has ended (it ends by the end of {latest} at the latest); "
              + _UNTIL["en"] + ".",
        "ru": "Не оценено: год смерти автора неизвестен, а даты в записи не доказывают, что срок охраны по "
              "законодательству {of} истёк (он истекает не позднее конца {latest} года); " + _UNTIL["ru"] + ".",
        "kk": "Бағаланбаған: автордың қайтыс болған жылы белгісіз, ал жазбадағы күндер {of} заңнамасы бойынша "
              "қорғау мерзімінің өткенін дәлелдемейді (ол {latest} жылдың соңынан кешіктірмей бітеді); "
              + _UNTIL["kk"] + ".",
        "uz": "Baholanmagan: muallifning vafot yili nomaʼlum, yozuvdagi sanalar esa {of} qonunchiligiga koʻra "
              "muhofaza muddati tugaganini isbotlamaydi (u kechi bilan {latest}-yil oxirida tugaydi); "
              + _UNTIL["uz"] + ".",
        "fr": "Non évalué : l'année de décès d'un auteur est inconnue et les dates de la notice ne prouvent pas "
              "que la protection selon le droit {of} a pris fin (elle prend fin au plus tard fin {latest}) ; "
              + _UNTIL["fr"] + "."},
    "rehabilitation_unknown": {
        "en": "Not evaluated: the source says an author was repressed; if rehabilitated after death, the term "
              "under the law of {of} runs from the year of rehabilitation, which the record does not give; "
              + _UNTIL["en"] + ".",
        "ru": "Не оценено: по данным источника автор был репрессирован; при посмертной реабилитации срок по "
              "законодательству {of} исчисляется с года реабилитации, которого в записи нет; " + _UNTIL["ru"] + ".",
        "kk": "Бағаланбаған: дереккөз бойынша автор қуғын-сүргінге ұшыраған; қайтыс болғаннан кейін ақталған "
              "жағдайда {of} заңнамасы бойынша мерзім ақталған жылдан бастап есептеледі, ал ол жыл жазбада жоқ; "
              + _UNTIL["kk"] + ".",
        "uz": "Baholanmagan: manbaga koʻra muallif qatagʻon qilingan; vafotidan keyin oqlangan boʻlsa, {of} "
              "qonunchiligiga koʻra muddat oqlangan yildan boshlab hisoblanadi, bu yil esa yozuvda yoʻq; "
              + _UNTIL["uz"] + ".",
        "fr": "Non évalué : selon la source, un auteur a été victime de la répression ; s'il a été réhabilité "
              "après sa mort, la durée selon le droit {of} court à partir de l'année de réhabilitation, que la "
              "notice ne donne pas ; " + _UNTIL["fr"] + "."},
    "source_agrees": {
        "en": "The source also states {quote}.", "ru": "Источник также указывает: {quote}.",
        "kk": "Дереккөз де осыны көрсетеді: {quote}.", "uz": "Manba ham shuni koʻrsatadi: {quote}.",
        "fr": "La source indique aussi {quote}."},
    "source_followed": {
        "en": "The source states {quote}; the record lacks the facts needed to check this under the law of {of}, "
              "so the source's statement is followed.",
        "ru": "Источник указывает: {quote}; в записи нет сведений, нужных для проверки по законодательству {of}, "
              "поэтому принимается заявление источника.",
        "kk": "Дереккөз көрсеткені: {quote}; жазбада мұны {of} заңнамасы бойынша тексеруге қажетті мәліметтер "
              "жоқ, сондықтан дереккөздің мәлімдемесі қабылданады.",
        "uz": "Manba koʻrsatganidek: {quote}; yozuvda buni {of} qonunchiligiga koʻra tekshirish uchun zarur "
              "maʼlumotlar yoʻq, shuning uchun manbaning bayonoti qabul qilinadi.",
        "fr": "La source indique {quote} ; la notice ne contient pas les éléments nécessaires pour le vérifier "
              "selon le droit {of}, la déclaration de la source est donc suivie."},
    "source_restricts": {
        "en": "The source states {quote}: use is restricted.", "ru": "Источник указывает: {quote}; использование ограничено.",
        "kk": "Дереккөз көрсеткені: {quote}; пайдалану шектелген.",
        "uz": "Manba koʻrsatganidek: {quote}; foydalanish cheklangan.",
        "fr": "La source indique {quote} : l'utilisation est restreinte."},
    "source_stricter": {
        "en": "However, the source states {quote}; the more restrictive reading applies and " + _REVIEW["en"] + ".",
        "ru": "Однако источник указывает: {quote}; применяется более строгое толкование, " + _REVIEW["ru"] + ".",
        "kk": "Алайда дереккөз көрсеткені: {quote}; неғұрлым қатаң түсіндіру қолданылады, " + _REVIEW["kk"] + ".",
        "uz": "Biroq manba koʻrsatganidek: {quote}; qatʼiyroq talqin qoʻllanadi va " + _REVIEW["uz"] + ".",
        "fr": "Cependant, la source indique {quote} ; la lecture la plus restrictive s'applique et "
              + _REVIEW["fr"] + "."},
    "source_opener": {
        "en": "The source states {quote}, but by this computation the work is still protected: it stays "
              "restricted and " + _REVIEW["en"] + ".",
        "ru": "Источник указывает: {quote}, но по этому расчёту произведение ещё охраняется: доступ остаётся "
              "ограниченным, " + _REVIEW["ru"] + ".",
        "kk": "Дереккөз көрсеткені: {quote}, бірақ бұл есеп бойынша шығарма әлі қорғалады: пайдалану шектеулі "
              "болып қалады, " + _REVIEW["kk"] + ".",
        "uz": "Manba koʻrsatganidek: {quote}, biroq bu hisob-kitobga koʻra asar hali muhofazada: foydalanish "
              "cheklangan boʻlib qoladi va " + _REVIEW["uz"] + ".",
        "fr": "La source indique {quote}, mais selon ce calcul l'œuvre est encore protégée : elle reste en accès "
              "restreint et " + _REVIEW["fr"] + "."},
    "source_licence": {
        "en": "The source licenses it: {quote}; free to use under the licence's terms.",
        "ru": "Источник предоставляет лицензию: {quote}; использование свободно на условиях лицензии.",
        "kk": "Дереккөз лицензия береді: {quote}; лицензия шарттарымен еркін пайдалануға болады.",
        "uz": "Manba litsenziya beradi: {quote}; litsenziya shartlari asosida erkin foydalanish mumkin.",
        "fr": "La source la place sous licence : {quote} ; utilisation libre selon les conditions de la licence."},
    "source_states": {
        "en": "The source states {quote}.", "ru": "Источник указывает: {quote}.",
        "kk": "Дереккөз көрсеткені: {quote}.", "uz": "Manba koʻrsatganidek: {quote}.",
        "fr": "La source indique {quote}."},
    "curator": {
        "en": "Decided by curator {curator}: {text}", "ru": "Решение куратора ({curator}): {text}",
        "kk": "Куратордың шешімі ({curator}): {text}", "uz": "Kurator qarori ({curator}): {text}",
        "fr": "Décision du conservateur ({curator}) : {text}"},
}
