"""One test per rule of docs/text-cleaning.md ("The rules") for what splitter and glue left.

Each test is named after the damage it undoes; the raw text is invented.
"""

from __future__ import annotations

from newsetl.text.clean import REPAIR_KINDS, TRACE_KINDS, Photo, Repair, clean_body

# ---------------------------------------------------------------------------------------------
# What the sentence splitter does to quote marks


def test_quote_at_line_end_closes_inside_the_paragraph() -> None:
    # The splitter breaks `role."Next` before the quote, so `role."` at a line end was followed
    # by a space: the next line goes on in the same paragraph.
    raw = 'He left.\n"Our role is special."\nA lot was agreed.\nMore came later.'
    assert clean_body(raw).paragraphs == (
        "He left.",
        '"Our role is special." A lot was agreed. More came later.',
    )


def test_opening_quote_at_line_start_after_attribution_opens_a_paragraph() -> None:
    # `said.` / `"Next`: no same-speaker guess, news paragraphs open with the quotation.
    raw = '"We agree," she said.\n"Our ties are strong."\nTrade rose.'
    assert clean_body(raw).paragraphs == (
        '"We agree," she said.',
        '"Our ties are strong." Trade rose.',
    )


def test_two_quotes_at_line_start_close_and_open() -> None:
    # `end.""Next` (a quotation closing its paragraph, the next opening with one) is broken
    # before both quotes: the first closes, the second opens.
    raw = '"The work is done.\n""It took years," he said.'
    assert clean_body(raw).paragraphs == ('"The work is done."', '"It took years," he said.')


def test_glued_closing_and_opening_quotes_are_split() -> None:
    raw = 'Deng said that "we hope more visitors will come.""It took six years," he said.'
    assert clean_body(raw).paragraphs == (
        'Deng said that "we hope more visitors will come."',
        '"It took six years," he said.',
    )


def test_quote_parity_reads_first_person_as_speech() -> None:
    # Two readings keep parity: the first person (`we`, `our`) is speech, `said` is narrative.
    raw = (
        '"Ties are good.\n"We should look ahead.\nNobody gains from rivalry.\n'
        '"Some 30 percent of those surveyed said they agree.\n"The side should stop it.\n'
        '"We support talks," Li said.'
    )
    assert clean_body(raw).paragraphs == (
        '"Ties are good.',
        '"We should look ahead. Nobody gains from rivalry."',
        "Some 30 percent of those surveyed said they agree.",
        '"The side should stop it.',
        '"We support talks," Li said.',
    )


def test_quote_at_the_body_end_before_narrative_closes() -> None:
    # The text after the last quote counts too: `said more than 32,753` reads as narrative.
    raw = (
        "The players are ready for this level.\n"
        '"Organizers said more than 32,753 runners took part in the race.'
    )
    assert clean_body(raw).paragraphs == (
        'The players are ready for this level."',
        "Organizers said more than 32,753 runners took part in the race.",
    )


def test_quote_parity_reads_a_figure_in_the_first_person_as_speech() -> None:
    # `We plan to open 13 new stores` is speech although it holds a figure.
    raw = (
        '"It has been a hard year, but we have seen signs of hope.\nWe expect sales to improve.\n'
        '"Consumers are more willing to spend.\nWe plan to open 13 new stores next year.\n'
        '"Demand is likely to stay strong in the second half, said Tang Min, an official.\n'
        '"Small businesses need cheaper credit.'
    )
    assert clean_body(raw).paragraphs == (
        '"It has been a hard year, but we have seen signs of hope. We expect sales to improve.',
        '"Consumers are more willing to spend. We plan to open 13 new stores next year."',
        "Demand is likely to stay strong in the second half, said Tang Min, an official.",
        '"Small businesses need cheaper credit.',
    )


def test_quote_parity_reads_a_name_in_the_sentence_as_narrative() -> None:
    # `with WeChat`: a name inside the sentence leans to narrative when nothing else decides.
    raw = (
        '"Opera is alive," said Qin.\n"Cinema should make people laugh.\n'
        '"Visitors can scan a code with WeChat.\n"Art is a bridge between peoples.\n'
        '"There is work to do," he said.'
    )
    assert clean_body(raw).paragraphs == (
        '"Opera is alive," said Qin.',
        '"Cinema should make people laugh."',
        "Visitors can scan a code with WeChat.",
        '"Art is a bridge between peoples.',
        '"There is work to do," he said.',
    )


