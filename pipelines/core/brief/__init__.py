"""The visual brief: one self-contained HTML page of charts about what the warehouse holds.

charts.py turns small aggregated rows into Vega-Lite specs (Altair); page.py lays them out in a page that
embeds the Vega, Vega-Lite and vega-embed JavaScript (from vl-convert) and a Natural Earth world outline
(world-110m.json, see world-110m.LICENSE.txt), so the page opens offline and loads nothing. The SQL that
aggregates lives in warehouse/statements/brief_*.sql; pipelines/core/stages/brief.py runs it on the
published warehouse and writes the page next to it.
"""
