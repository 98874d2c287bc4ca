"""grader.screen: ordinary course answers pass, code that tampers with grading is held."""

import textwrap

import pytest

from grader.screen import Finding, protected_names, screen_cells

# What a typical notebook's own cells bind (setup imports, test helpers, its own functions).
NOTEBOOK = {"helpers", "np", "tf", "plt", "plots", "assert_close", "bowl_grad"}


def screen(source, protected=NOTEBOOK):
    return screen_cells({"ex1": textwrap.dedent(source)}, protected)


CLEAN = {
    "gradient-descent": """
        def gradient_descent(cost_grad, theta0, learning_rate, steps):
            theta = np.array(theta0, dtype=np.float64)
            path = [theta]
            for _ in range(steps):
                theta = theta - learning_rate * np.asarray(cost_grad(theta))
                path.append(theta)
            return np.stack(path)
        """,
    "tf-module": """
        class Dense(tf.Module):
            def __init__(self, n_input, n_output, activation=None, name=None):
                super().__init__(name=name)
                self.activation = activation
                with self.name_scope:
                    spread = np.sqrt(2.0 / (n_input + n_output))
                    self.W = tf.Variable(tf.random.normal((n_input, n_output), stddev=spread))
                    self.b = tf.Variable(tf.zeros((n_output,)), name="b")

            def __call__(self, x):
                output = tf.matmul(x, self.W) + self.b
                return output if self.activation is None else self.activation(output)
        """,
    "tf-function-step": """
        def make_train_step(model, optimizer):
            @tf.function
            def step(x, y):
                with tf.GradientTape() as tape:
                    loss = tf.reduce_mean(tf.abs(model(x) - y))
                gradients = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
                return loss

            return step
        """,
    "generator": """
        def minibatches(n, batch_size, rng):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                yield order[start:start + batch_size]
        """,
    "keras-sequential": """
        layers = tf.keras.layers
        model = tf.keras.Sequential([tf.keras.Input(shape=(28, 28)), layers.Flatten(),
                                     layers.Dense(64, activation="relu"), layers.Dense(10)])
        model.compile(optimizer=tf.keras.optimizers.Adam(1e-3), metrics=["accuracy"],
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        history = model.fit(x, y, epochs=2, verbose=0)
        print(model.input, [layer.trainable for layer in model.layers])
        """,
    "time-budget": """
        start = time.perf_counter()
        budget = helpers.EpochBudget(max_epochs=100, max_seconds=5.0, desc="training")
        for _ in budget:
            loss = train_epoch()
            budget.report(loss=loss)
        print(f"{time.perf_counter() - start:.1f} s")
        """,
    "plots": """
        from helpers import plots
        plots.show_images(np.stack([mean, std]), titles=["mean", "std"], size=2.5)
        plt.plot(steps, losses)
        plt.show()
        """,
    "repeated-imports": """
        import helpers
        import matplotlib.pyplot as plt
        import numpy as np
        import tensorflow as tf
        from helpers import assert_close, plots
        import math, itertools, functools
        from collections import defaultdict
        from tensorflow import keras
        """,
    "dataclass": """
        from dataclasses import dataclass, field

        @dataclass
        class Run:
            name: str
            losses: list = field(default_factory=list)

            def __post_init__(self):
                self.name = self.name.strip()
        """,
    "repr-and-len": """
        class History:
            def __init__(self):
                self.values = []

            def __repr__(self):
                return f"History({len(self)} values)"

            def __len__(self):
                return len(self.values)

            @property
            def last(self):
                return self.values[-1]
        """,
    "item-assignment": """
        results = {}
        results["x"] = 1
        grid = np.zeros((3, 3))
        grid[0, :] = 1.0
        """,
    "nonlocal-closure": """
        def make_counter():
            count = 0

            def increment():
                nonlocal count
                count += 1
                return count

            return increment
        """,
    "keras-layer": """
        class Scale(tf.keras.layers.Layer):
            def __init__(self, name=None):
                super().__init__(name=name)

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

            def call(self, x):
                self.w.assign(tf.clip_by_value(self.w, 0.0, 10.0))
                return x * self.w
        """,
    "super-with-arguments": """
        class Scale(tf.keras.layers.Layer):
            def __init__(self):
                super(Scale, self).__init__()
        """,
    "object-base": "class A(object):\n    pass\n",
    "syntax-error": "def normalize(images:\n    return images\n",
    "rng": "rng = np.random.default_rng(0)\nx = rng.normal(size=(3, 2))\n",
    "ipython-display": "from IPython.display import display\ndisplay(table)\n",
    "private-state": """
        class Cache:
            def __init__(self):
                self._store = {}

            @property
            def size(self):
                return len(self._store)

            @size.setter
            def size(self, value):
                self._limit = value
        """,
    "keras-callback": """
        class TimeBudget(tf.keras.callbacks.Callback):
            def __init__(self, seconds):
                super().__init__()
                self.seconds = seconds

            def on_epoch_end(self, epoch, logs=None):
                if time.perf_counter() - self.start > self.seconds:
                    self.model.stop_training = True
        """,
    "everyday-python": """
        def summarise(values, scale=2.0):
            if not isinstance(values, (list, tuple)):
                raise ValueError(f"expected a list, got {values!r}")
            pairs = {i: v * scale for i, v in enumerate(values) if v > 0}
            try:
                best = max(pairs, key=lambda i: pairs[i])
            except ValueError:
                best = None
            for a, b in zip(values, values[1:], strict=False):
                print(a - b)
            signal, code = np.sin(values), "ok"
            return best, signal, code
        """,
    "own-exception": """
        class BudgetError(Exception):
            pass

        def check(x: float) -> float:
            if x < 0:
                raise BudgetError("negative")
            try:
                return float(x)
            except (BudgetError, TypeError):
                return 0.0
        """,
    "graph-session": """
        graph = tf.Graph()
        with tf.compat.v1.Session(graph=graph) as sess:
            value = total.eval(session=sess)
        names = [op.type for op in graph.get_operations()]
        image = tf.io.decode_png(data)
        """,
}


