"""A student's workspace: the lectures and the student version of each assignment.

`make lab` opens JupyterLab on the workspace (`workspace/`, git-ignored), made on first
run from `course/`. The student's edits live there, never in the course sources.

    python -m grader.workspace sync [FOLDER]     add what is missing (never touches a file)
    python -m grader.workspace update [FOLDER]   bring in new or changed course files

`update` replaces a file only if the student has not changed it since it was written;
otherwise it writes the course's new version beside it as `NAME.updated.ipynb` and says
so. `.course/manifest.json` records, for each file, the hash of the course file it was
made from and of what was written; `.course/release/` keeps each pristine student
version (the self-check grades against it, see grader.self_check).
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from grader.course import run_nbgrader

COURSE = Path(__file__).resolve().parents[1] / "course"
DEFAULT = COURSE.parent / "workspace"
STATE = ".course"
MANIFEST = f"{STATE}/manifest.json"


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def course_files() -> dict[str, Path]:
    """The workspace's files by relative path, and the course file each is made from."""
    files = {}
    for session in sorted(COURSE.glob("session*")):
        for path in sorted(session.iterdir()):
            if path.suffix == ".ipynb" or path.name == "README.md":
                files[f"{session.name}/{path.name}"] = path
    return files


def is_assignment(relative: str) -> bool:
    return Path(relative).name.startswith("assignment")


def student_versions(sources: list[Path]) -> dict[Path, bytes]:
    """The student version of each assignment source, as `nbgrader generate_assignment` makes it.

    Solutions become "YOUR CODE HERE", hidden tests and rubrics are removed, outputs cleared.
    Each source is `course/<session>/assignmentN.ipynb`; nbgrader runs in a scratch course
    folder with the course's nbgrader config.
    """
    with tempfile.TemporaryDirectory(prefix="student-version-") as scratch:
        root = Path(scratch)
        shutil.copy(COURSE / "nbgrader_config.py", root)
        for source in sources:
            (root / "source" / source.parent.name).mkdir(parents=True)
            shutil.copy(source, root / "source" / source.parent.name)

        def generate(source: Path) -> subprocess.CompletedProcess:
            return run_nbgrader(root, "generate_assignment", source.parent.name, "--force",
                                f"--CourseDirectory.db_url=sqlite:///{root}/{source.parent.name}.db",
                                capture=True)

        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(generate, sources))
        made = {}
        for source, result in zip(sources, results, strict=True):
            released = root / "release" / source.parent.name / source.name
            if result.returncode or not released.is_file():
                raise RuntimeError(f"nbgrader could not make the student version of {source} "
                                   f"(exit {result.returncode}):\n{result.stdout}{result.stderr}")
            made[source] = released.read_bytes()
        return made


class Workspace:
    """A student's workspace folder and its manifest."""

    def __init__(self, root: Path = DEFAULT):
        self.root = Path(root).resolve()
        self.manifest_path = self.root / MANIFEST
        self.manifest: dict[str, dict[str, str]] = (
            json.loads(self.manifest_path.read_text()) if self.manifest_path.is_file() else {})

    def release(self, relative: str) -> Path:
        """The pristine student version of an assignment, as it was last written."""
        return self.root / STATE / "release" / relative

    def _contents(self, wanted: dict[str, Path]) -> dict[str, bytes]:
        assignments = [source for rel, source in wanted.items() if is_assignment(rel)]
        made = student_versions(assignments) if assignments else {}
        return {rel: made[source] if source in made else source.read_bytes()
                for rel, source in wanted.items()}

    def _write(self, relative: str, target: Path, data: bytes, source: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        if is_assignment(relative):
            self.release(relative).parent.mkdir(parents=True, exist_ok=True)
            self.release(relative).write_bytes(data)
        self.manifest[relative] = {"source": _digest(source.read_bytes()),
                                   "written": _digest(data)}

    def _save(self) -> None:
        self.manifest_path.parent.mkdir(parents=True, exist_ok=True)
        self.manifest_path.write_text(json.dumps(self.manifest, indent=1, sort_keys=True) + "\n")

    def changed_by_student(self, relative: str) -> bool:
        path = self.root / relative
        return path.is_file() and _digest(path.read_bytes()) != self.manifest.get(
            relative, {}).get("written")

    def outdated(self) -> dict[str, Path]:
        """The files whose course source changed since they were written, with that source."""
        return {rel: source for rel, source in course_files().items()
                if (self.root / rel).is_file() and self.manifest.get(rel, {}).get("source")
                != _digest(source.read_bytes())}

    def sync(self) -> list[str]:
        """Write every course file missing from the workspace; never touch one that exists."""
        missing = {rel: src for rel, src in course_files().items()
                   if not (self.root / rel).exists()}
        for rel, data in self._contents(missing).items():
            self._write(rel, self.root / rel, data, missing[rel])
        self._save()
        return sorted(missing)

    def update(self) -> tuple[list[str], list[str]]:
        """Add new course files and refresh changed ones; edited ones get a NAME.updated copy.

        Returns (added or replaced, written beside): relative paths.
        """
        stale = self.outdated()
        replaced, beside = self.sync(), []
        for rel, data in self._contents(stale).items():
            target = self.root / rel
            if self.changed_by_student(rel):
                target = target.with_name(f"{target.stem}.updated{target.suffix}")
                beside.append(rel)
            else:
                replaced.append(rel)
            self._write(rel, target, data, stale[rel])
        self._save()
        return replaced, beside


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m grader.workspace", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["sync", "update"])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    args = parser.parse_args(argv)
    space = Workspace(args.folder)
    if args.command == "sync":
        added = space.sync()
        print(f"workspace {space.root}: " + (f"added {len(added)} course files"
                                              if added else "up to date with what it holds"))
        if outdated := space.outdated():
            print(f"  the course has changed {len(outdated)} of its files since: "
                  "run `make update` to bring them in (your edits are kept)")
        return
    replaced, beside = space.update()
    for rel in replaced:
        print(f"brought in {rel}")
    for rel in beside:
        print(f"kept your edited {rel}; the course's new version is beside it: "
              f"{Path(rel).stem}.updated{Path(rel).suffix}")
    if not replaced and not beside:
        print(f"workspace {space.root}: every file matches the course")


if __name__ == "__main__":
    main()
