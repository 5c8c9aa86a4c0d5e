# %% [markdown]
# # The warehouse at a glance
#
# A Jupyter notebook in the percent format: plain Python, one `# %%` cell after another, so a
# review reads its diff like code and no output is ever committed. Open it as a notebook in
# VS Code, PyCharm or Jupyter (with jupytext), or run it whole, headless:
#
#     make report                                   # warehouse/report.html
#     .venv/bin/python notebooks/report.py --warehouse-dir DIR --term tariffs
#
# Each cell draws one chart (plotly, the `report` extra); the last writes them all into
# `report.html` beside `news.duckdb`, with plotly's JavaScript inlined so it opens offline. The
# queries are in `newsetl/warehouse/charts.py`, which the nightly run's build uses too.

# %%
import argparse
import os
import sys

from newsetl.settings import Settings
from newsetl.store.paths import resolve_paths
from newsetl.warehouse import charts
from newsetl.warehouse.connect import connect

parser = argparse.ArgumentParser(description="Draw the warehouse's charts into report.html.")
parser.add_argument("--warehouse-dir", help="default: $NEWSETL_WAREHOUSE_DIR, else warehouse/")
parser.add_argument("--term", help="the word or phrase of the trend chart (default: the top term)")
# parse_known_args: in a Jupyter kernel, argv holds the kernel's own arguments
args, _ = parser.parse_known_args()
paths = resolve_paths(None, args.warehouse_dir, Settings.from_env())
try:
    con = connect(paths.warehouse_dir)
except FileNotFoundError as missing:
    # make sets MAKELEVEL for its commands: there the option is make's own
    how = " With make: make report WAREHOUSE=DIR." if "MAKELEVEL" in os.environ else ""
    sys.exit(f"report: {missing}.{how}")

# %% [markdown]
# ## Articles per month by section
# Dated articles only: `select * from data_quality` says how many have no date.

# %%
by_section = charts.articles_by_section(con)
by_section.figure

# %% [markdown]
# ## A term's trend
# The share of each month's articles that mention the term (`term_trend`).

# %%
trend = charts.term_trend(con, args.term)
trend.figure

# %% [markdown]
# ## Photo agencies' share
# Each agency's share of the month's credited photos (`photo_credits_monthly`).

# %%
agencies = charts.photo_agencies(con)
agencies.figure

# %% [markdown]
# ## Load history
# Articles each load added, updated and removed (`loads`, `article_changes`).

# %%
loads = charts.load_history(con)
loads.figure

# %% [markdown]
# ## Data quality

# %%
quality = charts.data_quality(con)
quality.figure

# %% [markdown]
# ## The report
# Every chart above in one self-contained page.

# %%
report = charts.write_report(con, paths.warehouse_dir, args.term)
print(f"wrote {report}")
