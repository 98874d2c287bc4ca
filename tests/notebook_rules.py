"""Rules every course notebook follows, each a small function returning problems.

In the spirit of nblint: a rule takes a parsed notebook and returns a list of
messages; an empty list means the notebook follows it.
"""

import ast
import builtins
import re

from nbgrader.nbgraderformat import (
    MetadataValidator,
    SchemaTooNewError,
    SchemaTooOldError,
    ValidationError,
)

from tests.course_layout import KERNEL as COURSE_KERNEL
from tests.course_layout import REPOSITORY


def _markdown(nb):
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def _code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def no_outputs(nb):
    return [f"code cell {i} has stored outputs or an execution count; clear them"
            for i, cell in enumerate(nb.cells)
            if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)]


def course_kernel(nb):
    """Every notebook runs on the course's kernel (`make install` registers it)."""
    spec = nb.metadata.get("kernelspec", {})
    if spec.get("name") != COURSE_KERNEL or spec.get("language") != "python":
        return [f"kernelspec must be {COURSE_KERNEL} / python, got {dict(spec)}"]
    return []


def title_and_description(nb):
    first = nb.cells[0] if nb.cells else None
    if first is None or first.cell_type != "markdown":
        return ["the first cell must be markdown with the title"]
    lines = [line for line in first.source.splitlines() if line.strip()]
    if not lines or not re.match(r"# \S", lines[0]):
        return ["the first cell must start with an H1 title ('# ...')"]
    if len(lines) < 2:
        return ["the first cell needs a one-line description under the title"]
    return []


def required_sections(nb):
    text = "\n".join(_markdown(nb))
    return [f"missing a '{heading}' heading" for heading in
            ("## Learning goals", "## Summary", "## Further reading")
            if not re.search(rf"^{re.escape(heading)}\s*$", text, re.MULTILINE)]


def _imports(source):
    """Whether code imports anything (cells with IPython magics are read line by line)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return bool(re.search(r"^\s*(import|from)\s+\w", source, re.MULTILINE))
    return any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(tree))


def setup_cell_first(nb):
    cells = _code(nb)
    if not cells or "helpers.setup_notebook(" not in cells[0].source:
        return ["the first code cell must be the setup cell calling helpers.setup_notebook(...)"]
    late_imports = [i for i, cell in enumerate(cells[1:], start=1) if _imports(cell.source)]
    return [f"code cell {i} imports; keep every import in the setup cell" for i in late_imports]


def _nbgrader(cell):
    return cell.metadata.get("nbgrader", {})


def is_assignment(nb):
    return any(_nbgrader(cell) for cell in nb.cells)


def nbgrader_metadata_valid(nb):
    try:
        MetadataValidator().validate_nb(nb)
    except (ValidationError, SchemaTooNewError, SchemaTooOldError) as error:
        return [f"invalid nbgrader metadata: {error}"]
    return []


def grade_ids_unique(nb):
    ids = [_nbgrader(c).get("grade_id") for c in nb.cells if _nbgrader(c)]
    return [f"grade_id {gid!r} is used more than once" for gid in sorted(set(ids))
            if ids.count(gid) > 1]


def solutions_are_graded(nb):
    """Each solution cell is followed, before the next one, by a graded test cell.

    A written answer (a markdown cell that is solution and grade) is graded by hand
    against the rubric it holds in the instructor's source; the student sees neither.
    """
    problems, pending = [], None
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if meta.get("solution") and meta.get("grade"):
            if cell.cell_type != "markdown" or "Rubric:" not in cell.source:
                problems.append(f"written answer {meta.get('grade_id')!r} must be a markdown "
                                "cell holding its model answer and a 'Rubric:'")
        elif meta.get("solution"):
            if pending is not None:
                problems.append(f"solution {pending!r} has no graded test cell after it")
            pending = meta["grade_id"]
            if "### BEGIN SOLUTION" not in cell.source or "### END SOLUTION" not in cell.source:
                problems.append(f"solution {pending!r} lacks BEGIN/END SOLUTION markers")
        elif meta.get("grade") and cell.cell_type == "code":
            pending = None
    if pending is not None:
        problems.append(f"solution {pending!r} has no graded test cell after it")
    return problems


def test_cells_sound(nb):
    """Graded test cells have points, hidden tests, and no trailing expression.

    nbgrader reads a test cell's final value as partial credit, so a test cell that
    ends with an expression could hand out points by accident.
    """
    problems = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        gid = meta.get("grade_id")
        if not meta.get("points", 0) > 0:
            problems.append(f"test cell {gid!r} has no points")
        if not meta.get("locked"):
            problems.append(f"test cell {gid!r} must be locked")
        if "### BEGIN HIDDEN TESTS" not in cell.source:
            problems.append(f"test cell {gid!r} has no hidden tests")
        body = ast.parse(cell.source).body
        if body and isinstance(body[-1], ast.Expr):
            problems.append(f"test cell {gid!r} ends with an expression (partial credit)")
    return problems


def _is_hidden_case(node):
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "hidden_case")


def _is_check(node):
    if isinstance(node, ast.Assert):
        return True
    func = node.func if isinstance(node, ast.Call) else None
    name = getattr(func, "attr", getattr(func, "id", ""))
    return name.startswith("assert") or name == "forbidden"


def hidden_tests_explain_themselves(nb):
    """Every check in a hidden region runs inside ``with helpers.hidden_case("...")``.

    The feedback shows a hidden test's message and nothing else (grader.feedback), so
    every lost point needs one, and it must be a plain string: an f-string could quote
    the hidden inputs or the expected values. Checks inside a helper function defined
    there count where the function is called.
    """
    problems = []
    for cell in nb.cells:
        meta = _nbgrader(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        lines = cell.source.splitlines()
        marks = [i + 1 for i, line in enumerate(lines) if "HIDDEN TESTS" in line]
        if len(marks) != 2:
            continue  # test_cells_sound reports a missing region
        first, last = marks
        tree = ast.parse(cell.source)
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        gid = meta.get("grade_id")
        cases = [n for n in ast.walk(tree) if _is_hidden_case(n) and first < n.lineno < last]
        if not cases:
            problems.append(f"test cell {gid!r}: its hidden tests use no helpers.hidden_case")
        for case in cases:
            if not (len(case.args) == 1 and isinstance(case.args[0], ast.Constant)
                    and isinstance(case.args[0].value, str) and not case.keywords):
                problems.append(f"test cell {gid!r}, line {case.lineno}: hidden_case takes one "
                                "plain string (an f-string could reveal hidden values)")
        for node in ast.walk(tree):
            if not (_is_check(node) and first < node.lineno < last):
                continue
            ancestor = parents.get(node)
            while ancestor is not None and not (
                    isinstance(ancestor, ast.FunctionDef) or isinstance(ancestor, ast.With)
                    and any(_is_hidden_case(item.context_expr) for item in ancestor.items)):
                ancestor = parents.get(ancestor)
            if ancestor is None:
                problems.append(f"test cell {gid!r}, line {node.lineno}: a hidden check "
                                "outside `with helpers.hidden_case(...)` fails without a reason")
    return problems


def _bound(tree):
    """Every name a piece of code binds anywhere: assignments, defs, imports, arguments."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def cells_outside_the_tests_stand_alone(nb):
    """No cell but a test cell uses a name that only test cells define.

    When an assignment is graded, test cells run in a process of their own, so the
    student's kernel never holds what they define; a demo cell that reads it fails there.
    """
    problems, defined, by_tests = [], set(dir(builtins)), set()
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        if _nbgrader(cell).get("grade"):
            by_tests |= _bound(tree)
            continue
        bound = _bound(tree)
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Load)}
        for name in sorted(used - bound - defined):
            where = "only a test cell defines it" if name in by_tests else "nothing defines it"
            problems.append(f"code cell {index} uses {name!r}, but {where}; when graded, "
                            "test cells run in another process")
        defined |= bound
    return problems


