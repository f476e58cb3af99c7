"""Issue 19: the estimator validation (scripts/validate_estimators.py) split with --shard i/n and joined with --merge
writes the OUT.json and OUT.md of one run, the same numbers bit for bit (the wall time of each cell aside), and refuses
a set of parts with a gap, an overlap, other settings or an incomplete part in one line naming it; --resume continues
an interrupted run from its checkpoint to the same files."""
import json
import pathlib
import subprocess
import sys

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "validate_estimators.py"
SMALL = ["--dims", "2,3", "--seeds", "11,12,13", "--rollouts", "8", "--states", "401"]


def validation(cli, tmp_path, *args, check=True):
    r = subprocess.run([sys.executable, str(SCRIPT), "--paththermo", str(cli), *args], capture_output=True, text=True,
                       cwd=tmp_path)
    if check:
        assert r.returncode in (0, 1), r.stderr  # 1: a row outside the criterion (tiny samples), still a full report
    return r


def untimed(path):
    d = json.loads(path.read_text())
    for row in d["rows"]:
        row.pop("wall_s_all_methods", None)
    return d


def test_shards_merge_into_one_run(cli, tmp_path):
    validation(cli, tmp_path, *SMALL, "--out", "one")
    expected_json, expected_md = untimed(tmp_path / "one.json"), (tmp_path / "one.md").read_text()
    assert len(expected_json["rows"]) == 6 * 4
    for n in (2, 4, 7):  # 7 shards of 6 cells: one holds none and still merges
        parts = []
        for i in range(n):
            r = validation(cli, tmp_path, *SMALL, "--shard", f"{i}/{n}", "--out", f"s{n}-{i}")
            assert r.returncode == 0 and "part.json" in r.stdout, r.stderr
            parts.append(f"s{n}-{i}.part.json")
        merged = validation(cli, tmp_path, "--merge", *reversed(parts), "--out", f"merged{n}")
        assert merged.returncode == (0 if expected_json["passed"] else 1)
        assert untimed(tmp_path / f"merged{n}.json") == expected_json
        assert (tmp_path / f"merged{n}.md").read_text() == expected_md
        assert not (tmp_path / f"merged{n}.part.json").exists()
    assert not (tmp_path / "one.part.json").exists()  # a whole run's checkpoint is removed once the report is written


def test_resume_continues_an_interrupted_run(cli, tmp_path):
    validation(cli, tmp_path, *SMALL, "--out", "one")
    expected_json, expected_md = untimed(tmp_path / "one.json"), (tmp_path / "one.md").read_text()
    # The checkpoint of a run interrupted after 2 of its 6 cells (as a kill leaves it), then --resume.
    validation(cli, tmp_path, *SMALL, "--shard", "0/3", "--out", "first")
    first = json.loads((tmp_path / "first.part.json").read_text())
    first.update(lower=0, upper=6, total=6)
    (tmp_path / "cut.part.json").write_text(json.dumps(first))
    resumed = validation(cli, tmp_path, *SMALL, "--resume", "--out", "cut")
    assert "seed 11" not in resumed.stderr  # the kept cells are not computed again
    assert untimed(tmp_path / "cut.json") == expected_json and (tmp_path / "cut.md").read_text() == expected_md
    # Another --shard than the checkpoint's: one line.
    (tmp_path / "cut.part.json").write_text(json.dumps(first))
    r = validation(cli, tmp_path, *SMALL, "--resume", "--shard", "1/2", "--out", "cut", check=False)
    assert r.returncode != 0 and "other settings or --shard" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_bad_sets_of_parts_are_refused(cli, tmp_path):
    for i in range(3):
        validation(cli, tmp_path, *SMALL, "--shard", f"{i}/3", "--out", f"s{i}")
    validation(cli, tmp_path, *SMALL, "--dt", "0.02", "--shard", "1/3", "--out", "dt")
    (tmp_path / "junk.part.json").write_text('{"format": "something else"}')
    half = json.loads((tmp_path / "s1.part.json").read_text())
    half.update(done=1, rows=half["rows"][:4])
    (tmp_path / "half.part.json").write_text(json.dumps(half))
    for parts, message in [
        (["s0", "s2"], "cells 2..<4 of 6 are missing"),
        (["s0", "s1", "s1", "s2"], "overlaps another part"),
        (["s0", "dt", "s2"], "different settings"),
        (["s0", "junk", "s2"], "not a validation part"),
        (["s0", "half", "s2"], "is incomplete"),
    ]:
        r = validation(cli, tmp_path, "--merge", *[p + ".part.json" for p in parts], "--out", "merged", check=False)
        assert r.returncode != 0 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert not (tmp_path / "merged.json").exists()
