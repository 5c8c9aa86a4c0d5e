"""Vocabulary and sentence templates for the synthetic article generator.

Everything here is invented for this project: the sentences are written from scratch in a
news-like register and the people are random combinations of common given names and surnames.
A template is plain text with ``{slot}`` fields; a slot is either a word list below (``LISTS``)
or a small number/date formatter in :mod:`newsetl.generate`. A slot name ending in a digit
(``country2``) draws from the list of the name without the digit, avoiding the earlier value.
Narrative sentences carry their final stop; quotation sentences (``QUOTES``) and reported
clauses (``REPORTED``) do not, the generator adds ``.``/``,``. No template ends in an
abbreviation such as ``U.S.``.
"""

from __future__ import annotations


def _w(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


TOPICS = ("diplomacy", "economy", "technology", "sport", "culture")

LISTS: dict[str, tuple[str, ...]] = {
    "cn_surname": _w(
        "Wang Li Zhang Liu Chen Yang Zhao Huang Zhou Wu Xu Sun Hu Zhu Gao Lin He Guo Ma Luo "
        "Liang Song Zheng Xie Han Tang Feng Yu Dong Xiao Cheng Cao Yuan Deng Fu Shen Peng Lu "
        "Jiang Cai Jia Ding Wei Xue Ye Yan Pan Du Dai Xia Zhong Tian Ren Fan Fang Shi Yao Tan "
        "Liao Zou Xiong Jin Qiu Qin Bai Mo Kong Gu"
    ),
    "cn_given": _w(
        "Haoran Yunyi Qi Wei Jing Lei Min Yang Fang Xin Yuwei Shuo Tianyu Xiaohan Zihan Yichen "
        "Ruoxi Jiahui Mingyu Wenjie Zhiqiang Hongmei Lina Kai Bo Yue Chen Ning Hao Ying Jun Tao "
        "Peng Rui Dan Xuan Yifan Siyu Zeyu Mengyao Jiaqi Zhen Shan Hui Lan Zhijun Guoqing "
        "Xiaoming Yiming Shuang Weiwei Dongmei Liang Cong Ran Jie Huan Yao Bin Feng Xiaoyu "
        "Qingqing Shiyu Yutong Haoyu Zhaolin Lingling Kaiwen"
    ),
    "f_first": _w(
        "Anna Lukas Maria Ahmed Olga Pierre Sofia Kenji Priya Diego Amara Erik Fatima Ivan "
        "Chloe Mateo Nadia Tomas Aisha Javier Ingrid Rahul Yuki Omar Elena Kwame Hannah Marco "
        "Leila Arjun Noor Stefan Camila Dmitri Zara Felix Amina Raul Bianca Oskar"
    ),
    "f_surname": _w(
        "Petrov Novak Schmidt Rossi Garcia Okafor Tanaka Kowalski Haddad Silva Andersen "
        "Dubois Mehta Keller Moreau Lindqvist Mensah Nakamura Hassan Romero Fischer Costa "
        "Jansen Oliveira Kuznetsov Yilmaz Osei Santos Horvat Varga Nielsen Abdullah Khan Sato "
        "Murphy Bennett Ortega Karimov Sultanov Ferreira"
    ),
    "cn_city": _w(
        "Beijing|Shanghai|Guangzhou|Shenzhen|Chengdu|Wuhan|Xi'an|Hangzhou|Nanjing|Chongqing|"
        "Tianjin|Kunming|Xiamen|Qingdao|Harbin|Changsha|Zhengzhou|Luoyang|Urumqi|Hefei|Fuzhou|"
        "Jinan|Shenyang|Dalian|Ningbo|Suzhou|Nanning|Guiyang|Lanzhou|Haikou|Sanya|Yiwu",
        "|",
    ),
    "province": (
        "Central China's Henan Province",
        "East China's Zhejiang Province",
        "Southwest China's Yunnan Province",
        "Northwest China's Gansu Province",
        "South China's Guangdong Province",
        "North China's Hebei Province",
        "Northeast China's Jilin Province",
        "East China's Jiangsu Province",
        "Southwest China's Sichuan Province",
        "Central China's Hunan Province",
        "East China's Fujian Province",
        "South China's Hainan Province",
    ),
    "prov": _w("Henan Zhejiang Yunnan Gansu Guangdong Hebei Jilin Jiangsu Sichuan Hunan"),
    "country": _w(
        "Kazakhstan|Russia|Germany|France|Brazil|Indonesia|Egypt|Kenya|Pakistan|Argentina|"
        "Italy|Spain|Japan|South Korea|Vietnam|Thailand|Malaysia|Serbia|Hungary|Nigeria|"
        "Ethiopia|Saudi Arabia|Iran|Turkey|Uzbekistan|Chile|Mexico|Greece|Cambodia|"
        "New Zealand",
        "|",
    ),
    "adj": _w(
        "Kazakh|Russian|German|French|Brazilian|Indonesian|Egyptian|Kenyan|Pakistani|"
        "Argentine|Italian|Spanish|Japanese|South Korean|Vietnamese|Thai|Malaysian|Serbian|"
        "Hungarian|Nigerian|Ethiopian|Saudi|Iranian|Turkish|Uzbek|Chilean|Mexican|"
        "Greek",
        "|",
    ),
    "fcity": _w(
        "Almaty|Moscow|Berlin|Paris|São Paulo|Jakarta|Cairo|Nairobi|Islamabad|Buenos Aires|"
        "Rome|Madrid|Tokyo|Seoul|Hanoi|Bangkok|Kuala Lumpur|Belgrade|Budapest|Lagos|"
        "Addis Ababa|Riyadh|Istanbul|Geneva|Brussels|Vienna|Singapore|Dubai|Zürich|"
        "Montréal|Bogotá|Málaga|Düsseldorf|Samarkand",
        "|",
    ),
    "region": (
        "Central Asia",
        "Southeast Asia",
        "the Middle East",
        "Latin America",
        "East Africa",
        "the Asia-Pacific region",
        "the Balkans",
        "the Gulf region",
        "the South Pacific",
    ),
    "univ": (
        "Renmin University of China",
        "Tsinghua University",
        "Fudan University",
        "Peking University",
        "Nankai University",
        "Zhejiang University",
        "Wuhan University",
        "Sun Yat-sen University",
        "Xiamen University",
        "Sichuan University",
        "Beijing Foreign Studies University",
        "Shanghai Jiao Tong University",
    ),
    "agency": (
        "Ministry of Commerce",
        "Foreign Ministry",
        "National Bureau of Statistics",
        "National Development and Reform Commission",
        "General Administration of Customs",
        "Ministry of Industry and Information Technology",
        "State Council Information Office",
        "Ministry of Culture and Tourism",
        "General Administration of Sport",
        "National Energy Administration",
        "China Meteorological Administration",
    ),
    "institute": (
        "Chinese Academy of Social Sciences",
        "China Institute of International Studies",
        "Institute of Eurasian Studies",
        "Center for Belt and Road Studies",
        "Institute of Digital Economy",
        "Academy of Macroeconomic Research",
        "Shanghai Institute for Global Affairs",
        "Center for Regional Security Studies",
    ),
    "company": (
        "Huaxin Logistics",
        "Redwood Semiconductor",
        "Silkline Rail",
        "Jinhai Shipping",
        "Meridian Foods",
        "Tianlong Motors",
        "Northstar Pharma",
        "Blue Harbor Energy",
        "Longmen Steel",
        "Qingyun Robotics",
        "Sunrise Solar",
        "Cloudpeak Software",
        "Goldfield Mining",
        "Apex Batteries",
        "Pearl River Textiles",
        "Yunfan Aerospace",
        "Greenleaf Agritech",
        "Hengtai Chemicals",
        "SkyBridge Networks",
        "NovaGen Biotech",
    ),
    "consult": (
        "Dragonfly Research",
        "Orient Market Insight",
        "Harbor Analytics",
        "Lotus Consulting",
        "Summit Data Group",
        "Crossroads Economics",
    ),
    "field": (
        "green energy",
        "digital trade",
        "agriculture",
        "infrastructure",
        "public health",
        "education",
        "tourism",
        "artificial intelligence",
        "logistics",
        "water management",
        "new energy vehicles",
        "aerospace",
        "e-commerce",
        "finance",
        "cultural exchanges",
        "counterterrorism",
        "poverty reduction",
        "climate change",
    ),
    "product": (
        "smartphone",
        "electric SUV",
        "drone",
        "folding laptop",
        "smart watch",
        "robot vacuum",
        "solar panel",
        "server chip",
        "e-bike",
        "VR headset",
        "delivery robot",
        "heat pump",
    ),
    "indicator": (
        "retail sales",
        "industrial output",
        "fixed-asset investment",
        "foreign trade",
        "service sector output",
        "online retail sales",
        "exports",
        "imports",
        "manufacturing output",
        "electricity consumption",
    ),
    "summit": (
        "China-Central Asia Summit",
        "BRICS summit",
        "G20 summit",
        "Boao Forum for Asia",
        "China International Import Expo",
        "World Internet Conference",
        "Summer Davos forum",
        "China-Africa Economic and Trade Expo",
        "Lancang-Mekong Cooperation meeting",
    ),
    "initiative": (
        "the Belt and Road Initiative",
        "the Global Development Initiative",
        "the Global Security Initiative",
        "the Digital Silk Road",
        "the Green Silk Road",
    ),
    "team": (
        "Shanghai Harbor",
        "Beijing Phoenix",
        "Shandong Lions",
        "Guangdong Southern Stars",
        "Liaoning Leopards",
        "Zhejiang Dragons",
        "Wuhan Tridents",
        "Chengdu Pandas",
        "Qingdao Sailors",
        "Tianjin Falcons",
        "Xiamen Egrets",
        "Changsha Cranes",
    ),
    "event": (
        "Asian Games",
        "World Table Tennis Championships",
        "Diamond League meeting",
        "Shanghai Masters",
        "Asian Cup",
        "World Aquatics Championships",
        "Grand Slam",
        "World Judo Tour",
        "Badminton Asia Championships",
        "Asian Indoor Championships",
        "National Games",
        "World University Games",
    ),
    "sport": (
        "table tennis",
        "badminton",
        "swimming",
        "volleyball",
        "judo",
        "diving",
        "athletics",
        "basketball",
        "football",
        "tennis",
        "fencing",
        "weightlifting",
        "gymnastics",
        "rowing",
    ),
    "museum": (
        "National Museum of China",
        "Shanghai Museum",
        "Palace Museum",
        "Hunan Museum",
        "Sanxingdui Museum",
        "Nanjing Museum",
        "Shaanxi History Museum",
        "Yunnan Art Gallery",
        "Suzhou Silk Museum",
        "Zhejiang Provincial Museum",
    ),
    "artifacts": (
        "bronze vessels",
        "porcelain pieces",
        "ancient manuscripts",
        "jade carvings",
        "silk paintings",
        "lacquer boxes",
        "terracotta figures",
        "gold masks",
        "oracle bones",
        "woodblock prints",
    ),
    "film": (
        "The Long Bridge",
        "River of Lanterns",
        "Winter Orchard",
        "Echoes of Chang'an",
        "The Tea Road",
        "Paper Kites",
        "Salt and Stars",
        "The Last Ferry",
        "Northern Light",
        "A Lantern for Mother",
    ),
    "studio": (
        "Harbor Films",
        "Jade Hill Pictures",
        "Red Lantern Studio",
        "Blue Crane Media",
        "Silver Bay Animation",
    ),
    "dynasty": ("Tang", "Song", "Ming", "Qing", "Han", "Yuan"),
    "orch": (
        "China Philharmonic Orchestra",
        "Shanghai Symphony Orchestra",
        "Guangzhou Symphony Orchestra",
        "Hangzhou Chamber Orchestra",
    ),
    "weekday": _w("Monday Tuesday Wednesday Thursday Friday Saturday Sunday"),
    "month": _w(
        "January February March April May June July August September October November December"
    ),
    "site": ("Weibo", "YouTube", "Douyin", "Bilibili", "the organizer's website", "TikTok"),
    "desk": ("Global Times", "Xinhua", "GT staff reporters", "Agencies", "GT staff"),
    "parenthetical": (
        "(exclusive interview)",
        "(exclusive)",
        "(full text)",
        "(with video)",
        "(photos)",
        "(updated)",
        "(interview)",
        "(exclusive full interview)",
    ),
    "reporter_title": (
        "Reporter",
        "Senior reporter",
        "Staff writer",
        "Editor",
        "Columnist",
        "Research fellow",
        "Global Times reporter",
    ),
    # plain-choice slots (number and date formatters live in newsetl.generate)
    "num_word": _w("two three four five six seven eight nine"),
    "ap_month": _w("Jan. Feb. March April May June July Aug. Sept. Oct. Nov. Dec."),
    "bps": ("25", "50", "75"),
    "score": ("1-0", "2-1", "3-1", "2-0", "3-2", "4-1", "21-17, 21-19"),
    "ordinal": _w("second third fourth fifth sixth"),
    "weight": _w("48 52 57 63 70 78"),
}

# The beat named in a reporter's author description, by topic.
BEATS = {
    "diplomacy": "diplomatic affairs",
    "economy": "the economy",
    "technology": "technology",
    "sport": "sports",
    "culture": "culture and the arts",
}

# Title endings that the headline echo may lengthen with one extra word before them.
TITLE_TAIL_WORDS: dict[str, tuple[str, ...]] = {
    "expert": ("Chinese", "leading", "veteran"),
    "experts": ("Chinese", "industry", "leading"),
    "envoy": ("senior", "visiting", "{adj}"),
    "ambassador": ("{adj}", "visiting"),
    "analysts": ("market", "industry"),
    "report": ("industry", "new", "annual"),
    "official": ("senior", "local"),
    "coach": ("head", "national"),
}

SECTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # section -> (subsections, topics)
    "CHINA": (
        ("POLITICS", "SOCIETY", "DIPLOMACY", "MILITARY", "SCIENCE"),
        ("diplomacy", "economy", "technology"),
    ),
    "SOURCE": (("ECONOMY", "COMPANIES", "B&R", "INDUSTRIES"), ("economy", "technology")),
    "WORLD": (
        ("ASIA-PACIFIC", "EUROPE", "AMERICAS", "AFRICA", "MIDDLE EAST"),
        ("diplomacy", "economy"),
    ),
    "OPINION": (("EDITORIAL", "OBSERVER", "VIEWPOINT", "TOP TALK"), TOPICS),
    "ARTS": (("CULTURE & LEISURE", "FILM", "BOOKS", "HERITAGE", "MUSIC"), ("culture",)),
    "SPORT": (("FOOTBALL", "BASKETBALL", "OLYMPICS", "TENNIS", "ATHLETICS"), ("sport",)),
    "IN-DEPTH": (("DIPLOMATIC CHANNEL", "INSIGHT", "BACKGROUND", "INTERVIEW"), TOPICS),
}

