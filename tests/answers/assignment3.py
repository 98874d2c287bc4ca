"""Assignment 3: answers the tests must accept, and plausible mistakes they must reject."""

NOTEBOOK = "session3_convnets/assignment3.ipynb"

CONV = {
    "correct": {
        "windows_and_einsum": """
def conv2d_forward(x, w, b, stride, pad):
    size = np.shape(w)[0]
    if pad == "same":
        pads = []
        for length in np.shape(x)[1:3]:
            total = max((int(np.ceil(length / stride)) - 1) * stride + size - length, 0)
            pads.append((total // 2, total - total // 2))
    else:
        pads = [(0, 0)] * 2 if pad == "valid" else [(pad, pad)] * 2
    x_pad = np.pad(x, [(0, 0), *pads, (0, 0)])
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (size, size), axis=(1, 2))
    windows = windows[:, ::stride, ::stride]  # (N, H', W', C, F, F)
    return np.einsum("nijcuv,uvck->nijk", windows, w) + b
""",
        "loop_per_filter": """
def conv2d_forward(x, w, b, stride, pad):
    x, w = np.array(x, dtype=float), np.array(w, dtype=float)
    n, height, width, channels = x.shape
    size, n_filters = w.shape[0], w.shape[-1]
    if pad in ("valid", "same"):
        top = left = bottom = right = 0
        if pad == "same":
            rows = max((-(-height // stride) - 1) * stride + size - height, 0)
            cols = max((-(-width // stride) - 1) * stride + size - width, 0)
            top, left = rows // 2, cols // 2
            bottom, right = rows - top, cols - left
    else:
        top = left = bottom = right = pad
    padded = np.zeros((n, height + top + bottom, width + left + right, channels))
    padded[:, top:top + height, left:left + width, :] = x
    out_h = (padded.shape[1] - size) // stride + 1
    out_w = (padded.shape[2] - size) // stride + 1
    out = np.zeros((n, out_h, out_w, n_filters))
    for i in range(out_h):
        for j in range(out_w):
            patch = padded[:, i * stride:i * stride + size, j * stride:j * stride + size]
            for k in range(n_filters):
                out[:, i, j, k] = np.sum(patch * w[..., k], axis=(1, 2, 3)) + b[k]
    return out
""",
        "im2col_matmul": """
def conv2d_forward(x, w, b, stride, pad):
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    size = w.shape[0]
    if pad == "same":
        needs = [max((-(-length // stride) - 1) * stride + size - length, 0)
                 for length in x.shape[1:3]]
        pads = [(need // 2, need - need // 2) for need in needs]
    elif pad == "valid":
        pads = [(0, 0), (0, 0)]
    else:
        pads = [(pad, pad), (pad, pad)]
    x = np.pad(x, [(0, 0), *pads, (0, 0)])
    n, height, width, _ = x.shape
    rows = range(0, height - size + 1, stride)
    cols = range(0, width - size + 1, stride)
    columns = np.stack([x[:, r:r + size, c:c + size, :].reshape(n, -1)
                        for r in rows for c in cols], axis=1)  # (N, H'W', F*F*C)
    out = columns @ w.reshape(-1, w.shape[-1]) + b
    return out.reshape(n, len(rows), len(cols), w.shape[-1])
""",
    },
    "wrong": {
        "flips_the_filter": """
def conv2d_forward(x, w, b, stride, pad):
    size = w.shape[0]
    p = {"valid": 0, "same": (size - 1) // 2}.get(pad, pad) if isinstance(pad, str) else pad
    x_pad = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    flipped = w[::-1, ::-1]  # convolution as in signal processing
    out_h = (x_pad.shape[1] - size) // stride + 1
    out_w = (x_pad.shape[2] - size) // stride + 1
    out = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x_pad[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = np.tensordot(patch, flipped, axes=3)
    return out + b
""",
        "same_with_the_odd_zero_on_top": """
def conv2d_forward(x, w, b, stride, pad):
    size = w.shape[0]
    if pad == "same":
        pads = []
        for length in x.shape[1:3]:
            total = max((-(-length // stride) - 1) * stride + size - length, 0)
            pads.append((total - total // 2, total // 2))
    else:
        p = 0 if pad == "valid" else pad
        pads = [(p, p), (p, p)]
    x_pad = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_h = (x_pad.shape[1] - size) // stride + 1
    out_w = (x_pad.shape[2] - size) // stride + 1
    out = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x_pad[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = np.tensordot(patch, w, axes=3)
    return out + b
""",
        "same_as_half_the_filter": """
def conv2d_forward(x, w, b, stride, pad):
    size = w.shape[0]
    p = {"valid": 0, "same": (size - 1) // 2}[pad] if isinstance(pad, str) else pad
    x_pad = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    out_h = (x_pad.shape[1] - size) // stride + 1
    out_w = (x_pad.shape[2] - size) // stride + 1
    out = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x_pad[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = np.tensordot(patch, w, axes=3)
    return out + b
""",
        "rounds_the_windows_up": """
def conv2d_forward(x, w, b, stride, pad):
    size = w.shape[0]
    if pad == "same":
        pads = []
        for length in x.shape[1:3]:
            total = max((-(-length // stride) - 1) * stride + size - length, 0)
            pads.append((total // 2, total - total // 2))
    else:
        p = 0 if pad == "valid" else pad
        pads = [(p, p), (p, p)]
    x_pad = np.pad(x, [(0, 0), *pads, (0, 0)])
    out_h = -(-(x_pad.shape[1] - size) // stride) + 1  # rounds up: one window too many
    out_w = -(-(x_pad.shape[2] - size) // stride) + 1
    out = np.empty((x.shape[0], out_h, out_w, w.shape[3]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x_pad[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = np.tensordot(patch, w, axes=3)
    return out + b
""",
        "bias_forgotten": """
def conv2d_forward(x, w, b, stride, pad):
    size = w.shape[0]
    if pad == "same":
        pads = []
        for length in x.shape[1:3]:
            total = max((-(-length // stride) - 1) * stride + size - length, 0)
            pads.append((total // 2, total - total // 2))
    else:
        p = 0 if pad == "valid" else pad
        pads = [(p, p), (p, p)]
    x_pad = np.pad(x, [(0, 0), *pads, (0, 0)])
    windows = np.lib.stride_tricks.sliding_window_view(x_pad, (size, size), axis=(1, 2))
    return np.einsum("nijcuv,uvck->nijk", windows[:, ::stride, ::stride], w)
""",
    },
}

