# Why Sphinx + myst-nb: both are pure Python from PyPI, installed into .venv like the rest of
# the course, and build offline; myst-nb executes notebooks through jupyter-cache, so a notebook
# whose code is unchanged is not run again, and it can fail the build on a cell error;
# sphinx-book-theme is a maintained theme made for notebook books. Jupyter Book 2 was tried
# (jupyter-book 2.1.7 from PyPI, with Node 20): it drives mystmd (Node), whose
# `jupyter-book build --html` first asks api.mystmd.org for its site template and stops offline
# ("request to https://api.mystmd.org/templates/site/myst/book-theme failed ... ENOTFOUND"); it
# would also make Node a requirement of a course that otherwise needs only Python.
"""Build the course site: the repository's README, one page per session, every notebook run.

    .venv/bin/python course_site/build.py [--profile full|smoke] [--only PATTERN ...] [--out DIR]

Lectures are executed on the course's kernel with `COURSE_PROFILE` set to the profile, and a
cell error fails the build. Assignments are published as their student version, not executed.
Sources are staged in WORK/site-src; executed notebooks are cached in
WORK/site-cache/<key>, where the key changes with helpers/, requirements.txt, the installed
distributions and the profile, so a build re-runs only the notebooks that changed.
"""

import argparse
import hashlib
import importlib.metadata
import os
import re
import shutil
import sys
import time
from fnmatch import fnmatch
from pathlib import Path

from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
from myst_nb.core.execute.base import ExecutionError
from myst_nb.sphinx_ import NbMetadataCollector
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from grader.kernel import NAME as KERNEL
from grader.workspace import is_assignment, student_versions

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "course"
CONF_DIR = Path(__file__).resolve().parent
# A code span naming a notebook or a session folder, e.g. `01_tensors.ipynb`,
# `course/session1_basics/04_devices.ipynb` or `course/session2_training/`.
MENTION = re.compile(r"`(?:course/)?(?P<target>(?:session\w+/)?(?:[\w-]+\.ipynb)?)`")


def cache_key(profile: str, root: Path = ROOT) -> str:
    """What executed notebooks depend on besides their own code, as a short hash.

    The contents of helpers/*.py and requirements.txt, the installed distributions' names and
    versions, and the profile.
    """
    digest = hashlib.sha256()
    for path in sorted((root / "helpers").rglob("*.py")):
        digest.update(f"{path.relative_to(root)}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(hashlib.sha256((root / "requirements.txt").read_bytes()).digest())
    installed = sorted(f"{dist.metadata['Name']}=={dist.version}"
                       for dist in importlib.metadata.distributions())
    digest.update("\n".join(installed).encode())
    digest.update(f"\0profile={profile}".encode())
    return digest.hexdigest()[:16]


def select(patterns: list[str]) -> dict[str, list[Path]]:
    """The notebooks to publish by session folder, in course order; all when no pattern."""
    sessions: dict[str, list[Path]] = {}
    matched = set()
    for notebook in sorted(COURSE.glob("session*/*.ipynb")):
        session = notebook.parent.name
        names = (f"{session}/{notebook.name}", f"{session}/{notebook.stem}")
        hits = {p for p in patterns if any(fnmatch(name, p) for name in names)}
        if patterns and not hits:
            continue
        matched |= hits
        sessions.setdefault(notebook.parent.name, []).append(notebook)
    for pattern in patterns:
        if pattern not in matched:
            raise SystemExit(f"--only {pattern!r} matches no notebook under course/: patterns are "
                             "globs on session/notebook, e.g. 'session1_basics/05_*' or "
                             "'session2_training/*'")
    return sessions


def link_mentions(markdown: str, session: str | None, docnames: set[str]) -> str:
    """Turn code spans that name a published notebook or session into links to its page.

    `session` is the folder of the page the text is on (None for the front page); spans
    naming pages that are not in this build stay as they are.
    """
    def link(match: re.Match) -> str:
        target = match["target"]
        if not target.endswith((".ipynb", "/")):
            return match[0]
        if not target.startswith("session"):
            if session is None:
                return match[0]
            target = f"{session}/{target}"
        docname = target + "index" if target.endswith("/") else target.removesuffix(".ipynb")
        if docname not in docnames:
            return match[0]
        source = docname + (".md" if target.endswith("/") else ".ipynb")
        return f"[{match[0]}]({os.path.relpath(source, session or '.')})"

    return MENTION.sub(link, markdown)


def toctree(entries: list[str], *options: str) -> str:
    """A MyST toctree directive; options as written, e.g. ":maxdepth: 1"."""
    return "\n```{toctree}\n" + "".join(f"{o}\n" for o in options) + "\n" + "\n".join(
        entries) + "\n```\n"


def stage(sessions: dict[str, list[Path]], src: Path) -> None:
    """Write the site's sources: the front page, session pages, lectures, student versions."""
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    assignments = [nb for notebooks in sessions.values() for nb in notebooks
                   if is_assignment(nb.name)]
    students = student_versions(assignments) if assignments else {}
    docnames = {"index"} | {f"{s}/index" for s in sessions} | {
        f"{s}/{nb.stem}" for s, notebooks in sessions.items() for nb in notebooks}
    for session, notebooks in sessions.items():
        (src / session).mkdir()
        for notebook in notebooks:
            data = students[notebook] if notebook in students else notebook.read_bytes()
            (src / session / notebook.name).write_bytes(data)
        readme = (COURSE / session / "README.md").read_text(encoding="utf-8")
        page = link_mentions(readme, session, docnames).rstrip() + "\n\n## Notebooks\n"
        page += toctree([nb.stem for nb in notebooks], ":maxdepth: 1")
        (src / session / "index.md").write_text(page, encoding="utf-8")
    front = link_mentions((ROOT / "README.md").read_text(encoding="utf-8"), None, docnames)
    front = front.rstrip() + "\n" + toctree([f"{s}/index" for s in sessions],
                                             ":hidden:", ":caption: Sessions")
    (src / "index.md").write_text(front, encoding="utf-8")


def course_kernel() -> str:
    """The kernel the lectures run on: the course's `dl-course`, else `python3` (with a warning).

    This environment's kernels come first, before a user-wide `dl-course` of another checkout.
    """
    own = str(Path(sys.prefix, "share", "jupyter"))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (own, os.environ.get("JUPYTER_PATH")) if p)
    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        problem = "is not installed (`make install` registers it)"
    else:
        if shutil.which(spec.argv[0]):
            return KERNEL
        problem = f"starts {spec.argv[0]}, which does not exist (in {spec.resource_dir})"
    print(f"warning: the kernel {KERNEL!r} {problem}; running the notebooks on python3",
          file=sys.stderr)
    return "python3"


