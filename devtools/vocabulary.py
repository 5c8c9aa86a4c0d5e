"""Word lists of the synthetic-article generator: names, places, organisations, sections.

Everything here is invented for this project or is a common name: the people are random
combinations of common given names and surnames. A list is a slot of the sentence templates
(devtools.templates): ``{cn_city}`` draws one value of ``LISTS["cn_city"]``.
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
    # plain-choice slots (number and date formatters live in devtools.templates)
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
