"""Builds that are interrupted or killed, and search indexes that are damaged.

A build runs as `mkdocs build` in a child process; a hook (MkDocs' `hooks:`) interrupts it
half-way through writing pages, as Ctrl-C or `kill -9` would. What a user must find
afterwards: the previous site exactly as it was, no process of the build still running, and
no temporary folder that the next build does not clear away.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.conftest import MKDOCS_YML, Project

HOOK = """\
import multiprocessing
import os
import signal
from pathlib import Path


def on_post_page(output, *, page, config):
    if page.file.src_uri == "cases/a-parts.md" and os.environ.get("CB_SIGNAL"):
        pids = [str(p.pid) for p in multiprocessing.active_children()]
        Path(os.environ["CB_PIDS"]).write_text(" ".join(pids))
        os.kill(os.getpid(), getattr(signal, os.environ["CB_SIGNAL"]))
        time.sleep(30)
    return output


import time  # noqa: E402
"""


def _tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file()}


def _mkdocs_build(project: Project, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project.root,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env})


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead but not yet reaped by its (dead) parent's parent.
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def built_with_hook(project: Project, hook: str) -> Project:
    """Two cases built once with Pagefind on and `hook` as the hooks: file (its faults are
    switched on by environment variables in the builds that follow)."""
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true") + "hooks:\n  - hook.py\n")
    project.write("hook.py", hook)
    project.case("a-parts")
    project.case("b-shop", alias="B社", industry="小売業")
    done = _mkdocs_build(project)
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture
def built(project: Project) -> Project:
    return built_with_hook(project, HOOK)


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM", "SIGKILL"])
def test_an_interrupted_build_leaves_the_old_site_and_no_process(built: Project, tmp_path,
                                                                signal_name: str) -> None:
    site = built.root / "site"
    before = _tree(site)
    path = built.root / "cases" / "a-parts.md"
    path.write_text(path.read_text("utf-8").replace("目標年商を達成した。", "新しい一文。"),
                    "utf-8")
    pids_file = tmp_path / "children.txt"
    done = _mkdocs_build(built, CB_SIGNAL=signal_name, CB_PIDS=str(pids_file))
    assert done.returncode != 0
    children = [int(pid) for pid in pids_file.read_text().split()]
    # Pagefind's process waits for pages until the build ends (the index's may be done).
    assert children, "the build's processes should have been running"
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in children if _alive(pid)], "a child of the build lives on"
    assert _tree(site) == before  # the previous site, byte for byte
    # What a killed build could not remove, the next build does.
    done = _mkdocs_build(built)
    assert done.returncode == 0, done.stderr
    assert "新しい一文。" in (site / "cases" / "a-parts" / "index.html").read_text("utf-8")
    assert not list(built.root.glob(".site.new-*")) and not list(built.root.glob(".site.old-*"))
    assert not list(built.root.glob(".casebook-index.new-*"))
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    assert not [p for p in tmp.glob("casebook-pagefind-*")
                if p.name.split("-")[2].isdigit() and int(p.name.split("-")[2]) in children]


def test_leftover_folders_of_a_dead_build_are_removed_and_a_live_ones_kept(built: Project):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = built.root / f".site.new-{dead}-abc"
    stale.mkdir()
    alive = built.root / f".site.new-{os.getpid()}-def"  # this process: still running
    alive.mkdir()
    try:
        done = _mkdocs_build(built)
        assert done.returncode == 0, done.stderr
        assert not stale.exists() and alive.exists()
    finally:
        alive.rmdir()


# --- damaged search indexes -------------------------------------------------------------------


@pytest.fixture
def indexed(project: Project, capsys) -> Path:
    project.case()
    assert main(["index", "--root", str(project.root)]) == 0
    capsys.readouterr()
    return project.root / ".casebook-index"


@pytest.mark.parametrize("damage", ["truncate-segment", "empty-toc", "bad-manifest",
                                    "garbage-segment"])
def test_a_damaged_index_is_named_with_the_command_that_fixes_it(project, indexed, capsys,
                                                                 damage):
    if damage == "truncate-segment":
        segment = max(indexed.glob("*.seg"), key=lambda p: p.stat().st_size)
        segment.write_bytes(segment.read_bytes()[:100])
    elif damage == "empty-toc":
        next(indexed.glob("*.toc")).write_bytes(b"")
    elif damage == "bad-manifest":
        (indexed / "casebook-index.json").write_text("{not json", "utf-8")
    else:
        for segment in indexed.glob("*.seg"):
            segment.write_bytes(os.urandom(segment.stat().st_size))
    code = main(["search", "--root", str(project.root), "資金繰り"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert str(indexed) in err and "casebook index" in err
    assert "Traceback" not in err


def test_an_index_folder_that_cannot_be_written_is_said_plainly(project, capsys, tmp_path,
                                                                 monkeypatch):
    project.case()

    def read_only(*args, **kwargs):
        # What mkdtemp raises in a folder the user may not write to (root may write anywhere,
        # so the refusal is made here rather than with chmod).
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("search.leftovers.make", read_only)
    code = main(["index", "--root", str(project.root), "--index", str(tmp_path / "ix")])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.strip() == (f"casebook index: cannot write the index in {tmp_path / 'ix'}: "
                           "Permission denied")


def test_a_failed_build_leaves_the_search_index_as_it_was(project, monkeypatch, capsys):
    from search.pagefind import PagefindError

    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.build()
    project.case("b-shop", alias="B社", title="蔵元の新しい取引", industry="小売業")

    def missing():
        raise PagefindError("Pagefind's binary is missing")

    monkeypatch.setattr("search.pagefind.extended_binary", missing)
    project.build_fails()
    assert main(["search", "--root", str(project.root), "蔵元"]) == 0
    out, _ = capsys.readouterr()
    assert "B社" not in out and "0 件" in out  # the index of the last good build
    assert not list(project.root.glob(".casebook-index.new-*"))