_POINTS = re.compile(r"^(## Exercise \d+|\*\*Question \d*)[^\n]*?\((\d+) points?\)")


def headings_state_the_points(nb):
    """An exercise's heading (or a question's) states the points its graded cells carry.

    Points count from a heading up to the next exercise or question.
    """
    problems, sections = [], []
    for cell in nb.cells:
        found = _POINTS.match(cell.source) if cell.cell_type == "markdown" else None
        if found:
            sections.append([found.group(1), int(found.group(2)), 0])
        elif _nbgrader(cell).get("grade") and sections:
            sections[-1][2] += _nbgrader(cell).get("points", 0)
    for title, stated, graded in sections:
        if stated != graded:
            problems.append(f"'{title}' says {stated} points, its graded cells carry {graded}")
    return problems


def states_time_and_needs(nb):
    """The title cell says how long the notebook runs and what it needs, e.g.
    ``**Time:** about 3 minutes on a laptop CPU (full profile). **Needs:** ...``."""
    first = nb.cells[0].source if nb.cells else ""
    if not re.search(r"^\*\*Time:\*\* .*laptop CPU.*\*\*Needs:\*\* \S", first, re.MULTILINE):
        return ["the title cell needs a line '**Time:** about ... on a laptop CPU (full "
                "profile). **Needs:** ...'"]
    return []


def section(text, heading):
    """The text of one '## heading' section of markdown, up to the next '## ', or None."""
    found = re.search(rf"^## {re.escape(heading)}\s*$(.*?)(?=^## |\Z)", text,
                      re.MULTILINE | re.DOTALL)
    return found.group(1) if found else None


def ends_with_things_to_try(nb):
    """A '## Try this' section of two or three bullets, between Summary and Further reading."""
    body = section("\n".join(_markdown(nb)), "Try this")
    if body is None:
        return ["missing a '## Try this' section (two or three prompts) before Further reading"]
    problems = []
    bullets = re.findall(r"^- \S", body, re.MULTILINE)
    if not 2 <= len(bullets) <= 3:
        problems.append(f"'## Try this' should hold two or three '- ' prompts, has {len(bullets)}")
    headings = re.findall(r"^## (Summary|Try this|Further reading)\s*$", "\n".join(_markdown(nb)),
                          re.MULTILINE)
    if headings != ["Summary", "Try this", "Further reading"]:
        problems.append(f"order the closing sections Summary, Try this, Further reading; "
                        f"found {headings}")
    return problems


