"""The narrow channel between the test process and the student's process.

A message is one frame on a Unix socket: a JSON header and binary buffers. Values are
trees of plain data: None, bool, int, float, str, bytes, NumPy arrays and scalars
(the .npy format, read with `allow_pickle=False` and only for numeric, bool and text
dtypes), lists, tuples and dicts of these. Each side adds a few tags of its own (see
`test_process` and `agent`): nothing received is ever unpickled, evaluated or imported.

A request is `{"op": ..., "seq": n, "body": tree}`; its reply is `{"reply": n, "ok": tree}`
or `{"reply": n, "raised": {...}}`. While a side waits for its reply it serves the other
side's requests (a test's gradient function called back from the student's code).
Arrays sent with a request travel by value; when the callee changed one in place, the
reply carries its new value and the caller writes it back, so in-place updates (and
"must not modify its input" tests) mean what they mean in one process.
"""

import io
import json
import socket
import struct
import traceback

import numpy as np

MAX_HEADER_BYTES = 8 * 1024**2
MAX_BUFFERS = 100_000
MAX_DEPTH = 64
MAX_NODES = 1_000_000
MAX_TEXT = 100_000  # characters of an error message or traceback kept
ARRAY_KINDS = frozenset("biufcUS")  # bool, signed, unsigned, float, complex, str, bytes


class ChannelError(Exception):
    """The other side sent something that is not a valid message, or went away."""


class RemoteError(Exception):
    """An exception raised on the other side, of a type not rebuilt by name."""


# Exceptions rebuilt by type (message only, never the object): tests catch these.
REBUILT_EXCEPTIONS = {cls.__name__: cls for cls in (
    ArithmeticError, AssertionError, AttributeError, FloatingPointError, ImportError,
    IndexError, KeyError, KeyboardInterrupt, LookupError, MemoryError, NameError,
    NotImplementedError, OverflowError, RecursionError, RuntimeError, StopIteration,
    TypeError, ValueError, ZeroDivisionError)}


def _receive_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 16 * 1024**2))
        if not chunk:
            raise ChannelError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class Connection:
    """Framed messages on a connected socket, at most `max_bytes` of buffers each."""

    def __init__(self, sock: socket.socket, max_bytes: int, max_messages: int):
        self.sock, self.max_bytes, self.messages_left = sock, max_bytes, max_messages

    def send(self, header: dict, buffers: list[bytes]) -> None:
        head = json.dumps(header).encode()
        self.sock.sendall(struct.pack("!II", len(head), len(buffers)) + head)
        for buffer in buffers:
            self.sock.sendall(struct.pack("!Q", len(buffer)))
            self.sock.sendall(buffer)

    def receive(self) -> tuple[dict, list[bytes]]:
        if self.messages_left <= 0:
            raise ChannelError("too many messages on the channel")
        self.messages_left -= 1
        head_size, count = struct.unpack("!II", _receive_exactly(self.sock, 8))
        if head_size > MAX_HEADER_BYTES or count > MAX_BUFFERS:
            raise ChannelError(f"a message of {head_size} header bytes and {count} buffers "
                               "is over the channel's limits")
        try:
            header = json.loads(_receive_exactly(self.sock, head_size))
        except (ValueError, RecursionError) as error:
            raise ChannelError(f"a message header is not valid JSON ({error})") from None
        if not isinstance(header, dict):
            raise ChannelError("a message header is not a JSON object")
        buffers, total = [], 0
        for _ in range(count):
            (size,) = struct.unpack("!Q", _receive_exactly(self.sock, 8))
            total += size
            if total > self.max_bytes:
                raise ChannelError(f"a message is larger than the channel's limit of "
                                   f"{self.max_bytes} bytes")
            buffers.append(_receive_exactly(self.sock, size))
        return header, buffers

    def close(self) -> None:
        self.sock.close()


def array_bytes(array: np.ndarray) -> bytes:
    out = io.BytesIO()
    array = array if array.flags.c_contiguous else array.copy(order="C")  # keeps 0-d arrays
    np.lib.format.write_array(out, array, allow_pickle=False)
    return out.getvalue()


def read_array(data: bytes) -> np.ndarray:
    """An .npy buffer as an ndarray: plain numeric, bool or text dtypes only."""
    try:
        array = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
    except Exception as error:  # a malformed buffer, whatever the reason
        raise ChannelError(f"an array buffer is not a valid .npy array ({error})") from None
    if array.dtype.kind not in ARRAY_KINDS or array.dtype.fields is not None:
        raise ChannelError(f"arrays of dtype {array.dtype} are not accepted")
    return array


