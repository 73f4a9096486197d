"""Reports for elected officials: one printable HTML page per run and per comparison.

French by default, offline (images inlined), printable on A4: the question as the
title, a map image, the five headline numbers (with their change against the
baseline), a table by district, what the model represents and leaves out, how sure the
numbers are, the data sources and their dates, the jumeau version and the seed.
Presentation only: it reads results, comparisons and the kinds' declarations.
"""

from jumeau.report.html import comparison_report, variant_report

__all__ = ["comparison_report", "variant_report"]
