"""Word lists the cleaner reads glue points by: sentence starters, abbreviations, brand names."""

from __future__ import annotations

# Capitalised words that start sentences but never end a name or a sub-heading: a credit, a
# caption or a glued sub-heading stops in front of them.
SENTENCE_STARTERS = frozenset(
    """A An The This That These Those It Its He She They We I You His Her Their Our In On At As
    For From With Without By To Of But And Or So Yet If When While Where After Before Since Despite
    Although Though However Meanwhile Moreover Furthermore Therefore Thus Also According Many Some
    Most Such There Here What Why How Who Which Now Then Still Even Only Last Next First Second
    Third Finally Today Yesterday Tomorrow Under Over Amid Among During Both Each Every No Not
    Instead Besides Unlike Like""".split(),  # noqa: SIM905 - word lists read best as plain text
)

# Words before a full stop that are not sentence ends: titles, months, single initials.
ABBREVIATIONS = frozenset(
    """Mr Mrs Ms Dr St Prof Gen Sen Rep Gov Lt Col Maj Capt Sgt Rev Mt Ft No Nos Vol Fig Jan Feb
    Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec vs etc Adm Cmdr Brig Pres Hon Ave Rd
    Jr Sr""".split(),  # noqa: SIM905 - word lists read best as plain text
)
MONTH_ABBREVIATIONS = frozenset(
    {"Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
)

# Camel-cased names that a glue repair must leave whole.
CAMEL_WORDS = frozenset(
    """WeChat iPhone iPad iPod iMac iOS iCloud iTunes eBay PetroChina YouTube TikTok LinkedIn PayPal
    JavaScript TypeScript MacBook OpenAI SpaceX McDonald PyeongChang FedEx BlackRock PowerPoint
    GitHub SoftBank DeepSeek DeepMind PlayStation WhatsApp AliExpress AliPay AliCloud ExxonMobil
    GlaxoSmithKline BioNTech AstraZeneca JPMorgan HarperCollins DreamWorks CheckIn SignIn LogIn
    PlugIn BuiltIn""".split(),  # noqa: SIM905 - word lists read best as plain text
)

# Photo agencies and sources that stand after a `Photo:` label, longest first.
KNOWN_CREDITS = tuple(
    sorted(
        """Getty Images|Global Times|China News Service|China Daily|People's Daily Online|
        People's Daily|Xinhua News Agency|Xinhua|VCG|AFP|IC Photo|IC|cnsphoto|AP Photo|AP|Reuters|
        CFP|EPA|GT|CNS|Sputnik|Bloomberg|TASS|Kyodo|Yonhap|CGTN|CCTV|Weibo|Twitter|Facebook|
        Instagram|Chinanews|ImagineChina|Imaginechina|Shutterstock|Pixabay|Unsplash|Wikipedia|
        NASA|Baidu|Douyin|Web|Internet|Handout|Anadolu Agency""".replace("\n", "")
        .replace("  ", "")
        .split("|"),
        key=len,
        reverse=True,
    )
)

# Countries and regions (the last word of a longer name): a sub-heading that ends with one runs
# into the next paragraph's capitalised word (`What comes next for IndonesiaShares of ...`).
PLACE_NAMES = frozenset(
    """Afghanistan Albania Algeria Angola Argentina Armenia Australia Austria Azerbaijan Bahrain
    Bangladesh Belarus Belgium Bolivia Brazil Brunei Bulgaria Cambodia Cameroon Canada Chile China
    Colombia Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt Estonia Ethiopia Finland France
    Georgia Germany Ghana Greece Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy
    Jamaica Japan Jordan Kazakhstan Kenya Korea Kuwait Kyrgyzstan Laos Latvia Lebanon Libya
    Lithuania Luxembourg Madagascar Malaysia Maldives Mali Malta Mexico Moldova Mongolia Morocco
    Mozambique Myanmar Namibia Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan
    Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Arabia Senegal
    Serbia Singapore Slovakia Slovenia Somalia Africa Spain Lanka Sudan Sweden Switzerland Syria
    Tajikistan Tanzania Thailand Tunisia Turkey Turkmenistan Uganda Ukraine Emirates Kingdom
    States Uruguay Uzbekistan Venezuela Vietnam Yemen Zambia Zealand Zimbabwe""".split(),  # noqa: SIM905 - word lists read best as plain text
)

# The kind of picture each credit label names (lower-cased): article_photos.kind.
LABEL_KINDS = {
    "photo": "photo",
    "photos": "photo",
    "photo credit": "photo",
    "file photo": "file photo",
    "file photos": "file photo",
    "illustration": "illustration",
    "illustrations": "illustration",
    "cartoon": "illustration",
    "graphic": "graphic",
    "graphics": "graphic",
    "infographic": "graphic",
}
