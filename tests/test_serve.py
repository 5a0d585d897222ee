"""`mkdocs serve` as an author uses it: a real server, a case file saved, the site polled.

An edited case is served before the whole rebuild ("showing cases/…" in the server's log), the
site stays served while the rebuild runs, an edit with a problem or a private term is never
shown, and the search bundle survives every rebuild.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import MKDOCS_YML, Project

TIMEOUT = 120


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A project under `mkdocs serve`, with its log."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.base = f"http://127.0.0.1:{_free_port()}/"
        self.log_path = project.root.parent / "serve.log"
        self._log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", self.base[7:-1]],
            cwd=project.root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def get(self, path: str) -> str | None:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, OSError):
            return None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")

    def wait(self, what: str, check, timeout: float = TIMEOUT) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if check():
                return
            if self.process.poll() is not None:
                pytest.fail(f"mkdocs serve ended while waiting for {what}:\n{self.log()}")
            time.sleep(0.05)
        pytest.fail(f"timed out waiting for {what}; the server's log:\n{self.log()}")

    def wait_for_log(self, text: str, count: int = 1) -> None:
        self.wait(f"{text!r} in the log", lambda: self.log().count(text) >= count)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self._log.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    project = Project(tmp_path / "proj")
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="true"))
    project.case()
    project.case("b-shop", alias="B社", title="小売店の事業承継", industry="I")
    server = Served(project)
    try:
        server.wait("the first build to be served",
                    lambda: "属人的経営" in (server.get("cases/a-parts/") or ""))
        server.wait("the search bundle", lambda: server.get("pagefind/pagefind.js") is not None)
        yield server
    finally:
        server.stop()


def _edit(project: Project, old: str, new: str, name: str = "a-parts") -> None:
    path = project.root / "cases" / f"{name}.md"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edited_case_is_shown_before_the_rebuild_and_listed_after_it(served: Served) -> None:
    _edit(served.project, "目標年商を達成した。", "目標年商を達成し、後継者も育った。")
    served.wait("the edited page", lambda: "後継者も育った" in (served.get("cases/a-parts/") or ""))
    served.wait_for_log("casebook: showing cases/a-parts/")
    # The rebuild follows: the title change reaches the pages that list the case.
    _edit(served.project, "属人的経営から組織的経営へ", "属人的経営から組織で動く経営へ")
    served.wait("the case index after the rebuild",
                lambda: "組織で動く経営へ" in (served.get("cases/") or ""))
    assert "組織で動く経営へ" in served.get("cases/a-parts/")


def test_the_site_and_its_search_are_served_while_a_rebuild_runs(served: Served) -> None:
    rebuilt = served.log().count("Reloading browsers")
    _edit(served.project, "目標年商を達成した。", "目標年商を達成し、販路も広がった。")
    missing = []
    end = time.monotonic() + TIMEOUT
    while served.log().count("Reloading browsers") <= rebuilt and time.monotonic() < end:
        for path in ("cases/b-shop/", "pagefind/pagefind.js", "assets/casebook/casebook.css"):
            if served.get(path) is None:
                missing.append(path)
        time.sleep(0.02)
    assert not missing, f"not served during the rebuild: {sorted(set(missing))}"
    served.wait("the search bundle after the rebuild",
                lambda: served.get("pagefind/pagefind.js") is not None)
    served.wait_for_log("casebook: Pagefind indexed", count=2)


def test_an_edit_with_a_problem_is_not_shown_and_the_site_stays_served(served: Served) -> None:
    _edit(served.project, "walls: [見えない, 付いてこない]", "walls: [見えない, 付いてこないい]")
    _edit(served.project, "目標年商を達成した。", "目標年商を達成し、問題も抱えた。")
    served.wait_for_log("付いてこないい")
    page = served.get("cases/a-parts/")
    assert page is not None and "問題も抱えた" not in page
    assert "casebook: showing" not in served.log()


def test_a_private_term_typed_into_a_case_never_reaches_the_served_page(served: Served) -> None:
    served.project.write("content/private-terms.txt", "青空精機\n")
    served.wait_for_log("Reloading browsers")
    _edit(served.project, "目標年商を達成した。", "青空精機の目標年商を達成した。")
    served.wait_for_log("青空精機")  # the rebuild's error names it
    for _ in range(20):
        page = served.get("cases/a-parts/")
        assert page is not None and "青空精機" not in page
        time.sleep(0.05)
    assert "casebook: showing" not in served.log()