class Encoder:
    """Builds one message's tree and buffers; `obj_hook` encodes what is not plain data."""

    def __init__(self, obj_hook):
        self.buffers: list[bytes] = []
        self.arrays: list[np.ndarray] = []  # in tree order, for write-back of updates
        self.obj_hook = obj_hook

    def buffer(self, data: bytes) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def __call__(self, value, depth: int = 0):
        if depth > MAX_DEPTH:
            raise ValueError("the value is nested too deeply to send")
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return {"$": "float", "v": repr(float(value))}  # nan and inf, exactly
        if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
            self.arrays.append(value)
            return {"$": "array", "b": self.buffer(array_bytes(value))}
        if isinstance(value, np.generic) and np.dtype(type(value)).kind in ARRAY_KINDS:
            return {"$": "scalar", "b": self.buffer(array_bytes(np.asarray(value)))}
        if isinstance(value, bytes):
            return {"$": "bytes", "b": self.buffer(bytes(value))}
        if type(value) in (list, tuple):
            return {"$": type(value).__name__, "v": [self(v, depth + 1) for v in value]}
        if type(value) is dict:
            return {"$": "dict", "v": [[self(k, depth + 1), self(v, depth + 1)]
                                       for k, v in value.items()]}
        return self.obj_hook(value, self, depth)


class Decoder:
    """Reads one message's tree; `tag_hooks` decode the tags a side accepts beyond plain."""

    def __init__(self, buffers: list[bytes], tag_hooks: dict):
        self.buffers, self.tag_hooks = buffers, tag_hooks
        self.arrays: list[np.ndarray] = []
        self.nodes = 0

    def buffer(self, node: dict) -> bytes:
        index = node.get("b")
        if not isinstance(index, int) or not 0 <= index < len(self.buffers):
            raise ChannelError("a value refers to a buffer that is not in the message")
        return self.buffers[index]

    def __call__(self, node, depth: int = 0):
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise ChannelError("a value is nested too deeply or holds too many parts")
        if node is None or isinstance(node, bool | str):
            return node
        if isinstance(node, int):
            return node
        if not isinstance(node, dict) or not isinstance(node.get("$"), str):
            raise ChannelError(f"a value of JSON type {type(node).__name__} is not accepted")
        tag = node["$"]
        if tag == "float":
            text = node.get("v")
            if not isinstance(text, str) or len(text) > 40:
                raise ChannelError("a float is not written as a number")
            try:
                return float(text)
            except ValueError:
                raise ChannelError("a float is not written as a number") from None
        if tag == "array":
            array = read_array(self.buffer(node))
            self.arrays.append(array)
            return array
        if tag == "scalar":
            array = read_array(self.buffer(node))
            if array.shape != ():
                raise ChannelError("a scalar holds more than one value")
            return array[()]
        if tag == "bytes":
            return self.buffer(node)
        if tag in ("list", "tuple"):
            items = node.get("v")
            if not isinstance(items, list):
                raise ChannelError(f"a {tag} holds no items")
            values = [self(item, depth + 1) for item in items]
            return values if tag == "list" else tuple(values)
        if tag == "dict":
            items = node.get("v")
            if not isinstance(items, list) or not all(
                    isinstance(p, list) and len(p) == 2 for p in items):
                raise ChannelError("a dict is not a list of key-value pairs")
            result = {}
            for key, value in items:
                key = self(key, depth + 1)
                try:
                    result[key] = self(value, depth + 1)
                except TypeError:  # an unhashable key
                    raise ChannelError("a dict key is not hashable") from None
            return result
        hook = self.tag_hooks.get(tag)
        if hook is None:
            raise ChannelError(f"values tagged {tag!r} are not accepted here")
        return hook(node, self, depth)