@pytest.mark.parametrize("source", CLEAN.values(), ids=CLEAN.keys())
def test_ordinary_answers_pass(source):
    assert screen(source) == []


HOSTILE = {  # source, the rule that must fire, and on which line (None: not checked)
    "patch-numpy": ("np.allclose = lambda *a, **k: True", "attribute-assignment", 1),
    "patch-through-import": ("import numpy.testing as t\nt.assert_allclose = print",
                             "attribute-assignment", 2),
    "patch-helpers": ("helpers.checks.assert_close = lambda *a, **k: None",
                      "attribute-assignment", 1),
    "patch-tf": ("tf.debugging.assert_near = f", "attribute-assignment", 1),
    "patch-as-loop-target": ("for np.x in range(3):\n    pass", "attribute-assignment", 1),
    "patch-in-plain-function": ("def f(m):\n    m.allclose = g", "attribute-assignment", 2),
    "patch-through-self-chain": ("class P:\n    def __init__(self):\n"
                                 "        self.m = np.testing\n"
                                 "        self.m.assert_allclose = print\nP()",
                                 "attribute-assignment", 4),
    "patch-through-rebound-self": ("class P:\n    def m(self):\n        self = np.testing\n"
                                   "        self.assert_allclose = print",
                                   "attribute-assignment", 4),
    "patch-through-match": ("class P:\n    def m(self):\n        match np.testing:\n"
                            "            case self:\n                self.allclose = print",
                            "attribute-assignment", 5),
    "patch-through-staticmethod": ("class P:\n    @staticmethod\n    def m(self):\n"
                                   "        self.allclose = f\nP().m(np.testing)",
                                   "attribute-assignment", 4),
    "patch-module-dict": ('np.__dict__["allclose"] = f', "dunder", 1),
    "patch-module-item": ('helpers._HOME["assert_close"] = "plots"', "attribute-assignment", 1),
    "rebind-test-helper": ("assert_close = lambda *a, **k: None", "rebinds-notebook-name", 1),
    "redefine-test-helper": ("x = 1\ndef assert_close(*a, **k):\n    pass",
                             "rebinds-notebook-name", 2),
    "reimport-other-object": ("from numpy import allclose as assert_close",
                              "rebinds-notebook-name", 1),
    "import-under-alias": ("import numpy as tf", "rebinds-notebook-name", 1),
    "global-test-helper": ("def f():\n    global assert_close\n    assert_close = print",
                           "rebinds-notebook-name", 2),
    "ipython-events": ('get_ipython().events.register("pre_run_cell", f)', "forbidden-name", 1),
    "input-transformer": ("ip = get_ipython(); ip.input_transformers_post.append(lambda l: [])",
                          "forbidden-name", 1),
    "line-magic": ("x = 1\n%load_ext foo", "forbidden-name", 2),
    "shell-escape": ("!rm -rf /", "forbidden-name", 1),
    "always-equal": ("class Always:\n    def __eq__(self, other):\n        return True",
                     "special-method", 2),
    "fake-float": ("class F(float):\n    def __float__(self):\n        return 1.0",
                   "special-method", 2),
    "mock-any": ("from unittest.mock import ANY", "import", 1),
    "import-os": ("import os", "import", 1),
    "import-builtins": ("import builtins", "import", 1),
    "import-ipython": ("from IPython import get_ipython", "import", 1),
    "relative-import": ("from . import x", "import", 1),
    "star-import": ("from numpy import *", "import", 1),
    "os-from-allowed-module": ("from helpers import os as o", "forbidden-name", 1),
    "sys-modules": ('import sys\nsys.modules["numpy"] = None', "import", 1),
    "exec": ('exec("np.allclose = 1")', "forbidden-name", 1),
    "getattr": ('getattr(np, "allclose")', "forbidden-name", 1),
    "setattr": ('setattr(np, "allclose", f)', "forbidden-name", 1),
    "open": ('with open("f") as fh:\n    pass', "forbidden-name", 1),
    "type": ('Cls = type("C", (), {"__eq__": f})', "forbidden-name", 1),
    "builtins-dict": ('__builtins__["print"]', "forbidden-name", 1),
    "object-setattr": ('object.__setattr__(np, "allclose", f)', "forbidden-name", 1),
    "subclasses": ("().__class__.__base__.__subclasses__()", "dunder", 1),
    "frame-globals": ("g = (x for x in [])\ng.gi_frame.f_globals", "forbidden-name", 2),
    "code-string": ('np.testing.measure("np.allclose = print")', "forbidden-name", 1),
    "pickle-file": ('np.load("x.npy", allow_pickle=True)', "forbidden-name", 1),
    "module-alias": ("x = np\nx.allclose = f", "module-as-value", 1),
    "module-argument": ("configure(tf)", "module-as-value", 1),
    "class-attribute": ("class P:\n    def m(self):\n        self.allclose = f\nP.m(np)",
                        "class-attribute", 4),
    "class-as-value": ("class P:\n    def m(self):\n        self.allclose = f\n"
                       "def call(c):\n    c.m(np.testing)\ncall(P)", "class-as-value", 6),
    "method-in-class-body": ("class P:\n    def m(self):\n        self.allclose = f\n"
                             "    m(np.testing)", "class-attribute", 4),
    "library-private": ("np._globals.enum.bltns.eval('1')", "private-attribute", 1),
    "private-via-staticmethod": ("class P:\n    @staticmethod\n    def m(self):\n"
                                 "        return self._globals", "private-attribute", 4),
    "rebind-isinstance": ("isinstance = lambda obj, cls: cls.m(np.testing)", "rebinds-builtin",
                          1),
    "shadow-super": ("def f(super):\n    return super", "rebinds-builtin", 1),
    "rebind-method-in-class-body": ("class P:\n    def x(self):\n        pass\n    x = other\n"
                                    "    @x.setter\n    def x(self, v):\n        self.a = v",
                                    "class-attribute", 4),
    "super-with-module": ("class Q(P):\n    def m(self):\n        super(Q, np.testing).m()",
                          "forbidden-name", 3),
}


