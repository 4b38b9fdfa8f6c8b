"""Reports: charts (Altair → Vega-Lite → SVG via vl-convert), HTML and PDF business cases, workbooks."""
