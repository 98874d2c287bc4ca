"""The test process: runs a notebook's test cells, never a line the student wrote.

It runs in its own sandbox, started by `student_process.StudentProcess` for one
submission. It receives the setup and other instructor cells and the test cells (hidden
tests included) on stdin, runs the instructor cells at once, then runs each test cell
when told. A test cell's names that the student's cells define (`normalize_images`,
`Dense`, ...) are proxies: using one sends a request over the channel to the student's
kernel (see `agent`), and only plain data comes back (see `channel`). Test-side
functions handed to the student's code (a gradient, a cost) stay here: the student's
process calls them back through the channel.

The verdict of each test cell (passed or the error, and what the test printed) goes to
the grader as one JSON line carrying a token that only the grader and this process know.
"""

import ast
import builtins
import contextlib
import dataclasses
import io
import json
import os
import queue
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
import types

import numpy as np

from grader.channel import ChannelError, Connection, Peer, mirror_state, set_mirror_state

MAX_BYTES = 2 * 1024**3  # one message from the student's process
MAX_MESSAGES = 10_000_000  # messages per test cell
MAX_NAMES = 100_000
# Stateful TensorFlow ops a student's graph may hold: variables, random numbers and
# control flow. Any other stateful op (files, printing, Python calls) is refused.
GRAPH_STATEFUL_OPS = frozenset({
    "VarHandleOp", "VariableV2", "Variable", "ReadVariableOp", "AssignVariableOp",
    "AssignAddVariableOp", "AssignSubVariableOp", "VarIsInitializedOp", "DestroyResourceOp",
    "RandomUniform", "RandomUniformInt", "RandomStandardNormal", "TruncatedNormal",
    "RandomShuffle", "Multinomial", "RandomGamma", "RandomPoisson", "RandomPoissonV2",
    "While", "If", "Case", "StatefulPartitionedCall", "Assert"})


class RemoteObject:
    """An object in the student's process: calls and attribute reads are requests."""

    __slots__ = ("_peer", "_target", "_type")

    def __init__(self, peer: "TrustedSide", target: dict, type_name: str):
        object.__setattr__(self, "_peer", peer)
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_type", type_name)

    def _ask(self, op: str, **body):
        return self._peer.request(op, {"target": self._target, **body})

    def __call__(self, *args, **kwargs):
        return self._ask("call", args=args, kwargs=kwargs)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        raise AttributeError("the student's objects cannot be changed from a test")

    def __getitem__(self, key):
        return self._ask("getitem", key=key)

    def __len__(self) -> int:
        size = self._ask("len")
        if not isinstance(size, int | np.integer) or isinstance(size, bool) or size < 0:
            raise TypeError(f"len() of the student's {self._type} gave {size!r}")
        return int(size)

    def __iter__(self):
        iterator = self._ask("iter")
        if not isinstance(iterator, RemoteObject):
            raise TypeError(f"the student's {self._type} did not give an iterator")
        return iterator

    def __next__(self):
        return self._ask("next")

    def __array__(self, dtype=None, copy=None):
        array = self._ask("array")
        if not isinstance(array, np.ndarray):
            raise TypeError(f"the student's {self._type} could not be read as an array")
        return array if dtype is None else array.astype(dtype)

    def __repr__(self) -> str:
        return f"<{self._type} in the student's process>"


def _tensorflow():
    import tensorflow as tf

    return tf


def _check_graph_ops(meta) -> None:
    from tensorflow.python.framework import op_def_registry

    nodes = list(meta.graph_def.node)
    for function in meta.graph_def.library.function:
        nodes += list(function.node_def)
    for node in nodes:
        op_def = op_def_registry.get(node.op)
        if op_def is None:
            raise ChannelError(f"the graph holds an unknown operation type {node.op!r}")
        if op_def.is_stateful and node.op not in GRAPH_STATEFUL_OPS:
            raise ChannelError(f"the graph holds a {node.op} operation, which the grader "
                               "does not run (only variables, random numbers and control "
                               "flow may keep state)")


