"""Assignment 1: answers the tests must accept, and plausible mistakes they must reject."""

NOTEBOOK = "session1_basics/assignment1.ipynb"

NORMALIZE = {
    "correct": {
        "numpy": """
def normalize_images(images, eps=1e-8):
    images = np.asarray(images, dtype=np.float32)
    mean, std = images.mean(axis=0), images.std(axis=0)
    return (images - mean) / (std + eps), mean, std
""",
        "variance_by_hand": """
def normalize_images(images, eps=1e-8):
    images = tf.cast(images, tf.float32)
    mean = tf.reduce_sum(images, axis=0) / images.shape[0]
    std = tf.sqrt(tf.reduce_mean(tf.square(images - mean), axis=0))
    return (images - mean) / (std + eps), mean, std
""",
        "moments": """
def normalize_images(images, eps=1e-8):
    mean, variance = tf.nn.moments(tf.constant(images, tf.float32), axes=[0])
    std = tf.sqrt(variance)
    return ((images - mean) / (std + eps)).numpy(), mean.numpy(), std.numpy()
""",
    },
    "wrong": {
        "sample_std": """
def normalize_images(images, eps=1e-8):
    mean, std = images.mean(axis=0), images.std(axis=0, ddof=1)
    return (images - mean) / (std + eps), mean, std
""",
        "per_channel_not_per_pixel": """
def normalize_images(images, eps=1e-8):
    axes = tuple(range(images.ndim - 1)) if images.ndim == 4 else (0,)
    mean, std = images.mean(axis=axes), images.std(axis=axes)
    return (images - mean) / (std + eps), mean, std
""",
        "in_place": """
def normalize_images(images, eps=1e-8):
    mean, std = images.mean(axis=0), images.std(axis=0)
    images -= mean
    images /= std + eps
    return images, mean, std
""",
        "no_eps": """
def normalize_images(images, eps=1e-8):
    mean, std = images.mean(axis=0), images.std(axis=0)
    return (images - mean) / std, mean, std
""",
    },
}

BROADCAST = {
    "correct": {
        "pad_with_ones": """
def broadcast_shape(*shapes):
    rank = max(map(len, shapes), default=0)
    padded = [(1,) * (rank - len(shape)) + tuple(shape) for shape in shapes]
    result = []
    for axis, lengths in enumerate(zip(*padded)):
        others = {n for n in lengths if n != 1}
        if len(others) > 1:
            clashing = [a for a, ls in enumerate(zip(*padded)) if len({n for n in ls} - {1}) > 1]
            raise ValueError(f"shapes clash on axis {clashing[-1] - rank}")
        result.append(others.pop() if others else 1)
    return tuple(int(n) for n in result)
""",
        "pairwise_fold": """
def broadcast_shape(*shapes):
    def two(a, b):
        out = []
        for i in range(1, max(len(a), len(b)) + 1):
            x = a[-i] if i <= len(a) else 1
            y = b[-i] if i <= len(b) else 1
            if x != y and 1 not in (x, y):
                raise ValueError(f"{x} and {y} clash on axis {-i}")
            out.append(y if x == 1 else x)
        return tuple(reversed(out))

    result = ()
    for shape in shapes:
        result = two(result, tuple(shape))
    return result
""",
        "reversed_loop": """
import itertools


def broadcast_shape(*shapes):
    result = []
    columns = itertools.zip_longest(*(reversed(s) for s in shapes), fillvalue=1)
    for position, lengths in enumerate(columns, start=1):
        distinct = set(lengths) - {1}
        if len(distinct) > 1:
            raise ValueError(f"axis -{position}: lengths {sorted(distinct)}")
        result.insert(0, int(distinct.pop()) if distinct else 1)
    return tuple(result)
""",
    },
    "wrong": {
        "aligned_on_the_left": """
import itertools


def broadcast_shape(*shapes):
    result = []
    for position, lengths in enumerate(itertools.zip_longest(*shapes, fillvalue=1)):
        distinct = set(lengths) - {1}
        if len(distinct) > 1:
            raise ValueError(f"axis {position - len(result) - 1}")
        result.append(distinct.pop() if distinct else 1)
    return tuple(result)
""",
        "largest_length_wins": """
import itertools


def broadcast_shape(*shapes):
    result = []
    columns = itertools.zip_longest(*(reversed(s) for s in shapes), fillvalue=1)
    for position, lengths in enumerate(columns, start=1):
        distinct = set(lengths) - {1}
        if len(distinct) > 1:
            raise ValueError(f"axis -{position}: lengths {sorted(distinct)}")
        result.insert(0, max(lengths))
    return tuple(result)
""",
        "builds_arrays": """
def broadcast_shape(*shapes):
    try:
        return tuple(sum((np.zeros(shape, dtype=bool) for shape in shapes), np.zeros(())).shape)
    except ValueError as error:
        raise ValueError(f"axis -1: {error}") from None
""",
        "no_axis_in_the_message": """
import itertools


def broadcast_shape(*shapes):
    result = []
    for lengths in itertools.zip_longest(*(reversed(s) for s in shapes), fillvalue=1):
        distinct = set(lengths) - {1}
        if len(distinct) > 1:
            raise ValueError("the shapes do not broadcast")
        result.insert(0, int(distinct.pop()) if distinct else 1)
    return tuple(result)
""",
    },
}

