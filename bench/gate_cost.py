"""CPU of the output gate's deny-list scan over a built site, with a 20-term deny-list.

    .venv/bin/python bench/gate_cost.py /tmp/bench/casebook-1000/site

The bench's projects have an empty deny-list (like the shipped content), so `build.py` does
not see what the gate costs a project that has one: the gate reads every written page
(`OutputGate.check`) and every copy Pagefind indexes (`check_search_copy`). This times both
over the pages of a built site (each page's article stands in for its Pagefind copy).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # after bench/ (search.py)

from pipeline.gate import OutputGate  # noqa: E402
from search.pagefind import page_copy  # noqa: E402

TERMS = ["秘密山商店", "山田太郎", "北星精機", "みどり会計事務所", "東西運輸株式会社", "佐藤花子",
         "南部食品", "株式会社青葉", "鈴木一郎", "高橋工務店", "ひかり介護", "丸井酒造",
         "田中美咲", "小林印刷", "中村製作所", "桜井旅館", "大和物流", "加藤商事", "吉田歯科",
         "森林建設"]


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    pages = sorted(Path(sys.argv[1]).rglob("index.html"))
    texts = [page.read_text(encoding="utf-8") for page in pages]
    articles = [m.group(0) if (m := re.search(r"<article.*?</article>", text, re.S)) else ""
                for text in texts]
    gate = OutputGate(TERMS)
    started = time.process_time()
    for page, text in zip(pages, texts, strict=True):
        gate.check(str(page), text)
    written = time.process_time() - started
    started = time.process_time()
    for page, article in zip(pages, articles, strict=True):
        gate.check_search_copy(str(page), page_copy("", article, ""))
    copies = time.process_time() - started
    print(f"{len(pages):,} pages: written pages {sum(map(len, texts)) / 1e6:.1f} M characters, "
          f"{written:.2f} s CPU; Pagefind copies {sum(map(len, articles)) / 1e6:.1f} M "
          f"characters, {copies:.2f} s CPU; leaks {len(gate.leaks)}")


if __name__ == "__main__":
    main()
