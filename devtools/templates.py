"""Sentence templates of the synthetic-article generator, and how a template is filled.

Everything here is invented for this project: the sentences are written from scratch in a
news-like register. A template is plain text with ``{slot}`` fields; a slot is either a word list
(devtools.vocabulary.LISTS) or one of the small number and date formatters below. A slot name
ending in a digit (``country2``) draws from the list of the name without the digit, avoiding the
earlier value. Narrative sentences carry their final stop; quotation sentences (``QUOTES``) and
reported clauses (``REPORTED``) do not, the generator adds ``.``/``,``. No template ends in an
abbreviation such as ``U.S.``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol

from devtools.vocabulary import LISTS

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
        "Delegates pose for a group photo at the {summit} in {fcity}, {date}, {year}.",
        "{adj} Foreign Minister {fname}",
        "Flags of China and {country} are seen in {cn_city} on {date}, {year}.",
    ),
    "economy": (
        "Containers are stacked at a port in {cn_city}, {province}, {date}, {year}.",
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
        "Runners set off at the start of the race in {cn_city}, {province}, {date}, {year}.",
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


# --------------------------------------------------------------------------- filling a template


class Draw(Protocol):
    """The random source a template is filled from (devtools.articles.Writer)."""

    r: Callable[[], float]

    def pick(self, seq: Sequence[str]) -> str:
        """One value of `seq`, uniformly."""
        ...


Source = tuple[str, ...] | Callable[[Draw], str]
# A compiled template: its literal parts, and (name, list name, source) of each slot between them.
Template = tuple[tuple[str, ...], tuple[tuple[str, str, Source], ...]]


def _num(w: Draw) -> str:
    return w.pick(LISTS["num_word"]) if w.r() < 0.5 else str(10 + int(w.r() * 51))


def _pct(w: Draw) -> str:
    return f"{0.5 + w.r() * 30:.1f} percent" if w.r() < 0.6 else f"{2 + int(w.r() * 40)} percent"


def _money(w: Draw) -> str:
    u = w.r()
    if u < 0.4:
        return f"${2 + int(w.r() * 90)} billion"
    if u < 0.6:
        return f"${1 + w.r() * 9:.1f} billion"
    if u < 0.8:
        return f"${100 + int(w.r() * 900)} million"
    return _yuan(w)


def _yuan(w: Draw) -> str:
    if w.r() < 0.5:
        return f"{1 + w.r() * 20:.1f} billion yuan"
    return f"{50 + int(w.r() * 950)} million yuan"


def _big(w: Draw) -> str:
    u = w.r()
    if u < 0.4:
        return f"{1000 + int(w.r() * 98000):,}"
    if u < 0.7:
        return str(100 + int(w.r() * 900))
    return f"{1.1 + w.r() * 8:.1f} million"


FORMATTERS: dict[str, Callable[[Draw], str]] = {
    "cn_name": lambda w: w.pick(LISTS["cn_surname"]) + " " + w.pick(LISTS["cn_given"]),
    "fname": lambda w: w.pick(LISTS["f_first"]) + " " + w.pick(LISTS["f_surname"]),
    "num": _num,
    "pct": _pct,
    "money": _money,
    "yuan": _yuan,
    "big": _big,
    "year": lambda w: str(2005 + int(w.r() * 18)),
    "fyear": lambda w: str(2025 + int(w.r() * 11)),
    "date": lambda w: f"{w.pick(LISTS['ap_month'])} {1 + int(w.r() * 28)}",
    "fx": lambda w: f"{6.3 + w.r() * 0.9:.4f}",
    "rate": lambda w: f"{3.45 + w.r() * 0.5:.2f}",
    "time": lambda w: f"{46.5 + w.r() * 2.5:.2f}",
    "pmi": lambda w: f"{49 + w.r() * 3:.1f}",
}
_SLOT_RE = re.compile(r"\{(\w+)\}")


def compile_template(text: str) -> Template:
    """A template's literal parts and slots; KeyError for a slot no list or formatter fills."""
    parts = _SLOT_RE.split(text)
    slots: list[tuple[str, str, Source]] = []
    for name in parts[1::2]:
        base = name.rstrip("0123456789")
        src: Source | None = LISTS.get(base) or FORMATTERS.get(base)
        if src is None:
            raise KeyError(f"unknown slot {name!r} in template {text!r}")
        slots.append((name, base, src))
    return tuple(parts[0::2]), tuple(slots)


def pool(texts: Sequence[str]) -> tuple[Template, ...]:
    """The compiled templates of `texts`."""
    return tuple(compile_template(t) for t in texts)


def fill(draw: Draw, template: Template) -> str:
    """The template with each slot drawn; a numbered slot avoids its list's earlier value."""
    lits, slots = template
    if not slots:
        return lits[0]
    r = draw.r
    out = [lits[0]]
    prev: dict[str, str] = {}
    for (name, base, src), lit in zip(slots, lits[1:], strict=True):
        for _ in range(3):
            v = src[int(r() * len(src))] if isinstance(src, tuple) else src(draw)
            if name == base or prev.get(base) != v:
                break
        prev[base] = v
        out.append(v)
        out.append(lit)
    return "".join(out)