RUNNING_MEAN = {
    "correct": {
        "from_the_assign_outputs": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(0.0, name="count")
        tf.identity(total.assign_add(x) / count.assign_add(1.0), name="running_mean")
    return graph
""",
        "nested_dependencies": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(0.0, name="count")
        add_total = tf.compat.v1.assign_add(total, x)
        with tf.control_dependencies([add_total]):
            add_count = tf.compat.v1.assign_add(count, 1.0)
        with tf.control_dependencies([add_count]):
            tf.math.divide(total.read_value(), count.read_value(), name="running_mean")
    return graph
""",
        "group_then_identity": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(0.0, name="count")
        updates = [total.assign_add(x), count.assign_add(1.0)]
        with tf.control_dependencies(updates):
            mean = total / count
        tf.identity(mean, name="running_mean")
    return graph
""",
    },
    "wrong": {
        "the_draft": "build_running_mean_graph = build_running_mean_graph_draft",
        "only_total_wired_in": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(0.0, name="count")
        count.assign_add(1.0)
        with tf.control_dependencies([total.assign_add(x)]):
            tf.identity(total / tf.maximum(count, 1.0), name="running_mean")
    return graph
""",
        "assigns_instead_of_adding": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(0.0, name="count")
        with tf.control_dependencies([total.assign(x), count.assign_add(1.0)]):
            tf.identity(total.read_value() / count.read_value(), name="running_mean")
    return graph
""",
        "count_starts_at_one": """
def build_running_mean_graph():
    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape=(), name="x")
        total = tf.compat.v1.Variable(0.0, name="total")
        count = tf.compat.v1.Variable(1.0, name="count")
        tf.identity(total.assign_add(x) / count.assign_add(1.0), name="running_mean")
    return graph
""",
    },
}

CHECKER = {
    "correct": {
        "flat_view": """
def gradient_check(f, grad_f, x, h=1e-5):
    point = np.array(x, dtype=np.float64)
    flat = point.reshape(-1)  # a view: changing flat changes point
    numerical = np.zeros(flat.size)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        up = f(point)
        flat[i] = saved - h
        down = f(point)
        flat[i] = saved
        numerical[i] = (up - down) / (2 * h)
    numerical = numerical.reshape(point.shape)
    analytic = np.asarray(grad_f(point), dtype=np.float64)
    errors = [0.0 if a == n == 0 else abs(a - n) / (abs(a) + abs(n))
              for a, n in zip(analytic.ravel(), numerical.ravel())]
    return numerical, float(max(errors, default=0.0))
""",
        "basis_vectors": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.asarray(x, dtype=np.float64)
    numerical = np.empty(x.shape)
    for index in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[index] = 1.0
        numerical[index] = (f(x + h * e) - f(x - h * e)) / (2 * h)
    analytic = np.asarray(grad_f(x.copy()), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(analytic - numerical) / (np.abs(analytic) + np.abs(numerical))
    return numerical, float(np.max(np.nan_to_num(ratio, nan=0.0), initial=0.0))
""",
        "helper_function": """
def _slope(f, x, index, h):
    bumped = x.copy()
    bumped[index] += h
    up = f(bumped)
    bumped[index] -= 2 * h
    return (up - f(bumped)) / (2 * h)


def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=float)
    numerical = np.array([_slope(f, x, i, h) for i in np.ndindex(x.shape)]).reshape(x.shape)
    difference = np.abs(np.asarray(grad_f(x)) - numerical)
    total = np.abs(np.asarray(grad_f(x))) + np.abs(numerical)
    return numerical, float(np.max(np.where(total > 0, difference / np.where(total > 0, total, 1),
                                            0.0), initial=0.0))
""",
    },
    "wrong": {
        "forward_difference": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        numerical[index] = (f(x + step) - f(x)) / h
    analytic = np.asarray(grad_f(x))
    scale = np.abs(analytic) + np.abs(numerical)
    ratio = np.divide(np.abs(analytic - numerical), scale, out=np.zeros_like(x), where=scale > 0)
    return numerical, float(ratio.max())
""",
        "absolute_error": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        numerical[index] = (f(x + step) - f(x - step)) / (2 * h)
    return numerical, float(np.max(np.abs(np.asarray(grad_f(x)) - numerical)))
""",
        "moves_the_callers_x": """
def gradient_check(f, grad_f, x, h=1e-5):
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        x[index] += h
        up = f(x)
        x[index] -= 2 * h
        down = f(x)
        numerical[index] = (up - down) / (2 * h)
    analytic = np.asarray(grad_f(x))
    scale = np.abs(analytic) + np.abs(numerical)
    ratio = np.divide(np.abs(analytic - numerical), scale, out=np.zeros_like(x), where=scale > 0)
    return numerical, float(ratio.max())
""",
        "divides_by_the_analytic_gradient": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        numerical[index] = (f(x + step) - f(x - step)) / (2 * h)
    analytic = np.asarray(grad_f(x))
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerical, float(np.max(np.abs(analytic - numerical) / np.abs(analytic)))
""",
        "mean_error": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = h
        numerical[index] = (f(x + step) - f(x - step)) / (2 * h)
    analytic = np.asarray(grad_f(x))
    scale = np.abs(analytic) + np.abs(numerical)
    ratio = np.divide(np.abs(analytic - numerical), scale, out=np.zeros_like(x), where=scale > 0)
    return numerical, float(ratio.mean())
""",
        "fixed_step": """
def gradient_check(f, grad_f, x, h=1e-5):
    x = np.array(x, dtype=np.float64)
    numerical = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[index] = 1e-6
        numerical[index] = (f(x + step) - f(x - step)) / 2e-6
    analytic = np.asarray(grad_f(x))
    scale = np.abs(analytic) + np.abs(numerical)
    ratio = np.divide(np.abs(analytic - numerical), scale, out=np.zeros_like(x), where=scale > 0)
    return numerical, float(ratio.max())
""",
    },
}