# Genuine Chinese-character names, given once in brackets after the pinyin.
CJK_NAMES: tuple[tuple[str, str], ...] = (
    ("Li Hao", "李浩"),
    ("Zhang Wei", "张伟"),
    ("Chen Jing", "陈静"),
    ("Liu Yang", "刘洋"),
    ("Wang Fang", "王芳"),
    ("Zhao Lei", "赵磊"),
    ("Sun Li", "孙丽"),
    ("Zhou Min", "周敏"),
)

SHARED_NARRATIVE = (
    "The move is expected to benefit more than {big} households across the region.",
    "Details of the plan have not yet been made public.",
    "Local media reported that the project is scheduled to be completed by the end of {fyear}.",
    "The event was jointly organized by the {agency} and the local government of {cn_city}.",
    "Why does this matter for ordinary families?",
    "The answer, according to several economists, lies in the pace of reform.",
    "More than {pct} of those surveyed said they were optimistic about the year ahead.",
    "A similar scheme was tested in {cn_city} in {year} and later expanded to {num} other cities.",
    "The U.S. Embassy in Beijing did not immediately respond to a request for comment.",
    "Temperatures in {cn_city} reached 38°C on {weekday}, the highest reading this summer.",
    "Officials blamed the dry spell on the El Niño weather pattern.",
    "Dr. {cn_surname} {cn_given}, a scholar at {univ}, said the data should be read with care.",
    "The plan sets out {num} targets, including cutting energy use per unit of output.",
    "Both sides agreed to review progress at a meeting in {date}.",
)