def test_subheading_glued_to_a_quotation_is_no_quotation() -> None:
    # `"New rules, new chances"The`: the first quote closes the line before (pushed down by
    # the splitter), the second opens the next paragraph; a quotation would end in a stop.
    raw = (
        "We should look at the long term.\n"
        '"Greenleaf said it would invest $46 billion in a new plant.\n'
        "Freight rates have fallen by half since December.\n"
        "Output grew 25.1 percent in July, data showed.\n"
        '"I think the results speak for themselves.\n'
        '"New rules, new chances"The numbers show that the recovery is on track.'
    )
    assert clean_body(raw).paragraphs == (
        'We should look at the long term."',
        "Greenleaf said it would invest $46 billion in a new plant. Freight rates have fallen by"
        " half since December. Output grew 25.1 percent in July, data showed.",
        '"I think the results speak for themselves."',
        "New rules, new chances",
        '"The numbers show that the recovery is on track.',
    )


def test_quote_alone_on_its_line_before_a_trailer_closes() -> None:
    # `exchange."Newspaper headline: ...` broke before the quote; the trailer leaves, the quote
    # opens nothing.
    raw = (
        '"Nobody can do this alone.\nEach piece tells a story.\n'
        '"The story of the Silk Road is one of exchange.\n"Newspaper headline: A win'
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        '"Nobody can do this alone. Each piece tells a story.',
        '"The story of the Silk Road is one of exchange."',
    )
    assert result.print_headline == "A win"


# ---------------------------------------------------------------------------------------------
# Glue points


def test_subheading_glued_to_a_one_letter_word() -> None:
    raw = "It was late.Next stepsA crème brûlée was served."
    assert clean_body(raw).paragraphs == (
        "It was late.",
        "Next steps",
        "A crème brûlée was served.",
    )
    # Only before a word: a capital `A` or `I` that ends its line is no sentence (and a second
    # cleaning, which sees `aaI` end its paragraph, must not split it either).
    assert clean_body('aaI"Mc').body == clean_body(clean_body('aaI"Mc').body).body
    assert clean_body("The grade was aI\nIt rose.").paragraphs == ("The grade was aI It rose.",)


def test_subheading_ending_in_a_place_glued_to_the_next_paragraph() -> None:
    raw = "He left.What comes next for ChileChina had built more. PetroChina and SkyBridge grew."
    assert clean_body(raw).paragraphs == (
        "He left.",
        "What comes next for Chile",
        "China had built more. PetroChina and SkyBridge grew.",
    )


def test_subheading_opening_with_a_number_glued_after_a_year() -> None:
    raw = "Work began in 2010.5G goes ruralThe towers rose. Output was 2.5GW in 2010.5 more."
    assert clean_body(raw).paragraphs == (
        "Work began in 2010.",
        "5G goes rural",
        "The towers rose. Output was 2.5GW in 2010.5 more.",
    )


def test_nbsp_run_before_a_number_is_a_paragraph_break() -> None:
    raw = (
        "He told the Global Times.\u00a0\u00a0\u30005G goes rural\u00a0\u3000It is on Jan.\u00a010."
    )
    assert clean_body(raw).paragraphs == (
        "He told the Global Times.",
        "5G goes rural",
        "It is on Jan. 10.",
    )


def test_nbsp_run_after_a_subheading_is_a_paragraph_break() -> None:
    raw = (
        'He said so.Old crafts, new buyers\u00a0 \u00a0"We sell more," she said, the latest'
        ' in\u00a0 "talks".'
    )
    assert clean_body(raw).paragraphs == (
        "He said so.",
        "Old crafts, new buyers",
        '"We sell more," she said, the latest in "talks".',
    )


