"""The channel between the test process and the student's process, over a socket pair.

The student's side (grader.agent) runs in a thread with a namespace standing in for the
student's notebook; the test side (grader.test_process) uses it through proxies. What
the student's side sends is crafted here too, to show that only plain data is believed.
"""

import io
import json
import pickle
import socket
import struct
import threading

import numpy as np
import pytest

from grader import agent
from grader.agent import StudentSide
from grader.channel import (
    ChannelError,
    Connection,
    Decoder,
    Encoder,
    RemoteError,
    array_bytes,
    read_array,
)
from grader.test_process import RemoteObject, TrustedSide

LIMIT = 64 * 1024**2


class Anything:
    def __eq__(self, other):
        return True

    def __bool__(self):
        return True


STUDENT_CODE = '''
def add(a, b):
    return a + b

def scale_in_place(values, factor):
    values *= factor

def draw(rng, n):
    return rng.normal(size=n)

def batches(n, rng):
    order = rng.permutation(n)
    for start in range(0, n, 2):
        yield order[start:start + 2]

def apply(function, value):
    return function(value) + 1

def fails():
    raise ValueError("a clear message")

def custom_error():
    class Oops(Exception):
        pass
    raise Oops("boom")

def anything():
    return Anything()

class Counter:
    def __init__(self):
        self.count = 0
    def bump(self):
        self.count += 1
        return self.count
'''


@pytest.fixture
def student():
    """A test side connected to a student side serving STUDENT_CODE's names."""
    agent._HANDLES.clear()  # what an earlier test's student side kept
    agent._MIRRORS.clear()
    namespace = {"Anything": Anything, "np": np}
    exec(STUDENT_CODE, namespace)  # noqa: S102 -- the stand-in for a student's cells
    ours, theirs = socket.socketpair()
    side = StudentSide(Connection(theirs, LIMIT, 10_000), namespace)
    thread = threading.Thread(target=side.serve_until_released, daemon=True)
    thread.start()
    peer = TrustedSide()
    peer.connection = Connection(ours, LIMIT, 10_000)
    yield peer, lambda name: RemoteObject(peer, {"name": name}, name)
    peer.request("release")
    thread.join(5)


def test_plain_values_cross_exactly(student):
    _, name = student
    add = name("add")
    assert add(2, 3) == 5 and add("a", "b") == "ab"
    for a, b in [(1.5, float("inf")), (np.float32(1), np.float32(2)), (np.arange(3), 1),
                 ((1, "x"), (None, True))]:
        got, expected = add(a, b), a + b
        assert type(got) is type(expected) and np.array_equal(got, expected)
    got = add(np.int64(2), np.int64(3))
    assert type(got) is np.int64 and got == 5
    assert np.isnan(add(float("nan"), 0.0))


def test_arrays_changed_in_place_are_written_back(student):
    _, name = student
    values = np.arange(4.0)
    name("scale_in_place")(values, 3)
    np.testing.assert_array_equal(values, [0, 3, 6, 9])


def test_a_random_generator_advances_on_the_test_side(student):
    _, name = student
    rng = np.random.default_rng(5)
    first = name("draw")(rng, 3)
    second = name("draw")(rng, 3)
    reference = np.random.default_rng(5)
    np.testing.assert_array_equal(first, reference.normal(size=3))
    np.testing.assert_array_equal(second, reference.normal(size=3))
    # A generator the student's code iterates lazily advances too.
    epoch = np.concatenate(list(name("batches")(6, rng)))
    again = np.concatenate(list(name("batches")(6, rng)))
    assert sorted(epoch.tolist()) == list(range(6)) and epoch.tolist() != again.tolist()


def test_test_side_functions_are_called_back(student):
    _, name = student
    assert name("apply")(lambda v: v * 10, 4) == 41


def test_errors_come_back_by_type_name_and_message_only(student):
    _, name = student
    with pytest.raises(ValueError, match="a clear message"):
        name("fails")()
    with pytest.raises(RemoteError, match="Oops: boom"):
        name("custom_error")()
    with pytest.raises(NameError):
        name("not_defined")()