NARRATIVE: dict[str, tuple[str, ...]] = {
    "diplomacy": (
        "Foreign Minister {cn_name} met with {adj} Foreign Minister {fname} in {cn_city} on "
        "{weekday}, and the two sides agreed to expand cooperation in {field} and {field2}.",
        "China and {country} established diplomatic relations in {year}, and bilateral trade "
        "reached {money} last year, according to the {agency}.",
        "The two countries signed {num} agreements covering {field}, {field2} and "
        "people-to-people exchanges.",
        "Analysts said the visit sends a clear signal that both sides want to keep channels of "
        "communication open despite a complicated international situation.",
        "The talks came days before the {summit}, which is scheduled to open in {fcity} on {date}.",
        "{adj} officials have repeatedly said they welcome more Chinese investment in {field}.",
        "Under the framework of {initiative}, the two sides have completed more than {num} "
        "projects since {year}.",
        "The meeting in {fcity} was the {ordinal} of its kind since the start of the pandemic.",
        "Observers noted that the joint statement made no mention of sanctions, a sign that "
        "both sides prefer dialogue to pressure.",
        "According to the statement, the ministers also exchanged views on regional security "
        "and the situation in {region}.",
        "Some {big} delegates from {num} countries attended the forum in {fcity}.",
        "A freight train service now links {cn_city} with {fcity}, cutting transit time "
        "by nearly half.",
        "Mr. {f_surname} arrived in {cn_city} on {weekday} for a three-day visit at the "
        "invitation of the Chinese side.",
        "Beijing has called on all parties to exercise restraint and return to the "
        "negotiating table as soon as possible.",
        "Visa applications from {country} rose by {pct} in the first half of the year, the "
        "embassy said.",
        "Both sides agreed to hold the next round of consultations in {fcity} later this year.",
        "The U.S. State Department has yet to comment on the joint statement.",
        "Is a new round of sanctions really the answer?",
    ),
    "economy": (
        "China's {indicator} grew {pct} year-on-year in {month}, data from the National "
        "Bureau of Statistics showed on {weekday}.",
        "The figure beat market expectations of {pct2} growth.",
        "Exports to {country} jumped {pct}, while imports from the country rose {pct2}.",
        "{company} said it would invest {money} in a new plant in {cn_city}, creating about "
        "{big} jobs.",
        "The central bank kept its one-year loan prime rate unchanged at {rate} percent on "
        "{weekday}.",
        "Trade between China and {country} reached {money} in {year}, up {pct} from a year "
        "earlier.",
        "Economists expect the economy to expand by around {pct} this year as consumption "
        "recovers.",
        "Shares of {company} rose {pct} in Shanghai on {weekday} after the company reported a "
        "{pct2} rise in net profit.",
        "The U.S. Federal Reserve raised interest rates by {bps} basis points in {month}, "
        "putting pressure on emerging market currencies.",
        "The port of {cn_city} handled {big} containers in the first quarter, a record for "
        "the period.",
        "Foreign direct investment into {province} climbed to {money} last year, the "
        "provincial commerce department said.",
        "Local authorities have rolled out {num} measures to support small businesses, "
        "including tax cuts and cheaper loans.",
        "The yuan strengthened to {fx} against the dollar on {weekday}.",
        "The company's R&D spending rose to {money} last year, roughly {pct} of its revenue.",
        "Cross-border M&A deals involving Chinese buyers totaled {money} in the first half, "
        "according to a report by {consult}.",
        "Sales at McDonald's outlets in {cn_city} recovered to pre-pandemic levels in {month}, "
        "a local manager said.",
        "PetroChina and {company} signed a {money} deal to supply natural gas over the next "
        "{num} years.",
        "Johnson & Johnson and Procter & Gamble both reported stronger demand in Chinese "
        "cities in the third quarter.",
        "Small cafés and noodle shops in {cn_city} reported a {pct} rise in takings during the "
        "holiday.",
    ),
    "technology": (
        "{company} unveiled its latest {product} at an event in {cn_city} on {weekday}, "
        "promising faster charging and longer battery life.",
        "China had built more than {big} 5G base stations by the end of {month}, the Ministry "
        "of Industry and Information Technology said.",
        "More than {pct} of respondents said they use WeChat to pay for daily purchases, the "
        "survey found.",
        "Short-video platforms such as TikTok and YouTube have become key channels for Chinese "
        "brands trying to reach young consumers overseas.",
        "Sales of the iPhone in China fell {pct} in the quarter as domestic brands gained "
        "ground, according to {consult}.",
        "Researchers at {univ} said the new chip can process data {num} times faster than the "
        "previous generation.",
        "The city plans to put {big} driverless taxis on its roads by {fyear}.",
        "{company} said its shipments of the {product} to {country} doubled in the first half.",
        "The lab, which opened in {year}, employs more than {big} engineers, most of them "
        "under 35.",
        "Industry insiders warn that a shortage of skilled workers could slow progress in {field}.",
        "Dr. {f_surname} said the project relied on data shared by teams in {country} and China.",
        "An online store opened on eBay by a toy maker in {cn_city} sold out its first batch "
        "within {num} hours.",
        "Young engineers are posting tutorials on iQiyi and other video sites to explain how "
        "large language models work.",
        "{company} has applied for more than {big} patents related to {field} over the past "
        "five years.",
        "Payments made through PayPal and WeChat Pay at the fair topped {money}.",
        "A trading-card app built around Pokémon battles topped the download charts in {month}.",
        "The rocket lifted off at 9:30 a.m. on {weekday} and placed {num} satellites into orbit.",
    ),
    "sport": (
        "{cn_name} won the women's {weight}-kilogram title at the {event} in {fcity} on {weekday}.",
        "The 23-year-old beat {fname} of {country} {score} in the final.",
        "{team} extended their unbeaten run to {num} matches with a {score} win over {team2} "
        "on {weekday} night.",
        "China finished the tournament with {num} gold, {num2} silver and {num3} bronze medals.",
        "Head coach {fname} said after the match that the players had learned a lot from the "
        "defeat.",
        "The {event} will be held in {cn_city} in {month}, with about {big} athletes expected "
        "to compete.",
        "Tickets for the final sold out within {num} minutes of going on sale online.",
        "{cn_name} clocked {time} seconds to set a national record in the 100-meter freestyle.",
        "Organizers said more than {big} runners took part in the race, which started near "
        "the city's Olympic Sports Center.",
        "The team's YouTube channel has gained more than {big} subscribers since the start of "
        "the season.",
        "Injuries have forced the coaching staff to rotate the squad during a busy schedule.",
        "{team} sit {ordinal} in the league table, {num} points behind the leaders.",
        "The match was streamed live on TikTok and several domestic platforms, drawing "
        "millions of viewers.",
        "Chinese {sport} players have won {num} world titles since {year}.",
        "Mr. {cn_surname} has coached the national {sport} team since {year}.",
    ),
    "culture": (
        "An exhibition of {big} {artifacts} opened at the {museum} on {weekday} and will run "
        "until {date}.",
        "The film {film}, directed by {cn_name}, earned {yuan} at the box office in its first "
        "week.",
        "Tickets for the Peking Opera performance in {fcity} sold out within hours.",
        "The festival features more than {num} concerts, plays and dance shows from {num2} "
        "countries and regions.",
        "Visitors can scan a code with WeChat to hear an audio guide in {num} languages.",
        "A café near the venue serves tea and pastries inspired by the {dynasty} Dynasty.",
        "A special exhibition of Pokémon cards drew long queues of young collectors in "
        "{cn_city} over the weekend.",
        "The troupe, founded in {year}, has toured {num} countries and performed for more "
        "than {big} people.",
        "Crafts such as paper cutting and shadow puppetry have found a new audience on "
        "short-video platforms.",
        "The novel, translated into {num} languages, has sold more than {big} copies worldwide.",
        "Museum attendance in {province} rose {pct} during the Spring Festival holiday.",
        'The poster for the restored classic carries a small line reading "© {year} {studio}" '
        "in one corner.",
        "{fname}, a violinist from {country}, will join the {orch} for two concerts in {month}.",
        "The restored {dynasty} Dynasty murals can also be viewed online through a YouTube "
        "channel run by the museum.",
        "A crème brûlée flavored mooncake from a {cn_city} bakery became a surprise hit.",
    ),
}