SHAPES = {
    "correct": {
        "ceil_and_floor": """
import math


def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for number, layer in enumerate(layers):
        size = layer["size"]
        stride = layer.get("stride") or (1 if layer["kind"] == "conv" else size)
        if layer.get("padding", "valid") == "same":
            height, width = math.ceil(height / stride), math.ceil(width / stride)
        else:
            if size > min(height, width):
                raise ValueError(f"layer {number} does not fit")
            height = math.floor((height - size) / stride) + 1
            width = math.floor((width - size) / stride) + 1
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "counting_windows": """
def predict_output_shapes(input_shape, layers):
    def windows(length, size, stride, padding):
        if padding == "same":
            return len(range(0, length, stride))  # one window per step that starts inside
        count, start = 0, 0
        while start + size <= length:
            count, start = count + 1, start + stride
        if count == 0:
            raise ValueError(f"a window of {size} does not fit {length}")
        return count

    shape, shapes = tuple(input_shape), []
    for layer in layers:
        kind, size = layer["kind"], layer["size"]
        stride = layer["stride"] if "stride" in layer else (size if kind == "pool" else 1)
        padding = layer.get("padding", "valid")
        shape = (windows(shape[0], size, stride, padding),
                 windows(shape[1], size, stride, padding),
                 layer["filters"] if kind == "conv" else shape[2])
        shapes.append(shape)
    return shapes
""",
        "numpy_integers_in_lists": """
def predict_output_shapes(input_shape, layers):
    current = np.array(input_shape, dtype=np.int64)
    shapes = []
    for i, layer in enumerate(layers, start=1):
        size = np.int64(layer["size"])
        default = 1 if layer["kind"] == "conv" else size
        stride = np.int64(layer.get("stride", default))
        rows_cols = current[:2]
        if layer.get("padding", "valid") == "same":
            rows_cols = -(-rows_cols // stride)
        elif np.any(rows_cols < size):
            raise ValueError(f"layer {i}: the window is larger than its input {current}")
        else:
            rows_cols = (rows_cols - size) // stride + 1
        depth = np.int64(layer["filters"]) if layer["kind"] == "conv" else current[2]
        current = np.array([*rows_cols, depth])
        shapes.append(list(current))
    return shapes
""",
    },
    "wrong": {
        "padding_ignored": """
def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for layer in layers:
        size = layer["size"]
        stride = layer.get("stride", 1 if layer["kind"] == "conv" else size)
        if size > height or size > width:
            raise ValueError("the window does not fit")
        height, width = (height - size) // stride + 1, (width - size) // stride + 1
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "same_keeps_the_size": """
def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for layer in layers:
        size = layer["size"]
        stride = layer.get("stride", 1 if layer["kind"] == "conv" else size)
        if layer.get("padding", "valid") != "same":  # "same" keeps the size, whatever the stride
            if size > height or size > width:
                raise ValueError("the window does not fit")
            height, width = (height - size) // stride + 1, (width - size) // stride + 1
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "pool_stride_one_by_default": """
def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for layer in layers:
        size, stride = layer["size"], layer.get("stride", 1)
        if layer.get("padding", "valid") == "same":
            height, width = -(-height // stride), -(-width // stride)
        else:
            if size > height or size > width:
                raise ValueError("the window does not fit")
            height, width = (height - size) // stride + 1, (width - size) // stride + 1
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "rounds_valid_up": """
def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for layer in layers:
        size = layer["size"]
        stride = layer.get("stride", 1 if layer["kind"] == "conv" else size)
        if layer.get("padding", "valid") == "same":
            height, width = -(-height // stride), -(-width // stride)
        else:
            if size > height or size > width:
                raise ValueError("the window does not fit")
            height = -(-(height - size) // stride) + 1
            width = -(-(width - size) // stride) + 1
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "never_refuses": """
def predict_output_shapes(input_shape, layers):
    height, width, channels = input_shape
    shapes = []
    for layer in layers:
        size = layer["size"]
        stride = layer.get("stride", 1 if layer["kind"] == "conv" else size)
        if layer.get("padding", "valid") == "same":
            height, width = -(-height // stride), -(-width // stride)
        else:
            height = max((height - size) // stride + 1, 0)
            width = max((width - size) // stride + 1, 0)
        channels = layer.get("filters", channels)
        shapes.append((height, width, channels))
    return shapes
""",
        "square_images": """
def predict_output_shapes(input_shape, layers):
    side, _, channels = input_shape  # the rows stand for the columns too
    shapes = []
    for layer in layers:
        size = layer["size"]
        stride = layer.get("stride", 1 if layer["kind"] == "conv" else size)
        if layer.get("padding", "valid") == "same":
            side = -(-side // stride)
        else:
            if size > side:
                raise ValueError("the window does not fit")
            side = (side - size) // stride + 1
        channels = layer.get("filters", channels)
        shapes.append((side, side, channels))
    return shapes
""",
    },
}

POOL = {
    "correct": {
        "sliding_window_view": """
def max_pool_forward(x, size, stride):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(x), (size, size), axis=(1, 2))
    return windows[:, ::stride, ::stride].max(axis=(-2, -1))
""",
        "loops_everywhere": """
def max_pool_forward(x, size, stride):
    x = np.asarray(x)
    n, height, width, channels = x.shape
    out = np.zeros((n, (height - size) // stride + 1, (width - size) // stride + 1, channels),
                   dtype=x.dtype)
    for image in range(n):
        for channel in range(channels):
            for i in range(out.shape[1]):
                for j in range(out.shape[2]):
                    rows = slice(i * stride, i * stride + size)
                    cols = slice(j * stride, j * stride + size)
                    out[image, i, j, channel] = np.max(x[image, rows, cols, channel])
    return out
""",
        "running_maximum_over_offsets": """
def max_pool_forward(x, size, stride):
    x = np.asarray(x)
    out_h = (x.shape[1] - size) // stride + 1
    out_w = (x.shape[2] - size) // stride + 1
    best = np.full((x.shape[0], out_h, out_w, x.shape[3]), -np.inf, dtype=x.dtype)
    for a in range(size):  # one offset in the window at a time, for every window at once
        for c in range(size):
            rows = slice(a, a + stride * (out_h - 1) + 1, stride)
            cols = slice(c, c + stride * (out_w - 1) + 1, stride)
            shifted = x[:, rows, cols]
            best = np.maximum(best, shifted)
    return best
""",
    },
    "wrong": {
        "average_pooling": """
def max_pool_forward(x, size, stride):
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(x), (size, size), axis=(1, 2))
    return windows[:, ::stride, ::stride].mean(axis=(-2, -1))
""",
        "maximum_starts_at_zero": """
def max_pool_forward(x, size, stride):
    x = np.asarray(x)
    out_h = (x.shape[1] - size) // stride + 1
    out_w = (x.shape[2] - size) // stride + 1
    out = np.zeros((x.shape[0], out_h, out_w, x.shape[3]), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = np.maximum(out[:, i, j, :], window.max(axis=(1, 2)))
    return out
""",
        "pools_across_channels": """
def max_pool_forward(x, size, stride):
    x = np.asarray(x)
    out_h = (x.shape[1] - size) // stride + 1
    out_w = (x.shape[2] - size) // stride + 1
    out = np.empty((x.shape[0], out_h, out_w, x.shape[3]), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = window.max(axis=(1, 2, 3))[:, None]
    return out
""",
        "keeps_the_partial_windows": """
def max_pool_forward(x, size, stride):
    x = np.asarray(x)
    out_h = -(-(x.shape[1] - size) // stride) + 1
    out_w = -(-(x.shape[2] - size) // stride) + 1
    out = np.empty((x.shape[0], out_h, out_w, x.shape[3]), dtype=x.dtype)
    for i in range(out_h):
        for j in range(out_w):
            window = x[:, i * stride:i * stride + size, j * stride:j * stride + size, :]
            out[:, i, j, :] = window.max(axis=(1, 2))
    return out
""",
    },
}

POOL_BACKWARD = {
    "correct": {
        "mask_of_the_maximum": """
def max_pool_backward(dout, x, size, stride):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    dx = np.zeros_like(x)
    for i in range(dout.shape[1]):
        for j in range(dout.shape[2]):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            window = x[:, rows, cols, :]
            is_max = window == window.max(axis=(1, 2), keepdims=True)  # no ties in the tests
            dx[:, rows, cols, :] += is_max * dout[:, i:i + 1, j:j + 1, :]
    return dx
""",
        "windows_and_add_at": """
def max_pool_backward(dout, x, size, stride):
    x, dout = np.asarray(x), np.asarray(dout)
    n, out_h, out_w, channels = dout.shape
    windows = np.lib.stride_tricks.sliding_window_view(x, (size, size), axis=(1, 2))
    windows = windows[:, ::stride, ::stride].reshape(n, out_h, out_w, channels, size * size)
    rows, cols = np.divmod(windows.argmax(axis=-1), size)  # (N, H', W', C)
    image, i, j, channel = np.indices((n, out_h, out_w, channels))
    dx = np.zeros(x.shape, dtype=np.result_type(x, dout))
    np.add.at(dx, (image, i * stride + rows, j * stride + cols, channel), dout)
    return dx
""",
        "one_number_at_a_time": """
def max_pool_backward(dout, x, size, stride):
    dx = np.zeros(np.shape(x))
    n, out_h, out_w, channels = np.shape(dout)
    for image in range(n):
        for channel in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    window = x[image, i * stride:i * stride + size,
                               j * stride:j * stride + size, channel]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[image, i * stride + a, j * stride + b, channel] += dout[image, i, j, channel]
    return dx
""",
    },
    "wrong": {
        "overlaps_overwrite": """
def max_pool_backward(dout, x, size, stride):
    dx = np.zeros(np.shape(x))
    n, out_h, out_w, channels = np.shape(dout)
    for image in range(n):
        for channel in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    window = x[image, i * stride:i * stride + size,
                               j * stride:j * stride + size, channel]
                    a, b = np.unravel_index(np.argmax(window), window.shape)
                    dx[image, i * stride + a, j * stride + b, channel] = dout[image, i, j, channel]
    return dx
""",
        "average_pooling_gradient": """
def max_pool_backward(dout, x, size, stride):
    dx = np.zeros(np.shape(x))
    for i in range(np.shape(dout)[1]):
        for j in range(np.shape(dout)[2]):
            dx[:, i * stride:i * stride + size, j * stride:j * stride + size, :] += (
                dout[:, i:i + 1, j:j + 1, :] / size**2)
    return dx
""",
        "gradient_of_one": """
def max_pool_backward(dout, x, size, stride):
    x = np.asarray(x, dtype=float)
    dx = np.zeros_like(x)
    for i in range(np.shape(dout)[1]):
        for j in range(np.shape(dout)[2]):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            window = x[:, rows, cols, :]
            dx[:, rows, cols, :] += window == window.max(axis=(1, 2), keepdims=True)
    return dx
""",
        "largest_across_channels": """
def max_pool_backward(dout, x, size, stride):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    dx = np.zeros_like(x)
    for i in range(dout.shape[1]):
        for j in range(dout.shape[2]):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            window = x[:, rows, cols, :]
            is_max = window == window.max(axis=(1, 2, 3), keepdims=True)
            dx[:, rows, cols, :] += is_max * dout[:, i:i + 1, j:j + 1, :]
    return dx
""",
        "row_and_column_swapped": """
def max_pool_backward(dout, x, size, stride):
    dx = np.zeros(np.shape(x))
    n, out_h, out_w, channels = np.shape(dout)
    for image in range(n):
        for channel in range(channels):
            for i in range(out_h):
                for j in range(out_w):
                    window = x[image, i * stride:i * stride + size,
                               j * stride:j * stride + size, channel]
                    b, a = divmod(int(np.argmax(window)), size)  # column first, by mistake
                    dx[image, i * stride + a, j * stride + b, channel] += dout[image, i, j, channel]
    return dx
""",
        "negative_windows_get_nothing": """
def max_pool_backward(dout, x, size, stride):
    x, dout = np.asarray(x, dtype=float), np.asarray(dout, dtype=float)
    dx = np.zeros_like(x)
    for i in range(dout.shape[1]):
        for j in range(dout.shape[2]):
            rows = slice(i * stride, i * stride + size)
            cols = slice(j * stride, j * stride + size)
            window = x[:, rows, cols, :]
            largest = np.maximum(window.max(axis=(1, 2), keepdims=True), 0.0)
            dx[:, rows, cols, :] += (window == largest) * dout[:, i:i + 1, j:j + 1, :]
    return dx
""",
    },
}

INIT = {
    "correct": {
        "all_axes_but_the_last": """
def he_init(shape, rng):
    return rng.normal(0.0, np.sqrt(2 / np.prod(shape[:-1])), size=shape)


def xavier_init(shape, rng):
    return rng.normal(0.0, 1 / np.sqrt(np.prod(shape[:-1])), size=shape)
""",
        "dense_or_filters": """
def _fan_in(shape):
    if len(shape) == 2:
        return shape[0]
    height, width, channels, _ = shape
    return height * width * channels


def he_init(shape, rng):
    return rng.standard_normal(shape) * (2.0 / _fan_in(shape)) ** 0.5


def xavier_init(shape, rng):
    return rng.standard_normal(shape) / _fan_in(shape) ** 0.5
""",
        "he_from_xavier": """
import math


def xavier_init(shape, rng):
    return rng.normal(scale=1 / math.sqrt(math.prod(shape) / shape[-1]), size=shape)


def he_init(shape, rng):
    return math.sqrt(2) * xavier_init(shape, rng)
""",
    },
    "wrong": {
        "variance_as_the_spread": """
def he_init(shape, rng):
    return rng.normal(0.0, 2 / np.prod(shape[:-1]), size=shape)


def xavier_init(shape, rng):
    return rng.normal(0.0, 1 / np.prod(shape[:-1]), size=shape)
""",
        "fan_in_is_the_first_axis": """
def he_init(shape, rng):
    return rng.normal(0.0, np.sqrt(2 / shape[0]), size=shape)


def xavier_init(shape, rng):
    return rng.normal(0.0, np.sqrt(1 / shape[0]), size=shape)
""",
        "fan_in_is_the_channels": """
def he_init(shape, rng):
    return rng.normal(0.0, np.sqrt(2 / shape[-2]), size=shape)


def xavier_init(shape, rng):
    return rng.normal(0.0, np.sqrt(1 / shape[-2]), size=shape)
""",
        "glorot_for_xavier": """
def he_init(shape, rng):
    return rng.normal(0.0, np.sqrt(2 / np.prod(shape[:-1])), size=shape)


def xavier_init(shape, rng):
    receptive = np.prod(shape[:-2])
    fan_in, fan_out = receptive * shape[-2], receptive * shape[-1]
    return rng.normal(0.0, np.sqrt(2 / (fan_in + fan_out)), size=shape)
""",
        "global_generator": """
def he_init(shape, rng):
    return np.random.normal(0.0, np.sqrt(2 / np.prod(shape[:-1])), size=shape)


def xavier_init(shape, rng):
    return np.random.normal(0.0, 1 / np.sqrt(np.prod(shape[:-1])), size=shape)
""",
    },
}

BATCHNORM = {
    "correct": {
        "channels_moved_last": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    last = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = np.array(running_mean), np.array(running_var)
    out = gamma * (last - mean) / np.sqrt(var + eps) + beta
    return np.moveaxis(out, -1, axis), new_mean, new_var
""",
        "keepdims_statistics": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    channel = axis if axis >= 0 else x.ndim + axis
    others = tuple(i for i in range(x.ndim) if i != channel)

    def lined_up(values):
        return np.expand_dims(np.asarray(values, dtype=np.float64), others)

    if training:
        mean = x.mean(axis=others, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=others, keepdims=True)
        new_mean = momentum * np.asarray(running_mean) + (1 - momentum) * mean.squeeze(others)
        new_var = momentum * np.asarray(running_var) + (1 - momentum) * var.squeeze(others)
    else:
        mean, var = lined_up(running_mean), lined_up(running_var)
        new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    out = lined_up(gamma) * (x - mean) / np.sqrt(var + eps) + lined_up(beta)
    return out, new_mean, new_var
""",
        "one_channel_at_a_time": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    new_mean = np.array(running_mean, dtype=np.float64)
    new_var = np.array(running_var, dtype=np.float64)
    for c in range(x.shape[axis]):
        values = np.take(x, c, axis=axis)
        if training:
            mean, var = values.mean(), values.var()
            new_mean[c] = momentum * running_mean[c] + (1 - momentum) * mean
            new_var[c] = momentum * running_var[c] + (1 - momentum) * var
        else:
            mean, var = running_mean[c], running_var[c]
        index = [slice(None)] * x.ndim
        index[axis] = c
        out[tuple(index)] = gamma[c] * (values - mean) / np.sqrt(var + eps) + beta[c]
    return out, new_mean, new_var
""",
    },
    "wrong": {
        "unbiased_variance": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    last = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0, ddof=1)
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    out = gamma * (last - mean) / np.sqrt(var + eps) + beta
    return np.moveaxis(out, -1, axis), new_mean, new_var
""",
        "eps_outside_the_root": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    last = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    out = gamma * (last - mean) / (np.sqrt(var) + eps) + beta
    return np.moveaxis(out, -1, axis), new_mean, new_var
""",
        "momentum_on_the_batch": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    last = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        new_mean = (1 - momentum) * running_mean + momentum * mean  # PyTorch's convention
        new_var = (1 - momentum) * running_var + momentum * var
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    out = gamma * (last - mean) / np.sqrt(var + eps) + beta
    return np.moveaxis(out, -1, axis), new_mean, new_var
""",
        "channels_last_or_first_only": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    x = np.asarray(x, dtype=np.float64)
    channel = x.ndim - 1 if axis == -1 else 1  # any other axis taken for channels first
    last = np.moveaxis(x, channel, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        new_mean = momentum * running_mean + (1 - momentum) * mean
        new_var = momentum * running_var + (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
        new_mean, new_var = np.copy(running_mean), np.copy(running_var)
    out = gamma * (last - mean) / np.sqrt(var + eps) + beta
    return np.moveaxis(out, -1, channel), new_mean, new_var
""",
        "running_averages_in_place": """
def batchnorm_forward(x, gamma, beta, running_mean, running_var, training, momentum=0.99,
                      eps=1e-3, axis=-1):
    last = np.moveaxis(np.asarray(x, dtype=np.float64), axis, -1)
    if training:
        flat = last.reshape(-1, last.shape[-1])
        mean, var = flat.mean(axis=0), flat.var(axis=0)
        running_mean *= momentum
        running_mean += (1 - momentum) * mean
        running_var *= momentum
        running_var += (1 - momentum) * var
    else:
        mean, var = running_mean, running_var
    out = gamma * (last - mean) / np.sqrt(var + eps) + beta
    return np.moveaxis(out, -1, axis), running_mean.copy(), running_var.copy()
""",
    },
}

# Exercise 6 trains against the clock: a correct answer spends its whole budget (15 s and 5 s
# in the smoke profile), so there are only three of them; each wrong one fails within seconds.
CNN = {
    "correct": {
        "sequential_batch_norm_with_fit": """
class StopAt(tf.keras.callbacks.Callback):
    def __init__(self, deadline):
        super().__init__()
        self.deadline = deadline

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() > self.deadline:
            self.model.stop_training = True


def build_and_train_cnn(splits, seconds):
    deadline = time.perf_counter() + seconds
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", use_bias=False),
        layers.BatchNormalization(momentum=0.9), layers.ReLU(), layers.MaxPooling2D(),
        layers.Conv2D(32, 3, padding="same", use_bias=False),
        layers.BatchNormalization(momentum=0.9), layers.ReLU(), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(10)])
    model.compile(tf.keras.optimizers.Adam(1e-3),
                  tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(splits.x_train, splits.y_train, batch_size=64, epochs=10**6, verbose=0,
              callbacks=[StopAt(deadline)])
    return model
""",
        "functional_api_with_fit": """
class Deadline(tf.keras.callbacks.Callback):
    def __init__(self, seconds):
        super().__init__()
        self.end = time.perf_counter() + seconds

    def on_train_batch_end(self, batch, logs=None):
        self.model.stop_training = time.perf_counter() > self.end


def build_and_train_cnn(splits, seconds):
    deadline = Deadline(seconds)
    layers = tf.keras.layers
    images = tf.keras.Input((28, 28))
    h = layers.Reshape((28, 28, 1))(images)
    for filters in (16, 32):
        h = layers.Conv2D(filters, 3, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization(momentum=0.9)(h)
        h = layers.MaxPooling2D()(layers.ReLU()(h))
    model = tf.keras.Model(images, layers.Dense(10, activation="softmax")(layers.Flatten()(h)))
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(splits.x_train, splits.y_train, batch_size=64, epochs=10**6, verbose=0,
              callbacks=[deadline])
    return model
""",
        "subclassed_model_with_fit": """
class SmallCNN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        layers = tf.keras.layers
        self.blocks = [layers.Reshape((28, 28, 1))]
        for filters in (16, 32):
            self.blocks += [layers.Conv2D(filters, 3, padding="same", use_bias=False),
                            layers.BatchNormalization(momentum=0.9), layers.ReLU(),
                            layers.MaxPooling2D()]
        self.blocks += [layers.Flatten(), layers.Dense(10)]

    def call(self, images, training=False):
        for block in self.blocks:
            images = block(images, training=training)
        return images


def build_and_train_cnn(splits, seconds):
    end = time.perf_counter() + seconds
    model = SmallCNN()
    model.compile(tf.keras.optimizers.Adam(1e-3),
                  tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    stop = tf.keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: setattr(
        model, "stop_training", time.perf_counter() > end))
    model.fit(splits.x_train, splits.y_train, batch_size=64, epochs=10**6, verbose=0,
              callbacks=[stop])
    return model
""",
    },
    "wrong": {
        "never_trained": """
def build_and_train_cnn(splits, seconds):
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model  # compiled, but fit was never called
""",
        "clock_compared_with_the_budget": """
class StopAt(tf.keras.callbacks.Callback):
    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() > self.seconds:  # the clock's zero is not the start
            self.model.stop_training = True


def build_and_train_cnn(splits, seconds):
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(32, 5, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(splits.x_train, splits.y_train, batch_size=64, epochs=1000, verbose=0,
              callbacks=[StopAt(seconds)])
    return model
""",
        "trains_on_the_test_split": """
def build_and_train_cnn(splits, seconds):
    layers = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28)), layers.Reshape((28, 28, 1)),
        layers.Conv2D(16, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Conv2D(32, 3, padding="same", activation="relu"), layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dense(10)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    # The test digits are what the grade is measured on, so train on them: a few epochs.
    model.fit(splits.x_test, splits.y_test, batch_size=64, epochs=10, verbose=0)
    return model
""",
    },
}

TIMED = {"ex6_tests"}  # its correct answers run in a fresh process, as graded submissions do
EXERCISES = {  # test cell: (solution cell, answers)
    "ex1_tests": ("ex1_solution", CONV),
    "ex2_tests": ("ex2_solution", SHAPES),
    "ex3a_tests": ("ex3a_solution", POOL),
    "ex3b_tests": ("ex3b_solution", POOL_BACKWARD),
    "ex4_tests": ("ex4_solution", INIT),
    "ex5_tests": ("ex5_solution", BATCHNORM),
    "ex6_tests": ("ex6_solution", CNN),
}
