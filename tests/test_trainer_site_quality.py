"""The repository's trainer edition (`mkdocs build -f mkdocs.trainer.yml --strict`) passes the
same gates as the learner site: a clean strict build, every link and anchor resolves, the HTML
validates apart from Material's accepted errors; and it shows the repository's teaching notes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.sitecheck import VnuMissing, check_links, load_accepted, run_vnu, unaccepted
from tests.test_build import text_of


@pytest.fixture(scope="module")
def trainer_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    site = tmp_path_factory.mktemp("trainer-site") / "site-trainer"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.trainer.yml",
         "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
             "CASEBOOK_TRAINER_INDEX_DIR": str(site.parent / "whoosh-index")})
    if result.returncode != 0:
        pytest.fail(f"the trainer build failed (exit {result.returncode}):\n"
                    f"{result.stderr[-4000:]}")
    return site, result.stderr


def test_trainer_edition_builds_strictly_into_its_own_folders(
        trainer_site: tuple[Path, str]) -> None:
    site, log = trainer_site
    problems = [line for line in log.splitlines() if line.startswith(("WARNING", "ERROR"))]
    assert not problems, "\n".join(problems)
    assert (site.parent / "whoosh-index").is_dir()  # its own index, from the trainer config
    assert not (REPO / "site-trainer").exists() and not (REPO / ".casebook-index-trainer"
                                                         ).exists()


def test_trainer_edition_shows_the_repository_teaching_notes(
        trainer_site: tuple[Path, str]) -> None:
    site, _ = trainer_site
    for url in ("cases/a-precision-parts", "cases/b-analytical-instruments",
                "cases/c-food-retail", "curricula/intro-half-day", "curricula/kabe-workshop-90"):
        page = text_of((site / url / "index.html").read_text("utf-8"))
        assert "指導メモ（研修講師用）" in page, url
    exercises = sorted(p.stem for p in (REPO / "cases").glob("ex-*.md")
                       if "status: published" in p.read_text("utf-8"))
    missing = [e for e in exercises if "指導メモ（研修講師用）" not in
               (site / "cases" / e / "index.html").read_text("utf-8")]
    assert not missing, f"exercises without a teaching note: {missing}"


def test_trainer_edition_links_and_anchors_resolve(trainer_site: tuple[Path, str]) -> None:
    site, _ = trainer_site
    report = check_links(site)
    assert report.pages > 100
    assert not report.broken, "\n".join(str(b) for b in report.broken)


def test_trainer_edition_html_validates(trainer_site: tuple[Path, str]) -> None:
    site, _ = trainer_site
    try:
        messages = run_vnu(site, relative_to=site)
    except VnuMissing as error:
        pytest.fail(str(error))
    new = unaccepted(messages, load_accepted())
    assert not new, "\n".join(str(m) for m in new[:60])