REPORTED: tuple[str, ...] = (
    "The two sides should make full use of existing mechanisms to deepen practical cooperation",
    "Demand for the {product} is likely to stay strong in the second half of the year",
    "The team still has room for improvement in defense",
    "The exhibition offers a rare chance to see {artifacts} that have never left {province}",
    "The new rules will make it easier for foreign firms to operate in {cn_city}",
    "Cooperation in {field} has become a bright spot in relations between China and {country}",
    "Consumer confidence has improved steadily since {month}",
    "The agreement reflects a shared interest in stability in {region}",
    "Chinese companies are well placed to benefit from the shift toward {field}",
    "Most of the growth came from smaller cities rather than from Beijing or Shanghai",
)

QUOTES: dict[str, tuple[str, ...]] = {
    "shared": (
        "We are confident that cooperation will continue to grow in the coming years",
        "This is not a short-term arrangement, but a long-term commitment",
        "There is still a lot of work to do",
        "I think the results speak for themselves",
        "It has been a difficult year for everyone, but we have seen encouraging signs since "
        "{month}",
        "What we need now is patience and mutual trust",
        "Who would have imagined this ten years ago?",
        "We have seen the same pattern in {country} and elsewhere",
        "Our priority is to make sure ordinary people feel the benefits",
    ),
    "diplomacy": (
        "The door to dialogue should always remain open",
        "Nobody benefits from confrontation",
        "Our relations are built on mutual respect and equality",
        "The U.S. side should stop politicizing normal exchanges",
        "Our countries have every reason to work more closely together",
        "We support a peaceful settlement through negotiation",
        "The projects under {initiative} have brought real changes to local communities",
    ),
    "economy": (
        "The numbers show that the recovery is on track",
        "Consumers are more willing to spend than they were a year ago",
        "Exporters are facing higher costs, but orders are coming back",
        "We expect the {indicator} figure to improve further in the fourth quarter",
        "Small businesses need cheaper credit more than anything else",
        "Our plant in {cn_city} is running at full capacity",
    ),
    "technology": (
        "We will keep investing in research, no matter how the market changes",
        "Technology should serve people, not the other way around",
        "The gap with the global leaders is closing faster than many expected",
        "Young engineers are the real engine of this industry",
        "Data security is the first thing our customers ask about",
    ),
    "sport": (
        "The players showed great character today",
        "I am proud of the team and grateful to the fans",
        "Every match is a new test for us",
        "We made too many mistakes in the first half",
        "My goal is simple: to be better than I was yesterday",
        "Winning here means a lot to me and my family",
    ),
    "culture": (
        "Art is a bridge between peoples",
        "Young audiences want stories that feel close to their own lives",
        "We hope more visitors will come and see these treasures in person",
        "Each piece tells a story about how people lived a thousand years ago",
        "Traditional opera is not a museum piece; it is alive on stage every night",
    ),
}

