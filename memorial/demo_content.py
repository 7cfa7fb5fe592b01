"""Synthetic demo content: fictional places, events and people. No real victim appears here."""

# (slug, {lang: name}, country, place)
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
    },
    {
        "slug": "voices-after",
        "title": {"en": "Voices after", "fr": "Les voix d'après", "ar": "أصوات ما بعد", "es": "Voces de después"},
        "summary": {"en": "Survivors and families speak about the years that followed."},
        "day": None,
        "featured": False,
    },
    {
        "slug": "those-who-helped",
        "title": {"en": "Those who helped", "fr": "Celles et ceux qui ont aidé", "ar": "الذين ساعدوا"},
        "summary": {"en": "First responders and strangers who stayed."},
        "day": None,
        "featured": False,
    },
]
