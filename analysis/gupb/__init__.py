# SPDX-License-Identifier: GPL-2.0
"""gupbench's Python side: analysis of result files (statistics, text,
plots), the answer pipeline, the test bed's verdicts and the fleet
collector, as one package run as `python3 -m gupb SUB-COMMAND`
(make sets PYTHONPATH=analysis). Computing (stats, answer.report's
build) stays apart from rendering (report, plots, answer.report's
text/markdown/figure)."""