ROLES: dict[str, tuple[str, ...]] = {
    # "@" marks a role that needs a foreign speaker.
    "diplomacy": (
        "@{adj} Ambassador to China",
        "a professor of international relations at {univ}",
        "a research fellow at the {institute}",
        "@spokesperson for the {adj} Foreign Ministry",
        "deputy director of the {institute}",
    ),
    "economy": (
        "chief economist at {consult}",
        "a senior analyst at {consult}",
        "general manager of {company}",
        "an official with the {agency}",
        "a professor of economics at {univ}",
    ),
    "technology": (
        "chief technology officer of {company}",
        "a professor of computer science at {univ}",
        "an engineer at {company}",
        "founder of a startup based in {cn_city}",
    ),
    "sport": (
        "head coach of {team}",
        "the team's captain",
        "a sports commentator based in {cn_city}",
        "a spokesperson for the organizing committee",
    ),
    "culture": (
        "curator of the exhibition",
        "director of the {museum}",
        "a film critic based in {cn_city}",
        "a Peking Opera performer",
        "the festival's artistic director",
    ),
}

SUBHEADINGS = (
    "Room for growth",
    "A long road ahead",
    "Trade ties deepen",
    "New rules, new chances",
    "Lessons from the pandemic",
    "Green energy push",
    "Talent gap remains",
    "Fans return to stands",
    "Old crafts, new buyers",
    "Looking beyond the numbers",
    "Pressure on exporters",
    "Bridges across the region",
    "Digital trade takes off",
    "Security comes first",
    "Costs keep rising",
    "Back on track",
    "Next steps",
    "Young players step up",
    "Museums go digital",
    "Closer to home",
    "SCO talks resume",
    "AI race heats up",
    "5G goes rural",
    "What comes next for {country}",
    "Winning over young audiences",
    "Risks in the supply chain",
)

