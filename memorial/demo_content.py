"""Synthetic demo content: fictional places, events and people. No real victim appears here."""

# (slug, {lang: name}, country, place); the year is the slug's last part (dates follow it).
EVENTS = [
    ("eastport-station-2004", {"en": "Eastport station bombing (fictional, 2004)",
                               "fr": "Attentat de la gare d'Eastport (fictif, 2004)",
                               "ar": "تفجير محطة إيستبورت (حدث متخيل، 2004)"}, "XA", "Eastport"),
    ("valmera-market-2011", {"en": "Valmera market attack (fictional, 2011)",
                             "es": "Ataque al mercado de Valmera (ficticio, 2011)",
                             "ar": "الهجوم على سوق فالميرا (حدث متخيل، 2011)"}, "XB", "Valmera"),
    ("north-quay-2017", {"en": "North Quay concert attack (fictional, 2017)",
                         "fr": "Attaque du concert de North Quay (fictive, 2017)",
                         "ru": "Нападение на концерт в Норт-Куэй (вымышленное, 2017)"}, "XC", "North Quay"),
]

SUBJECTS = [
    ("objects", {"en": "Objects", "fr": "Objets", "ar": "أشياء", "es": "Objetos"}),
    ("family", {"en": "Family", "fr": "Famille", "ar": "العائلة", "es": "Familia"}),
    ("recovery", {"en": "Recovery", "fr": "Guérison", "ar": "التعافي", "es": "Recuperación"}),
    ("first-responders", {"en": "First responders", "fr": "Secouristes", "ar": "المسعفون", "es": "Socorristas"}),
]

OBJECTS = [
    ({"en": "A wristwatch stopped at 8:17", "ar": "ساعة يد توقفت عند الثامنة وسبع عشرة دقيقة",
      "fr": "Une montre arrêtée à 8 h 17"},
     {"en": "My father's watch stopped when the glass broke. I wind it every year on the same morning.",
      "ar": "توقفت ساعة أبي عندما انكسر الزجاج. أعبئها كل عام في الصباح نفسه."}),
    ({"en": "A blue silk scarf", "es": "Una bufanda de seda azul", "ar": "وشاح حريري أزرق"},
     {"en": "She wore this scarf to the market. A nurse gave it back to me, folded.",
      "es": "Ella llevaba esta bufanda al mercado. Una enfermera me la devolvió doblada."}),
    ({"en": "A concert ticket, torn", "fr": "Un billet de concert déchiré", "ru": "Порванный билет на концерт"},
     {"en": "Half of the ticket is still in my wallet. The other half I never found.",
      "fr": "La moitié du billet est toujours dans mon portefeuille."}),
    ({"en": "A child's drawing of a train", "ar": "رسم طفل لقطار", "fr": "Le dessin d'un train par un enfant"},
     {"en": "My son drew the train the week after. He gave everyone on board a smile.",
      "ar": "رسم ابني القطار بعد أسبوع. أعطى كل من كان على متنه ابتسامة."}),
    ({"en": "A first-aid kit from the station", "es": "Un botiquín de la estación"},
     {"en": "I was a paramedic that day. I kept the kit we emptied in twenty minutes.",
      "es": "Era paramédica ese día. Guardé el botiquín que vaciamos en veinte minutos."}),
    ({"en": "Keys on a red keyring", "fr": "Des clés sur un porte-clés rouge", "ar": "مفاتيح على حلقة حمراء"},
     {"en": "The keys to a flat I could not go back to for a year.",
      "fr": "Les clés d'un appartement où je n'ai pas pu retourner pendant un an."}),
    ({"en": "A pair of reading glasses", "zh-hans": "一副老花镜", "en-GB": ""},
     {"en": "My grandmother's glasses, one lens cracked. She read us stories with them.",
      "zh-hans": "祖母的眼镜，一片镜片裂了。她曾戴着它给我们读故事。"}),
]

# What each object's picture shows (media_pipeline/demo_drawings.py), in the order of OBJECTS.
OBJECT_SUBJECTS = ["watch", "scarf", "ticket", "drawing", "kit", "keys", "glasses"]
OBJECT_EVENTS = ["eastport-station-2004", "valmera-market-2011", "north-quay-2017", "eastport-station-2004",
                 "eastport-station-2004", "valmera-market-2011", "north-quay-2017"]