class TrustedSide(Peer):
    """The trusted end: decodes only plain data, tensors, graphs and handles."""

    def __init__(self):
        super().__init__(None)
        self.callbacks: dict[int, object] = {}
        self.mirrors: dict[int, object] = {}
        self.mirror_numbers: dict[int, int] = {}
        self.tag_hooks = {"tensor": self._tensor, "graph": self._graph, "handle": self._handle}

    # -- what the student's process sends ---------------------------------------------------

    def _tensor(self, node, decoder, depth):
        value = decoder(node.get("v"), depth + 1)
        if not isinstance(value, np.ndarray):
            raise ChannelError("a tensor does not hold an array")
        return value

    def _graph(self, node, decoder, depth):
        tf = _tensorflow()
        meta = tf.compat.v1.MetaGraphDef()
        try:
            meta.ParseFromString(decoder.buffer(node))
        except Exception as error:  # a malformed protocol buffer
            raise ChannelError(f"a graph is not a valid MetaGraphDef ({error})") from None
        _check_graph_ops(meta)
        graph = tf.Graph()
        with graph.as_default():
            try:
                tf.compat.v1.train.import_meta_graph(meta)
            except Exception as error:
                raise ChannelError(f"the graph could not be imported ({error})") from None
        return graph

    def _handle(self, node, decoder, depth):
        number, type_name = node.get("id"), node.get("type")
        if not isinstance(number, int) or not isinstance(type_name, str):
            raise ChannelError("a handle has no number or type")
        return RemoteObject(self, {"handle": number}, type_name[:200])

    # -- what this side sends ----------------------------------------------------------------

    def encode_object(self, value, encoder, depth):
        tf = sys.modules.get("tensorflow")
        if isinstance(value, RemoteObject):
            return {"$": "ref", "target": value._target}
        mirror = self._mirror(value, encoder, depth)
        if mirror is not None:
            return mirror
        if tf is not None and isinstance(value, tf.Tensor | tf.Variable):
            return {"$": "tensor", "v": encoder(np.asarray(value.numpy()), depth + 1)}
        if dataclasses.is_dataclass(value) and type(value).__module__.startswith("helpers."):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            return {"$": "dataclass", "fields": encoder(fields, depth + 1),
                    "class": f"{type(value).__module__}.{type(value).__qualname__}"}
        if callable(value):
            number = len(self.callbacks) + 1
            self.callbacks[number] = value
            return {"$": "callback", "id": number, "name": getattr(value, "__name__", "")}
        raise TypeError(f"a {type(value).__name__} cannot be handed to the student's code "
                        "(only data, functions, random generators and Keras objects can)")

    def _mirror(self, value, encoder, depth) -> dict | None:
        """Objects the student's code may change, sent by value and copied back after
        every reply: random generators, Keras models and optimizers, helpers' probes."""
        kind = _mirror_kind(value)
        if kind is None:
            return None
        number = self.mirror_numbers.setdefault(id(value), len(self.mirrors) + 1)
        self.mirrors[number] = value
        node = {"$": "mirror", "id": number, "kind": kind,
                "state": encoder(mirror_state(value), depth + 1)}
        if kind == "generator":
            node["bit"] = type(value.bit_generator).__name__
        elif kind == "keras":
            import keras

            node["config"] = encoder(keras.saving.serialize_keras_object(value), depth + 1)
        else:
            node["class"] = f"{type(value).__module__}.{type(value).__qualname__}"
            node["args"] = encoder(tuple(value.mirror_args()), depth + 1)
        return node

    def after_reply(self, header, decoder, encoder):
        entries = header.get("mirrors") or []
        if not isinstance(entries, list):
            raise ChannelError("a reply's mirrored objects are not a list")
        for entry in entries:
            if not (isinstance(entry, list) and len(entry) == 2 and entry[0] in self.mirrors):
                raise ChannelError("a reply updates an object that was not sent")
            obj, state = self.mirrors[entry[0]], decoder(entry[1])
            if not _same_structure(state, mirror_state(obj)):
                raise ChannelError(f"a reply gives a {type(obj).__name__}'s state in another "
                                   "form")
            set_mirror_state(obj, state)

    # -- what this side serves ----------------------------------------------------------------

    def serve(self, op, body):
        if op != "callback" or not isinstance(body, dict) or body.get("id") not in self.callbacks:
            raise ChannelError(f"the student's process asked for {op!r}, which is not a "
                               "call of a function the test handed over")
        args, kwargs = body.get("args"), body.get("kwargs")
        if not isinstance(args, tuple | list) or not isinstance(kwargs, dict) or not all(
                isinstance(k, str) for k in kwargs):
            raise ChannelError("a callback's arguments are not a list and a dict of names")
        return self.callbacks[body["id"]](*args, **kwargs)

    def forbid(self, path: str, message: str) -> None:
        if self.connection is not None:
            self.request("forbid", {"path": path, "message": message})

    def allow(self, path: str) -> None:
        if self.connection is not None:
            self.request("allow", {"path": path})