TITLES: dict[str, tuple[str, ...]] = {
    "diplomacy": (
        "China, {country} pledge closer cooperation in {field}",
        "{adj} FM's visit to boost ties with China: expert",
        "Talks in {fcity} open new chapter for China-{country} relations",
        "China urges restraint as tensions rise in {region}",
        "{country} keen to join more BRI projects: envoy",
        "Cooperation with China key to stability in {region}: ambassador",
        "{summit} to focus on development and security: experts",
    ),
    "economy": (
        "China's {indicator} up {pct} in {month}",
        "{company} to build {money} plant in {cn_city}",
        "Trade with {country} hits record high as demand recovers",
        "Yuan steadies as exporters see more orders: analysts",
        "{prov} rolls out new measures to attract foreign investment",
        "Holiday spending points to stronger consumption: report",
    ),
    "technology": (
        "{company} unveils new {product} in {cn_city}",
        "China's 5G network reaches rural {prov}",
        "Chip makers race to fill supply gap: report",
        "Young coders turn to video apps to learn AI",
        "Driverless taxis to hit {cn_city} roads by {fyear}: official",
    ),
    "sport": (
        "{cn_name} wins gold at {event} in {fcity}",
        "{team} beat {team2} to stay top of league",
        "China's swimmers eye more medals at {event}",
        "Marathon returns to {cn_city} streets after three-year break",
        "{sport} team must fix defense before {event}: coach",
    ),
    "culture": (
        "{museum} opens exhibition of rare {artifacts}",
        "'{film}' tops holiday box office",
        "Peking Opera troupe wins fans in {fcity}",
        "Young collectors flock to {cn_city} card fair",
        "{dynasty} Dynasty treasures go on show in {fcity}",
    ),
}