def test_single_nbsp_and_spaces_is_a_break_only_where_the_article_breaks_that_way() -> None:
    # `industries.\xa0 The US`: a typed double space in an article whose breaks are lone NBSPs;
    # where the article has no other way (or the same one), it is the break.
    raw = "Tariffs rose.\u00a0China replied.\u00a0It was quick. Lists grew.\u00a0 The US acted."
    assert clean_body(raw).paragraphs == (
        "Tariffs rose.",
        "China replied.",
        "It was quick. Lists grew. The US acted.",
    )
    raw = "Tariffs rose.China replied.\u00a0 It was quick. Lists grew.\u00a0 The US acted."
    assert clean_body(raw).paragraphs == (
        "Tariffs rose.",
        "China replied.",
        "It was quick. Lists grew.",
        "The US acted.",
    )


def test_lone_nbsp_before_a_sentence_typed_with_nbsps_is_a_space() -> None:
    # `changed subtly.\xa0It has\xa0started`: the article breaks with runs of NBSPs, and the
    # sentence after this lone one is typed with NBSPs for spaces.
    raw = (
        "Talks stalled.\u00a0\u00a0China will not move.\u00a0\u00a0\u00a0India's stance changed"
        " subtly.\u00a0It has\u00a0started to stress a new line.\u00a0\u00a0This shows doubt."
        "\u00a0China waits."
    )
    assert clean_body(raw).paragraphs == (
        "Talks stalled.",
        "China will not move.",
        "India's stance changed subtly. It has started to stress a new line.",
        "This shows doubt.",
        "China waits.",
    )


def test_run_of_hard_spaces_inside_a_sentence_is_a_space() -> None:
    # Not a sub-heading: the text before ends in a word no heading ends with, or it began
    # after a sentence end and a plain space (inside a paragraph).
    assert clean_body("The list grew to include\u00a0\u00a0South Asia.").paragraphs == (
        "The list grew to include South Asia.",
    )
    assert clean_body("The list grew.Ties with the\u00a0\u00a0Gulf states rose.").paragraphs == (
        "The list grew.",
        "Ties with the Gulf states rose.",
    )
    assert clean_body(
        "Prices rose. Trade in the region grew\u00a0\u00a0Exports led."
    ).paragraphs == ("Prices rose. Trade in the region grew Exports led.",)


def test_number_glued_after_a_closing_quote_starts_a_paragraph() -> None:
    raw = 'The BBC called it "official."93-year-old Mugabe has ruled since 1987.'
    assert clean_body(raw).paragraphs == (
        'The BBC called it "official."',
        "93-year-old Mugabe has ruled since 1987.",
    )


def test_u3000_after_a_subheading_is_a_paragraph_break() -> None:
    # U+3000 is never a plain space in English text: one is enough after a sub-heading.
    raw = (
        "She said on Wednesday.What comes next for Nigeria\u3000A scene from the film The Tea"
        ' Road(Photo: Courtesy of the General Administration of Sport) Ren said, "It is fine."'
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        "She said on Wednesday.",
        "What comes next for Nigeria",
        'Ren said, "It is fine."',
    )
    assert result.photos == (
        Photo(
            0,
            "A scene from the film The Tea Road",
            "Courtesy of the General Administration of Sport",
            "photo",
        ),
    )


def test_closing_single_quote_glued_to_the_next_paragraph() -> None:
    # `'final.'The`: a quotation in single quotes ends in a stop, the next paragraph glued on.
    assert clean_body("He said it was 'final.'The decision stands.").paragraphs == (
        "He said it was 'final.'",
        "The decision stands.",
    )
    assert clean_body("He called it ‘historic.’2024 will differ.").paragraphs == (
        "He called it ‘historic.’",
        "2024 will differ.",
    )
    # An apostrophe with no quote opened before it is no quotation's end.
    assert clean_body("The workers.'The plan").paragraphs == ("The workers.'The plan",)


def test_hard_space_run_after_an_article_and_a_short_word_is_a_space() -> None:
    # `The US\xa0\xa0Army said` after a break: no sub-heading is `The US`.
    raw = 'He said so, one official."\xa0\xa0The US\xa0\xa0Army said on Monday it would go.'
    assert clean_body(raw).paragraphs == (
        'He said so, one official."',
        "The US Army said on Monday it would go.",
    )