def test_other_objects_stay_behind_handles_that_never_compare_equal(student):
    _, name = student
    odd = name("anything")()
    assert isinstance(odd, RemoteObject)
    assert odd != 0 and not (odd == odd._target) and "student's process" in repr(odd)
    counter = name("Counter")()
    assert counter.bump() == 1 and counter.bump() == 2 and counter.count == 2
    with pytest.raises(AttributeError):
        counter.count = 5


def _frame(header: bytes, buffers: list[bytes] = ()) -> bytes:
    data = struct.pack("!II", len(header), len(buffers)) + header
    for buffer in buffers:
        data += struct.pack("!Q", len(buffer)) + buffer
    return data


@pytest.mark.parametrize("frame, message", [
    (_frame(b"{bad]"), "not valid JSON"),
    (_frame(b"[1, 2]"), "not a JSON object"),
    (struct.pack("!II", 10**9, 0), "over the channel's limits"),
    (_frame(b'{"reply": 1}', [b"x" * 10]) [:-4], "closed"),
])
def test_malformed_frames_raise_channel_errors(frame, message):
    ours, theirs = socket.socketpair()
    theirs.sendall(frame)
    theirs.close()
    with pytest.raises(ChannelError, match=message):
        Connection(ours, LIMIT, 10).receive()


def test_a_message_over_the_size_limit_is_refused():
    ours, theirs = socket.socketpair()
    theirs.sendall(_frame(b"{}", [b"x" * 2048]))
    with pytest.raises(ChannelError, match="larger than"):
        Connection(ours, 1024, 10).receive()


def test_the_message_count_is_bounded():
    ours, theirs = socket.socketpair()
    for _ in range(3):
        theirs.sendall(_frame(b"{}"))
    connection = Connection(ours, LIMIT, 2)
    connection.receive(), connection.receive()
    with pytest.raises(ChannelError, match="too many"):
        connection.receive()


def _pickled_array() -> bytes:
    out = io.BytesIO()
    np.save(out, np.array([Anything()], dtype=object), allow_pickle=True)
    return out.getvalue()


@pytest.mark.parametrize("buffer", [
    pickle.dumps(Anything()), _pickled_array(), b"PK\x03\x04 an npz archive",
    array_bytes(np.zeros(2, dtype=[("a", "f8"), ("b", "i4")]))])
def test_only_plain_npy_arrays_are_read(buffer):
    with pytest.raises(ChannelError):
        read_array(buffer)


@pytest.mark.parametrize("tree", [
    {"$": "handle", "id": "x"}, {"$": "code", "v": "print(1)"}, {"$": "pickle", "b": 0},
    {"$": "float", "v": "__import__('os')"}, {"$": "dict", "v": [[{"$": "list", "v": []}, 1]]},
    {"$": "array", "b": 7}, [1, 2], 1.5])
def test_the_test_side_decodes_nothing_but_its_tags(tree):
    peer = TrustedSide()
    with pytest.raises(ChannelError):
        Decoder([b""], peer.tag_hooks)(tree)


def test_replies_about_arrays_never_sent_or_reshaped_are_refused(student):
    peer, _ = student
    decoder = Decoder([array_bytes(np.zeros(3))], peer.tag_hooks)
    sent = [np.zeros(2)]
    with pytest.raises(ChannelError, match="another shape"):
        peer.write_back([[0, {"$": "array", "b": 0}]], decoder, sent)
    with pytest.raises(ChannelError, match="not sent"):
        peer.write_back([[5, {"$": "array", "b": 0}]], decoder, sent)


def test_encoding_round_trips_nested_plain_data():
    value = {"a": [1, 2.5, None, True, "x", b"raw"], 3: (np.arange(6).reshape(2, 3),
                                                        np.float16(1.5))}
    encoder = Encoder(lambda v, e, d: pytest.fail(f"not plain: {v!r}"))
    tree = json.loads(json.dumps(encoder(value)))
    back = Decoder(encoder.buffers, {})(tree)
    assert back["a"] == value["a"] and back[3][1] == value[3][1]
    np.testing.assert_array_equal(back[3][0], value[3][0])
