"""Static screen of the code a student wrote, for constructs that could tamper with grading.

The test cells run in the student's Python process, so before a submission runs, its
solution cells and added code cells are checked for monkeypatching, IPython hooks, objects
whose comparisons always succeed and ways into the interpreter. A finding holds the
submission for the instructor's review, so the rules stay clear of ordinary course code.
"""

import ast
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager

ALLOWED_MODULES = frozenset({
    "numpy", "tensorflow", "keras", "math", "time", "random", "itertools", "functools",
    "collections", "typing", "dataclasses", "statistics", "matplotlib", "skimage", "tqdm",
    "helpers", "warnings", "logging"})
ALLOWED_SUBMODULE = "IPython.display"
# Modules that reach the interpreter, files or processes: forbidden as attributes and
# imported names, and as names where the notebook's own cells imported them (elsewhere
# `signal` or `code` is the student's own variable: every other route to them is closed).
_MODULES = {
    "os", "sys", "builtins", "subprocess", "ctypes", "gc", "inspect", "importlib", "shutil",
    "socket", "signal", "threading", "multiprocessing", "pickle", "marshal", "types", "code",
    "codeop", "runpy", "pty", "resource", "faulthandler", "atexit", "weakref", "operator",
    "unittest", "mock", "pathlib", "io", "tempfile", "site", "pkgutil", "posix"}
# Library submodules that share a name listed here: tf.io, tf.signal, tf.types, skimage.measure.
_LIBRARY_OWN = {"tf": {"io", "signal", "types"}, "tensorflow": {"io", "signal", "types"},
                "skimage": {"measure"}}
_FORBIDDEN = {  # as names, attributes and imported names
    "exec", "getattr", "setattr", "delattr", "globals", "locals", "vars", "breakpoint",
    "__import__", "get_ipython", "__builtins__", "__loader__", "__spec__", "IPython"}
# Built-ins whose names are also ordinary methods (model.compile, op.type, tensor.eval).
_BUILTINS = {"eval", "compile", "open", "input", "type", "object"}
# As attributes and imported names: IPython's hooks, frames (whose globals are the
# notebook's) and library functions that import or run code named in a string or file.
_ATTRIBUTES = {
    "InteractiveShell", "events", "input_transformers_post", "input_transformers_cleanup",
    "ast_transformers", "gi_frame", "cr_frame", "ag_frame", "gi_code", "cr_code", "ag_code",
    "f_back", "f_globals", "f_locals", "f_builtins", "f_code", "tb_frame", "tb_next",
    "measure", "runstring", "get_type_hints", "ForwardRef", "make_dataclass", "f2py",
    "load_op_library", "load_library", "enable_unsafe_deserialization", "import_module",
    "import_item", "resolve_name"}
_UNSAFE_KEYWORDS = {"allow_pickle", "safe_mode"}  # np.load, Keras model loading
_KERAS_SWITCHES = {"stop_training", "trainable"}  # self.model.stop_training = True
_TRUSTED_BUILTINS = {"isinstance", "issubclass", "super", "property", "object"}  # see below
_DUNDERS_OK = {"__init__", "__call__", "__name__", "__doc__"}
_SPECIAL_METHODS_OK = {
    "__init__", "__call__", "__repr__", "__str__", "__len__", "__iter__", "__next__",
    "__getitem__", "__enter__", "__exit__", "__post_init__"}
_MODULE_NAMES = {"np", "tf", "plt", "keras", "helpers", "plots"}  # modules in every notebook
_CONVENTIONAL = {"np": "numpy", "tf": "tensorflow", "plt": "matplotlib.pyplot"}
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Finding:
    cell: str  # the label given by the caller (e.g. the grade_id)
    line: int  # 1-based line in that cell's source (0 if unknown)
    rule: str  # short rule id, e.g. "import"
    message: str  # one sentence naming the construct


