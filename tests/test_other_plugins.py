"""Other MkDocs plugins and `hooks:` see our pages as they see any page.

`mkdocs build` hands a page's HTML to MkDocs late (plugins/plugin.py: on_page_context) to keep
every article compressed until it is written. A hook that reads or changes `page.content` in
on_page_content must still see the article and its change must reach the written page, as
under `mkdocs serve`, where the HTML is handed over at once.
"""

from __future__ import annotations

import pytest

from tests.building import build_site
from tests.conftest import MKDOCS_YML, Project

HOOK = """\
def on_page_content(html, *, page, config, files):
    if page.file.src_uri == "cases/a-parts.md":
        seen = "見た" if "目標年商を達成した" in html else "空"
        html += f'<p class="hook-mark">フック:{seen}</p>'
    return html


def on_page_context(context, *, page, config, nav):
    if page.file.src_uri == "cases/a-parts.md":
        seen = "見た" if "目標年商を達成した" in (page.content or "") else "空"
        page.content += f'<p class="hook-context">文脈:{seen}</p>'
    return context
"""


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_hook_sees_and_changes_the_article(project: Project, command: str) -> None:
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false") + "hooks:\n  - hook.py\n")
    project.write("hook.py", HOOK)
    project.case("a-parts")
    site = build_site(project.root / "mkdocs.yml", command=command)
    page = (site / "cases" / "a-parts" / "index.html").read_text("utf-8")
    assert "目標年商を達成した" in page
    assert "フック:見た" in page
    assert "文脈:見た" in page


def test_without_such_a_hook_pages_are_still_handed_over_late(project: Project) -> None:
    """The memory saving stays where nothing else reads the content early."""
    from mkdocs.config import load_config

    project.case("a-parts")
    config = load_config(config_file=str(project.root / "mkdocs.yml"))
    plugin = config.plugins["casebook"]
    assert not plugin.others_read_content(config)
    project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false") + "hooks:\n  - hook.py\n")
    project.write("hook.py", HOOK)
    config = load_config(config_file=str(project.root / "mkdocs.yml"))
    assert config.plugins["casebook"].others_read_content(config)


def test_a_disabled_plugin_does_not_stop_the_late_hand_over(project: Project) -> None:
    """Material's privacy plugin has on_page_content; switched off, it reads nothing."""
    from mkdocs.config import load_config

    for enabled, reads in (("false", False), ("true", True)):
        project.write("mkdocs.yml", MKDOCS_YML.format(pagefind="false") +
                      f"  - privacy:\n      enabled: {enabled}\n")
        config = load_config(config_file=str(project.root / "mkdocs.yml"))
        assert config.plugins["casebook"].others_read_content(config) is reads