def check_out(out: Path) -> None:
    """Refuse an `out` folder that holds something other than an earlier site (it is replaced)."""
    if out.is_dir() and any(out.iterdir()) and not (out / ".buildinfo").is_file():
        raise SystemExit(f"{out} is not empty and holds no site built here (no .buildinfo): "
                         "choose another --out, or empty it")


def execution_summary(env, started: float) -> str:
    """Which notebooks ran in this build, which came from the cache, which were not run."""
    ran, cached, shown = [], [], []
    for docname in sorted(env.found_docs):
        if Path(env.doc2path(docname)).suffix != ".ipynb":
            continue
        data = NbMetadataCollector.get_exec_data(env, docname)
        if data is None:
            shown.append(docname)
        elif data["mtime"] >= started:  # a cached result keeps the time it was first made
            ran.append(docname)
        else:
            cached.append(docname)
    return "\n".join(f"  {label} ({len(docs)}): {', '.join(docs) or '-'}" for label, docs in (
        ("executed", ran), ("from the cache", cached), ("shown unexecuted", shown)))


def build(args: argparse.Namespace) -> int:
    sessions = select(args.only)
    work, out = args.work.resolve(), args.out.resolve()
    cache = work / "site-cache" / cache_key(args.profile)
    # Sphinx writes in work/site-sphinx (myst-nb puts executed images beside its html folder),
    # and the finished html folder is moved to `out`.
    sphinx_dir = work / "site-sphinx"
    check_out(out)
    shutil.rmtree(sphinx_dir, ignore_errors=True)
    os.environ["COURSE_PROFILE"] = args.profile  # the kernels inherit this environment
    os.environ["COURSE_OUTPUT_DIR"] = str(work / "site-outputs")
    overrides = {"nb_execution_cache_path": str(cache),
                 "nb_execution_timeout": args.timeout,
                 "nb_kernel_rgx_aliases": {".*": course_kernel()}}
    stage(sessions, work / "site-src")
    started = time.time()
    try:
        with patch_docutils(CONF_DIR), docutils_namespace():
            app = Sphinx(work / "site-src", CONF_DIR, sphinx_dir / "html", sphinx_dir / "doctrees",
                         "html", confoverrides=overrides, freshenv=True)
            app.build()
    except ExecutionError as error:
        notebook = (COURSE / Path(str(error)).relative_to(work / "site-src")).relative_to(ROOT)
        print(f"\nsite build failed: {notebook} raised an error in profile {args.profile!r} "
              "(traceback above); the previous site is left as it was. Run the notebook alone "
              f"with: COURSE_PROFILE={args.profile} .venv/bin/python -m pytest {notebook}",
              file=sys.stderr)
        return 1
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(sphinx_dir / "html", out)
    print(f"\nsite: {out / 'index.html'} ({time.time() - started:.0f} s, "
          f"profile {args.profile}, cache {cache})\n{execution_summary(app.env, started)}")
    return app.statuscode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("smoke", "full"), default="full",
                        help="COURSE_PROFILE the notebooks run with (default: full)")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="publish only notebooks matching this glob on session/notebook, "
                             "e.g. 'session1_basics/05_*' (repeatable)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site",
                        help="where the HTML goes (default: build/site)")
    parser.add_argument("--work", type=Path, default=ROOT / "build",
                        help="folder for the staged sources, the execution cache and the "
                             "notebooks' outputs (default: build)")
    parser.add_argument("--timeout", type=int, default=900,
                        help="seconds a cell may run before the build fails (default: 900)")
    return build(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
