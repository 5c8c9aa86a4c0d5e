"""The column descriptions of news.duckdb: the one source of its COMMENT ON COLUMN statements.

A column means the same in every view it appears in, so descriptions are keyed by column name;
``VIEW_COLUMNS`` overrides one for a single view. Views and macros are described by the comment at
the top of their sql/ file (their grain). The build fails when a column has no description here.
"""

from __future__ import annotations

from newsetl.text.clean import REPAIR_KINDS

REPAIR_DESCRIPTIONS: dict[str, str] = {
    "lines_joined": "lines the scraper broke mid-sentence and the cleaner joined again",
    "paragraphs_split": "paragraphs the scraper glued together and the cleaner split again",
    "quotes_moved": "quotation marks moved back to the paragraph they belong to",
    "stray_chars_removed": "invisible or control characters removed (zero-width, soft hyphen, BOM)",
    "mojibake_fixed": "mis-decoded characters and HTML entities repaired (`â€™` back to `’`)",
    "captions_extracted": "photo captions and credits taken out of the body into article_photos",
    "headline_echo_removed": "copies of the headline removed from the start of the body",
    "trailers_removed": "scraper trailers removed from the end of the body (print headline etc.)",
}

COLUMNS: dict[str, str] = {
    # articles
    "article_id": "the article's stable id: 16 hex digits from the raw file name "
    "(NNN_<id>.txt), else from the file's path under the raw dir",
    "source_file": "path of the raw file, relative to the raw dir",
    "published_date": "publication date from the file header; NULL when it had none",
    "published_year": "year of published_date, from the hive partition path (year=YYYY): "
    "filter on it to read fewer files; NULL for undated articles",
    "published_month": "month (1-12) of published_date, from the hive partition path "
    "(month=MM): filter on it to read fewer files; NULL for undated articles",
    "title": "the headline, cleaned",
    "section": "first-level category (e.g. CHINA, SOURCE, WORLD); NULL when the header had none",
    "subsection": "second-level category (e.g. SOCIETY, ECONOMY); NULL when the header had none",
    "author": "the byline as published (e.g. 'Li Hui and Wang Qi'); NULL when missing",
    "authors": "the byline split into one name per author",
    "author_title": "the author's job title from the header; NULL when missing",
    "author_description": "the author's description from the header; NULL when missing",
    "body": "the cleaned article text: paragraphs separated by a blank line, photo captions "
    "and credits taken out",
    "print_headline": "the headline of the print edition ('Newspaper headline: ...'), if any",
    "word_count": "number of words in the cleaned body",
    "paragraph_count": "number of paragraphs in the cleaned body",
    "photo_count": "number of photos taken out of the body (rows in article_photos)",
    **{
        f"repair_{kind}": f"repairs made: {REPAIR_DESCRIPTIONS[kind]}"
        for kind in REPAIR_KINDS
        if kind in REPAIR_DESCRIPTIONS
    },
    "parse_notes": "what the parser noticed in the raw file (e.g. a missing header line)",
    "content_sha256": "SHA-256 of the raw file's bytes the article was read from: changes "
    "whenever the file does, also by an edit the cleaning undoes (trailing spaces)",
    "load_id": "the load (see loads) that last wrote this row",
    "ingested_at": "when the load that wrote this row ran (UTC)",
    # article_photos
    "position": "order of the photo in the article: 0 for the first, 1 for the next, ...",
    "caption": "the photo's caption; NULL when it had only a credit",
    "credit": "the photo credit without the 'Photo: ' label (e.g. 'VCG', 'Li Hao/GT')",
    "agency": "who supplied the photo, derived from credit: Global Times (staff, '.../GT'), "
    "VCG, Xinhua, China News Service, AFP, IC, Reuters, AP, screenshot, courtesy, or other",
    # loads
    "kind": "incremental (the nightly run), full-refresh, or backfill (a date range)",
    "started_at": "when the load started (UTC)",
    "finished_at": "when the load finished (UTC)",
    "status": "state of the row: for a load, how it ended; for a raw file, loaded, duplicate, "
    "rejected or deleted",
    "files_seen": "raw files the load saw; = loaded + unchanged + duplicate + rejected",
    "files_loaded": "raw files read, parsed and cleaned into an article row",
    "files_unchanged": "raw files skipped or found identical to the manifest",
    "files_duplicate": "raw files superseded by a newer file with the same article_id (newest "
    "mtime wins, then the greater path)",
    "files_rejected": "raw files that could not become an article (see rejected_files)",
    "articles_written": "article rows written by the load",
    "photos_written": "photo rows written by the load",
    "partitions_written": "year/month partitions the load rewrote",
    "files_deleted": "raw files gone from the raw dir since the load before (not among files_seen; "
    "raw_files keeps them as deleted)",
    "articles_removed": "articles the load removed: their raw files are gone (or no longer load) "
    "and no other file carries their article_id",
    "articles_added": "articles the committed snapshot holds that the one before did not (rows "
    "of article_changes); NULL for a load from before the change history",
    "articles_updated": "articles whose content_sha256 the load changed (rows of "
    "article_changes); NULL for a load from before the change history",
    "duration_seconds": "how long the load ran: finished_at - started_at, in seconds",
    # article_changes
    "change": "added (a new article_id), updated (another content_sha256: its raw file "
    "changed, maybe only by what the cleaning removes) or removed (gone "
    "from articles: its raw file deleted or no longer loading, no other file carrying its id)",
    "sha256_before": "content_sha256 before the load; NULL when the load added the article",
    "sha256_after": "content_sha256 after the load; NULL when the load removed the article",
    "loaded_at": "when the load that made the change started (UTC)",
    "load_kind": "kind of the load that made the change: incremental, full-refresh or backfill",
    # raw_files and rejected_files
    "size_bytes": "size of the raw file in bytes when last seen",
    "mtime_ns": "modification time of the raw file when last seen, in ns since the epoch",
    "sha256": "SHA-256 of the raw file's bytes; NULL when it was not read",
    "first_seen": "when a load first saw this raw file (UTC)",
    "last_loaded": "when this raw file last became an article row (UTC); NULL if never",
    "reason": "why the file was rejected: empty, binary, undecodable, no_text_marker, no_title, "
    "too_large, unreadable, changed_while_read, read_timeout, bad_symlink, bad_file_name, "
    "not_regular_file or internal_error",
    "detail": "more about the rejection (e.g. the decoding error)",
    # counts by period
    "week_start": "the Monday that starts the ISO week",
    "month_start": "the first day of the calendar month",
    "articles": "number of articles",
    "words": "sum of word_count over the articles",
    "avg_word_count": "average word_count of the articles, one decimal",
    "photos": "number of photos",
    "distinct_credits": "number of different credit strings behind the agency",
    # calendar
    "date_day": "the day",
    "day_of_week": "ISO day of the week: 1 for Monday ... 7 for Sunday",
    "day_name": "the day of the week in English (Monday, ...)",
    "iso_year": "the ISO year of the ISO week (can differ from year around New Year)",
    "iso_week": "the ISO week number (1-53); week_start is its Monday",
    "month": "month of the year, 1-12",
    "quarter_start": "the first day of the calendar quarter",
    "quarter": "quarter of the year, 1-4",
    "year": "the calendar year",
    # sections
    "undated_articles": "articles without a published date (left out of every time view)",
    "subsection_sections": "how many sections this subsection name appears under (NULL for no "
    "subsection)",
    # data_quality and data_quality_issues
    "check_name": "the check: undated_article, empty_body, shared_id or rejected_file",
    "description": "what the check finds, and what it means for an analysis",
    "affected": "how many articles or raw files the check finds now (0 when none)",
    "list_query": "the query that lists them, one row each (data_quality_issues)",
    # authors
    "first_published_date": "date of the author's first dated article",
    "last_published_date": "date of the author's latest dated article",
    "sections": "the sections the author wrote in, sorted (NULL for articles without one)",
    "shared_bylines": "articles whose byline names other authors too",
    # terms
    "word": "a word left out of term counts",
    "term": "a word: lower case, accents stripped, letters a-z only, at least three letters",
    "mentions": "times the term occurs in titles and bodies",
    "article_share": "articles / all dated articles of the month (0 to 1)",
    "term_rank": "1 for the term with the most mentions in the month, then 2, ...",
    # search_articles and term_trend
    "score": "BM25 relevance of the article to the query; higher is better",
    "snippet": "about 240 characters of the body around the first query word, on one line, "
    "with the words the search matched (same stem) marked «like this»",
    "month_articles": "all dated articles of the month",
    # search_query
    "clause": "what a match must hold (1, 2, ...): one of its alternatives, or for an excluded "
    "clause none",
    "alternative": "the alternative's place among the query's pieces (1 for the first)",
    "excluded": 'true for a -word or -"phrase": no result holds it',
    "terms": "the porter stems of its words that are not stop words: what the index is "
    "searched for",
    # the search index
    "indexed_words": "words of the article's title and body the search index keeps (stop words "
    "left out): BM25's document length",
}