LAYER = {
    "correct": {
        "tensorflow_ops": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    x, W, b, dout = (tf.constant(a, tf.float64) for a in (x, W, b, dout))
    out = tf.sigmoid(tf.matmul(x, W) + b)
    local = dout * out * (1 - out)
    dx = tf.matmul(local, W, transpose_b=True)
    dW = tf.matmul(x, local, transpose_a=True)
    return out.numpy(), dx.numpy(), dW.numpy(), tf.reduce_sum(local, axis=0).numpy()
""",
        "loop_over_examples": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    out = 1 / (1 + np.exp(-(x @ W + b)))
    dx, dW, db = np.zeros(x.shape), np.zeros(W.shape), np.zeros(b.shape)
    for n in range(x.shape[0]):
        local = dout[n] * out[n] * (1 - out[n])
        dx[n] = W @ local
        dW += np.outer(x[n], local)
        db += local
    return out, dx, dW, db
""",
        "einsum_and_tanh": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    scores = np.einsum("nd,dm->nm", x, W) + b
    out = 0.5 * (1 + np.tanh(scores / 2))  # the same sigmoid
    local = dout * out * (1 - out)
    return (out, np.einsum("nm,dm->nd", local, W), np.einsum("nd,nm->dm", x, local),
            np.einsum("nm->m", local))
""",
    },
    "wrong": {
        "forgets_the_sigmoid_derivative": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    out = 1 / (1 + np.exp(-(x @ W + b)))
    return out, dout @ W.T, x.T @ dout, dout.sum(axis=0)
""",
        "bias_gradient_averaged": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    out = 1 / (1 + np.exp(-(x @ W + b)))
    local = dout * out * (1 - out)
    return out, local @ W.T, x.T @ local, local.mean(axis=0)
""",
        "derivative_at_the_score": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    scores = x @ W + b
    out = 1 / (1 + np.exp(-scores))
    local = dout * scores * (1 - scores)
    return out, local @ W.T, x.T @ local, local.sum(axis=0)
""",
        "dx_without_the_sigmoid_derivative": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    out = 1 / (1 + np.exp(-(x @ W + b)))
    local = dout * out * (1 - out)
    return out, dout @ W.T, x.T @ local, local.sum(axis=0)
""",
        "uses_the_tape": """
def sigmoid_layer_forward_backward(x, W, b, dout):
    x, W, b = (tf.constant(a) for a in (x, W, b))
    with tf.GradientTape() as tape:
        tape.watch([x, W, b])
        out = tf.sigmoid(x @ W + b)
    grads = tape.gradient(out, [x, W, b], output_gradients=tf.constant(dout))
    return out.numpy(), *(g.numpy() for g in grads)
""",
    },
}

BLUR = {
    "correct": {
        "conv2d_per_channel": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    offsets = np.arange(-radius, radius + 1, dtype=np.float32)
    kernel = np.exp(-(offsets[:, None] ** 2 + offsets[None, :] ** 2) / (2 * sigma**2))
    kernel = (kernel / kernel.sum()).astype(np.float32)[:, :, None, None]
    layers = image[..., None] if image.ndim == 2 else image
    out = [tf.nn.conv2d(layers[None, :, :, c:c + 1], kernel, strides=1, padding="SAME")[0, :, :, 0]
           for c in range(layers.shape[-1])]
    out = np.stack([np.asarray(o) for o in out], axis=-1)
    return out[..., 0] if image.ndim == 2 else out
""",
        "separable_rows_then_columns": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    bell = np.exp(-np.arange(-radius, radius + 1) ** 2 / (2 * sigma**2))
    bell = (bell / bell.sum()).astype(np.float32)
    layers = tf.constant(image[..., None] if image.ndim == 2 else image, tf.float32)
    channels = layers.shape[-1]
    rows = tf.tile(tf.constant(bell)[:, None, None, None], [1, 1, channels, 1])
    columns = tf.tile(tf.constant(bell)[None, :, None, None], [1, 1, channels, 1])
    out = tf.nn.depthwise_conv2d(layers[None], rows, [1, 1, 1, 1], "SAME")
    out = tf.nn.depthwise_conv2d(out, columns, [1, 1, 1, 1], "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
        "diagonal_filter_bank": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    grid = np.arange(-radius, radius + 1)
    kernel = np.exp(-np.add.outer(grid**2, grid**2) / (2 * sigma**2))
    kernel /= kernel.sum()
    layers = image[..., None] if image.ndim == 2 else image
    channels = layers.shape[-1]
    filters = np.einsum("hw,io->hwio", kernel, np.eye(channels)).astype(np.float32)
    out = tf.nn.conv2d(tf.constant(layers[None], tf.float32), filters, 1, "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
    },
    "wrong": {
        "lecture_size_4_sigma": """
def gaussian_blur(image, sigma):
    radius = int(2 * sigma)
    grid = np.arange(-radius, radius + 1)
    kernel = np.exp(-np.add.outer(grid**2, grid**2) / (2 * sigma**2))
    kernel = (kernel / kernel.sum()).astype(np.float32)
    layers = tf.constant(image[..., None] if image.ndim == 2 else image, tf.float32)
    filters = tf.tile(kernel[:, :, None, None], [1, 1, layers.shape[-1], 1])
    out = tf.nn.depthwise_conv2d(layers[None], filters, [1, 1, 1, 1], "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
        "mixes_the_channels": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    grid = np.arange(-radius, radius + 1)
    kernel = np.exp(-np.add.outer(grid**2, grid**2) / (2 * sigma**2))
    kernel = (kernel / kernel.sum()).astype(np.float32)
    layers = tf.constant(image[..., None] if image.ndim == 2 else image, tf.float32)
    channels = layers.shape[-1]
    filters = tf.tile(kernel[:, :, None, None], [1, 1, channels, channels]) / channels
    out = tf.nn.conv2d(layers[None], filters, 1, "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
        "not_normalised": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    grid = np.arange(-radius, radius + 1)
    kernel = np.exp(-np.add.outer(grid**2, grid**2) / (2 * sigma**2)).astype(np.float32)
    layers = tf.constant(image[..., None] if image.ndim == 2 else image, tf.float32)
    filters = tf.tile(kernel[:, :, None, None], [1, 1, layers.shape[-1], 1])
    out = tf.nn.depthwise_conv2d(layers[None], filters, [1, 1, 1, 1], "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
        "sigma_squared_forgotten": """
def gaussian_blur(image, sigma):
    radius = int(np.ceil(3 * sigma))
    grid = np.arange(-radius, radius + 1)
    kernel = np.exp(-np.add.outer(grid**2, grid**2) / (2 * sigma))
    kernel = (kernel / kernel.sum()).astype(np.float32)
    layers = tf.constant(image[..., None] if image.ndim == 2 else image, tf.float32)
    filters = tf.tile(kernel[:, :, None, None], [1, 1, layers.shape[-1], 1])
    out = tf.nn.depthwise_conv2d(layers[None], filters, [1, 1, 1, 1], "SAME")[0]
    return out[..., 0] if image.ndim == 2 else out
""",
    },
}

TRACE = {
    "correct": {
        "einsum": """
def make_mse_step():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32),
                                  tf.TensorSpec([None, None], tf.float32),
                                  tf.TensorSpec([None], tf.float32)])
    def step(w, x, y):
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tf.reduce_mean((tf.einsum("nd,d->n", x, w) - y) ** 2)
        return loss, tape.gradient(loss, w)

    return step
""",
        "gradient_by_hand": """
def make_mse_step():
    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)] * 3)
    def step(w, x, y):
        residual = tf.linalg.matvec(x, w) - y
        n = tf.cast(tf.shape(x)[0], tf.float32)
        return tf.reduce_sum(residual**2) / n, 2.0 / n * tf.linalg.matvec(x, residual,
                                                                       transpose_a=True)

    return step
