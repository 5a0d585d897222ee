"""Practice data at scale: questions per drill, the bytes of each drill's JSON file (what the
browser fetches to open that drill) and the time to make them, for the shipped content and
for synthetic corpora.

    .venv/bin/python bench/practice.py              # the repository's own cases
    .venv/bin/python bench/practice.py --size 1000  # + 1,000 synthetic cases (corpus.py)

Reads and checks the project as a build does (pipeline.load), then makes the drills with
casebook.practice; no site is written.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[0:0] = [str(REPO)]
sys.path.append(str(Path(__file__).parent))  # corpus.py (bench/search.py would shadow search/)

from corpus import write_corpus  # noqa: E402

from casebook.practice import DRILLS, practice_files, practice_questions  # noqa: E402
from pipeline.load import load_library  # noqa: E402
from pipeline.options import BuildOptions  # noqa: E402


def project(work: Path, size: int) -> Path:
    """The repository's content and cases, plus `size` synthetic cases."""
    root = work / f"project-{size}"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "cases", root / "cases")
    if size:
        write_corpus(root / "cases", size)
    return root


def measure(root: Path) -> list[str]:
    library = load_library(BuildOptions(root))
    started = time.perf_counter()
    questions = practice_questions(library)
    files = practice_files(library, True, questions)
    seconds = time.perf_counter() - started
    rows = [f"| {len(library.published):,} published cases | questions | parts | "
            "largest part: bytes | gzip | whole drill: bytes |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for drill in DRILLS:
        texts = [t.encode() for p, t in files.items() if p.rsplit("/", 1)[-1].startswith(
            f"{drill.name}-")]
        largest = max(texts, key=len)
        rows.append(f"| {drill.name} | {len(questions[drill.name]):,} | {len(texts)} | "
                    f"{len(largest):,} | {len(gzip.compress(largest)):,} | "
                    f"{sum(map(len, texts)):,} |")
    rows.append(f"| all ({seconds:.2f} s to make) | "
                f"{sum(len(q) for q in questions.values()):,} | {len(files)} | | | "
                f"{sum(len(t.encode()) for t in files.values()):,} |")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=0, help="synthetic cases to add")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        root = project(Path(work), args.size) if args.size else REPO
        print("\n".join(measure(root)))


if __name__ == "__main__":
    main()
