"""The student's end of the channel: runs inside the student's kernel, in its sandbox.

While a test cell runs in the test process, the kernel runs `serve(path)`: it answers
the test process's requests on the names the student's cells defined (call, read an
attribute, iterate, ...) until the test cell is over. Results that are plain data go
back as values; tensors as arrays; a tf.Graph as its MetaGraphDef; any other object
stays here and goes back as a handle (a number) the test process can use again.

Nothing in this module is trusted: the student's code can replace any of it. The test
process believes nothing it sends beyond plain data.
"""

import builtins
import contextlib
import importlib
import socket
import sys
import time

import numpy as np

from grader.channel import Connection, Peer, mirror_state, set_mirror_state

MAX_BYTES = 2 * 1024**3
MAX_MESSAGES = 10_000_000
_HIDDEN_NAMES = {"In", "Out", "exit", "quit", "get_ipython"}
# Kept from one test cell to the next: a handle made in one cell works in the next.
_HANDLES: dict[int, object] = {}
_MIRRORS: dict[int, object] = {}


def _tensorflow():
    return sys.modules.get("tensorflow")


class _Forbidden:
    """Stands in for a forbidden class or function: using it raises the test's message."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, *args, **kwargs):
        raise AssertionError(self.message)


class StudentSide(Peer):
    def __init__(self, connection: Connection, namespace: dict):
        super().__init__(connection)
        self.namespace = namespace
        self.handles = _HANDLES
        self.mirrors = _MIRRORS  # the test's Keras objects, rebuilt here
        self.forbidden: dict[tuple[str, str], object] = {}
        self.released = False
        self.tag_hooks = {"tensor": self._tensor, "ref": self._ref, "callback": self._callback,
                          "mirror": self._mirror, "dataclass": self._dataclass}

    # -- values the test process sends ---------------------------------------------------

    def _tensor(self, node, decoder, depth):
        value = decoder(node.get("v"), depth + 1)
        tf = _tensorflow()
        return tf.constant(value) if tf is not None else value

    def _ref(self, node, decoder, depth):
        target = node.get("target")
        return self.resolve(target)

    def _callback(self, node, decoder, depth):
        number, peer = node.get("id"), self

        def call_back(*args, **kwargs):
            return peer.request("callback", {"id": number, "args": args, "kwargs": kwargs})

        call_back.__name__ = call_back.__qualname__ = str(node.get("name", "callback"))
        return call_back

    def _mirror(self, node, decoder, depth):
        """A test-side random generator, Keras object or probe module, rebuilt here once."""
        number, kind = node.get("id"), node.get("kind")
        state = decoder(node.get("state"), depth + 1)
        obj = self.mirrors.get(number)
        if obj is None:
            if kind == "generator":
                obj = np.random.Generator(getattr(np.random, str(node.get("bit")))())
            elif kind == "keras":
                import keras

                obj = keras.saving.deserialize_keras_object(decoder(node.get("config")))
            else:
                module, _, name = str(node.get("class")).rpartition(".")
                cls = getattr(importlib.import_module(module), name)
                obj = cls(*decoder(node.get("args"), depth + 1))
            self.mirrors[number] = obj
        set_mirror_state(obj, state)
        return obj

    def _dataclass(self, node, decoder, depth):
        module, _, name = str(node.get("class")).rpartition(".")
        cls = getattr(importlib.import_module(module), name)
        return cls(**decoder(node.get("fields"), depth + 1))

    # -- values sent back ------------------------------------------------------------------

    def encode_object(self, value, encoder, depth):
        tf = _tensorflow()
        if tf is not None:
            if isinstance(value, tf.Tensor) and hasattr(value, "numpy"):
                with contextlib.suppress(Exception):
                    return {"$": "tensor", "v": encoder(np.asarray(value.numpy()), depth + 1)}
            if isinstance(value, tf.Graph):
                with value.as_default():  # graph mode: meta graphs need it
                    meta = tf.compat.v1.train.export_meta_graph(graph=value)
                return {"$": "graph", "b": encoder.buffer(meta.SerializeToString())}
        number = max(self.handles, default=0) + 1
        self.handles[number] = value
        cls = type(value)
        return {"$": "handle", "id": number, "type": f"{cls.__module__}.{cls.__qualname__}",
                "callable": callable(value)}

    def after_serve(self, reply, encoder):
        if self.mirrors:  # their state now, for the test process to copy back
            reply["mirrors"] = [[number, encoder(mirror_state(obj))]
                                for number, obj in self.mirrors.items()]

    # -- requests ---------------------------------------------------------------------------

    def resolve(self, target):
        if isinstance(target, dict) and "name" in target:
            name = target["name"]
            if name in self.namespace:
                return self.namespace[name]
            raise NameError(f"name {name!r} is not defined")
        if isinstance(target, dict) and target.get("handle") in self.handles:
            return self.handles[target["handle"]]
        raise LookupError("the test refers to an object that does not exist")

    def serve(self, op, body):
        if op == "release":
            self.released = True
            return None
        if op == "names":
            return [name for name in self.namespace
                    if not name.startswith("_") and name not in _HIDDEN_NAMES]
        if op == "forbid":
            return self._forbid(body["path"], body["message"])
        if op == "allow":
            return self._allow(body["path"])
        target = self.resolve(body["target"])
        if op == "call":
            return target(*body["args"], **body["kwargs"])
        if op == "getattr":
            return getattr(target, body["name"])
        if op == "getitem":
            return target[body["key"]]
        if op == "len":
            return len(target)
        if op == "iter":
            return iter(target)
        if op == "next":
            return next(target)
        if op == "array":
            if hasattr(target, "numpy") and callable(target.numpy):
                target = target.numpy()
            return np.array(target)
        raise ValueError(f"unknown request {op!r}")

    def _forbid(self, path: str, message: str):
        module_name, _, name = path.rpartition(".")
        module = importlib.import_module(module_name)
        self.forbidden.setdefault((module_name, name), getattr(module, name))
        setattr(module, name, _Forbidden(message))

    def _allow(self, path: str):
        module_name, _, name = path.rpartition(".")
        original = self.forbidden.pop((module_name, name), None)
        if original is not None:
            setattr(importlib.import_module(module_name), name, original)

    def serve_until_released(self) -> None:
        try:
            while not self.released:
                header, buffers = self.connection.receive()
                self.serve_one(header, buffers)
        finally:
            for module_name, name in list(self.forbidden):
                self._allow(f"{module_name}.{name}")


def serve(path: str) -> None:
    """Answer the test process on `path` until it releases the kernel (one test cell)."""
    ipython = getattr(builtins, "get_ipython", lambda: None)()
    namespace = ipython.user_ns if ipython is not None else vars(sys.modules["__main__"])
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(100):  # the test process may not be listening yet
        try:
            sock.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            time.sleep(0.1)
    with contextlib.closing(sock):
        StudentSide(Connection(sock, MAX_BYTES, MAX_MESSAGES), namespace).serve_until_released()
