"""The report's charts (plotly, the `report` extra) and warehouse/report.html, self-contained."""

from __future__ import annotations

import datetime as dt
import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from newsetl.settings import REPORT_FILE

# Cells of notebooks/report.py and the nightly run's report draw these, in this order.
CHART_TITLES = (
    "Articles per month by section",
    "A term's trend",
    "Photo agencies' share",
    "Load history",
    "Data quality",
)


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the report: its title, a sentence on how to read it, and the figure."""

    title: str
    note: str
    figure: Any  # plotly.graph_objects.Figure (plotly ships no type information)


def _plotly() -> Any:
    try:
        import plotly.graph_objects as go
    except ImportError as exc:  # the `report` extra is optional on a production worker
        raise ImportError(
            "the report needs plotly: install the `report` extra (`uv sync --extra report`, or "
            "`pip install 'newsetl[report]'`)"
        ) from exc
    return go


def _figure(title: str, empty: bool, **layout: Any) -> Any:
    go = _plotly()
    figure = go.Figure()
    figure.update_layout(title=title, template="plotly_white", height=420, **layout)
    if empty:
        figure.add_annotation(text="no data yet", showarrow=False, font={"size": 18})
    return figure


def articles_by_section(con: duckdb.DuckDBPyConnection) -> Chart:
    """Stacked bars: dated articles per month, one colour per section."""
    rows = con.sql(
        "select month_start, coalesce(section, '(no section)') as section, "
        "cast(sum(articles) as bigint) as articles "
        "from articles_monthly group by all order by month_start, section"
    ).fetchall()
    go = _plotly()
    figure = _figure(CHART_TITLES[0], not rows, barmode="stack", yaxis_title="articles")
    for section in sorted({row[1] for row in rows}):
        picked = [row for row in rows if row[1] == section]
        figure.add_trace(go.Bar(x=[r[0] for r in picked], y=[r[2] for r in picked], name=section))
    undated = con.sql("select count(*) from articles where published_date is null").fetchone()
    return Chart(
        CHART_TITLES[0],
        f"Undated articles ({undated[0] if undated else 0}) are in no month: see data_quality.",
        figure,
    )


def top_term(con: duckdb.DuckDBPyConnection) -> str | None:
    """The term with the most mentions over all months (stop words left out), or None."""
    row = con.sql(
        "select term from terms_monthly group by term order by sum(mentions) desc, term limit 1"
    ).fetchone()
    return None if row is None else str(row[0])


def term_trend(con: duckdb.DuckDBPyConnection, term: str | None = None) -> Chart:
    """A line: the share of each month's articles that mention the term (default: top_term)."""
    term = term or top_term(con)
    rows = (
        []
        if term is None
        else con.execute(
            "select month_start, articles, article_share from term_trend(?) order by month_start",
            [term],
        ).fetchall()
    )
    go = _plotly()
    title = f"{CHART_TITLES[1]}: {term!r}" if term else CHART_TITLES[1]
    figure = _figure(title, not rows, yaxis_title="share of the month's articles")
    figure.update_yaxes(tickformat=".0%")
    figure.add_trace(
        go.Scatter(
            x=[r[0] for r in rows],
            y=[r[2] for r in rows],
            customdata=[r[1] for r in rows],
            mode="lines+markers",
            name=term or "",
            hovertemplate="%{x|%Y-%m}: %{y:.1%} (%{customdata} articles)<extra></extra>",
        )
    )
    return Chart(title, "select * from term_trend('...') draws any other word or phrase.", figure)


def photo_agencies(con: duckdb.DuckDBPyConnection) -> Chart:
    """Stacked bars to 100%: each agency's share of the month's credited photos."""
    rows = con.sql(
        "select month_start, agency, photos from photo_credits_monthly order by month_start, agency"
    ).fetchall()
    go = _plotly()
    figure = _figure(
        CHART_TITLES[2], not rows, barmode="stack", barnorm="percent", yaxis_title="% of photos"
    )
    for agency in sorted({row[1] for row in rows}):
        picked = [row for row in rows if row[1] == agency]
        figure.add_trace(go.Bar(x=[r[0] for r in picked], y=[r[2] for r in picked], name=agency))
    return Chart(CHART_TITLES[2], "Photos of dated articles with a credit.", figure)


def load_history(con: duckdb.DuckDBPyConnection) -> Chart:
    """Grouped bars per load: articles added, updated and removed (article_changes' counts)."""
    rows = con.sql(
        "select load_id, kind, coalesce(articles_added, articles_written), "
        "coalesce(articles_updated, 0), articles_removed, files_rejected "
        "from loads order by started_at"
    ).fetchall()
    go = _plotly()
    figure = _figure(CHART_TITLES[3], not rows, barmode="group", yaxis_title="articles")
    labels = [f"{r[0]} ({r[1]})" for r in rows]
    for index, name in enumerate(("added", "updated", "removed", "files rejected"), start=2):
        figure.add_trace(go.Bar(x=labels, y=[r[index] for r in rows], name=name))
    figure.update_xaxes(type="category")
    return Chart(CHART_TITLES[3], "One group per load; article_changes lists them.", figure)


def data_quality(con: duckdb.DuckDBPyConnection) -> Chart:
    """Bars: how many articles or raw files each data quality check finds."""
    rows = con.sql("select check_name, affected, list_query from data_quality").fetchall()
    go = _plotly()
    figure = _figure(CHART_TITLES[4], not rows, yaxis_title="articles or raw files")
    figure.add_trace(
        go.Bar(x=[r[0] for r in rows], y=[r[1] for r in rows], hovertext=[r[2] for r in rows])
    )
    return Chart(CHART_TITLES[4], "Hover a bar for the query that lists the cases.", figure)


def charts(con: duckdb.DuckDBPyConnection, term: str | None = None) -> list[Chart]:
    """Every chart of the report, in CHART_TITLES' order."""
    return [
        articles_by_section(con),
        term_trend(con, term),
        photo_agencies(con),
        load_history(con),
        data_quality(con),
    ]


def report_html(drawn: list[Chart], heading: str) -> str:
    """One HTML page holding the charts and plotly's JavaScript, inlined once: it draws in a
    browser with no network."""
    import plotly.io as pio

    parts = []
    for index, chart in enumerate(drawn):
        div = pio.to_html(
            chart.figure,
            full_html=False,
            include_plotlyjs=index == 0,
            div_id=f"chart-{index + 1}",
            config={"displaylogo": False},
        )
        parts.append(
            f"<section><h2>{html.escape(chart.title)}</h2>"
            f"<p>{html.escape(chart.note)}</p>{div}</section>"
        )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(heading)}</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}"
        "section{margin-bottom:2em}</style></head><body>"
        f"<h1>{html.escape(heading)}</h1>{''.join(parts)}</body></html>\n"
    )


def write_report(
    con: duckdb.DuckDBPyConnection, warehouse_dir: Path, term: str | None = None
) -> Path:
    """Draw the charts from `con` into warehouse_dir/report.html (replaced whole, atomically);
    returns its path."""
    # the last to finish: two loads of one second sort by their random suffix, not in order
    row = con.sql("select arg_max(load_id, finished_at), count(*) from loads").fetchone()
    last = row[0] if row and row[0] else "no load yet"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = report_html(charts(con, term), f"newsetl warehouse: load {last}, drawn {stamp}")
    target = warehouse_dir / REPORT_FILE
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(page, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target
