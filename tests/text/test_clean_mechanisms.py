"""One test per rule of docs/text-cleaning.md ("The rules") for what splitter and glue left.

Each test is named after the damage it undoes; the raw text is invented.
"""

from __future__ import annotations

from newsetl.text.clean import Photo, clean_body

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
        ),
    )


# ---------------------------------------------------------------------------------------------
# Captions and credits


def test_caption_after_a_quotation_line_is_not_part_of_it() -> None:
    # The seed: `cooperation."` / `A China-Europe freight train ...` / `Photo: VCG"I would`.
    raw = '"The parties made progress."\nA train leaves Luoyang.\nPhoto: VCG"I agree," he said.'
    result = clean_body(raw)
    assert result.paragraphs == ('"The parties made progress."', '"I agree," he said.')
    assert result.photos == (Photo(0, "A train leaves Luoyang.", "VCG"),)


def test_quote_before_a_caption_closes_the_quotation() -> None:
    raw = (
        '"We learned a lot.\n"The story is one of exchange.\n"Performers rehearse in Lagos.\n'
        "File photo: XinhuaCrafts have found a new audience."
    )
    result = clean_body(raw)
    assert result.photos == (Photo(0, "Performers rehearse in Lagos.", "Xinhua"),)
    assert result.paragraphs == (
        '"We learned a lot.',
        '"The story is one of exchange."',
        "Crafts have found a new audience.",
    )
    # A caption of two lines, and a caption that starts at glue inside the quoted line.
    raw = '"We learned a lot.\n"Boxes are stacked in Fuzhou.\nIt runs for days.\nPhoto: VCGThe end.'
    result = clean_body(raw)
    assert result.photos == (Photo(0, "Boxes are stacked in Fuzhou. It runs for days.", "VCG"),)
    assert result.paragraphs == ('"We learned a lot."', "The end.")
    raw = '"Cinema is fun.Dancers rehearse.\nPhoto: AFP"It was hard," he said.'
    result = clean_body(raw)
    assert result.photos == (Photo(0, "Dancers rehearse.", "AFP"),)
    assert result.paragraphs == ('"Cinema is fun.', '"It was hard," he said.')


def test_quote_before_a_caption_that_starts_at_glue_is_read_by_parity() -> None:
    # `"Work to do.A scene ... Photo:`: the caption starts at the glue, so the quote before it
    # need not close a quotation; here it opens one that runs on past the photo.
    raw = 'It sold well.\n"Work to do.A scene from the film Photo: Xinhua"It was hard," she said.'
    result = clean_body(raw)
    assert result.photos == (Photo(0, "A scene from the film", "Xinhua"),)
    assert result.paragraphs == (
        "It sold well.",
        '"Work to do.',
        '"It was hard," she said.',
    )


def test_quote_right_after_a_credit_opens_a_paragraph() -> None:
    # `Photo: Xinhua"The players`: a credit ends a photo block, so the quote can only open.
    raw = (
        '"We made too many mistakes in the first half.Fans cheer at the match in Guiyang.\n'
        'Photo: Xinhua"The players showed great character today.'
    )
    result = clean_body(raw)
    assert result.photos == (Photo(0, "Fans cheer at the match in Guiyang.", "Xinhua"),)
    assert result.paragraphs == (
        '"We made too many mistakes in the first half.',
        '"The players showed great character today.',
    )


def test_credit_glued_to_an_acronym_or_a_number() -> None:
    for glued, rest in (
        ("VCGAI race heats up", "AI race heats up"),
        ("AFP5G goes rural", "5G goes rural"),
    ):
        result = clean_body(f"A port at dawn.\nPhoto: {glued}")
        assert result.photos == (Photo(0, "A port at dawn.", glued[: len(glued) - len(rest)]),)
        assert result.paragraphs == (rest,)


def test_credit_phrase_glued_to_a_capitalised_word() -> None:
    raw = "A lab.\nPhoto: Courtesy of the embassy of Mexico in ChinaWorkers assemble parts."
    result = clean_body(raw)
    assert result.photos == (Photo(0, "A lab.", "Courtesy of the embassy of Mexico in China"),)
    assert result.paragraphs == ("Workers assemble parts.",)
    raw = "A lab.\nPhoto: Courtesy of Silkline RailConsumer confidence rose."
    assert clean_body(raw).photos == (Photo(0, "A lab.", "Courtesy of Silkline Rail"),)


def test_two_sentence_caption_after_glue() -> None:
    raw = (
        'He said, "It is done."Visitors view prints in Wuhan. The route opened in 2012. '
        "Photo: IC Talks went on."
    )
    result = clean_body(raw)
    assert result.photos == (
        Photo(0, "Visitors view prints in Wuhan. The route opened in 2012.", "IC"),
    )
    assert result.paragraphs == ('He said, "It is done."', "Talks went on.")


def test_two_credits_in_a_row() -> None:
    raw = (
        "Prices fell.\u00a0 \u00a0Shoppers in Suzhou. Photo: cnsphoto "
        "Illustration: Wang Wei/GT Talks went on."
    )
    result = clean_body(raw)
    assert result.photos == (
        Photo(0, "Shoppers in Suzhou.", "cnsphoto"),
        Photo(1, None, "Wang Wei/GT"),
    )
    assert result.paragraphs == ("Prices fell.", "Talks went on.")


# ---------------------------------------------------------------------------------------------
# Headline echo and characters


def test_headline_echo_glued_to_a_caption_or_a_credit() -> None:
    title = "Jinhai Shipping to build plant in Shenyang"
    result = clean_body(f"{title}Shoppers browse goods.\nPhoto: cnsphotoThe plant opens.", title)
    assert result.photos == (Photo(0, "Shoppers browse goods.", "cnsphoto"),)
    assert result.paragraphs == ("The plant opens.",)
    result = clean_body(f"{title}Photo: VCGThe plant opens.", title)
    assert result.photos == (Photo(0, None, "VCG"),)
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
