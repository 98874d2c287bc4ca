"""The course site (course_site/build.py): a lecture executed with its plots, session and
front pages, an assignment as students get it; and the execution cache's key.

One smoke build of two notebooks, into a temporary folder, serves the page tests.
"""

import html
import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.course_layout import COURSE, ROOT

BUILD_SCRIPT = ROOT / "course_site" / "build.py"
LECTURE = "session1_basics/05_images_and_kernels.ipynb"
ASSIGNMENT = "session1_basics/assignment1.ipynb"
# Regions of an assignment source that its student version must not show.
HIDDEN_REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)


def load_build_module():
    """course_site/build.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("course_site_build", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--profile", "smoke", "--only", LECTURE,
         "--only", ASSIGNMENT, "--out", str(root / "html"), "--work", str(root / "work")],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"the site build failed:\n{result.stdout[-4000:]}" \
                                   f"\n{result.stderr[-4000:]}"
    assert "executed (1): session1_basics/05_images_and_kernels" in result.stdout, result.stdout
    return root / "html"


def page(site: Path, relative: str) -> str:
    """The main content of a page as HTML."""
    text = (site / relative).read_text(encoding="utf-8")
    main = re.search(r"<main\b.*?</main>", text, re.S)
    assert main, f"{relative} has no <main> element"
    return main[0]


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def test_lecture_page_shows_its_executed_figures(site):
    lecture = page(site, "session1_basics/05_images_and_kernels.html")
    sources = re.findall(r'<img[^>]*\ssrc="([^"]+\.png)"', lecture)
    assert len(sources) >= 3, "the lecture's plots are missing from its page"
    for source in sources:
        assert (site / "session1_basics" / source).resolve().is_file(), f"{source} is missing"
    assert "profile: smoke" in visible_text(lecture), "the setup cell's output is missing"


def test_session_page_is_its_readme_and_lists_its_notebooks(site):
    session = page(site, "session1_basics/index.html")
    readme_title = (COURSE / "session1_basics" / "README.md").read_text().splitlines()[0]
    assert readme_title.lstrip("# ") in visible_text(session)
    assert "Notation" in visible_text(session)
    listed = re.findall(r'<li class="toctree-l1"><a class="reference internal" href="([^"]+)"',
                        session)
    assert listed == ["05_images_and_kernels.html", "assignment1.html"], listed


def test_front_page_is_the_readme(site):
    front = visible_text(page(site, "index.html"))
    readme = re.sub(r"```.*?```", "", (ROOT / "README.md").read_text(), flags=re.S)
    for heading in re.findall(r"^#{1,2} (.+)$", readme, re.M):
        assert heading in front, f"README heading {heading!r} is missing from the front page"
    assert 'href="session1_basics/index.html"' in page(site, "index.html")


def test_assignment_page_is_the_student_version(site):
    shown = visible_text(page(site, "session1_basics/assignment1.html"))
    source = json.loads((COURSE / ASSIGNMENT).read_text())
    cells = ["".join(cell["source"]) for cell in source["cells"]]
    hidden = [line.strip() for cell in cells for _, region in HIDDEN_REGION.findall(cell)
              for line in region.splitlines() if line.strip()]
    # Text that also stands outside those regions (e.g. code the student is given) may show.
    public = "\n".join(HIDDEN_REGION.sub("", cell) for cell in cells)
    leaked = [line for line in hidden if line in shown and line not in public]
    assert hidden and not leaked, f"solution or hidden-test lines on the page: {leaked[:5]}"
    for marker in ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS", "Rubric", "Model answer"):
        assert marker not in shown, f"{marker!r} is on the assignment's page"
    assert "YOUR CODE HERE" in shown and "YOUR ANSWER HERE" in shown
    assert "NotImplementedError" in shown and "Traceback" not in shown  # shown, not run


def test_cache_key_follows_helpers_requirements_and_profile(tmp_path):
    build = load_build_module()
    shutil.copytree(ROOT / "helpers", tmp_path / "helpers",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "requirements.txt", tmp_path)
    key = build.cache_key("smoke", tmp_path)
    assert build.cache_key("smoke", tmp_path) == key
    assert build.cache_key("full", tmp_path) != key
    plots = tmp_path / "helpers" / "plots.py"
    plots.write_text(plots.read_text() + "\n# changed\n")
    assert build.cache_key("smoke", tmp_path) != key
    changed_helpers = build.cache_key("smoke", tmp_path)
    (tmp_path / "requirements.txt").write_text("tensorflow~=2.22.0\n")
    assert build.cache_key("smoke", tmp_path) != changed_helpers


def test_notebook_mentions_link_only_to_published_pages():
    build = load_build_module()
    published = {"index", "session1_basics/index", "session1_basics/01_tensors"}
    text = "`01_tensors.ipynb`, `02_graphs_and_sessions.ipynb`, `course/session1_basics/`"
    assert build.link_mentions(text, "session1_basics", published) == (
        "[`01_tensors.ipynb`](01_tensors.ipynb), `02_graphs_and_sessions.ipynb`, "
        "[`course/session1_basics/`](index.md)")
    assert build.link_mentions("see `course/session1_basics/01_tensors.ipynb`", None,
                               published) == (
        "see [`course/session1_basics/01_tensors.ipynb`](session1_basics/01_tensors.ipynb)")


def test_only_pattern_that_matches_nothing_is_an_error():
    build = load_build_module()
    assert list(build.select(["session1_basics/05_*"])) == ["session1_basics"]
    with pytest.raises(SystemExit, match="matches no notebook"):
        build.select(["session9_nothing/*"])
