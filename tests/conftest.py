"""Shared helpers: write a tiny Casebook project into tmp_path and build it for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

REPO = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: テスト
docs_dir: content
site_dir: site
theme:
  name: material
  language: ja
  font: false
plugins:
  - casebook:
      search_pagefind: {pagefind}
"""

CASE = """\
---
id: {id}
title: {title}
alias: {alias}
kind: precedent
industry: {industry}
prefecture: 埼玉県
employees: 21-50
supporter: 商工会議所
themes: [組織・人材]
walls: [{walls}]
approaches: [傾聴型ギャップアプローチ]
source: 中小企業庁「令和4年度 よろず支援拠点事業の運営について」（令和4年4月）
status: {status}
---
# {title}

## 設定された課題

- 人の管理や資金繰りへの対応は[場当たり的]{{wall=見えない}}だった。
- 改革を進めると社員との軋轢が生じた。

## 支援アプローチ

経営者の考えを[傾聴し]{{skill=傾聴}}、5年後の目標を共有した。

```dialogue
支援者[問いかけ]: 5年後、どんな会社になっていたいですか。
経営者: 社員が自分で考えて動く会社です。
```

## 生まれた事業上の変化

目標年商を達成した。
"""


def case_text(**fields: str) -> str:
    values = {"id": "a-parts", "title": "属人的経営から組織的経営へ", "alias": "A社",
              "industry": "E", "walls": "見えない, 付いてこない", "status": "published"}
    values.update(fields)
    return CASE.format(**values)


class Project:
    """A throwaway Casebook project on disk."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "content").mkdir(parents=True)
        (root / "cases").mkdir()
        shutil.copy(REPO / "content" / "taxonomy.yml", root / "content" / "taxonomy.yml")
        self.write("content/index.md", "# ホーム\n\nようこそ。\n")
        self.write("content/private-terms.txt", "# 公開禁止語（なし）\n")
        self.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false"))

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def case(self, name: str = "a-parts", **fields: str) -> Path:
        fields.setdefault("id", name)
        return self.write(f"cases/{name}.md", case_text(**fields))

    def build(self) -> Path:
        from tests.building import build_site

        build_site(self.root / "mkdocs.yml")
        return self.root / "site"

    def build_fails(self) -> None:
        """Build, expecting MkDocs to abort (the plugin's error is in the log)."""
        from mkdocs.exceptions import Abort

        with pytest.raises(Abort):
            self.build()

    def page(self, url: str) -> str:
        return (self.root / "site" / url / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "proj")


# Written by Python itself or by the install, not by a test.
_NOT_OURS = re.compile(
    r"(^|/)(__pycache__|\.pytest_cache|\.venv|node_modules|[^/]*\.egg-info)(/|$)")


def _repository_state() -> set[str] | None:
    """`git status` of the repository, every untracked and ignored file listed; None if not git."""
    try:
        done = subprocess.run(["git", "status", "--porcelain", "--ignored",
                               "--untracked-files=all"], cwd=REPO, capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return {line for line in done.stdout.splitlines() if not _NOT_OURS.search(line[3:])}


@pytest.fixture(scope="session", autouse=True)
def repository_is_left_as_it_was():
    """Tests write into tmp_path, never into the repository (an index, a site, screenshots)."""
    before = _repository_state()
    yield
    after = _repository_state()
    if before is not None and after is not None:
        written = sorted(after - before)
        assert not written, f"tests wrote into the repository: {written}"
