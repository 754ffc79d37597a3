"""Charts a runner reads at a glance: laps against even and goal pace, the session's pace
and heart rate, rep consistency, and the training week by week.

The only part of splitcheck that imports matplotlib (Agg backend, files only), and only
when a figure is drawn: importing ``splitcheck`` does not load it, nor does
:func:`chart_data` (the HTML report draws the same numbers as SVG itself). Every chart
is a :class:`~.data.ChartData` (numbers, what tests check) drawn onto a figure::

    from splitcheck.report.charts import chart_activity, chart_data, save_charts
    fig = chart_activity(analysis, kind="laps", units="mi")     # a matplotlib Figure
    data = chart_data(analysis, "laps")                          # what the figure shows
    save_charts(analysis, "out/", fmt="svg")                     # one file per chart
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ...errors import NothingToChartError
from .data import Bar, ChartData, Series, Shade
from .laps import mile_data, splits_data
from .reps import reps_data
from .trace import trace_data

KINDS = ("laps", "splits", "trace", "reps")
"""Charts of one activity: the mile effort's laps, the distance splits, pace and heart rate
over the session, rep consistency."""
FORMATS = ("png", "svg")
INTERVAL_TYPES = frozenset(
    {"repeats", "ladder_ascending", "ladder_descending", "pyramid", "time_reps", "mixed"}
)
"""Workout types whose reps get the rep-consistency chart (segment.types.WORKOUT_TYPES)."""

_BUILDERS: dict[str, Callable[..., ChartData]] = {
    "laps": mile_data,
    "splits": splits_data,
    "trace": trace_data,
    "reps": reps_data,
}
_DRAWERS = {
    "laps": ("bars", "draw_deviation"),
    "splits": ("bars", "draw_deviation"),
    "trace": ("trace_draw", "draw_trace"),
    "reps": ("bars", "draw_deviation"),
}
"""Chart kind -> (module here, function) drawing it: imported when drawn (matplotlib)."""

__all__ = [
    "FORMATS",
    "KINDS",
    "NothingToChartError",
    "Bar",
    "ChartData",
    "Series",
    "Shade",
    "applicable_kinds",
    "chart_activity",
    "chart_data",
    "draw",
    "save_charts",
]


def chart_data(
    analysis: Any,
    kind: str,
    *,
    profile: Any = None,
    units: str | None = None,
    goal_mile_s: float | None = None,
    **options: Any,
) -> ChartData:
    """What chart ``kind`` (one of :data:`KINDS`) shows for one analysis.

    ``units`` is ``km`` or ``mi`` (default: the profile's, else km); ``options`` go to the
    trace chart (``x="distance"|"time"|"auto"``, ``grade_adjusted=True``).
    """
    if kind not in _BUILDERS:
        raise ValueError(f"chart kind must be one of {KINDS}, got {kind!r}")
    unit = _unit(units, profile)
    kw = options if kind == "trace" else {}
    return _BUILDERS[kind](analysis, profile=profile, unit=unit, goal_mile_s=goal_mile_s, **kw)


def applicable_kinds(analysis: Any) -> list[str]:
    """The charts worth drawing for this activity, in reading order: the mile's laps when
    it has a mile effort, splits for a continuous run, reps for an interval session, and
    the trace when the file has pace or heart rate."""
    structure = getattr(analysis, "structure", None)
    workout = getattr(getattr(structure, "workout", None), "type", None)
    kinds = []
    if chart_data(analysis, "laps").bars:
        kinds.append("laps")
    if workout in (None, "continuous") and len(getattr(structure, "splits", ()) or ()) >= 2:
        kinds.append("splits")
    if not chart_data(analysis, "trace").empty:
        kinds.append("trace")
    if workout in INTERVAL_TYPES and len(structure.work) >= 2:
        kinds.append("reps")
    return kinds


def draw(fig: Any, data: ChartData) -> list:
    """Draw ``data`` onto a Figure or SubFigure; returns the axes made."""
    import importlib

    module, function = _DRAWERS[data.kind]
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)(fig, data)


def chart_activity(
    analysis: Any,
    kind: str = "all",
    profile: Any = None,
    units: str | None = None,
    *,
    goal_mile_s: float | None = None,
    **options: Any,
):
    """One chart (``kind`` in :data:`KINDS`) or, for ``all``, a page of every applicable
    chart stacked, as a matplotlib Figure. ``figure.chart_data`` holds the ChartData drawn,
    top to bottom.

    Raises :class:`~splitcheck.errors.NothingToChartError` when there is nothing to show
    (``kind="reps"`` on an easy run, a file with neither pace nor heart rate)."""
    kinds = applicable_kinds(analysis) if kind == "all" else [kind]
    datas = [
        chart_data(analysis, k, profile=profile, units=units, goal_mile_s=goal_mile_s, **options)
        for k in kinds
    ]
    source = getattr(getattr(analysis, "activity", None), "source", "")
    if not datas:
        raise NothingToChartError(source, "nothing to chart: no pace or heart rate in the file")
    for data in datas:
        if data.empty:
            why = "; ".join(data.notes) or data.title
            raise NothingToChartError(source, f"no {data.kind} chart: {why[:1].lower()}{why[1:]}")
    import matplotlib

    from . import style

    with matplotlib.rc_context(style.rc()):
        heights = [_height_in(d) for d in datas]
        fig = style.new_figure(height_in=sum(heights))
        targets = [fig] if len(datas) == 1 else fig.subfigures(len(datas), 1, height_ratios=heights)
        for target, data in zip(targets, datas, strict=True):
            draw(target, data)
    fig.chart_data = datas
    return fig


def save_charts(
    analysis: Any,
    out_dir: str | os.PathLike,
    *,
    stem: str = "activity",
    fmt: str = "png",
    kind: str = "all",
    page: bool = False,
    profile: Any = None,
    units: str | None = None,
    goal_mile_s: float | None = None,
    **options: Any,
) -> list[Path]:
    """Write charts of one analysis into ``out_dir``: ``<stem>-<kind>.<fmt>`` per chart,
    or one ``<stem>.<fmt>`` page with ``page=True``. Returns the paths written; raises
    :class:`~splitcheck.errors.NothingToChartError` (and writes nothing) when the chart
    asked for has nothing to show."""
    if fmt not in FORMATS:
        raise ValueError(f"chart format must be one of {FORMATS}, got {fmt!r}")
    out = Path(out_dir)
    kinds = applicable_kinds(analysis) if kind == "all" else [kind]
    if not kinds:
        source = getattr(getattr(analysis, "activity", None), "source", "")
        raise NothingToChartError(source, "nothing to chart: no pace or heart rate in the file")
    groups: Sequence[tuple[str, str]] = (
        [(kind, f"{stem}.{fmt}")] if page else [(k, f"{stem}-{k}.{fmt}") for k in kinds]
    )
    figures = [
        (chart_activity(analysis, what, profile, units, goal_mile_s=goal_mile_s, **options), name)
        for what, name in groups
    ]  # all drawn before any is written: nothing half-written when one has nothing to show
    out.mkdir(parents=True, exist_ok=True)
    for fig, name in figures:
        save_figure(fig, out / name, fmt)
    return [out / name for _, name in figures]


def save_figure(fig: Any, path: Path, fmt: str) -> None:
    """Save with splitcheck's settings (SVG text as text, reproducible ids)."""
    import matplotlib

    from . import style

    with matplotlib.rc_context(style.rc()):
        fig.savefig(path, format=fmt, dpi=style.DPI, metadata=_metadata(fmt))


def _height_in(data: ChartData) -> float:
    from . import style
    from .trace_draw import trace_height_in

    return trace_height_in(data) if data.kind == "trace" else style.FIGSIZE_IN[1]


def _metadata(fmt: str) -> dict[str, Any]:
    # No creation date: the same analysis gives byte-identical files (diffable, cacheable).
    return {"Date": None} if fmt == "svg" else {"Software": "splitcheck"}


def _unit(units: str | None, profile: Any) -> str:
    unit = units or getattr(profile, "units", None) or "km"
    if unit not in ("km", "mi"):
        raise ValueError(f"units must be km or mi, got {unit!r}")
    return unit