# ---------------------------------------------------------------------------------------------
# Captions and credits. A photo block follows whitespace (the seed's caption line follows
# `cooperation."` with the quote still at the line's end), so the line break before a caption is
# an ordinary sentence break: the caption is the one line before its credit line.


def test_caption_is_the_line_before_its_credit_after_a_sentence() -> None:
    # Issue #19's example: the two body lines before the caption stay in the body.
    raw = (
        "The talks went well.The ministers met on Monday.\nThey agreed to expand trade.\n"
        "A view of the port of Qingdao, East China's Shandong Province.\n"
        "Photo: VCGThe next paragraph starts here."
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        "The talks went well.",
        "The ministers met on Monday. They agreed to expand trade.",
        "The next paragraph starts here.",
    )
    assert result.photos == (
        Photo(0, "A view of the port of Qingdao, East China's Shandong Province.", "VCG", "photo"),
    )


def test_caption_after_a_quotation_line_is_not_part_of_it() -> None:
    # The seed: `cooperation."` / `A China-Europe freight train ...` / `Photo: VCG"I would`.
    raw = (
        'He spoke.\n"The parties made progress.\nTrade grew."\nA train leaves Luoyang.\n'
        'Photo: VCG"I agree," he said.'
    )
    result = clean_body(raw)
    assert result.paragraphs == (
        "He spoke.",
        '"The parties made progress. Trade grew."',
        '"I agree," he said.',
    )
    assert result.photos == (Photo(0, "A train leaves Luoyang.", "VCG", "photo"),)


def test_caption_after_a_subheading() -> None:
    raw = (
        "Prices rose.Room for growth\nShoppers browse goods at a mall in Suzhou.\n"
        "Photo: cnsphotoSales rose 5 percent."
    )
    result = clean_body(raw)
    assert result.paragraphs == ("Prices rose.", "Room for growth", "Sales rose 5 percent.")
    assert result.photos == (
        Photo(0, "Shoppers browse goods at a mall in Suzhou.", "cnsphoto", "photo"),
    )


def test_caption_at_the_start_of_the_body_and_after_the_headline_echo() -> None:
    title = "Harbor reopens after storm"
    for raw in (
        "Boats return to the bay.\nPhoto: AFPThe harbor reopened on Monday.",
        f"{title}\nBoats return to the bay.\nPhoto: AFPThe harbor reopened on Monday.",
    ):
        result = clean_body(raw, title)
        assert result.paragraphs == ("The harbor reopened on Monday.",)
        assert result.photos == (Photo(0, "Boats return to the bay.", "AFP", "photo"),)


def test_two_photos_in_a_row() -> None:
    raw = (
        "Prices rose.\nA port at dawn.\nPhoto: VCG\nThe skyline of Tianjin Photo: Li Hao/GT"
        "Sales rose."
    )
    result = clean_body(raw)
    assert result.paragraphs == ("Prices rose.", "Sales rose.")
    assert result.photos == (
        Photo(0, "A port at dawn.", "VCG", "photo"),
        Photo(1, "The skyline of Tianjin", "Li Hao/GT", "photo"),
    )


def test_caption_without_a_stop_shares_the_credit_line() -> None:
    # The lines before a caption on the credit's line are the body's.
    raw = "He left.The talks went on.\nThey ended at noon.\nPremier Jane Doe Photo: VCGIt rained."
    result = clean_body(raw)
    assert result.paragraphs == ("He left.", "The talks went on. They ended at noon.", "It rained.")
    assert result.photos == (Photo(0, "Premier Jane Doe", "VCG", "photo"),)


def test_caption_in_a_flat_scrape_is_the_sentence_before_the_credit() -> None:
    for gap in ("\u00a0 \u00a0", " "):
        raw = (
            f"Prices rose.\u00a0 The talks went on. They ended at noon.{gap}A port at dawn. "
            "Photo: VCG Sales rose."
        )
        result = clean_body(raw)
        assert result.paragraphs == (
            "Prices rose.",
            "The talks went on. They ended at noon.",
            "Sales rose.",
        ), gap
        assert result.photos == (Photo(0, "A port at dawn.", "VCG", "photo"),)