""",
        "reduce_relaxed_shapes": """
def make_mse_step():
    def step(w, x, y):
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tf.reduce_mean(tf.square(tf.squeeze(x @ w[:, None], axis=1) - y))
        return loss, tape.gradient(loss, w)

    return tf.function(step, input_signature=(tf.TensorSpec([None], tf.float32),
                                              tf.TensorSpec([None, None], tf.float32),
                                              tf.TensorSpec([None], tf.float32)))
""",
    },
    "wrong": {
        "no_signature": """
def make_mse_step():
    @tf.function
    def step(w, x, y):
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tf.reduce_mean(tf.square(tf.linalg.matvec(x, w) - y))
        return loss, tape.gradient(loss, w)

    return step
""",
        "sum_not_mean": """
def make_mse_step():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32),
                                  tf.TensorSpec([None, None], tf.float32),
                                  tf.TensorSpec([None], tf.float32)])
    def step(w, x, y):
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tf.reduce_sum(tf.square(tf.linalg.matvec(x, w) - y))
        return loss, tape.gradient(loss, w)

    return step
""",
        "gradient_missing_the_two": """
def make_mse_step():
    @tf.function(input_signature=[tf.TensorSpec(None, tf.float32)] * 3)
    def step(w, x, y):
        residual = tf.linalg.matvec(x, w) - y
        n = tf.cast(tf.shape(x)[0], tf.float32)
        return tf.reduce_sum(residual**2) / n, tf.linalg.matvec(x, residual, transpose_a=True) / n

    return step
""",
    },
}

EXERCISES = {  # test cell: (solution cell, answers)
    "ex1_tests": ("ex1_solution", NORMALIZE),
    "ex2_tests": ("ex2_solution", BROADCAST),
    "ex3_tests": ("ex3_solution", RUNNING_MEAN),
    "ex4_tests": ("ex4_solution", CHECKER),
    "ex5_tests": ("ex5_solution", LAYER),
    "ex6_tests": ("ex6_solution", BLUR),
    "ex7_tests": ("ex7_solution", TRACE),
}