def _parse(source: str) -> ast.Module | None:
    """The cell's syntax tree after IPython's transforms (magics become calls), or None."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # it fails the same way when it runs


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _imports(node: ast.Import | ast.ImportFrom) -> list[tuple[str, str]]:
    """(bound name, dotted path of the bound object) for each alias but '*'."""
    if isinstance(node, ast.Import):
        return [(a.asname, a.name) if a.asname else (a.name.split(".")[0],) * 2
                for a in node.names]
    module = "." * node.level + (node.module or "")
    return [(a.asname or a.name, f"{module}.{a.name}") for a in node.names if a.name != "*"]


def _binds(node: ast.AST) -> list[str]:
    """The names this one node binds in its scope."""
    if isinstance(node, ast.Name):
        return [] if isinstance(node.ctx, ast.Load) else [node.id]
    if isinstance(node, (*_FUNCTIONS, ast.ClassDef, ast.ExceptHandler, ast.MatchAs,
                         ast.MatchStar)):
        return [node.name] if node.name else []
    if isinstance(node, ast.MatchMapping):
        return [node.rest] if node.rest else []
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [bound for bound, _ in _imports(node)]
    return []


def _same_import(bound: str, path: str) -> bool:
    """Whether importing `path` as `bound` repeats the notebook's own import of that name:
    the conventional module of np, tf, plt, or else the last part of the path (`import
    numpy`, `from helpers import plots`). protected_names keeps names only, so this is
    what can be compared."""
    if path.split(".")[0] not in ALLOWED_MODULES:
        return False
    if bound in _CONVENTIONAL:
        return path == _CONVENTIONAL[bound]
    return path == bound or path.endswith(f".{bound}")


def _keeps_instance(decorator: ast.expr, methods: set[str]) -> bool:
    """Whether a method so decorated is still handed its instance: @property, @x.setter."""
    if isinstance(decorator, ast.Name):
        return decorator.id == "property"
    return (isinstance(decorator, ast.Attribute) and isinstance(decorator.value, ast.Name)
            and decorator.value.id in methods and decorator.attr in ("setter", "getter",
                                                                     "deleter"))


def _root(node: ast.AST) -> str | None:
    """The name an expression like a.b[0].c() starts from."""
    while isinstance(node, (ast.Attribute, ast.Subscript, ast.Starred, ast.Call)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def protected_names(sources: list[str]) -> set[str]:
    """Names bound by import statements, def and class in the given (trusted, non-student)
    cell sources: the names the notebook's own cells and tests rely on."""
    names: set[str] = set()
    for tree in filter(None, map(_parse, sources)):
        stack = list(tree.body)
        while stack:  # module level only: not inside function or class bodies
            node = stack.pop()
            if isinstance(node, (ast.Import, ast.ImportFrom, *_FUNCTIONS, ast.ClassDef)):
                names.update(_binds(node))
            else:
                stack.extend(ast.iter_child_nodes(node))
    return names


def screen_cells(cells: dict[str, str], protected_names: set[str]) -> list[Finding]:
    """Findings for the student-written cells {label: source}, in order."""
    trees = {label: tree for label, source in cells.items() if (tree := _parse(source))}
    nodes = [node for tree in trees.values() for node in ast.walk(tree)]
    # Names that the student's imports bind to modules, and the student's classes: any cell.
    modules = _MODULE_NAMES | {bound for node in nodes if isinstance(node, ast.Import)
                               for bound, _ in _imports(node)}
    classes = {node.name for node in nodes if isinstance(node, ast.ClassDef)}
    findings: list[Finding] = []
    for label, tree in trees.items():
        screen = _Screen(label, set(protected_names), modules, classes)
        try:
            screen.visit(tree)
        except RecursionError:
            screen.add(tree, "too-deep", "nests code too deeply to be checked; simplify it")
        findings += sorted(dict.fromkeys(screen.findings), key=lambda f: f.line)
    return findings