CAPTIONS: dict[str, tuple[str, ...]] = {
    "diplomacy": (
        "A freight train bound for {fcity} leaves {cn_city}, {province}, on {date}, {year}.",
        "Delegates pose for a group photo at the {summit} in {fcity} on {date}, {year}.",
        "{adj} Foreign Minister {fname}",
        "Flags of China and {country} are seen in {cn_city} on {date}, {year}.",
    ),
    "economy": (
        "Containers are stacked at a port in {cn_city} on {date}, {year}.",
        "Workers assemble parts at a factory in {cn_city}, {province}, on {date}, {year}.",
        "Shoppers browse goods at a mall in {cn_city} during the holiday.",
        "The skyline of {cn_city}",
    ),
    "technology": (
        "A visitor tries a {product} at an expo in {cn_city} on {date}, {year}.",
        "Engineers test equipment at a lab in {cn_city}.",
        "A delivery robot on a street in {cn_city}",
    ),
    "sport": (
        "{cn_name} celebrates after winning the final at the {event} on {date}, {year}.",
        "Fans cheer during the match between {team} and {team2} in {cn_city}.",
        "Runners set off at the start of the race in {cn_city} on {date}, {year}.",
        "{cn_name} of China",
    ),
    "culture": (
        "Visitors view {artifacts} at the {museum} in {cn_city}.",
        "Performers rehearse ahead of the festival's opening night in {fcity}.",
        "A scene from the film {film}",
        "Students learn paper cutting at a workshop in {cn_city} on {date}, {year}.",
    ),
}

CAPTION_EXTRA = (
    "The route opened in {year}.",
    "The event runs for {num} days.",
    "More than {big} people visited on the first day.",
)

CREDIT_ORGS = (
    "the organizing committee",
    "the {museum}",
    "{company}",
    "the {agency}",
    "the embassy of {country} in China",
)

PRINT_HEADLINES = (
    "Trade ties look up",
    "{country} deal signals trust",
    "Room to grow",
    "Gold rush in {fcity}",
    "Old art, new fans",
    "Chips in demand",
    "Talks bear fruit",
    "Spending rebounds",
    "A win for patience",
    "Bridges, not walls",
)

