"""Trust gates on the real site: it builds strictly, every internal link and anchor resolves,
the HTML validates, and the project's private files are not published.

The repository's site is built once per test session (`mkdocs build --strict`, as `make build`
does, into a temporary folder) and every check reads that build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import sitecheck
from tests.conftest import REPO
from tests.sitecheck import (
    AcceptedError,
    VnuMessage,
    VnuMissing,
    check_links,
    find_bytes,
    load_accepted,
    run_vnu,
    unaccepted,
)


@dataclass(frozen=True)
class RealBuild:
    site: Path
    log: str  # what `mkdocs build` wrote to stderr
    seconds: float
    site_url: str | None  # absolute links on its host are the site's own


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> RealBuild:
    site = tmp_path_factory.mktemp("real-site") / "site"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=900,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
             # mkdocs.yml reads it: the index goes next to this site, not into the repository
             "CASEBOOK_INDEX_DIR": str(site.parent / "whoosh-index")},
    )
    if result.returncode != 0:
        pytest.fail(f"`mkdocs build --strict` failed (exit {result.returncode}):\n"
                    f"{result.stderr[-4000:]}")
    seconds = time.monotonic() - started
    from mkdocs.config import load_config

    site_url = load_config(config_file=str(REPO / "mkdocs.yml")).site_url
    return RealBuild(site, result.stderr, seconds, site_url)


def test_real_site_strict_build_is_clean(real_site: RealBuild) -> None:
    problems = [line for line in real_site.log.splitlines()
                if line.startswith(("WARNING", "ERROR"))]
    assert not problems, "\n".join(problems)
    assert (real_site.site / "cases" / "a-precision-parts" / "index.html").is_file()


# --- links and anchors -------------------------------------------------------------------------


def test_every_internal_link_and_anchor_resolves(real_site: RealBuild) -> None:
    report = check_links(real_site.site, real_site.site_url)
    assert report.pages > 100 and report.anchors > 100  # it did look at the site
    assert not report.broken, (
        f"{len(report.broken)} broken of {report.links} internal links in {report.pages} "
        "pages:\n" + "\n".join(str(b) for b in report.broken))


def _page(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"<!doctype html><html lang=ja><title>t</title>{body}</html>", "utf-8")


def test_link_check_reports_planted_broken_links_and_anchors(tmp_path: Path) -> None:
    _page(tmp_path / "index.html", """
      <a href="cases/a/">ok</a> <a href="cases/a/#%E8%AA%B2%E9%A1%8C">ok, percent-encoded</a>
      <a href="cases/a/index.html#課題">ok</a> <a href="#top">ok</a> <a name="top"></a>
      <a href="https://example.org/x">elsewhere</a> <a href="mailto:a@example.org">mail</a>
      <a href="cases/b/">no page</a>
      <a href="cases/a/#%E8%AA%B2">no such heading</a>
      <img src="missing.png" alt=""> <script src="/app.js"></script>
      <a href="../outside/">above the site</a>
    """)
    _page(tmp_path / "cases" / "a" / "index.html", '<h2 id="課題">課題</h2><a href="../../">up</a>')
    (tmp_path / "app.js").write_text("", "utf-8")
    report = check_links(tmp_path)
    broken = sorted((b.link.url, b.reason) for b in report.broken)
    assert broken == [
        ("../outside/", "leads out of the site"),
        ("cases/a/#%E8%AA%B2", "no id or name '課' in cases/a/index.html"),
        ("cases/b/", "no file cases/b/index.html"),
        ("missing.png", "no file missing.png"),
    ]
    assert (report.pages, report.links, report.external) == (2, 10, 2)


def test_link_check_follows_links_on_the_site_url_host(tmp_path: Path) -> None:
    _page(tmp_path / "404.html", """
      <a href="/casebook/cases/">ok</a> <a href="https://example.org/casebook/#top">ok</a>
      <a href="/casebook/walls/">no page</a> <a href="/other/">not under the site's root</a>
      <a href="https://example.org/elsewhere/">another site on the host</a>
      <a href="https://example.com/casebook/">another host</a>
    """)
    _page(tmp_path / "index.html", '<p id="top">')
    _page(tmp_path / "cases" / "index.html", "")
    report = check_links(tmp_path, "https://example.org/casebook/")
    assert sorted((b.link.url, b.reason) for b in report.broken) == [
        ("/casebook/walls/", "no file walls/index.html"),
        ("/other/", "outside the site's root /casebook/"),
        ("https://example.org/elsewhere/", "outside the site's root /casebook/"),
    ]
    assert report.external == 1


def test_link_check_reports_breakage_planted_in_a_real_page(real_site: RealBuild,
                                                            tmp_path: Path) -> None:
    site = Path(shutil.copytree(real_site.site, tmp_path / "site"))
    page = site / "cases" / "a-precision-parts" / "index.html"
    html = page.read_text("utf-8")
    assert 'href="#設定された課題"' in html and 'href="../../walls/mienai/"' in html
    page.write_text(html.replace('href="#設定された課題"', 'href="#設定されてない課題"', 1)
                        .replace('href="../../walls/mienai/"', 'href="../../walls/mienai-x/"', 1),
                    "utf-8")
    broken = {(b.link.page, b.link.url) for b in check_links(site, real_site.site_url).broken}
    assert broken == {("cases/a-precision-parts/index.html", "#設定されてない課題"),
                      ("cases/a-precision-parts/index.html", "../../walls/mienai-x/")}


# --- HTML validation ---------------------------------------------------------------------------

# Markup of ours with an error whose message is also an accepted one of Material's: vnu must
# report it and the accepted list must not cover it. Validated in the same vnu run as the site.
CANARY = ('<!doctype html><html lang="ja"><head><title>canary</title></head><body>'
          '<label class="cb-canary" for="x" tabindex="">見出し</label><input id="x">'
          '</body></html>')


@dataclass(frozen=True)
class VnuRun:
    site: list[VnuMessage]  # messages about the built site, paths relative to it
    canary: list[VnuMessage]
    seconds: float


@pytest.fixture(scope="session")
def vnu(real_site: RealBuild, tmp_path_factory: pytest.TempPathFactory) -> VnuRun:
    canary_dir = tmp_path_factory.mktemp("vnu-canary")
    canary = canary_dir / "canary.html"
    canary.write_text(CANARY, "utf-8")
    started = time.monotonic()
    try:
        messages = run_vnu(real_site.site, canary_dir, relative_to=real_site.site)
    except VnuMissing as error:
        pytest.fail(str(error))
    return VnuRun([m for m in messages if m.file != str(canary)],
                  [m for m in messages if m.file == str(canary)],
                  time.monotonic() - started)


def test_missing_validator_says_make_test_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sitecheck.shutil, "which", lambda name: None)
    with pytest.raises(VnuMissing, match=r"needs java, which is missing; `make test` installs"):
        run_vnu(Path("site"))


@pytest.fixture(scope="session")
def accepted() -> list[AcceptedError]:
    return load_accepted()


def test_html_validates_apart_from_materials_accepted_errors(
        vnu: VnuRun, accepted: list[AcceptedError]) -> None:
    new = unaccepted(vnu.site, accepted)
    assert not new, (
        f"{len(new)} vnu errors/warnings not in tests/data/vnu-accepted.yml (fix our markup; "
        "list only Material's own, with why):\n" + "\n".join(str(m) for m in new[:60]))


def test_vnu_reports_an_error_in_our_markup_despite_an_accepted_message(
        vnu: VnuRun, accepted: list[AcceptedError]) -> None:
    assert [m.message for m in vnu.canary if m.type == "error"] == [
        "Bad value “” for attribute “tabindex” on element “label”: "
        "The empty string is not a valid integer."]
    assert unaccepted(vnu.canary, accepted) == vnu.canary


def test_every_accepted_vnu_error_still_occurs(vnu: VnuRun,
                                               accepted: list[AcceptedError]) -> None:
    stale = [a.message.pattern for a in accepted if not any(a.matches(m) for m in vnu.site)]
    assert not stale, f"remove from tests/data/vnu-accepted.yml, no longer reported: {stale}"
    assert all(a.why for a in accepted)


# --- what is not published ---------------------------------------------------------------------


def _private_terms() -> list[str]:
    path = REPO / "content" / "private-terms.txt"
    lines = path.read_text("utf-8").splitlines()
    return [t.strip() for t in lines if t.strip() and not t.lstrip().startswith("#")]


def test_taxonomy_private_terms_and_search_index_are_not_in_the_real_site(
        real_site: RealBuild) -> None:
    assert (REPO / "content" / "taxonomy.yml").is_file()
    assert (REPO / "content" / "private-terms.txt").is_file()
    names = {p.name for p in real_site.site.rglob("*")}
    assert names, "the site is empty"
    unpublished = {"taxonomy.yml", "private-terms.txt", "casebook-index.json"}
    assert not names & unpublished
    assert not [n for n in names if n.endswith((".seg", ".toc", ".md"))]
    leaked = find_bytes([real_site.site], _private_terms())
    assert not leaked, f"private terms in the site: {leaked}"