def _mirror_kind(value) -> str | None:
    if isinstance(value, np.random.Generator):
        return "generator"
    keras = sys.modules.get("keras")
    if keras is not None and isinstance(value, keras.Model | keras.layers.Layer
                                        | keras.optimizers.Optimizer):
        return "keras"
    if type(value).__module__.startswith("helpers.") and hasattr(value, "mirror_args"):
        return "module"
    return None


def _same_structure(new, old) -> bool:
    """`new` has the form of `old`: the same keys, lengths, array shapes and kinds."""
    if isinstance(old, np.ndarray):
        return isinstance(new, np.ndarray) and new.shape == old.shape and (
            new.dtype == old.dtype)
    if isinstance(old, list | tuple):
        return isinstance(new, list | tuple) and len(new) == len(old) and all(
            _same_structure(n, o) for n, o in zip(new, old, strict=True))
    if isinstance(old, dict):
        return isinstance(new, dict) and new.keys() == old.keys() and all(
            _same_structure(new[k], old[k]) for k in old)
    if isinstance(old, int | np.integer) and not isinstance(old, bool):
        return isinstance(new, int | np.integer) and not isinstance(new, bool)
    return type(new) is type(old)


def _names_used(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names_used(const)
    return names


def _compile_cell(source: str, filename: str):
    """A test cell as IPython runs it: its statements, then its last expression (or None),
    whose value is the cell's result (nbgrader reads a number there as partial credit)."""
    tree = ast.parse(source, filename)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def _error(error: BaseException, index: int, filename: str) -> dict:
    """The error output of a failed cell, in the form IPython gives it."""
    frames = traceback.extract_tb(error.__traceback__)
    line = next((f.lineno for f in frames if f.filename == filename), None)
    ename = type(error).__name__
    evalue = str(error)
    if isinstance(error, ChannelError):
        ename, evalue = "ChannelError", f"the student's process sent an invalid reply: {error}"
    where = [f"Cell In [{index}], line {line}"] if line else []
    return {"ename": ename, "evalue": evalue, "traceback": [*where, f"{ename}: {evalue}"]}


class Runner:
    """The namespace of the test cells and the listening end of the channel."""

    def __init__(self, socket_path: str, connect_seconds: float):
        self.namespace: dict = {"__name__": "__main__", "__builtins__": builtins}
        self.proxies: dict[str, RemoteObject] = {}
        self.peer = TrustedSide()
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(socket_path)
        self.listener.listen(1)
        self.listener.settimeout(connect_seconds)

    def run_instructor_cell(self, source: str, index: int) -> dict | None:
        filename = f"<instructor cell {index}>"
        try:
            exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 -- trusted
        except BaseException as error:  # noqa: BLE001 -- reported, the next cells run
            return _error(error, index, filename)
        return None

    def _connect(self) -> list[str]:
        """Accept the student's kernel for one test cell; the names its cells defined."""
        try:
            sock, _ = self.listener.accept()
        except TimeoutError:
            self.peer.connection = None
            return []
        sock.settimeout(None)
        self.peer.connection = Connection(sock, MAX_BYTES, MAX_MESSAGES)
        names = self.peer.request("names")
        if not isinstance(names, list) or len(names) > MAX_NAMES or not all(
                isinstance(n, str) for n in names):
            raise ChannelError("the student's process listed its names in another form")
        return names

    def _bind(self, codes: list[types.CodeType], student_names: list[str]) -> None:
        for name, proxy in self.proxies.items():
            if self.namespace.get(name) is proxy:
                del self.namespace[name]
        self.proxies = {}
        available = set(student_names)
        for name in set().union(*map(_names_used, codes)):
            if name in available and name not in self.namespace and not hasattr(builtins, name):
                proxy = RemoteObject(self.peer, {"name": name}, f"student's {name!r}")
                self.proxies[name] = self.namespace[name] = proxy

    def run_test_cell(self, source: str, index: int) -> dict:
        filename = f"<test cell {index}>"
        printed = io.StringIO()
        verdict: dict = {"passed": True}
        try:
            code, last = _compile_cell(source, filename)
            self._bind([code] + ([last] if last else []), self._connect())
            with contextlib.redirect_stdout(printed):
                exec(code, self.namespace)  # noqa: S102 -- the instructor's test
                result = None if last is None else eval(last, self.namespace)  # noqa: S307
            if result is not None:
                verdict["result"] = repr(result)[:1000]
        except BaseException as error:  # noqa: BLE001 -- the verdict of this cell
            verdict = {"passed": False, "error": _error(error, index, filename)}
        finally:
            if self.peer.connection is not None:
                with contextlib.suppress(Exception):
                    self.peer.request("release")
                self.peer.connection.close()
                self.peer.connection = None
        verdict["stdout"] = printed.getvalue()
        return verdict


def main() -> None:
    """Read the cells from stdin, then run test cells as asked; verdicts on stdout."""
    verdicts = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else printed to fd 1 goes to the log, never to the grader
    init = json.loads(sys.stdin.readline())
    token = init["token"]
    os.environ["COURSE_HIDDEN_SEED"] = str(init["seed"])
    runner = Runner(init["socket"], init["connect_seconds"])
    import helpers.checks

    helpers.checks.student_process = runner.peer
    cells = {cell["index"]: cell for cell in init["cells"]}
    for cell in init["cells"]:
        if cell["kind"] == "instructor":
            failure = runner.run_instructor_cell(cell["source"], cell["index"])
            if failure:
                print(f"instructor cell {cell['index']} failed: {failure}", file=sys.stderr)
    verdicts.write(json.dumps({"token": token, "ready": True}) + "\n")
    verdicts.flush()
    for line in sys.stdin:
        index = json.loads(line)["run"]
        verdict = runner.run_test_cell(cells[index]["source"], index)
        verdicts.write(json.dumps({"token": token, "index": index, **verdict}) + "\n")
        verdicts.flush()


class TestProcess:
    """The grader's side of one test process: start it, ask for cells, read verdicts."""

    def __init__(self, command: list[str], log_path: str, init: dict):
        self.token = secrets.token_hex(16)
        self.lines: queue.Queue = queue.Queue()
        self.log_path = log_path
        self.process = None
        self.problem = ""
        try:
            with open(log_path or os.devnull, "ab") as log:
                self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                                stdout=subprocess.PIPE, stderr=log,
                                                start_new_session=True)
            self.process.stdin.write((json.dumps({**init, "token": self.token}) + "\n").encode())
            self.process.stdin.flush()
        except OSError as error:
            self.problem = f"the test process could not be started ({error})"
            return
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                message = json.loads(line)
                if isinstance(message, dict) and message.get("token") == self.token:
                    self.lines.put(message)
        self.lines.put(None)

    def run(self, index: int) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(OSError):
            self.process.stdin.write((json.dumps({"run": index}) + "\n").encode())
            self.process.stdin.flush()

    def verdict(self, index: int, timeout: float) -> dict | None:
        """The verdict of test cell `index`, or None (see `failure`) if none came in time."""
        deadline = time.monotonic() + timeout
        while self.process is not None:
            try:
                message = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                self.problem = f"the test did not finish within {timeout:.0f} s"
                self.stop()
                return None
            if message is None:
                self.problem = "the test process stopped"
                return None
            if message.get("index") == index:
                return message
        return None

    def failure(self) -> str:
        tail = ""
        if self.log_path and os.path.exists(self.log_path):
            with open(self.log_path, errors="replace") as log:
                tail = log.read()[-600:].strip()
        return (self.problem or "the test process stopped") + (f"; its log: {tail}" if tail
                                                                 else "")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


if __name__ == "__main__":
    main()