# A second batch, merged into the pools above so that long articles rarely repeat a sentence.
_MORE_NARRATIVE: dict[str, tuple[str, ...]] = {
    "diplomacy": (
        "The two leaders also agreed to make {fyear} a year of cultural and tourism exchanges.",
        "Chinese exports to {country} have grown by an average of {pct} a year over the past "
        "decade.",
        "The embassy said more than {big} students from {country} are studying in China.",
        "A direct flight between {cn_city} and {fcity} will resume in {month}, the airline said.",
        "Talks on a free trade agreement between China and {country} entered their {ordinal} "
        "round in {fcity}.",
        "The delegation is also scheduled to visit a high-speed rail maintenance base in "
        "{cn_city}.",
        "Both governments have pledged to keep supply chains stable and open.",
        "The foreign ministers of {num} countries in {region} issued a joint call for a "
        "ceasefire on {weekday}.",
        "Diplomatic observers in {fcity} described the talks as frank and constructive.",
        "The {adj} president is expected to attend the {summit} in person.",
        "In {year}, the two countries upgraded their ties to a comprehensive strategic "
        "partnership.",
    ),
    "economy": (
        "New home prices in {num} major cities edged down in {month}, official data showed.",
        "The purchasing managers' index rose to {pmi} in {month}, back in expansion territory.",
        "Tourism revenue during the Golden Week holiday reached {yuan}, the Ministry of Culture "
        "and Tourism said.",
        "Freight rates on routes from {cn_city} to Europe have fallen by nearly half since "
        "{month}.",
        "The free trade zone in {province} has attracted {big} companies since it opened in "
        "{year}.",
        "Soybean imports from {country} hit a record {big} tons in the first half.",
        "The State Council approved a plan to cut red tape for cross-border e-commerce firms.",
        "Profits at large industrial firms rose {pct} in the first {num} months, the statistics "
        "bureau said.",
        "Electric vehicles accounted for {pct} of new car sales in {month}, an industry "
        "association said.",
        "Analysts at {consult} said the recovery in services would offset weaker export demand.",
        "Consumer prices rose {pct} year-on-year in {month}, well below the official target.",
    ),
    "technology": (
        "The app has been downloaded more than {big} times since its launch in {month}.",
        "The new data center in {province} runs largely on wind and solar power.",
        "{company} plans to hire {big} software engineers this year, most of them fresh graduates.",
        "The government has set aside {yuan} to support start-ups working on {field}.",
        "A robot developed at {univ} can sort recycled waste {num} times faster than a human "
        "worker.",
        "The researchers published their findings in a peer-reviewed journal on {weekday}.",
        "A YouTube video of the test has been viewed more than {big} times.",
        "Smart factories in {province} have cut production costs by an average of {pct}, a "
        "local official said.",
        "The company's LinkedIn page lists more than {big} employees in {num} countries.",
        "The shopping festival drew {big} merchants, many selling through live streams on "
        "TikTok and Douyin.",
    ),
    "sport": (
        "The women's team will face {country} in the quarterfinals on {weekday}.",
        "{cn_name} scored twice in the second half to seal the win for {team}.",
        "The 19-year-old became the youngest Chinese player to reach the semifinals of the "
        "{event}.",
        "Organizers expect some {big} spectators at the opening ceremony in {cn_city}.",
        "The national {sport} team has been training at a high-altitude base in {province} "
        "since {month}.",
        "{team} have won {num} of their last {num2} home matches.",
        "Ticket prices for the final range from 180 yuan to 1,280 yuan.",
        "Chinese athletes set {num} personal bests on the final day of competition.",
        "The club said its new stadium in {cn_city} would be ready by {fyear}.",
        "Despite temperatures above 35°C, the match went ahead as planned.",
        "{cn_name} will defend the title at the {event} in {fcity} next month.",
    ),
    "culture": (
        "The exhibition brings together {big} works by {num} artists from China and {country}.",
        "The documentary follows three families living along the Yellow River over a year.",
        "A digital version of the exhibition lets online visitors zoom in on the smallest details.",
        "The museum welcomed more than {big} visitors in the first week.",
        "Organizers said half of the festival's tickets were bought by people under 30.",
        "{film} will be released in {num} countries, including {country}, later this year.",
        "The restored theater in {cn_city} first opened its doors in {year}.",
        "Calligraphy workshops for children are held every weekend at the {museum}.",
        "A café in {fcity} has started hosting tea ceremonies run by Chinese students.",
        "The album, recorded in {cn_city} and {fcity}, mixes folk melodies with electronic music.",
        "Publishers at the book fair in {fcity} signed {num} translation deals with Chinese "
        "partners.",
    ),
}

_MORE_QUOTES: dict[str, tuple[str, ...]] = {
    "shared": (
        "We are ready to work with all partners who share this vision",
        "The next few months will be critical",
        "People want to see results, not promises",
        "It is too early to say whether this trend will last",
        "We should look at the long term rather than short-term gains",
        "This is a good start, but only a start",
        "We learned a lot from the past three years",
        "Nobody can do this alone",
    ),
    "diplomacy": (
        "We firmly oppose any interference in our internal affairs",
        "Our trade with China has almost doubled since {year}",
        "Sanctions have never solved a problem; they only create new ones",
        "Students are the best ambassadors between our peoples",
        "We see China as a reliable partner for the development of {region}",
        "The agreements signed today open a new chapter in our relations",
        "Security and development go hand in hand",
    ),
    "economy": (
        "We plan to open {num} new stores in {cn_city} next year",
        "Our orders from {country} rose by {pct} this year",
        "Property is still a drag on growth, but the worst may be over",
        "Private firms need a clear and stable policy environment",
        "Rising costs of raw materials are eating into our margins",
        "The domestic market remains our biggest opportunity",
        "Investors are watching the interest rate decisions very closely",
    ),
    "technology": (
        "Our engineers spent {num} years developing this chip",
        "Customers in {country} care most about price and reliability",
        "Open-source software has changed the way we build products",
        "The biggest challenge is turning lab results into products people can buy",
        "We expect the first devices to reach stores by {month}",
        "AI will not replace doctors, but it will help them work faster",
        "Our users in {fcity} were the first to try the new version",
    ),
    "sport": (
        "We knew it would be a tough game against {team}",
        "The crowd gave us a huge lift in the final minutes",
        "I have been dreaming about this medal since I was a child",
        "We need to recover quickly because the next match is in three days",
        "There is no secret, just hard work in training every day",
        "The young players have shown they are ready for this level",
    ),
    "culture": (
        "We want children to grow up knowing where these traditions come from",
        "Every performance is different, because every audience is different",
        "It took our team {num} years to restore the paintings",
        "Cinema should make people laugh and think at the same time",
        "The story of the Silk Road is a story of exchange",
        "Many young people discover opera through short videos first",
    ),
}

NARRATIVE = {k: v + _MORE_NARRATIVE[k] for k, v in NARRATIVE.items()}
QUOTES = {k: v + _MORE_QUOTES[k] for k, v in QUOTES.items()}
REPORTED += (
    "The reforms are expected to create more jobs in services than in manufacturing",
    "Rural areas still lag behind cities in access to high-speed internet",
    "The venue has been upgraded to meet international standards",
    "The festival has become an important window on Chinese culture for foreign audiences",
    "Talks between the two sides are expected to continue next month",
    "The latest data point to a gradual but steady recovery",
)