_PHOTO_KIND = (
    "what the credit's label calls the picture: photo ('Photo: VCG'), file photo ('File photo: "
    "AFP'), illustration ('Illustration: Liu Rui/GT', also a cartoon), screenshot ('Photo: "
    "Screenshot from Weibo') or graphic (also an infographic); NULL for a credit with no label "
    "('(Xinhua/Lan Hongguang)')"
)
# The manifest's columns (views raw_files and stg_manifest) that need more than COLUMNS says.
_FILE_STATUS = (
    "the file's state after its last load: loaded, duplicate, rejected, or deleted (gone from the "
    "raw dir: its article left the warehouse unless another file carries its article_id)"
)
_FILE_DETAIL = (
    "why a duplicate is one ('superseded by <file>'), a flag on a loaded file ('same content as "
    "<file>'), or 'gone from the raw dir' for a deleted one; NULL otherwise"
)
_FILE_LOAD = "the last load that saw the file; for a deleted file, the load that found it gone"

# Where one view gives a column a narrower meaning than COLUMNS.
VIEW_COLUMNS: dict[tuple[str, str], str] = {
    ("authors", "author"): "one author's name, as split out of the bylines (authors list), a "
    "'Source:' label dropped ('Source: Xinhua' counts as Xinhua)",
    ("authors", "articles"): "articles with this author in the byline",
    ("authors", "kind"): "person, agency (a news agency or another outlet: Xinhua, AFP, AP, "
    "The Associated Press, Reuters, Bloomberg, Agencies, ...; also a joint byline naming one, "
    "'Global Times - Xinhua') or desk (the paper's own: Global Times, GT staff reporter(s), "
    "Editorial, ...); filter on kind = 'person' for top authors",
    ("data_quality_issues", "article_id"): "the article concerned; NULL for a rejected file",
    ("data_quality_issues", "source_file"): "the raw file concerned, relative to the raw dir",
    ("data_quality_issues", "detail"): "what was found: the parse notes of an undated article; "
    "for a shared id, whether the file is the one shown in articles (the newest) or hidden, "
    "and a hidden one's relation to it: a copy (the same bytes) or different content; a "
    "rejected file's reason and detail",
    ("calendar", "articles"): "articles published that day (0 on a day without any)",
    ("sections", "articles"): "articles with this section and subsection, dated or not",
    ("sections", "first_published_date"): "date of the first dated article of the pair",
    ("sections", "last_published_date"): "date of the latest dated article of the pair",
    ("sections", "section"): "first-level category (e.g. CHINA, SOURCE, WORLD); NULL for "
    "articles without one",
    ("sections", "subsection"): "second-level category (e.g. SOCIETY, ECONOMY); NULL for "
    "articles without one",
    ("article_terms", "mentions"): "times the term occurs in this article's title and body",
    ("terms_monthly", "articles"): "dated articles of the month that use the term",
    ("terms_monthly", "mentions"): "times the term occurs in the month's titles and bodies",
    ("top_terms_monthly", "articles"): "dated articles of the month that use the term",
    ("top_terms_monthly", "mentions"): "times the term occurs in the month's titles and bodies",
    ("stg_term_counts", "term"): "a word: lower case, accents stripped, letters a-z only, at "
    "least three letters; stop words included",
    ("stg_term_counts", "mentions"): "times the term occurs in the titles and bodies of the "
    "partition's articles",
    ("stg_term_counts", "articles"): "articles of the partition that use the term",
    ("stg_term_counts", "published_year"): "year of the partition (year=YYYY) the counts are "
    "for: filter on it to read fewer files; NULL for the undated articles' partition",
    ("stg_term_counts", "published_month"): "month (1-12) of the partition (month=MM) the counts "
    "are for: filter on it to read fewer files; NULL for the undated articles' partition",
    ("stg_search_terms", "term"): "an indexed term: the porter stem of a word of the title or "
    "body (search_tokens: lower case, accents stripped, letters and digits, e.g. 5g, g20, u.s, "
    "2022), English stop words left out",
    ("stg_search_terms", "mentions"): "times words with this stem occur in the article's title "
    "and body",
    ("stg_search_terms", "title_mentions"): "how many of those mentions are in the title (the "
    "search ranks a title match higher)",
    ("stg_search_terms", "published_year"): "year of the article's partition (year=YYYY); NULL "
    "for undated articles",
    ("stg_search_terms", "published_month"): "month (1-12) of the article's partition "
    "(month=MM); NULL for undated articles",
    ("stg_search_documents", "published_date"): "the article's published date (a search's "
    "tie-break among equal scores: newest first); NULL when undated or in files a load wrote "
    "before it existed",
    ("stg_search_documents", "published_year"): "year of the article's partition (year=YYYY); "
    "NULL for undated articles",
    ("stg_search_documents", "published_month"): "month (1-12) of the article's partition "
    "(month=MM); NULL for undated articles",
    ("stg_search_positions", "word"): "a word of the title or body as the index reads it "
    "(search_tokens: lower case, accents stripped), stop words included; not stemmed",
    ("stg_search_positions", "positions"): "where the word stands in the article, ascending: "
    "the title's words count from 1, one position is left empty, then the body's words follow "
    "(a phrase is its words at consecutive positions)",
    ("stg_search_positions", "published_year"): "year of the article's partition (year=YYYY); "
    "NULL for undated articles",
    ("stg_search_positions", "published_month"): "month (1-12) of the article's partition "
    "(month=MM); NULL for undated articles",
    ("search_stop_words", "word"): "a stop word of the fts extension's English list: the search "
    "index leaves it out",
    ("photo_credits_monthly", "articles"): "articles with at least one photo from the agency",
    ("photo_credits_monthly", "photos"): "photos credited to the agency, of every kind",
    ("photo_credits_monthly", "file_photos"): "of those, the file photos ('File photo: ...')",
    ("photo_credits_monthly", "illustrations"): "of those, the illustrations and cartoons",
    ("photo_credits_monthly", "screenshots"): "of those, the screenshots",
    ("photo_credits_monthly", "graphics"): "of those, the graphics and infographics",
    ("article_photos", "kind"): _PHOTO_KIND,
    ("stg_article_photos", "kind"): _PHOTO_KIND,
    ("term_trend", "articles"): "articles of the month that mention the term",
    ("search_query", "quoted"): "true for a piece in quotes: its words are found as written "
    "(with the index's word positions), not by their stems, even a word alone",
    ("search_query", "words"): "the alternative's words as the index reads them "
    "(search_tokens); more than one make a phrase, matched in order",
    ("search_matches", "score"): "BM25 relevance of the article to the query (not rounded); "
    "higher is better",
    ("term_trend", "term"): "the term or phrase searched for",
    ("term_trend", "article_share"): "articles / month_articles (0 to 1)",
    ("loads", "status"): "how the load ended (completed)",
    ("stg_loads", "status"): "how the load ended (completed)",
    ("raw_files", "status"): _FILE_STATUS,
    ("stg_manifest", "status"): _FILE_STATUS,
    ("raw_files", "detail"): _FILE_DETAIL,
    ("stg_manifest", "detail"): _FILE_DETAIL,
    ("raw_files", "article_id"): "the article id the file carries; NULL when it was rejected",
    ("raw_files", "published_date"): "the file's publication date; NULL if undated or rejected",
    ("raw_files", "load_id"): _FILE_LOAD,
    ("stg_manifest", "load_id"): _FILE_LOAD,
    ("rejected_files", "load_id"): "the last load that rejected the file",
    ("stg_rejected_files", "load_id"): "the last load that rejected the file",
    ("loads", "load_id"): "the load's id: start time (UTC) and a random suffix",
    ("stg_loads", "load_id"): "the load's id: start time (UTC) and a random suffix",
    **{
        (view, column): text
        for view in ("article_changes", "stg_article_changes")
        for column, text in (
            ("load_id", "the load that added, updated or removed the article (see loads)"),
            ("title", "the article's title after the load (before it, for a removal)"),
            ("published_date", "the article's date after the load (before it, for a removal)"),
            (
                "source_file",
                "the raw file of the article after the load (before it, for a "
                "removal), relative to the raw dir",
            ),
        )
    },
}


def describe_column(view: str, column: str) -> str | None:
    """The description of one column of one view, or None when the catalog has none."""
    return VIEW_COLUMNS.get((view, column)) or COLUMNS.get(column)