def _text(value, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def raised(error: BaseException) -> dict:
    """An exception as plain data: its type's name, its message and its traceback."""
    return {"type": type(error).__name__, "message": _text(str(error)),
            "traceback": _text("".join(traceback.format_exception(error)))}


def rebuild_exception(info) -> BaseException:
    """The exception a reply reports, rebuilt from names and text only."""
    if not isinstance(info, dict):
        raise ChannelError("an error reply does not say what was raised")
    name, message = _text(info.get("type"), 200), _text(info.get("message"))
    cls = REBUILT_EXCEPTIONS.get(name)
    if cls is None:
        return RemoteError(f"{name}: {message}" if name else message)
    if cls is KeyError:
        return KeyError(message)
    return cls(message)


def mirror_state(obj):
    """What of a mirrored object is copied back: a generator's state, or the weights."""
    if isinstance(obj, np.random.Generator):
        return obj.bit_generator.state
    if hasattr(obj, "apply_gradients"):  # an optimizer: its slots are not copied back
        return []
    if hasattr(obj, "get_weights"):
        return obj.get_weights()
    return [v.numpy() for v in getattr(obj, "variables", ())]


def set_mirror_state(obj, state) -> None:
    if isinstance(obj, np.random.Generator):
        obj.bit_generator.state = state
    elif hasattr(obj, "apply_gradients"):
        pass
    elif hasattr(obj, "set_weights"):
        if state:
            obj.set_weights(state)
    else:
        for variable, value in zip(getattr(obj, "variables", ()), state, strict=True):
            variable.assign(value)


class Peer:
    """One end of the channel: sends requests, serves the other side's while it waits."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.seq = 0

    # Subclasses define: encode_object(value, encoder, depth), tag_hooks (dict),
    # serve(op, body) -> value, and may override after_serve and after_reply.

    def encoder(self) -> Encoder:
        return Encoder(self.encode_object)

    def decoder(self, buffers: list[bytes]) -> Decoder:
        return Decoder(buffers, self.tag_hooks)

    def request(self, op: str, body=None):
        """Send a request and return its decoded reply, serving callbacks meanwhile."""
        encoder = self.encoder()
        tree = encoder(body)
        self.seq += 1
        seq = self.seq
        self.connection.send({"op": op, "seq": seq, "body": tree}, encoder.buffers)
        while True:
            header, buffers = self.connection.receive()
            if "reply" not in header:
                self.serve_one(header, buffers)
                continue
            if header["reply"] != seq:
                raise ChannelError("a reply came for a request that was not made")
            decoder = self.decoder(buffers)
            self.write_back(header.get("updated"), decoder, encoder.arrays)
            self.after_reply(header, decoder, encoder)
            if "raised" in header:
                raise rebuild_exception(header["raised"])
            if "ok" not in header:
                raise ChannelError("a reply holds neither a value nor an error")
            return decoder(header["ok"])

    def write_back(self, updated, decoder: Decoder, sent: list[np.ndarray]) -> None:
        """Copy arrays the other side changed in place into the ones that were sent."""
        if updated is None:
            return
        if not isinstance(updated, list):
            raise ChannelError("a reply's updated arrays are not a list")
        for entry in updated:
            if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int)
                    and 0 <= entry[0] < len(sent)):
                raise ChannelError("a reply updates an array that was not sent")
            target, value = sent[entry[0]], decoder(entry[1])
            if not isinstance(value, np.ndarray) or value.shape != target.shape or (
                    value.dtype != target.dtype):
                raise ChannelError("a reply updates an array with another shape or dtype")
            if target.flags.writeable:
                np.copyto(target, value)

    def after_reply(self, header: dict, decoder: Decoder, encoder: Encoder) -> None:
        """Hook: read what a reply carries beside its value."""

    def serve_one(self, header: dict, buffers: list[bytes]) -> None:
        seq, op = header.get("seq"), header.get("op")
        if not isinstance(seq, int) or not isinstance(op, str):
            raise ChannelError("a request has no sequence number or operation")
        decoder, encoder = self.decoder(buffers), self.encoder()
        reply: dict = {"reply": seq}
        before: list[np.ndarray] = []
        try:
            body = decoder(header.get("body"))
            before = [a.copy() for a in decoder.arrays]
            reply["ok"] = encoder(self.serve(op, body))
        except ChannelError:
            raise
        except BaseException as error:  # noqa: BLE001 -- the caller gets it as data
            encoder = self.encoder()
            reply = {"reply": seq, "raised": raised(error)}
        changed = [[i, encoder(a)] for i, (a, b) in enumerate(zip(decoder.arrays, before,
                                                                    strict=False))
                   if a.tobytes() != b.tobytes()]  # `before` is empty if decoding failed
        if changed:
            reply["updated"] = changed
        self.after_serve(reply, encoder)
        self.connection.send(reply, encoder.buffers)

    def after_serve(self, reply: dict, encoder: Encoder) -> None:
        """Hook: add what a reply carries beside its value."""
