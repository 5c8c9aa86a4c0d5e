"""Tests for newsetl.text.clean: each test is named after the damage it undoes."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsetl.text.clean import REPAIR_KINDS, CleanedBody, Photo, clean_body, clean_text
from tests.conftest import SEED


def _split_raw(text: str) -> tuple[str, str]:
    """Title and body of a raw article file (the body follows the `Text:` line)."""
    head, sep, rest = text.partition("\nText:")
    assert sep, "no Text: line"
    body = rest.split("\n", 1)[1] if "\n" in rest else ""
    title = ""
    for line in head.splitlines():
        if line.startswith("Title:"):
            title = line[len("Title:") :].strip()
    return title, body


# ---------------------------------------------------------------------------------------------
# The seed article


@pytest.fixture(scope="module")
def seed() -> CleanedBody:
    title, body = _split_raw(SEED.read_text(encoding="utf-8"))
    assert title.startswith("Central Asia-China cooperation")
    return clean_body(body, title)


SEED_FIRST_PARAGRAPHS = (
    "As key member states in the Shanghai Cooperation Organization (SCO), China and Kazakhstan "
    "are expected to cooperate in ensuring regional security, fighting against terrorism, "
    "separatism, and extremism, and enhancing economic coordination under the China-proposed "
    "Belt and Road Initiative (BRI) amid the current uncertainty being seen in the global supply "
    "chains, said Kazakh Ambassador in China Shakhrat Nuryshev on Monday.",
    "China was one of the first countries to recognize Kazakhstan's independence in January 1992, "
    "and Kazakhstan highly appreciates the level of Kazakh-Chinese strategic partnership which is "
    "considered a benchmark of interstate relations with great stability to weather any "
    "challenges, Nuryshev told the Global Times in an exclusive interview after the start of his "
    "second term as Ambassador of Kazakhstan to China.",
    '"Our countries have no unsettled issues, no political discords. This factor creates '
    "favorable conditions for the dynamic development of trade and economic relations. "
    "Kazakhstan is interested in enhancing bilateral cooperation, building mutual trust, "
    'friendship, and good neighborliness with China," said Nuryshev.',
    "The envoy said that despite the ongoing global pandemic, the degree of dialogue between the "
    "two countries has nearly returned to pre-pandemic levels in 2022.",
)


def test_seed_first_paragraphs(seed: CleanedBody) -> None:
    assert seed.paragraphs[:4] == SEED_FIRST_PARAGRAPHS


def test_seed_subheadings_are_paragraphs(seed: CleanedBody) -> None:
    for heading in (
        "Sanctions not helping",
        "Cooperation in regional security",
        "BRI opens new doors",
    ):
        assert heading in seed.paragraphs
    index = seed.paragraphs.index("Sanctions not helping")
    assert seed.paragraphs[index - 1].endswith('dynamic growth centers."')
    assert seed.paragraphs[index + 1].startswith("As for the Russia-Ukraine crisis")


def test_seed_photo(seed: CleanedBody) -> None:
    assert seed.photos == (
        Photo(
            position=0,
            caption="A China-Europe freight train leaves Luoyang, Central China's Henan Province "
            "for Kazakhstan on April 6, 2022.",
            credit="VCG",
            kind="photo",
        ),
    )
    assert "Photo:" not in seed.body
    assert any(p.startswith('"I would like to emphasize') for p in seed.paragraphs)
    assert '"The parties have made progress' in seed.body


def test_seed_soft_hyphens_gone(seed: CleanedBody) -> None:
    assert "足" not in seed.body
    assert "\u00ad" not in seed.body
    assert "the China-proposed Belt and Road Initiative (BRI) amid the current uncertainty" in (
        seed.body
    )


def test_seed_headline_echo_removed(seed: CleanedBody) -> None:
    assert "exclusive full interview" not in seed.body
    assert not seed.body.startswith("Central Asia-China")
    assert seed.repairs["headline_echo_removed"] == 1


SEED_GOLD = Path(__file__).parent / "gold" / "seed_paragraphs.txt"


def test_seed_paragraphs_match_gold(seed: CleanedBody) -> None:
    gold = SEED_GOLD.read_text(encoding="utf-8").strip().split("\n\n")
    assert len(gold) == 31
    assert seed.body == "\n\n".join(seed.paragraphs)
    assert seed.print_headline is None
    # The hand-written reading of docs/text-cleaning.md, paragraph for paragraph: `role."` /
    # `A lot` is one paragraph, and `said.` / `"Quote` always opens a new one.
    assert list(seed.paragraphs) == gold


def test_seed_is_idempotent(seed: CleanedBody) -> None:
    title, _ = _split_raw(SEED.read_text(encoding="utf-8"))
    assert clean_body(seed.body, title).body == seed.body


# ---------------------------------------------------------------------------------------------
# One test per kind of damage


def test_glued_paragraphs_are_split() -> None:
    result = clean_body("The mayor left town.Reporters followed him.\n(see map)Then it rained.")
    assert result.paragraphs == (
        "The mayor left town.",
        "Reporters followed him. (see map)",
        "Then it rained.",
    )
    assert result.repairs["paragraphs_split"] == 2


def test_subheading_glued_to_next_paragraph() -> None:
    result = clean_body(
        "Farm output rose again.Harvest beats forecastsAs rain returned, yields grew."
    )
    assert result.paragraphs == (
        "Farm output rose again.",
        "Harvest beats forecasts",
        "As rain returned, yields grew.",
    )


def test_subheading_ending_in_acronym_or_number() -> None:
    result = clean_body("Ties with ASEANThe talks went well. Goals for 2030The plan is set.")
    assert result.paragraphs == (
        "Ties with ASEAN",
        "The talks went well. Goals for 2030",
        "The plan is set.",
    )


def test_camel_case_brands_survive() -> None:
    text = (
        "Users of WeChat, iPhone, PetroChina, YouTube, McDonald's, TikTok, LinkedIn, PayPal, "
        "JavaScript, eBay, iPad, MacBook, OpenAI, SpaceX, PyeongChang and McKenzie agreed."
    )
    assert clean_body(text).paragraphs == (text,)


def test_abbreviations_decimals_and_domains_are_not_glue() -> None:
    text = (
        "The U.S. economy grew 2.5 percent, said Mr. Lee of globaltimes.com.cn on Jan. 3. "
        "The U.S.A. team won."
    )
    assert clean_body(text).paragraphs == (text,)


def test_sentence_lines_are_joined() -> None:
    result = clean_body("First sentence here.\nSecond sentence here.\nThird one.")
    assert result.body == "First sentence here. Second sentence here. Third one."
    assert result.repairs["lines_joined"] == 2


def test_displaced_closing_quote_returns() -> None:
    raw = 'He said, "Prices will fall.\n"Market outlookAnalysts disagree with him.'
    result = clean_body(raw)
    assert result.paragraphs == (
        'He said, "Prices will fall."',
        "Market outlook",
        "Analysts disagree with him.",
    )
    assert result.repairs["quotes_moved"] == 1


def test_line_start_opening_quote_starts_paragraph() -> None:
    raw = 'The talks ended.\n"We are pleased," the minister said.'
    assert clean_body(raw).paragraphs == (
        "The talks ended.",
        '"We are pleased," the minister said.',
    )


def test_multi_paragraph_quotation_keeps_opening_quotes() -> None:
    raw = (
        '"Our first goal is growth.\nIt matters most.\n'
        '"Our second goal is peace," the mayor said.\nShe left at noon.'
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        '"Our first goal is growth. It matters most.',
        '"Our second goal is peace," the mayor said. She left at noon.',
    )
    assert result.repairs["quotes_moved"] == 0


def test_glued_closing_quote_then_paragraph() -> None:
    raw = 'She called them "forces of evil"Then the meeting ended.'
    assert clean_body(raw).paragraphs == (
        'She called them "forces of evil"',
        "Then the meeting ended.",
    )


def test_curly_quotes_are_unambiguous() -> None:
    raw = "He said: “Trade will grow.\n”Next stepsBoth sides agreed."
    result = clean_body(raw)
    assert result.paragraphs == ("He said: “Trade will grow.”", "Next steps", "Both sides agreed.")


def test_euc_jp_soft_hyphen_removed_in_latin_context() -> None:
    result = clean_body("The 足China-proposed Belt and Road 足Initiative opened doors.")
    assert result.body == "The China-proposed Belt and Road Initiative opened doors."
    assert clean_text("a fan of Pok辿mon and 息 marks") == "a fan of Pokémon and 息 marks"
    assert clean_text("Copyright 息2023") == "Copyright ©2023"


def test_genuine_cjk_survives() -> None:
    text = "The envoy, Wang Yi (王毅), met 足立 officials and wrote 足球 on a board."
    assert clean_body(text).body == text
    assert clean_text("Li Na 李娜 won") == "Li Na 李娜 won"


def test_mojibake_fixed() -> None:
    assert clean_text("NATOâ\x80\x99s China trap") == "NATO’s China trap"
    result = clean_body("Itâ€™s a deal, said the cafÃ© owner.")
    assert result.body == "It’s a deal, said the café owner."
    assert result.repairs["mojibake_fixed"] >= 1


def test_accented_text_untouched() -> None:
    assert clean_text("Café in Zürich, naïve pâté") == "Café in Zürich, naïve pâté"


def test_stray_chars_removed() -> None:
    result = clean_body("\ufeffZero\u200bwidth and soft\u00adhyphen\x07 text.")
    assert result.body == "Zerowidth and softhyphen text."
    assert result.repairs["stray_chars_removed"] == 4


def test_nbsp_paragraph_break() -> None:
    raw = (
        "Growth slowed after reforms.\u00a0 Despite that, jobs grew.\u00a0\u3000The rest followed."
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        "Growth slowed after reforms.",
        "Despite that, jobs grew.",
        "The rest followed.",
    )


def test_nbsp_inside_sentence_is_a_space() -> None:
    raw = "The ship sailed to North\u00a0Korea on Jan.\u00a010 and\u00a0 back."
    assert clean_body(raw).body == "The ship sailed to North Korea on Jan. 10 and back."


def test_html_entities() -> None:
    assert clean_text("R&amp;D &#8217;s &quot;plan&quot; for B&R") == 'R&D ’s "plan" for B&R'
    assert clean_text("North&nbspKorean boats, AT&T") == "North Korean boats, AT&T"
    assert clean_text("double &amp;amp; escaped") == "double & escaped"


def test_caption_credit_glued() -> None:
    raw = (
        "The port reopened in May.A crane lifts a container in Tianjin on May 3, 2022.\n"
        'Photo: VCG"We are busy again," a worker said.'
    )
    result = clean_body(raw)
    assert result.paragraphs == ("The port reopened in May.", '"We are busy again," a worker said.')
    assert result.photos == (
        Photo(0, "A crane lifts a container in Tianjin on May 3, 2022.", "VCG", "photo"),
    )
    assert result.repairs["captions_extracted"] == 1


def test_caption_space_separated() -> None:
    raw = (
        "Premier Jane Doe Photo: VCG More leaders will visit this week. They come by train. "
        "Old harbor in fog. Photo: Li Hao/GT The harbor closed in 1999."
        "Illustration: Chen Xian/Global Times There are still problems. They persist. "
        "A flock of birds near Larnaca, Cyprus, on Jan. 10, 2023.(Photo: Xinhua) "
        "Birds came back. They nest. "
        "Leaders meet in Da Nang, Nov. 10, 2017. (Xinhua/Lan Hongguang) Talks went on."
    )
    result = clean_body(raw)
    assert result.photos == (
        Photo(0, "Premier Jane Doe", "VCG", "photo"),
        Photo(1, "Old harbor in fog.", "Li Hao/GT", "photo"),
        Photo(2, None, "Chen Xian/Global Times", "illustration"),
        Photo(3, "A flock of birds near Larnaca, Cyprus, on Jan. 10, 2023.", "Xinhua", "photo"),
        Photo(4, "Leaders meet in Da Nang, Nov. 10, 2017.", "Xinhua/Lan Hongguang", None),
    )
    assert result.paragraphs == (
        "More leaders will visit this week. They come by train.",
        "The harbor closed in 1999.",
        "There are still problems. They persist.",
        "Birds came back. They nest.",
        "Talks went on.",
    )


def test_two_sentence_caption_after_a_credit() -> None:
    # Real scrapes caption a photo with two sentences, the second shared by every photo.
    raw = (
        "Dancers in Elefsina, Feb. 4, 2023. The festival opened on Saturday. Photo: Xinhua "
        "A fish on the pier, Feb. 4, 2023. The festival opened on Saturday. Photo: Xinhua "
        "The ceremony ran late."
    )
    result = clean_body(raw)
    caption = "{} The festival opened on Saturday."
    assert result.photos == (
        Photo(0, caption.format("Dancers in Elefsina, Feb. 4, 2023."), "Xinhua", "photo"),
        Photo(1, caption.format("A fish on the pier, Feb. 4, 2023."), "Xinhua", "photo"),
    )
    assert result.paragraphs == ("The ceremony ran late.",)


def test_caption_credit_ends_before_the_next_sentence() -> None:
    # No glue and no line break after the credit: the next paragraph opens with a capitalised
    # word and a lower-case one, and a screenshot names a single platform.
    cases = {
        "Courtesy of Hengtai Chemicals": "Visa applications rose.",
        "Screenshot from Bilibili": "Industry insiders warn of it.",
        "Courtesy of NovaGen Biotech": "It works.",
        "Courtesy of the Ministry of Culture and Tourism": "Profits at large firms rose.",
        "Courtesy of the embassy of Nigeria in China": "Yao Ying, a professor, said so.",
    }
    for credit, paragraph in cases.items():
        result = clean_body(f"A lab in Dalian. Photo: {credit} {paragraph}")
        kind = "screenshot" if credit.startswith("Screenshot") else "photo"
        assert result.photos == (Photo(0, "A lab in Dalian.", credit, kind),)
        assert result.paragraphs == (paragraph,)


def test_caption_credit_phrases() -> None:
    raw = "A signing ceremony in Beijing. Photo: Courtesy of the embassy The embassy said so."
    result = clean_body(raw)
    assert result.photos == (
        Photo(0, "A signing ceremony in Beijing.", "Courtesy of the embassy", "photo"),
    )
    assert result.paragraphs == ("The embassy said so.",)


@pytest.mark.parametrize(
    ("raw", "credit", "kind"),
    [
        ("Illustration: Liu Rui/GT", "Liu Rui/GT", "illustration"),
        ("File photo: AFP", "AFP", "file photo"),
        ("Illustration: Peter C. Espina/GT", "Peter C. Espina/GT", "illustration"),
    ],
)
def test_caption_only_body(raw: str, credit: str, kind: str) -> None:
    result = clean_body(raw + "\n")
    assert result.body == ""
    assert result.paragraphs == ()
    assert result.photos == (Photo(0, None, credit, kind),)


def test_newspaper_headline_trailer() -> None:
    raw = (
        "The plan makes a fool of itself.Newspaper headline: Kudlow should understand China’s will"
    )
    result = clean_body(raw)
    assert result.body == "The plan makes a fool of itself."
    assert result.print_headline == "Kudlow should understand China’s will"
    assert result.repairs["trailers_removed"] == 1
    on_own_line = clean_body("Closing words.\nNewspaper headline: Visa limits\n")
    assert on_own_line.body == "Closing words."
    assert on_own_line.print_headline == "Visa limits"


def test_related_articles_trailer() -> None:
    raw = "Those concepts are rusty.\nRELATED ARTICLES:  Some other story\nAnd another"
    result = clean_body(raw)
    assert result.body == "Those concepts are rusty."
    assert result.repairs["trailers_removed"] == 1


def test_opinion_email_trailer() -> None:
    raw = "The author is a research fellow. opinion@globaltimes.com.cn\n"
    result = clean_body(raw)
    assert result.body == "The author is a research fellow."
    assert result.repairs["trailers_removed"] == 1
    assert clean_body("Write to me.editor@globaltimes.com.cn").body == "Write to me."


def test_headline_echo_removed() -> None:
    title = "Rail link crucial to regional growth: minister"
    raw = (
        "Rail link crucial to regional growth: transport minister (full interview)"
        "The new line opens."
    )
    result = clean_body(raw, title)
    assert result.paragraphs == ("The new line opens.",)
    assert result.repairs["headline_echo_removed"] == 1


def test_headline_echo_exact_prefix() -> None:
    title = "Harbor reopens after storm"
    result = clean_body("Harbor reopens after storm\nThe harbor reopened on Monday.", title)
    assert result.paragraphs == ("The harbor reopened on Monday.",)
    glued = clean_body('Harbor reopens after storm"It is good news," he said.', title)
    assert glued.paragraphs == ('"It is good news," he said.',)


def test_headline_question_opening_the_lead_is_kept() -> None:
    raw = "Where does the river go? This question is asked every year."
    assert clean_body(raw, "Where does the river go?").body == raw


def test_lead_that_resembles_title_is_kept() -> None:
    title = "Harbor reopens after storm"
    raw = "The harbor reopens after the storm, officials said on Monday."
    assert clean_body(raw, title).body == raw


def test_blank_lines_are_paragraph_breaks() -> None:
    result = clean_body("One paragraph.\n\n\nAnother paragraph.\r\n\r\nA third.")
    assert result.paragraphs == ("One paragraph.", "Another paragraph.", "A third.")


def test_empty_body() -> None:
    result = clean_body("")
    assert result.body == ""
    assert result.paragraphs == ()
    assert result.photos == ()
    assert result.print_headline is None
    assert set(result.repairs) == set(REPAIR_KINDS)
    assert all(v == 0 for v in result.repairs.values())


def test_clean_text_collapses_whitespace() -> None:
    assert clean_text("  US \nwarships\tplay\u00a0 games  ") == "US warships play games"


def test_idempotent() -> None:
    raw = (
        'Title echo hereThe lead.\n"Quoted start.\n"Sub headA new part.\u00a0 Next one. '
        "Caption text. Photo: AFP Body goes on.Newspaper headline: Print title"
    )
    once = clean_body(raw, "Title echo here")
    assert clean_body(once.body, "Title echo here").body == once.body


# ---------------------------------------------------------------------------------------------
# The real Global Times scrapes


def test_globaltimes_corpus_cleans(globaltimes_files: list[Path]) -> None:
    files = globaltimes_files
    credit = re.compile(r"\b(?:Photos?|Illustration|File photo)\s*:")
    for path in files:
        title, body = _split_raw(path.read_text(encoding="utf-8"))
        result = clean_body(body, title)
        assert set(result.repairs) == set(REPAIR_KINDS), path.name
        assert not credit.search(result.body), path.name
        assert "\u00a0" not in result.body and "\u3000" not in result.body, path.name
        assert "@globaltimes.com.cn" not in result.body, path.name
        assert "Newspaper headline" not in result.body, path.name
        assert all(p and p == p.strip() for p in result.paragraphs), path.name
        assert clean_body(result.body, title).body == result.body, path.name


# ---------------------------------------------------------------------------------------------
# Properties

_ALPHABET = st.sampled_from(
    [*'abcdefghijXYZQ  ..,,!?""“”\'()\n\n:;-', "\u00a0", "足", "息", "é", "Mc", "I", "The"]
)
_TEXT = st.lists(_ALPHABET, max_size=80).map("".join)
_WORD = re.compile(r"[^\W_]+")
# Labels and trailers that the cleaner drops on purpose.
_DROPPED = {"photo", "photos", "illustration", "graphic", "file", "newspaper", "headline"}


def _pieces(word: str) -> list[str]:
    """A word cut where case or script changes, as glue repair cuts `helpingAs` or `2030The`."""
    pieces, start = [], 0
    for i in range(1, len(word)):
        prev, cur, nxt = word[i - 1], word[i], word[i + 1 : i + 2]
        if (
            (prev.islower() and cur.isupper())
            or (prev.isdigit() != cur.isdigit())
            or ((prev.lower() != prev.upper()) != (cur.lower() != cur.upper()))
            or (prev.isupper() and cur.isupper() and nxt.islower())
        ):
            pieces.append(word[start:i])
            start = i
    pieces.append(word[start:])
    return pieces


def _word_counts(text: str) -> Counter[str]:
    return Counter(p.lower() for w in _WORD.findall(text) for p in _pieces(w))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    result = clean_body(text, text[:40])
    assert isinstance(result.body, str)
    assert "\n\n\n" not in result.body
    assert result.body == "\n\n".join(result.paragraphs)
    assert clean_text(text) == clean_text(clean_text(text))


def test_a_quote_moved_up_is_repaired_with_what_it_joins() -> None:
    # Found by test_idempotent_property: the displaced `”` moved up onto `é“` spells the
    # mojibake of `铔`, which only a second cleaning repaired.
    once = clean_body("é“\n”", "The title")
    assert once.body == "铔"
    assert once.repairs["quotes_moved"] == 1 and once.repairs["mojibake_fixed"] == 1
    assert clean_body(once.body, "The title").body == once.body


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=200)))
def test_idempotent_property(text: str) -> None:
    once = clean_body(text, "The title")
    assert clean_body(once.body, "The title").body == once.body


@settings(max_examples=300, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=200)))
def test_never_drops_a_word(text: str) -> None:
    result = clean_body(text)
    kept = " ".join(
        [result.body, result.print_headline or ""]
        + [p.caption or "" for p in result.photos]
        + [p.credit or "" for p in result.photos]
    )
    expected = _word_counts(clean_text(text))
    for word in _DROPPED:
        expected.pop(word, None)
    assert expected - _word_counts(kept) == Counter()