class _Screen(ast.NodeVisitor):
    """The findings of one cell.

    A method's first parameter is its instance, on which it may set and read private
    attributes, if nothing can hand it another object: the method has no decorator but
    @property or @<name>.setter, never rebinds the parameter, and the class is only ever
    instantiated (Cls(...)), never reached into (Cls.method) or passed around. The names
    these rules trust (isinstance, super, property, ...) may not be rebound.
    """

    def __init__(self, label: str, protected: set[str], modules: set[str], classes: set[str]):
        self.label, self.protected, self.modules, self.classes = label, protected, modules, classes
        self.findings: list[Finding] = []
        self.parents: dict[ast.AST, ast.AST] = {}
        # Enclosing scopes, innermost last: (node, names), names being a method's instance
        # parameter (if trusted, as above) or a class's method names.
        self.scopes: list[tuple[ast.AST | None, set[str]]] = [(None, set())]

    def add(self, node: ast.AST, rule: str, message: str) -> None:
        self.findings.append(Finding(self.label, getattr(node, "lineno", 0), rule, message))

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Module):
            self.parents = {child: parent for parent in ast.walk(node)
                            for child in ast.iter_child_nodes(parent)}
        names = set(_binds(node) + ([node.arg] if isinstance(node, ast.arg) else []))
        for name in sorted(names & _TRUSTED_BUILTINS):
            self.add(node, "rebinds-builtin", f"rebinds the built-in '{name}'")
        if len(self.scopes) == 1:  # module level: the names the notebook's cells share
            harmless = {bound for bound, path in _imports(node) if _same_import(bound, path)
                        } if isinstance(node, (ast.Import, ast.ImportFrom)) else set()
            for name in sorted(set(_binds(node)) & self.protected - harmless):
                self.add(node, "rebinds-notebook-name",
                         f"rebinds '{name}', which the notebook's own cells and tests use")
        super().visit(node)

    def check_name(self, node: ast.AST, name: str, attribute: bool) -> None:
        """Forbidden and special names; `attribute` for attributes and imported names."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and (
                name in _LIBRARY_OWN.get(node.value.id, ())):
            return
        if (name in _FORBIDDEN or name in (_ATTRIBUTES if attribute else _BUILTINS)
                or name in _MODULES and (attribute or name in self.protected)):
            self.add(node, "forbidden-name", f"uses '{name}', which answers may not use: it "
                     "reaches past the answer into Python, the notebook or the system")
        elif _is_dunder(name) and name not in _DUNDERS_OK:
            self.add(node, "dunder", f"uses the special name '{name}', which answers may not use")

    def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.ImportFrom):
            paths = ["." * node.level + (node.module or "")]
            if any(alias.name == "*" for alias in node.names):
                self.add(node, "import", f"imports * from '{paths[0]}', which can silently "
                         "replace the notebook's names; import each name you use")
        else:
            paths = [alias.name for alias in node.names]
        allowed = ", ".join([*sorted(ALLOWED_MODULES), ALLOWED_SUBMODULE])
        names = []
        if isinstance(node, ast.ImportFrom):  # checked with their module, e.g. skimage.measure
            prefix = "" if node.module in (None, ALLOWED_SUBMODULE) else f"{node.module}."
            names = [prefix + alias.name for alias in node.names]
        for path in paths:
            if path.startswith("."):
                self.add(node, "import", f"uses a relative import ('{path}'), which answers "
                         "may not use")
            elif path.split(".")[0] not in ALLOWED_MODULES and path != ALLOWED_SUBMODULE:
                self.add(node, "import", f"imports '{path}', which answers may not use "
                         f"(allowed: {allowed})")
            elif path != ALLOWED_SUBMODULE:
                names.append(path)
        # An allowed module may hold a forbidden one: `from helpers import os`.
        parts = set()
        for name in names:
            dotted = name.split(".")
            parts.update(zip([None, *dotted[:-1]], dotted, strict=True))
        for owner, part in sorted(parts, key=str):
            if part not in _LIBRARY_OWN.get(owner, ()):
                self.check_name(node, part, attribute=True)

    visit_ImportFrom = visit_Import

    def visit_Name(self, node: ast.Name) -> None:
        parent = self.parents.get(node)
        attribute = parent.attr if isinstance(parent, ast.Attribute) else None
        in_bases = isinstance(parent, ast.ClassDef) and node in parent.bases
        if not (node.id == "object" and in_bases or node.id == "IPython" and attribute
                == "display"):
            self.check_name(node, node.id, attribute=False)
        scope, names = self.scopes[-1]
        if (isinstance(scope, ast.ClassDef) and node.id in names
                and attribute not in ("setter", "getter", "deleter")):  # @x.setter is fine
            self.add(node, "class-attribute", f"uses the method '{node.id}' in the body of "
                     f"class '{scope.name}'; methods may only be called on instances")
        if not isinstance(node.ctx, ast.Load):
            return
        called = isinstance(parent, ast.Call) and parent.func is node
        if node.id == "super" and not called:
            self.add(node, "forbidden-name", "uses 'super' other than by calling super()")
        if node.id in self.modules and attribute is None:
            self.add(node, "module-as-value", f"uses the module '{node.id}' as a value; use "
                     f"its attributes directly (e.g. '{node.id}.something')")
        if node.id in self.classes and attribute is not None:
            self.add(node, "class-attribute", f"reaches into the class '{node.id}' (as "
                     f"'{node.id}.{attribute}'); use an instance, {node.id}(...), instead")
        elif node.id in self.classes and not (called or in_bases or self.type_use(node)):
            self.add(node, "class-as-value", f"uses the class '{node.id}' as a value; answers "
                     f"may only create instances with {node.id}(...)")

    def type_use(self, node: ast.AST) -> bool:
        """Whether a class name is used as a type: in isinstance, except, raise, super or
        an annotation."""
        parent = self.parents.get(node)
        if isinstance(parent, ast.Tuple):  # isinstance(x, (A, B)), except (A, B)
            node, parent = parent, self.parents.get(parent)
        if isinstance(parent, ast.Call):
            function = parent.func.id if isinstance(parent.func, ast.Name) else None
            return function in ("isinstance", "issubclass", "super") and node in parent.args
        return (isinstance(parent, (ast.Raise, ast.ExceptHandler, ast.arg))
                or getattr(parent, "returns", None) is node
                or isinstance(parent, ast.AnnAssign) and parent.annotation is node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self.check_name(node, node.attr, attribute=True)
        scope, names = self.scopes[-1]
        instance = names if isinstance(scope, _FUNCTIONS) else set()  # a trusted instance
        on_instance = isinstance(node.value, ast.Name) and node.value.id in instance
        if node.attr.startswith("_") and not _is_dunder(node.attr) and not on_instance:
            self.add(node, "private-attribute", f"uses the private attribute '{node.attr}'; "
                     "answers may only use their own objects' private attributes (self._x)")
        if not isinstance(node.ctx, ast.Load) and not (_root(node) in instance and (
                on_instance or node.attr in _KERAS_SWITCHES)):
            self.add(node, "attribute-assignment", f"assigns to '{ast.unparse(node)[:60]}'; "
                     "only 'self.<name> = ...' inside a method may set attributes")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        root = _root(node)
        if not isinstance(node.ctx, ast.Load) and root in self.modules | self.protected:
            self.add(node, "attribute-assignment", f"changes an item inside '{root}', which "
                     "belongs to the notebook or a library")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "super" and (
                node.args or node.keywords):
            scope, names = self.scopes[-1]
            instance = node.args[1] if len(node.args) == 2 else None
            if node.keywords or not (isinstance(scope, _FUNCTIONS) and isinstance(
                    instance, ast.Name) and instance.id in names):
                self.add(node, "forbidden-name",
                         "calls super() with arguments other than (its class, self)")
        for keyword in node.keywords:
            if keyword.arg in _UNSAFE_KEYWORDS:
                self.add(node, "forbidden-name", f"passes '{keyword.arg}', which lets a "
                         "library run code stored in a file")
        self.generic_visit(node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in sorted(set(node.names) & self.protected):
            self.add(node, "rebinds-notebook-name", f"declares 'global {name}', which lets it "
                     "rebind a name the notebook's own cells and tests use")

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        scope, methods = self.scopes[-1]
        if not isinstance(scope, ast.ClassDef):
            self.check_name(node, node.name, attribute=False)
        elif _is_dunder(node.name) and node.name not in _SPECIAL_METHODS_OK:
            allowed = ", ".join(sorted(_SPECIAL_METHODS_OK))
            self.add(node, "special-method", f"defines the special method '{node.name}' in "
                     f"class '{scope.name}', which answers may not define (allowed: {allowed})")
        for child in [*node.decorator_list, node.args, *filter(None, [node.returns])]:
            self.visit(child)  # evaluated in the enclosing scope
        params, instance = [*node.args.posonlyargs, *node.args.args], set()
        if isinstance(scope, ast.ClassDef) and params and all(
                _keeps_instance(d, methods) for d in node.decorator_list):
            instance = {params[0].arg} - {name for child in ast.walk(node) if child is not node
                                          for name in _binds(child)}
        self.visit_body(node, instance, node.body)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self.visit(node.args)
        self.visit_body(node, set(), [node.body])

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.check_name(node, node.name, attribute=False)
        for child in [*node.bases, *node.keywords, *node.decorator_list]:
            self.visit(child)
        methods = {child.name for child in node.body if isinstance(child, _FUNCTIONS)}
        self.visit_body(node, methods, node.body)

    def visit_body(self, scope: ast.AST, names: set[str], body: list[ast.AST]) -> None:
        self.scopes.append((scope, names))
        for child in body:
            self.visit(child)
        self.scopes.pop()