@pytest.mark.parametrize(("source", "rule", "line"), HOSTILE.values(), ids=HOSTILE.keys())
def test_tampering_is_held(source, rule, line):
    findings = screen(source)
    assert rule in {f.rule for f in findings}, findings
    if line is not None:
        assert line in {f.line for f in findings if f.rule == rule}, findings


def test_finding_names_the_construct_and_the_cell():
    findings = screen_cells({"ex2": "x = 1\nimport os", "added-1": "np.allclose = f"}, NOTEBOOK)
    assert [(f.cell, f.line, f.rule) for f in findings] == [
        ("ex2", 2, "import"), ("added-1", 1, "attribute-assignment")]
    assert all(isinstance(f, Finding) for f in findings)
    assert "'os'" in findings[0].message and "numpy" in findings[0].message
    assert "'np.allclose'" in findings[1].message
    [eq] = screen("class Always:\n    def __eq__(self, other):\n        return True")
    assert "'__eq__'" in eq.message and "'Always'" in eq.message
    [rebind] = screen("assert_close = print")
    assert "'assert_close'" in rebind.message


def test_names_are_shared_across_cells():
    cells = {"ex1": "import numpy.testing as nt\nclass P:\n    pass",
             "ex2": "configure(nt)\nP.x = 1"}
    assert [(f.cell, f.line, f.rule) for f in screen_cells(cells, NOTEBOOK)] == [
        ("ex2", 1, "module-as-value"), ("ex2", 2, "attribute-assignment"),
        ("ex2", 2, "class-attribute")]