def test_a_second_caption_line_joins_only_on_a_caption_cue() -> None:
    # `Photo taken on ...`, and a caption that ends in a place and a date (Xinhua's captions
    # go on with a line of context): the line before joins. Without a cue it stays.
    cases = {
        "Talks began.\nTourists visit the Great Wall.\nPhoto taken on May 2, 2021.\n": (
            "Tourists visit the Great Wall. Photo taken on May 2, 2021."
        ),
        "Talks began.\nA fish is seen in Elefsina, Greece, Feb. 4, 2023.\nThe festival opened.\n": (
            "A fish is seen in Elefsina, Greece, Feb. 4, 2023. The festival opened."
        ),
        "Talks began.\nA fish is seen in Elefsina, Greece, on Feb.\n4, 2023.\nIt opened.\n": (
            "A fish is seen in Elefsina, Greece, on Feb. 4, 2023. It opened."
        ),
    }
    for lines, caption in cases.items():
        result = clean_body(lines + "Photo: XinhuaThe end.")
        assert result.photos == (Photo(0, caption, "Xinhua", "photo"),), lines
        assert result.paragraphs == ("Talks began.", "The end."), lines
    result = clean_body("Talks began.\nThe sun set.\nThe festival opened.\nPhoto: XinhuaThe end.")
    assert result.photos == (Photo(0, "The festival opened.", "Xinhua", "photo"),)
    assert result.paragraphs == ("Talks began. The sun set.", "The end.")


def test_no_caption_from_a_line_that_cannot_be_one() -> None:
    # A quotation, a line without a stop (a sub-heading), speech, and an illustration (no real
    # one has a caption) leave the line before the credit in the body.
    cases = {
        '"We agree," Li said.\nPhoto: VCG': ('"We agree," Li said.',),
        'He spoke.\n"Trade grew."\nPhoto: VCG': ("He spoke.", '"Trade grew."'),
        "Prices rose.Room for growth\nPhoto: VCG": ("Prices rose.", "Room for growth"),
        "Prices rose.\nLi said the port would reopen.\nPhoto: VCG": (
            "Prices rose. Li said the port would reopen.",
        ),
        "Prices fell again.\nIllustration: Tom Vale/GT": ("Prices fell again.",),
    }
    for raw, paragraphs in cases.items():
        result = clean_body(raw + "The market is calm.")
        assert result.paragraphs == (*paragraphs, "The market is calm."), raw
        assert [photo.caption for photo in result.photos] == [None], raw


def test_quote_before_a_caption_that_starts_at_glue_is_read_by_parity() -> None:
    # `"Work to do.A scene from the film Photo:`: the caption starts at the glue, so the quote
    # before it need not close a quotation; here it opens one that runs on past the photo.
    raw = 'It sold well.\n"Work to do.A scene from the film Photo: Xinhua"It was hard," she said.'
    result = clean_body(raw)
    assert result.photos == (Photo(0, "A scene from the film", "Xinhua", "photo"),)
    assert result.paragraphs == (
        "It sold well.",
        '"Work to do.',
        '"It was hard," she said.',
    )


def test_quote_right_after_a_credit_opens_a_paragraph() -> None:
    # `Photo: Xinhua"The players`: a credit ends a photo block, so the quote can only open.
    raw = (
        '"We made too many mistakes in the first half."\nFans cheer at the match in Guiyang.\n'
        'Photo: Xinhua"The players showed great character today.'
    )
    result = clean_body(raw)
    assert result.photos == (Photo(0, "Fans cheer at the match in Guiyang.", "Xinhua", "photo"),)
    assert result.paragraphs == (
        '"We made too many mistakes in the first half."',
        '"The players showed great character today.',
    )


def test_credit_glued_to_an_acronym_or_a_number() -> None:
    for glued, rest in (
        ("VCGAI race heats up", "AI race heats up"),
        ("AFP5G goes rural", "5G goes rural"),
    ):
        result = clean_body(f"A port at dawn.\nPhoto: {glued}")
        credit = glued[: len(glued) - len(rest)]
        assert result.photos == (Photo(0, "A port at dawn.", credit, "photo"),)
        assert result.paragraphs == (rest,)


