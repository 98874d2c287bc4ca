"""Turn an untrusted submission into the notebook that is graded.

The graded notebook is the trusted release notebook with the student's answers put in:
the source of each solution cell (found by its nbgrader grade id: code, or a written
answer that is graded by hand) and the code cells the student added, each after the
release cell it followed. Everything else (test cells, their metadata, the setup cells,
the kernel) comes from the release, so deleted, edited or retyped test cells and
tampered metadata change nothing; they are reported. Files uploaded next to the notebook
(numpy.py, helpers.py, ...) are never used.
"""

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

MAX_NOTEBOOK_BYTES = 20 * 1024**2


class RejectedSubmission(Exception):
    """The submission cannot be graded at all (the message says why)."""


@dataclass
class Intake:
    notebook: nbformat.NotebookNode
    answers: dict[str, str]  # the student's code by label: grade id, or "added-N"
    notes: list[str] = field(default_factory=list)  # what differed from the release


def _grade_id(cell) -> str | None:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nbgrader = meta.get("nbgrader") if isinstance(meta, dict) else None
    grade_id = nbgrader.get("grade_id") if isinstance(nbgrader, dict) else None
    return grade_id if isinstance(grade_id, str) else None


def _source(cell) -> str:
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    return source if isinstance(source, str) else ""


def find_notebook(folder: Path, name: str) -> tuple[Path, list[str]]:
    """The submitted notebook `name` in `folder`, or the only notebook there (noted)."""
    expected = folder / name
    if expected.is_file():
        return expected, []
    found = sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if len(found) == 1:
        return found[0], [f"the notebook was named {found[0].name!r}, not {name!r}"]
    if not found:
        raise RejectedSubmission(f"no notebook in the submission (expected {name!r})")
    listed = ", ".join(repr(str(p.relative_to(folder))) for p in found)
    raise RejectedSubmission(f"{name!r} is missing and several notebooks were submitted: "
                             f"{listed}; rename the one to grade to {name!r}")


def read_cells(path: Path) -> list[dict]:
    """The cells of a submitted notebook file, or RejectedSubmission saying what is wrong."""
    if path.stat().st_size > MAX_NOTEBOOK_BYTES:
        raise RejectedSubmission(f"{path.name} is {path.stat().st_size:,} bytes, over the "
                                 f"{MAX_NOTEBOOK_BYTES:,} limit (clear its outputs)")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as error:
        raise RejectedSubmission(f"{path.name} is not valid notebook JSON ({error})") from None
    if isinstance(data, dict) and data.get("nbformat") == 3:  # cells live in worksheets
        data = {"cells": [c for w in data.get("worksheets") or [] if isinstance(w, dict)
                          for c in w.get("cells") or []]}
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        raise RejectedSubmission(f"{path.name} is JSON but not a notebook (no list of cells)")
    return [c for c in cells if isinstance(c, dict)]


def rebuild(submitted: Path, release: nbformat.NotebookNode) -> Intake:
    """The graded notebook for the submission file `submitted` of the `release` notebook."""
    cells = read_cells(submitted)
    graded = copy.deepcopy(release)
    release_ids = [_grade_id(c) for c in graded.cells]
    solution_ids = {gid for gid, c in zip(release_ids, graded.cells, strict=True)
                    if gid and c.metadata["nbgrader"].get("solution")}
    own_code = {c.source: i for i, (gid, c) in enumerate(zip(release_ids, graded.cells,
                                                               strict=True))
                if c.cell_type == "code" and gid not in solution_ids}
    intake = Intake(graded, {})
    seen: dict[str, int] = {}
    added: dict[int, list[str]] = {}  # release cell index -> code the student added after it
    anchor = -1
    for cell in cells:
        gid, source = _grade_id(cell), _source(cell)
        if gid is not None and gid in release_ids:
            seen[gid] = seen.get(gid, 0) + 1
            anchor = release_ids.index(gid)
            if seen[gid] > 1:
                continue
            if gid in solution_ids:  # code, or a written answer in a markdown cell
                if cell.get("cell_type") != graded.cells[anchor].cell_type:
                    intake.notes.append(f"answer cell {gid!r} was changed to "
                                        f"{cell.get('cell_type')!r}: graded as unanswered")
                else:
                    graded.cells[anchor].source = intake.answers[gid] = source
            elif cell.get("metadata", {}).get("nbgrader") != graded.cells[anchor].metadata[
                    "nbgrader"]:
                intake.notes.append(f"the nbgrader metadata of cell {gid!r} was changed: "
                                    "the release's was used")
        elif source in own_code:  # an unchanged cell of the release
            anchor = own_code[source]
        elif cell.get("cell_type") == "code" and source.strip():
            added.setdefault(anchor, []).append(source)
    for gid in release_ids:
        if gid and gid not in seen:
            intake.notes.append(f"answer cell {gid!r} was deleted: graded as unanswered"
                                if gid in solution_ids else
                                f"locked cell {gid!r} was deleted: restored from the release")
        elif gid and seen[gid] > 1:
            intake.notes.append(f"cell {gid!r} appears {seen[gid]} times: the first was used")
    count = 0
    for anchor in sorted(added, reverse=True):  # from the end, so indices stay valid
        for source in reversed(added[anchor]):
            graded.cells.insert(anchor + 1, nbformat.v4.new_code_cell(source))
    for cell in graded.cells:
        if cell.cell_type == "code" and "nbgrader" not in cell.metadata and \
                cell.source not in own_code:
            count += 1
            intake.answers[f"added-{count}"] = cell.source
    if count:
        intake.notes.append(f"{count} code cell(s) added by the student were kept")
    return intake