OBJECT_ALT = {
    "watch": {"en": "A wristwatch with a cracked glass on a brown leather strap, its hands at 8:17.",
              "fr": "Une montre au verre fêlé sur un bracelet de cuir brun, les aiguilles à 8 h 17.",
              "ar": "ساعة يد بزجاج مشقوق وسوار جلدي بني، عقاربها عند الثامنة وسبع عشرة دقيقة."},
    "scarf": {"en": "A blue silk scarf, folded, its fringe loose.", "es": "Una bufanda de seda azul, doblada.",
              "ar": "وشاح حريري أزرق مطوي."},
    "ticket": {"en": "The yellow stub of a concert ticket, torn along one edge.",
               "fr": "Le talon jaune d'un billet de concert, déchiré sur un bord.", "ar": "نصف تذكرة حفل صفراء ممزقة."},
    "drawing": {"en": "A child's drawing of a train of three carriages, each window a smiling face, under a yellow sun.",
                "fr": "Le dessin d'enfant d'un train de trois wagons, chaque fenêtre un visage souriant.",
                "ar": "رسم طفل لقطار من ثلاث عربات، في كل نافذة وجه مبتسم."},
    "kit": {"en": "A green first-aid case with a white cross.", "es": "Un botiquín verde con una cruz blanca.",
            "ar": "حقيبة إسعافات أولية خضراء عليها صليب أبيض."},
    "keys": {"en": "Three keys on a red keyring.", "fr": "Trois clés sur un porte-clés rouge.", "ar": "ثلاثة مفاتيح على حلقة حمراء."},
    "glasses": {"en": "A pair of reading glasses, one lens cracked.", "zh-hans": "一副老花镜，一片镜片有裂纹。",
                "ar": "نظارة قراءة، إحدى عدستيها مشقوقة."},
}
# The place each event's photographs show, with their alt text.
EVENT_SCENES = {"eastport-station-2004": "station", "valmera-market-2011": "market", "north-quay-2017": "stage"}
SCENE_ALT = {
    "station": {"en": "The front of a railway station at dusk, flowers and candles laid on the pavement before its doors.",
                "fr": "La façade d'une gare au crépuscule, des fleurs et des bougies devant les portes.",
                "ar": "واجهة محطة قطارات عند الغروب، وأمام أبوابها زهور وشموع."},
    "market": {"en": "Market stalls with striped awnings and white ribbons, flowers and candles on the ground.",
               "es": "Puestos de mercado con toldos a rayas y cintas blancas, flores y velas en el suelo.",
               "ar": "أكشاك سوق بمظلات مخططة وأشرطة بيضاء، وزهور وشموع على الأرض."},
    "stage": {"en": "An empty open-air stage at dusk, its lights on, candles and flowers in front.",
              "fr": "Une scène en plein air vide au crépuscule, éclairée, des bougies et des fleurs devant.",
              "ar": "منصة حفلات خالية عند الغروب، أضواؤها مشتعلة وأمامها شموع وزهور."},
    "wall": {"en": "A memorial wall of name plaques, a green wreath laid at its foot among candles.",
             "fr": "Un mur du souvenir couvert de plaques, une couronne verte au pied parmi les bougies.",
             "ar": "جدار تذكاري من لوحات الأسماء، وإكليل أخضر عند أسفله بين الشموع."},
    "square": {"en": "Flowers and candles left on a paved square at dusk.",
               "fr": "Des fleurs et des bougies déposées sur une place, au crépuscule.",
               "ar": "زهور وشموع على ساحة عند الغروب."},
}

# Titles of the photographs taken a year after each event ({place} is the event's place).
PHOTO_MOMENTS = [
    {"en": "{place}, a year later: the morning", "fr": "{place}, un an après : le matin", "ar": "{place} بعد عام: الصباح"},
    {"en": "{place}, a year later: candles at dusk", "fr": "{place}, un an après : bougies au crépuscule",
     "ar": "{place} بعد عام: شموع عند الغروب"},
    {"en": "{place} on the first anniversary", "fr": "{place}, le premier anniversaire", "ar": "{place} في الذكرى الأولى"},
    {"en": "{place}, a year later: what neighbours left", "fr": "{place}, un an après : ce que les voisins ont déposé",
     "ar": "{place} بعد عام: ما تركه الجيران"},
]

GIVEN_NAMES = ["Amal", "Louis", "Mariam", "Sofia", "Ivan", "Mei", "Omar", "Claire", "Diego", "Nadia", "Yusuf", "Lena"]
FAMILY_NAMES = ["Exemplar", "Fictif", "Placeholder", "Muestra", "Obraztsov", "Shili", "Mithal", "Sample"]