# A figure that depends on the machine: a duration, a speed-up, a core count.
_MACHINE_FIGURE = re.compile(
    r"\d[\d,.]*\s*(?:(?:-|–|to)\s*\d[\d,.]*\s*)?(?:ms|s|secs?|seconds?|mins?|minutes?|hours?)\b"
    r"|\b(?:a few|several|a couple of|half an?|one|two|three|an?)\s+"
    r"(?:milliseconds?|seconds?|minutes?|hours?)\b"
    r"|\d[\d.]*\s*(?:(?:-|–)\s*\d[\d.]*\s*)?(?:x|×|times)\s+(?:faster|slower|quicker)"
    r"|\d+-core|\b(?:my|this|your) (?:laptop|machine|CPU)\b")


def summary_states_no_machine_figures(nb):
    """A Summary states what holds anywhere: no seconds, speed-ups or core counts.

    Those belong in the cells that measure them, where the student sees their own.
    """
    body = section("\n".join(_markdown(nb)), "Summary") or ""
    return [f"the Summary states a machine-dependent figure: {m.group(0)!r}; print it "
            "where it is measured instead" for m in _MACHINE_FIGURE.finditer(body)]


def mnist_plan_is_tagged(nb):
    """A notebook that loads MNIST tags the cells that size its work ('data-plan').

    tests/test_full_mnist_standin.py runs the notebook up to the last of them on a
    full-size stand-in of MNIST, so their checkpoints must hold for either source.
    """
    code = _code(nb)
    if not any("load_mnist(" in c.source for c in code):
        return []
    tagged = [i for i, c in enumerate(code) if "data-plan" in c.metadata.get("tags", [])]
    if not tagged:
        return ["the notebook loads MNIST: tag the cells that load it and size the work "
                "'data-plan' (the stand-in test runs them on full-size data)"]
    problems = []
    if ".summary()" not in "\n".join(code[i].source for i in range(tagged[-1] + 1)):
        problems.append("print the data's summary() within the 'data-plan' cells, so the "
                        "student sees which MNIST they got")
    if not any(re.search(r"^\s*assert\b", code[i].source, re.MULTILINE) for i in tagged):
        problems.append("the 'data-plan' cells need a checkpoint (assert) on the sizes or "
                        "the amount of work, true for either MNIST source")
    return problems


# A lecture's setup cell starts with this: where `helpers` is missing (Colab), it says so
# and installs the course's package quietly. tests/test_opens_anywhere.py runs it.
COLAB_SETUP = f'''try:  # helpers first: it quiets TensorFlow's C++ logs before TF loads
    import helpers
except ModuleNotFoundError:  # e.g. on Colab: install the course's package, then import it
    print("The course's helpers package is not installed here: installing it with pip ...")
    %pip install --quiet "dl-course-helpers @ git+https://github.com/{REPOSITORY}"
    import helpers
'''
_OPEN_LINKS = {
    "Colab": rf"\[Open in Colab\]\(https://colab\.research\.google\.com/github/"
             rf"{re.escape(REPOSITORY)}/blob/main/(\S+?\.ipynb)\)",
    "Binder": rf"\[Open in Binder\]\(https://mybinder\.org/v2/gh/{re.escape(REPOSITORY)}/main"
              rf"\?labpath=(\S+?\.ipynb)\)",
}


def linked_paths(nb) -> dict[str, str]:
    """The notebook path each Open-in link of the title cell names, by service."""
    title = nb.cells[0].source if nb.cells else ""
    return {name: found[1] for name, pattern in _OPEN_LINKS.items()
            if (found := re.search(pattern, title))}


def opens_anywhere(nb):
    problems = [f"the title cell needs an '[Open in {name}](...)' link to this notebook "
                f"in {REPOSITORY}" for name in _OPEN_LINKS if name not in linked_paths(nb)]
    code = _code(nb)
    if code and not code[0].source.startswith(COLAB_SETUP):
        problems.append("the setup cell must start with tests.notebook_rules.COLAB_SETUP "
                        "(installs the course package where helpers is missing, e.g. Colab)")
    return problems


LECTURE_RULES = [no_outputs, course_kernel, title_and_description, required_sections,
                 setup_cell_first, states_time_and_needs, summary_states_no_machine_figures]
LESSON_ONLY_RULES = [ends_with_things_to_try, mnist_plan_is_tagged, opens_anywhere]
ASSIGNMENT_RULES = [nbgrader_metadata_valid, grade_ids_unique, solutions_are_graded,
                    test_cells_sound, hidden_tests_explain_themselves,
                    headings_state_the_points, cells_outside_the_tests_stand_alone]


def problems(nb):
    """Every rule's messages for one notebook."""
    rules = LECTURE_RULES + (ASSIGNMENT_RULES if is_assignment(nb) else LESSON_ONLY_RULES)
    return [message for rule in rules for message in rule(nb)]
