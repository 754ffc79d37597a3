"""The look shared by every chart: colours, sizes, and the pace axis.

Charts are read on a phone more often than on a screen, by runners of whom about one man
in twelve sees red and green alike. So: the Okabe-Ito palette (colour-blind safe, and each
colour also differs in lightness), large type, few lines, and pace axes the way runners
think of them: ``m:ss`` per km or per mile, faster up.

Only this package imports matplotlib, and always with the Agg backend (no display).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")  # files only: never open a window, work on servers and in CI

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402  (after use())
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, MultipleLocator  # noqa: E402

from .data import pace_label  # noqa: E402  (matplotlib-free: the data builders use it)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common form of
# colour-vision deficiency.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#999999"

BAR = BLUE
"""An ordinary lap, split or rep."""
TOO_FAST = VERMILLION
"""A first lap run too fast, a rep slower than goal: the thing to fix."""
GOOD = BLUISH_GREEN
"""A kick, a rep at goal pace or faster."""
SLOW = ORANGE
GOAL = VERMILLION
EVEN = BLACK
HEART = REDDISH_PURPLE
WORK_SHADE = SKY_BLUE

FIGSIZE_IN = (7.0, 4.6)
"""One chart: 7 in (504 pt) wide, 1050 px at :data:`DPI`, shown about 360 pt wide on a
phone, a scale of 0.71: :data:`FONT_PT` labels read at 10 pt there and :data:`SMALL_PT`
ticks at 9 pt, the floor for text read at arm's length."""
DPI = 150
FONT_PT = 14.0
TITLE_PT = 15.5
SMALL_PT = 12.5
"""Bar labels and annotations."""
TINY_PT = 11.0
"""Labels that had to shrink to fit (8 pt on a phone: the smallest used)."""


def rc() -> dict[str, object]:
    """matplotlib settings for every splitcheck figure (used as an rc_context)."""
    return {
        "font.size": FONT_PT,
        "axes.titlesize": TITLE_PT,
        "axes.titleweight": "bold",
        "axes.labelsize": FONT_PT,
        "xtick.labelsize": SMALL_PT,
        "ytick.labelsize": SMALL_PT,
        "legend.fontsize": SMALL_PT,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "grid.color": "#DDDDDD",
        "grid.linewidth": 0.8,
        "axes.axisbelow": True,
        "svg.fonttype": "none",  # SVG text stays text: searchable, small files
        "svg.hashsalt": "splitcheck",  # reproducible SVG ids
    }


def new_figure(rows: int = 1, *, height_in: float | None = None) -> Figure:
    """A figure sized for ``rows`` charts stacked vertically (not attached to pyplot,
    so nothing leaks between calls or threads)."""
    width, height = FIGSIZE_IN
    fig = Figure(figsize=(width, height_in or height * rows), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)  # a renderer to measure labels with, before saving
    return fig


def pace_axis(ax: Axes, unit: str, *, axis: str = "y", label: str | None = None) -> None:
    """Make ``axis`` a pace axis: ``m:ss`` ticks, faster (smaller) up or right."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda s, _pos: pace_label(s)))
    lo, hi = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    target.set_major_locator(MultipleLocator(pace_tick_step_s(hi - lo)))
    text = label or f"pace (min/{unit})"
    if axis == "y":
        ax.set_ylabel(text)
        if not ax.yaxis_inverted():
            ax.invert_yaxis()
    else:
        ax.set_xlabel(text)
        if not ax.xaxis_inverted():
            ax.invert_xaxis()


PACE_TICK_STEPS_S = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600)
"""Pace ticks fall on round clock values: every 5 s, 15 s, 30 s, a minute..."""
MAX_PACE_TICKS = 6


def pace_tick_step_s(span_s: float) -> float:
    """The smallest round step giving at most :data:`MAX_PACE_TICKS` ticks over ``span_s``."""
    for step in PACE_TICK_STEPS_S:
        if span_s / step <= MAX_PACE_TICKS:
            return float(step)
    return float(PACE_TICK_STEPS_S[-1])


def pace_limits(paces: Iterable[float], *, pad_frac: float = 0.12) -> tuple[float, float]:
    """(slow, fast) limits around finite paces, padded; slow first so that the axis,
    once inverted, has the slowest pace at the bottom."""
    finite = [p for p in paces if p is not None and math.isfinite(p)]
    if not finite:
        return (600.0, 180.0)
    lo, hi = min(finite), max(finite)
    pad = max((hi - lo) * pad_frac, 0.04 * hi, 3.0)
    return (hi + pad, max(lo - pad, 1.0))


def wrap_title(text: str) -> str:
    """The title with every number glued to its unit ("200 m", "3:34 /km"), so that no
    line break parts them; :func:`.labels.fit_title` chooses the breaks."""
    return re.sub(r"(\d) (m|km|mi|s|min|/km|/mi|km/h|mph|/100 m)\b", "\\1\u00a0\\2", text)


def trim_ticks(ax: Axes, frac: float = 0.06) -> None:
    """Keep only y ticks at least ``frac`` of the axis height inside its ends, so stacked
    panels never put one panel's end label on top of the next one's."""
    lo, hi = sorted(ax.get_ylim())
    margin = (hi - lo) * frac
    ticks = [t for t in ax.get_yticks() if lo + margin <= t <= hi - margin]
    ax.yaxis.set_major_locator(FixedLocator(ticks))


def goal_hline(ax: Axes, data, pace: float, *, note: str = ""):
    """The goal pace as a dotted line across ``ax``, labelled with its name and pace for
    the legend ("goal mile pace 3:44 /km"); returns the line."""
    name = data.extra.get("goal_name", "goal")
    label = f"{name} {pace_label(pace)} /{data.unit}{note}"
    return ax.axhline(pace, color=GOAL, ls=":", lw=2.4, zorder=4, gid="line:goal", label=label)
