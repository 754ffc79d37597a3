"""The documents stay true: every JSON key the tool prints is documented."""

from __future__ import annotations

import re

from conftest import ROOT, SAMPLES
from splitcheck.analysis import analyze_file
from splitcheck.profile import Profile

DOCS = (ROOT / "docs" / "json.md").read_text() + (ROOT / "docs" / "pacing.md").read_text()
PROSE = re.sub(r"```.*?```", "", DOCS, flags=re.S)  # code blocks would pair backticks wrongly
DOCUMENTED = {
    name for span in re.findall(r"`([^`]+)`", PROSE) for name in re.findall(r"[a-z0-9_]+", span)
}
EFFORT_NAMES = {"400m", "800m", "1km", "mile", "5km"}


def _keys(obj, out):
    if isinstance(obj, dict):
        for key, value in obj.items():
            out.add(key)
            _keys(value, out)
    elif isinstance(obj, list):
        for value in obj:
            _keys(value, out)
    return out


def test_every_json_key_of_the_samples_is_documented():
    profile = Profile(goal_mile_s=360.0, max_hr_bpm=190.0, age=40, sex="male", best_mile_s=380.0)
    keys: set[str] = set()
    for path in sorted(SAMPLES.glob("*.fit")) + sorted(SAMPLES.glob("*.gpx")):
        for analysis in analyze_file(path, profile):
            _keys(analysis.to_dict(), keys)
    assert len(keys) > 60
    undocumented = sorted(keys - DOCUMENTED - EFFORT_NAMES)
    assert undocumented == []


def test_readme_opens_with_the_two_set_up_lines_and_ci_runs_the_same_tests():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert "pip install" in lines[0] and "splitcheck analyze sample_activities/" in lines[0]
    sample = re.search(r"(sample_activities/\S+)", lines[0]).group(1)
    assert (ROOT / sample).is_file()
    assert "pip install" in lines[1] and '".[test]"' in lines[1]
    test_command = lines[1].split("&&")[-1].strip()
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_every_finding_cites_a_rule_of_docs_guidance():
    """Findings cite the repository's own docs/guidance.md (not ../shared, which no user
    has), by a rule id the document defines."""
    text = (ROOT / "docs" / "guidance.md").read_text()
    rules = set(re.findall(r"\*\*([A-Z]\d?)[ *]", text)) | {"R"}
    profile = Profile(goal_mile_s=360.0, max_hr_bpm=190.0, age=40, best_mile_s=380.0)
    cited = set()
    for path in sorted(SAMPLES.glob("*.fit")):
        for analysis in analyze_file(path, profile):
            for f in analysis.pacing.findings if analysis.pacing else ():
                assert f.guidance.startswith("docs/guidance.md "), f.guidance
                ids = re.match(r"docs/guidance\.md ([A-Z]\d?)(?:-([A-Z]\d?))?", f.guidance)
                assert ids and ids.group(1) in rules, f.guidance
                cited.add(ids.group(1))
    assert {"M1", "M2", "I1", "C1"} <= cited
    pacing = (ROOT / "docs" / "pacing.md").read_text()
    assert "../shared" not in pacing and "docs/guidance.md" in pacing


def test_readme_example_is_the_real_output_of_its_command(monkeypatch):
    """The README's "A session, scored" block is exactly what its command prints (trailing
    spaces aside); regenerate it when the report changes."""
    import shlex

    from click.testing import CliRunner

    from splitcheck.cli import cli

    readme = (ROOT / "README.md").read_text()
    block = re.search(r"## A session, scored\n\n```text\n\$ ([^\n]+)\n(.*?)```", readme, re.S)
    assert block, "README has no 'A session, scored' example"
    args = shlex.split(block.group(1))
    assert args[0] == "splitcheck"
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, args[1:])
    assert result.exit_code == 0, result.output
    printed = [line.rstrip() for line in result.output.rstrip("\n").split("\n")]
    shown = [line.rstrip() for line in block.group(2).rstrip("\n").split("\n")]
    assert shown == printed
