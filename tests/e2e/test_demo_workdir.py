"""The demo's default work folder: replaced on each run, never someone else's folder."""

from pathlib import Path

import pytest

from demo.run_demo import fresh_default_workdir


def test_a_second_run_replaces_the_first_runs_files(tmp_path: Path) -> None:
    workdir = tmp_path / ".accord-demo"
    fresh_default_workdir(workdir)
    (workdir / "broker.sqlite").write_text("old run")

    fresh_default_workdir(workdir)

    assert workdir.is_dir()
    assert not (workdir / "broker.sqlite").exists()


def test_a_folder_the_demo_did_not_make_is_left_alone(tmp_path: Path) -> None:
    workdir = tmp_path / ".accord-demo"
    workdir.mkdir()
    (workdir / "precious.txt").write_text("mine")

    with pytest.raises(SystemExit, match="not made by the demo"):
        fresh_default_workdir(workdir)

    assert (workdir / "precious.txt").read_text() == "mine"