def test_credit_phrase_glued_to_a_capitalised_word() -> None:
    raw = "A lab.\nPhoto: Courtesy of the embassy of Mexico in ChinaWorkers assemble parts."
    result = clean_body(raw)
    credit = "Courtesy of the embassy of Mexico in China"
    assert result.photos == (Photo(0, "A lab.", credit, "photo"),)
    assert result.paragraphs == ("Workers assemble parts.",)
    raw = "A lab.\nPhoto: Courtesy of Silkline RailConsumer confidence rose."
    assert clean_body(raw).photos == (Photo(0, "A lab.", "Courtesy of Silkline Rail", "photo"),)


def test_two_credits_in_a_row() -> None:
    raw = (
        "Prices fell.\u00a0 \u00a0Shoppers in Suzhou. Photo: cnsphoto "
        "Illustration: Wang Wei/GT Talks went on."
    )
    result = clean_body(raw)
    assert result.photos == (
        Photo(0, "Shoppers in Suzhou.", "cnsphoto", "photo"),
        Photo(1, None, "Wang Wei/GT", "illustration"),
    )
    assert result.paragraphs == ("Prices fell.", "Talks went on.")


def test_photo_kind_comes_from_the_credit_label() -> None:
    cases = {
        "Illustration: Liu Rui/GT": ("Liu Rui/GT", "illustration"),
        "File photo: AFP": ("AFP", "file photo"),
        "Photo: Screenshot from Weibo": ("Screenshot from Weibo", "screenshot"),
        "Graphic: GT": ("GT", "graphic"),
        "Photos: VCG": ("VCG", "photo"),
        "(Xinhua/Lan Hongguang)": ("Xinhua/Lan Hongguang", None),
    }
    for raw, (credit, kind) in cases.items():
        assert clean_body(raw).photos == (Photo(0, None, credit, kind),), raw


def test_caption_decisions_are_in_the_trace() -> None:
    trace: list[Repair] = []
    clean_body("He left.\nThe sun set.\nA port at dawn.\nPhoto: VCGIt rained.", trace=trace)
    decisions = [r.context for r in trace if r.kind == "caption_decision"]
    assert decisions == [
        "the caption is the sentence before the credit: 'A port at dawn.' | Photo: VCG"
    ]
    assert all(kind in REPAIR_KINDS or kind in TRACE_KINDS for kind in {r.kind for r in trace})


# ---------------------------------------------------------------------------------------------
# Headline echo and characters


def test_headline_echo_glued_to_a_caption_or_a_credit() -> None:
    title = "Jinhai Shipping to build plant in Shenyang"
    result = clean_body(f"{title}Shoppers browse goods.\nPhoto: cnsphotoThe plant opens.", title)
    assert result.photos == (Photo(0, "Shoppers browse goods.", "cnsphoto", "photo"),)
    assert result.paragraphs == ("The plant opens.",)
    result = clean_body(f"{title}Photo: VCGThe plant opens.", title)
    assert result.photos == (Photo(0, None, "VCG", "photo"),)
    assert result.paragraphs == ("The plant opens.",)


def test_headline_echo_with_a_curly_apostrophe_in_the_title() -> None:
    raw = "China's investment up 12 percent in JuneFreight rates fell."
    result = clean_body(raw, "China\u2019s investment up 12 percent in June")
    assert result.paragraphs == ("Freight rates fell.",)


def test_headline_echo_glued_to_a_title_before_nbsp() -> None:
    # `learn AIDr.\xa0Nakamura`: `Dr.` is a title even glued to the echo, the NBSP a space.
    title = "Young coders turn to video apps to learn AI"
    result = clean_body(f"{title}Dr.\u00a0Nakamura said the project relied on data.", title)
    assert result.paragraphs == ("Dr. Nakamura said the project relied on data.",)


def test_euc_jp_copyright_sign_before_a_year() -> None:
    result = clean_body("The poster has a small line reading 息 2013 Silver Bay and 息 marks.")
    assert result.paragraphs == (
        "The poster has a small line reading © 2013 Silver Bay and 息 marks.",
    )
