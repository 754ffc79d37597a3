"""Every statement a report makes about one run, read back as the runner would read it, and
the pairs of statements that disagree (sign of the trend, even vs not even, kick vs no kick).

Used by tests/test_verdict_sweep.py and scripts/contradiction_sweep.py. The statements are
read from what the runner sees (the text findings, next-time advice, the chart titles) and
from the JSON, each by its own words, so a verdict written in two places by two pieces of
code is caught when they disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "real-activities"
SAMPLES = ROOT / "sample_activities"
SUFFIXES = (".fit", ".gpx", ".tcx")


def activity_files() -> list[Path]:
    """Every real watch file and every sample, sorted."""
    files = [p for p in REAL.rglob("*") if p.suffix.lower() in SUFFIXES]
    files += [p for p in SAMPLES.iterdir() if p.suffix.lower() in SUFFIXES]
    return sorted(files)


@dataclass(frozen=True)
class Statement:
    source: str  # where the runner reads it: "finding", "next time", "chart", "json ..."
    topic: str  # "trend" (+1 faster at the end, 0 even, -1 slower) or "kick" (1/0)
    value: int
    text: str


def _trend_of_text(text: str) -> int | None:
    t = text.lower()
    if re.search(r"held your pace|even pace|evenly run", t):
        return 0
    if re.search(r"\bslowed\b|\bfaded\b|you faded|slower so the last", t):
        return -1
    if re.search(r"sped up|progression|negative split|finished faster|\bfaster\b", t):
        return 1
    return None


TREND_FINDING = re.compile(
    r"^(You held your pace|You slowed|You sped up|Even pace|A progression run|"
    r"Negative split: the last|You faded)"
)
UNADJUSTED = re.compile(r"(?:On the clock|Unadjusted,) the \w+ ran ([\d:]+) /\w+ to ([\d:]+) /\w+")
"""The clock's reading beside a grade-adjusted verdict: its first and last part's paces."""
EVEN_BAND_PCT = 3.0
"""guidance.md C1: a last part within +-3 % of the first is even."""
KICK_TRUE = re.compile(r"^Kick: last lap")
KICK_FALSE = re.compile(r"^No (real )?kick")


def _pace_sign(first: str, last: str) -> int:
    """+1 when the last pace is faster than the first beyond the even band, -1 slower."""

    def secs(text: str) -> float:
        m, s = text.split(":")
        return int(m) * 60 + int(s)

    # paces are printed to the second: the change is even when paces within half a second
    # of the printed ones could be (easy_32min: a -2.9 % clock change prints 5:51 -> 6:02)
    a, b = secs(first), secs(last)
    change = (a / b - 1.0) * 100.0
    nearest = (
        ((a + 0.5) / (b - 0.5) - 1.0) * 100.0 if a < b else ((a - 0.5) / (b + 0.5) - 1.0) * 100.0
    )
    return 0 if min(abs(change), abs(nearest)) <= EVEN_BAND_PCT else (1 if change > 0 else -1)


def statements(analysis, chart_data=None) -> list[Statement]:
    """What one analysed run says about its trend and its kick, wherever it says it."""
    card = analysis.pacing
    out: list[Statement] = []
    if card is None:
        return out
    d = card.to_dict()
    if card.kind == "continuous":
        for f in card.findings:
            if TREND_FINDING.match(f.text):
                v = _trend_of_text(f.text.split("(")[0])
                if v is not None:
                    out.append(Statement("finding", "trend", v, f.text))
        nt = card.next_time
        if re.search(r"Evenly run|slower so the last|progression|finished faster", nt):
            v = _trend_of_text(nt)
            if v is not None:
                out.append(Statement("next time", "trend", v, nt))
        trend = d.get("trend")
        if trend is not None and trend != "hills":  # hills: not judged, no verdict to compare
            v = {"even": 0, "progression": 1, "negative": 1, "fading": -1}[trend]
            out.append(Statement("json trend", "trend", v, trend))
        for f in card.findings:
            m = UNADJUSTED.search(f.text)
            if m:
                out.append(Statement("finding unadjusted", "trend", _pace_sign(*m.groups()), m[0]))
        non_even = {s.value for s in out if s.value != 0}
        for key, sign in (("drift_s_per_km_per_km", -1), ("speed_change_pct", 1)):
            x = d.get(key)
            if x is not None and x != 0 and non_even:
                out.append(Statement(f"json {key}", "trend", sign * (1 if x > 0 else -1), str(x)))
        if chart_data is not None:
            title = chart_data(analysis, "splits").title
            if ":" in title and "the hills decide" not in title:  # not judged
                v = _trend_of_text(title.split(":", 1)[1])
                if v is not None:
                    out.append(Statement("chart splits title", "trend", v, title))
    if d.get("kick_pct") is not None:
        for f in card.findings:
            if KICK_TRUE.match(f.text):
                out.append(Statement("finding", "kick", 1, f.text))
            elif KICK_FALSE.match(f.text):
                out.append(Statement("finding", "kick", 0, f.text))
        if d.get("has_kick") is not None:
            out.append(Statement("json has_kick", "kick", int(d["has_kick"]), str(d["has_kick"])))
        if chart_data is not None:
            title = chart_data(analysis, "laps").title
            if "kicked" in title:
                out.append(Statement("chart laps title", "kick", 1, title))
            elif "no kick" in title:
                out.append(Statement("chart laps title", "kick", 0, title))
    return out


def contradictions(stmts: list[Statement]) -> list[tuple[Statement, Statement]]:
    """Pairs of statements on one topic that disagree."""
    out = []
    for i, a in enumerate(stmts):
        for b in stmts[i + 1 :]:
            if a.topic != b.topic or a.value == b.value:
                continue
            # a slope has no "even", and the unadjusted clock may be even where the hills
            # make a trend: only opposite signs disagree
            slope = {"json drift_s_per_km_per_km", "json speed_change_pct", "finding unadjusted"}
            if {a.source, b.source} & slope and 0 in (a.value, b.value):
                continue
            if {a.source, b.source} <= slope:
                continue  # the clock's paces against the grade-adjusted slope: two readings
            out.append((a, b))
    return out


def sweep(profile=None, with_charts: bool = True):
    """(runs with a scorecard, [(file, session, contradicting pair)]) over every readable file."""
    from splitcheck.analysis import analyze_file
    from splitcheck.errors import SplitcheckError

    chart_data = None
    if with_charts:
        from splitcheck.report.charts import chart_data
    runs, found = 0, []
    for path in activity_files():
        try:
            analyses = analyze_file(path, profile)
        except SplitcheckError:
            continue
        for k, a in enumerate(analyses):
            if a.pacing is None:
                continue
            stmts = statements(a, chart_data)  # none on a run the hills leave unjudged
            runs += 1
            for pair in contradictions(stmts):
                found.append((path.relative_to(path.parents[1]).as_posix(), k + 1, pair))
    return runs, found