TESTIMONY_LINES = [
    ("en", ["I remember the sound before anything else.",
            "Then it was very quiet, and somebody was holding my hand.",
            "A stranger stayed with me until the ambulance came.",
            "I never learned her name, but I think of her every year.",
            "Today I teach my students about kindness."]),
    ("ar", ["أتذكر الصوت قبل أي شيء آخر.",
            "ثم ساد هدوء شديد، وكان أحدهم يمسك بيدي.",
            "بقيت معي امرأة غريبة حتى وصلت سيارة الإسعاف.",
            "لم أعرف اسمها أبداً، لكنني أفكر فيها كل عام."]),
    ("fr", ["Je me souviens du bruit avant tout le reste.",
            "Ensuite, tout était très calme, quelqu'un me tenait la main.",
            "Une inconnue est restée avec moi jusqu'à l'arrivée des secours."]),
    ("es", ["Recuerdo el sonido antes que nada.",
            "Después hubo mucho silencio y alguien me sostenía la mano.",
            "Una desconocida se quedó conmigo hasta que llegó la ambulancia."]),
]

EXHIBITIONS = [
    {
        "slug": "objects-that-remember",
        "title": {"en": "Objects that remember", "fr": "Les objets qui se souviennent",
                  "ar": "أشياء تتذكر", "es": "Objetos que recuerdan", "ru": "Вещи, которые помнят",
                  "zh-hans": "记得的物件"},
        "summary": {"en": "The objects victims keep, and the memories they hold.",
                    "ar": "الأشياء التي يحتفظ بها الضحايا، والذكريات التي تحملها."},
        "day": "21-august",
        "featured": True,
        "introduction": {"en": "Some things stop when everything else goes on: a watch, a ticket, a set of keys. "
                               "The people who kept these objects lent them to the archive with their stories, so that "
                               "what they hold is not forgotten.",
                         "fr": "Certaines choses s'arrêtent quand tout le reste continue : une montre, un billet, des clés. "
                               "Celles et ceux qui les ont gardées les confient à l'archive avec leur histoire.",
                         "ar": "بعض الأشياء تتوقف حين يستمر كل شيء آخر: ساعة، تذكرة، مجموعة مفاتيح. أعار أصحابها هذه "
                               "الأشياء للأرشيف مع حكاياتهم، كي لا يُنسى ما تحمله."},
        "sections": [
            ({"en": "What was carried that day", "fr": "Ce que l'on portait ce jour-là", "ar": "ما حُمل في ذلك اليوم"},
             {"en": "Ordinary things, taken out of a pocket or a bag in the morning, kept ever since.",
              "fr": "Des choses ordinaires, prises le matin dans une poche ou un sac, gardées depuis.",
              "ar": "أشياء عادية أُخذت في الصباح من جيب أو حقيبة، وبقيت محفوظة منذ ذلك الحين."}),
            ({"en": "What was kept after", "fr": "Ce que l'on a gardé ensuite", "ar": "ما حُفظ بعد ذلك"},
             {"en": "Some objects came later: a drawing, a kit, a pair of glasses. They tell of the years that followed.",
              "fr": "D'autres objets sont venus après : un dessin, une trousse, des lunettes.",
              "ar": "جاءت أشياء أخرى لاحقاً: رسم، حقيبة إسعاف، نظارة. إنها تحكي عن السنوات التي تلت."}),
        ],
    },
    {
        "slug": "voices-after",
        "title": {"en": "Voices after", "fr": "Les voix d'après", "ar": "أصوات ما بعد", "es": "Voces de después"},
        "summary": {"en": "Survivors and families speak about the years that followed.",
                    "fr": "Des survivants et des familles parlent des années qui ont suivi."},
        "introduction": {"en": "Recorded testimonies, each with its transcript. Press play only when you are ready.",
                         "fr": "Des témoignages enregistrés, chacun avec sa transcription."},
        "sections": [({"en": "Remembering", "fr": "Se souvenir"},
                      {"en": "What people remember first is rarely what the news showed.",
                       "fr": "Ce dont on se souvient d'abord est rarement ce que les journaux ont montré."}),
                     ({"en": "Living after", "fr": "Vivre après"},
                      {"en": "Years later, what remains is often a kindness.",
                       "fr": "Des années plus tard, il reste souvent une gentillesse."})],
        "day": None,
        "featured": False,
    },
    {
        "slug": "those-who-helped",
        "title": {"en": "Those who helped", "fr": "Celles et ceux qui ont aidé", "ar": "الذين ساعدوا"},
        "summary": {"en": "First responders and strangers who stayed.", "fr": "Les secours, et les inconnus restés là."},
        "introduction": {"en": "Photographs of the places where neighbours, responders and strangers came back "
                               "with flowers and candles, in the weeks and years after.",
                         "fr": "Les lieux où voisins, secouristes et inconnus sont revenus avec des fleurs et des bougies."},
        "sections": [({"en": "The places", "fr": "Les lieux"},
                      {"en": "A station, a market, a concert ground: each became, for a while, a place of candles.",
                       "fr": "Une gare, un marché, un concert : chacun est devenu un lieu de bougies."})],
        "day": None,
        "featured": False,
    },
]