def test_module_names_are_forbidden_where_the_notebook_imported_them():
    # Elsewhere `signal` or `os` is the student's own variable: imports, attributes and
    # the built-ins that could fetch the module are all closed.
    assert screen("signal, os = 1, 2\nprint(signal + os)") == []
    [finding] = screen("print(os.getcwd())", protected=NOTEBOOK | {"os"})
    assert finding.rule == "forbidden-name" and "'os'" in finding.message


def test_rebinding_is_only_flagged_for_the_notebooks_names_at_module_level():
    assert screen("limit = 3\ndef f():\n    assert_close = 1") == []
    assert screen("assert_close = 1", protected=set()) == []


def test_nesting_too_deep_to_screen_is_held():
    # Python compiles this, but walking its syntax tree recursively would overflow.
    [finding] = screen("x = " + " + ".join(["1"] * 1000))
    assert finding.rule == "too-deep"


def test_protected_names_are_the_trusted_cells_imports_defs_and_classes():
    sources = ["import numpy as np\nfrom helpers import assert_close\ndef check(x):\n"
               "    def inner():\n        pass\nclass T: pass\nlimit = 3",
               "import matplotlib.pyplot\nif True:\n    import tensorflow as tf",
               "%matplotlib inline\n", "def broken(:\n"]
    assert protected_names(sources) == {"np", "assert_close", "check", "T", "matplotlib", "tf"}


@pytest.mark.parametrize("source", [
    "from skimage import measure\nlabels = measure.label(image)",
    "import skimage.measure\nlabels = skimage.measure.label(image)",
    "from skimage.measure import label",
    "from tensorflow import io\nraw = tf.io.read_file(path)",
])
def test_library_submodules_named_like_forbidden_ones_pass(source):
    assert screen(source) == []


@pytest.mark.parametrize("source", ["from numpy import measure", "from helpers import io",
                                    "x = np.testing.measure"])
def test_the_same_names_elsewhere_are_held(source):
    assert [f.rule for f in screen(source)] == ["forbidden-name"]
