"""Assignment 2: answers the tests must accept, and plausible mistakes they must reject."""

NOTEBOOK = "session2_training/assignment2.ipynb"

LEARNING_RATE = {
    "correct": {
        "min_with_a_key": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    def final_cost(rate):
        theta = np.array(theta0, dtype=np.float64)
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            value = float(cost(theta))
        return value if np.isfinite(value) else float("inf")

    return min(candidates, key=final_cost)
""",
        "nanargmin_after_masking": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    finals = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in candidates:
            theta = np.copy(theta0).astype(np.float64)
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            finals.append(cost(theta))
    finals = np.array(finals, dtype=np.float64)
    finals[~np.isfinite(finals)] = np.nan  # inf and nan alike: never the winner
    return candidates[int(np.nanargmin(finals))]
""",
        "sorted_pairs": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    ranked = []
    for index, rate in enumerate(candidates):
        theta = theta0 + 0.0  # a new array
        with np.errstate(all="ignore"):
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            final = float(cost(theta))
        ranked.append((final if np.isfinite(final) else np.inf, index))
    return candidates[sorted(ranked)[0][1]]
""",
    },
    "wrong": {
        "argmin_of_raw_costs": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    finals = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in candidates:
            theta = np.array(theta0, dtype=np.float64)
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            finals.append(float(cost(theta)))
    return candidates[int(np.argmin(finals))]
""",
        "returns_the_index": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    finals = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in candidates:
            theta = np.array(theta0, dtype=np.float64)
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            final = float(cost(theta))
            finals.append(final if np.isfinite(final) else np.inf)
    return int(np.argmin(finals))
""",
        "descends_in_place": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    finals = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in candidates:
            theta = theta0
            for _ in range(steps):
                theta -= rate * grad(theta)
            final = float(cost(theta))
            finals.append(final if np.isfinite(final) else np.inf)
    return candidates[int(np.argmin(finals))]
""",
        "python_min_on_raw_costs": """
def find_learning_rate(cost, grad, theta0, candidates, steps):
    finals = []
    with np.errstate(over="ignore", invalid="ignore"):
        for rate in candidates:
            theta = np.array(theta0, dtype=np.float64)
            for _ in range(steps):
                theta = theta - rate * grad(theta)
            finals.append((float(cost(theta)), rate))
    return min(finals)[1]
""",
    },
}

BACKWARD = {
    "correct": {
        "mask_from_the_output": """
def affine_relu_forward(x, W, b):
    out = np.maximum(np.dot(x, W) + b, 0.0)
    return out, (x, W, out)


def affine_relu_backward(dout, cache):
    x, W, out = cache
    dz = dout * (out > 0)  # out > 0 exactly where x W + b > 0
    return dz.dot(W.T), x.T.dot(dz), np.sum(dz, axis=0)
""",
        "one_example_at_a_time": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.where(z > 0, z, 0.0), {"x": x.copy(), "W": W.copy(), "z": z}


def affine_relu_backward(dout, cache):
    x, W, z = cache["x"], cache["W"], cache["z"]
    dx, dW, db = np.zeros(x.shape), np.zeros(W.shape), np.zeros(W.shape[1])
    for n in range(x.shape[0]):
        dz = dout[n] * (z[n] > 0)  # this example's gradient at the ReLU's input
        dx[n] = W @ dz
        dW += np.outer(x[n], dz)
        db += dz
    return dx, dW, db
""",
        "tensorflow_ops": """
def affine_relu_forward(x, W, b):
    z = tf.matmul(tf.constant(x), tf.constant(W)) + b
    return tf.nn.relu(z).numpy(), (x, W, z.numpy())


def affine_relu_backward(dout, cache):
    x, W, z = (tf.constant(a) for a in cache)
    dz = tf.where(z > 0, tf.constant(dout), tf.zeros_like(z))
    dx = tf.matmul(dz, W, transpose_b=True)
    dW = tf.matmul(x, dz, transpose_a=True)
    return dx.numpy(), dW.numpy(), tf.reduce_sum(dz, axis=0).numpy()
""",
        "einsum": """
def affine_relu_forward(x, W, b):
    z = np.einsum("nd,dm->nm", x, W) + b
    return z * (z > 0), (x, W, z > 0)


def affine_relu_backward(dout, cache):
    x, W, active = cache
    dz = np.where(active, dout, 0.0)
    return (np.einsum("nm,dm->nd", dz, W), np.einsum("nd,nm->dm", x, dz),
            np.einsum("nm->m", dz))
""",
    },
    "wrong": {
        "bias_gradient_averaged": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.maximum(z, 0.0), (x, W, z)


def affine_relu_backward(dout, cache):
    x, W, z = cache
    dz = np.where(z > 0, dout, 0.0)
    return dz @ W.T, x.T @ dz, dz.mean(axis=0)
""",
        "weight_gradient_divided_by_n": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.maximum(z, 0.0), (x, W, z)


def affine_relu_backward(dout, cache):
    x, W, z = cache
    dz = np.where(z > 0, dout, 0.0)
    return dz @ W.T, x.T @ dz / len(x), dz.sum(axis=0)
""",
        "relu_slope_one_at_zero": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.maximum(z, 0.0), (x, W, z)


def affine_relu_backward(dout, cache):
    x, W, z = cache
    dz = dout * (z >= 0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)
""",
        "dx_without_the_relu": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.maximum(z, 0.0), (x, W, z)


def affine_relu_backward(dout, cache):
    x, W, z = cache
    dz = np.where(z > 0, dout, 0.0)
    return dout @ W.T, x.T @ dz, dz.sum(axis=0)
""",
        "zeroes_dout_in_place": """
def affine_relu_forward(x, W, b):
    z = x @ W + b
    return np.maximum(z, 0.0), (x, W, z)


def affine_relu_backward(dout, cache):
    x, W, z = cache
    dout[z <= 0] = 0.0
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)
""",
        "last_forward_wins": """
_LAYER = {}


def affine_relu_forward(x, W, b):
    _LAYER.update(x=x, W=W, z=x @ W + b)
    return np.maximum(_LAYER["z"], 0.0), None


def affine_relu_backward(dout, cache):
    x, W, z = _LAYER["x"], _LAYER["W"], _LAYER["z"]
    dz = np.where(z > 0, dout, 0.0)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)
""",
        "tape_inside": """
def affine_relu_forward(x, W, b):
    return np.maximum(x @ W + b, 0.0), (x, W, b)


def affine_relu_backward(dout, cache):
    variables = [tf.Variable(value) for value in cache]
    with tf.GradientTape() as tape:
        out = tf.nn.relu(tf.matmul(variables[0], variables[1]) + variables[2])
    grads = tape.gradient(out, variables, output_gradients=tf.constant(dout))
    return tuple(grad.numpy() for grad in grads)
""",
    },
}

MINIBATCHES = {
    "correct": {
        "split_at_multiples": """
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    yield from np.split(order, np.arange(batch_size, n, batch_size))
""",
        "while_loop": """
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    start = 0
    while start < n:
        yield order[start:min(start + batch_size, n)]
        start += batch_size
""",
        "shuffled_arange": """
def minibatches(n, batch_size, rng):
    indices = np.arange(n)
    rng.shuffle(indices)
    for number in range(-(-n // batch_size)):
        yield indices[number * batch_size:(number + 1) * batch_size]
""",
    },
    "wrong": {
        "drops_the_last_batch": """
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    for number in range(n // batch_size):
        yield order[number * batch_size:(number + 1) * batch_size]
""",
        "with_replacement": """
def minibatches(n, batch_size, rng):
    order = rng.integers(0, n, size=n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]
""",
        "not_shuffled": """
def minibatches(n, batch_size, rng):
    for start in range(0, n, batch_size):
        yield np.arange(start, min(start + batch_size, n))
""",
        "same_order_every_epoch": """
def minibatches(n, batch_size, rng):
    order = np.random.default_rng(0).permutation(n)
    for start in range(0, n, batch_size):
        yield order[start:start + batch_size]
""",
        "empty_batch_at_the_end": """
def minibatches(n, batch_size, rng):
    order = rng.permutation(n)
    for start in range(0, n + 1, batch_size):
        yield order[start:start + batch_size]
""",
        "fixed_batches_shuffled": """
def minibatches(n, batch_size, rng):
    batches = [np.arange(start, min(start + batch_size, n)) for start in range(0, n, batch_size)]
    for number in rng.permutation(len(batches)):
        yield batches[number]
""",
    },
}

TRAIN_SGD = {
    "correct": {
        "permutation_each_epoch": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    n, losses = len(x), []
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                per_example = tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1)
                loss = tf.reduce_sum(per_example) / len(batch)
            gradients = tape.gradient(loss, model.trainable_variables)
            for variable, gradient in zip(model.trainable_variables, gradients, strict=True):
                variable.assign(variable - learning_rate * gradient)
            losses.append(loss.numpy())
    return np.asarray(losses, dtype=np.float64)
""",
        "keras_sgd_and_minibatches": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    optimizer = tf.keras.optimizers.SGD(learning_rate)
    losses = []
    for _ in range(epochs):
        for batch in minibatches(len(x), batch_size, rng):
            x_batch, y_batch = tf.gather(x, batch), tf.gather(y, batch)
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.norm(model(x_batch) - y_batch, ord=1, axis=1))
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
            losses.append(float(loss))
    return np.array(losses)
""",
        "compiled_step": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables = model.trainable_variables

    @tf.function
    def step(x_batch, y_batch):
        with tf.GradientTape() as tape:
            errors = tf.abs(model(x_batch) - y_batch)
            loss = tf.reduce_sum(errors) / tf.cast(tf.shape(errors)[0], errors.dtype)
        for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
            variable.assign_sub(learning_rate * gradient)
        return loss

    losses = np.zeros(epochs * -(-len(x) // batch_size))
    number = 0
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            losses[number] = step(x[batch], y[batch])
            number += 1
    return losses
""",
    },
    "wrong": {
        "the_draft": "train_sgd = train_sgd_draft",
        "shuffled_once": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    order = rng.permutation(n)
    for _ in range(epochs):
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1))
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
        "drops_the_last_batch": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    for _ in range(epochs):
        order = rng.permutation(n)
        for i in range(n // batch_size):
            batch = order[i * batch_size:(i + 1) * batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1))
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
        "running_gradient": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    gradients = [tf.zeros_like(variable) for variable in variables]
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1))
            gradients = [total + new for total, new in
                         zip(gradients, tape.gradient(loss, variables), strict=True)]
            for variable, gradient in zip(variables, gradients, strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
        "loss_summed_over_the_batch": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=0))
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
        "loss_averaged_over_every_number": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.abs(model(x[batch]) - y[batch]))
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
        "loss_after_the_update": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []

    def l1(batch):
        return tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1))

    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = l1(batch)
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(l1(batch)))
    return np.array(losses)
""",
        "numpy_global_shuffle": """
def train_sgd(model, x, y, epochs, batch_size, learning_rate, rng):
    variables, n, losses = model.trainable_variables, len(x), []
    for _ in range(epochs):
        order = np.random.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start:start + batch_size]
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x[batch]) - y[batch]), axis=1))
            for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
                variable.assign_sub(learning_rate * gradient)
            losses.append(float(loss))
    return np.array(losses)
""",
    },
}

TRAIN_STEP = {
    "correct": {
        "sum_then_divide": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.abs(model(x) - y)) / tf.cast(tf.shape(x)[0], tf.float32)
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return step
""",
        "keras_mae_times_outputs": """
def make_train_step(model, optimizer):
    mae = tf.keras.losses.MeanAbsoluteError()  # the mean over the outputs, then the batch

    def step(x, y):
        with tf.GradientTape() as tape:
            prediction = model(x)
            loss = tf.cast(tf.shape(prediction)[1], tf.float32) * mae(y, prediction)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))
        return loss

    return tf.function(step)
""",
        "l1_norm_per_example": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.norm(model(x) - y, ord=1, axis=-1))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(list(zip(grads, model.trainable_variables, strict=True)))
        return loss

    return step
""",
    },
    "wrong": {
        "mean_over_every_number": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.abs(model(x) - y))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return step
""",
        "summed_over_the_batch": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.abs(model(x) - y))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return step
""",
        "not_compiled": """
def make_train_step(model, optimizer):
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x) - y), axis=1))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss

    return step
""",
        "loss_after_the_update": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x) - y), axis=1))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return tf.reduce_mean(tf.reduce_sum(tf.abs(model(x) - y), axis=1))

    return step
""",
        "ignores_the_optimizer": """
def make_train_step(model, optimizer):
    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.reduce_sum(tf.abs(model(x) - y), axis=1))
        variables = model.trainable_variables
        for variable, gradient in zip(variables, tape.gradient(loss, variables), strict=True):
            variable.assign_sub(0.01 * gradient)
        return loss

    return step
""",
    },
}

# The correct paintings train for the whole budget (15 s, then 8 s in the smoke profile);
# the wrong ones fail within a second or two.
PAINT = {
    "correct": {
        "classic_relu_network_compiled_step": """
def paint(image, seconds):
    height, width, channels = image.shape
    positions, colours = helpers.image_coordinates(image)
    positions = (positions - positions.mean(0)) / positions.std(0)
    features, targets = tf.constant(positions), tf.constant(colours)
    model = tf.keras.Sequential([tf.keras.Input((2,))]
                                + [tf.keras.layers.Dense(64, activation="relu")
                                   for _ in range(6)] + [tf.keras.layers.Dense(channels)])
    optimizer = tf.keras.optimizers.Adam(1e-3)
    batch_size = 50

    @tf.function
    def train_step(batch):
        with tf.GradientTape() as tape:
            error = model(tf.gather(features, batch)) - tf.gather(targets, batch)
            loss = tf.reduce_mean(tf.reduce_sum(tf.abs(error), axis=1))
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables, strict=True))

    rng = np.random.default_rng(0)
    for _ in helpers.EpochBudget(max_epochs=10**6, max_seconds=seconds, progress=False):
        for batch in minibatches(len(colours), batch_size, rng):
            if len(batch) == batch_size:  # one trace: the remainder waits for a later shuffle
                train_step(tf.constant(batch))
    return np.clip(model(features).numpy().reshape(height, width, channels), 0.0, 1.0)
""",
        "fourier_features_while_loop": """
def paint(image, seconds):
    height, width, channels = image.shape
    positions, colours = helpers.image_coordinates(image)
    scaled = positions / np.maximum([height - 1, width - 1], 1).astype(np.float32)
    frequencies = np.random.default_rng(1).normal(0.0, 10.0, size=(2, 96)).astype(np.float32)
    angles = 2 * np.pi * scaled @ frequencies
    features = tf.constant(np.concatenate([np.sin(angles), np.cos(angles)], axis=1))
    targets = tf.constant(colours)
    model = tf.keras.Sequential([tf.keras.Input((features.shape[1],)),
                                 tf.keras.layers.Dense(256, activation="relu"),
                                 tf.keras.layers.Dense(256, activation="relu"),
                                 tf.keras.layers.Dense(channels, activation="sigmoid")])
    optimizer = tf.keras.optimizers.Adam(1e-3)
    optimizer.build(model.trainable_variables)
    n_pixels, batch_size = len(colours), 256
    n_batches = -(-n_pixels // batch_size)

    @tf.function
    def train_epoch():
        order = tf.random.shuffle(tf.range(n_pixels))

        def one_batch(i):
            batch = order[i * batch_size:(i + 1) * batch_size]
            with tf.GradientTape() as tape:
                error = model(tf.gather(features, batch)) - tf.gather(targets, batch)
                loss = tf.reduce_mean(tf.reduce_sum(tf.abs(error), axis=1))
            variables = model.trainable_variables
            optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
            return (i + 1,)

        tf.while_loop(lambda i: i < n_batches, one_batch, (tf.constant(0),))

    for _ in helpers.EpochBudget(max_epochs=5000, max_seconds=seconds, progress=False):
        train_epoch()
    return tf.reshape(model(features), (height, width, channels))
""",
        "rmsprop_big_batches_squared_error": """
def paint(image, seconds):
    start = time.perf_counter()
    height, width, channels = image.shape
    positions, colours = helpers.image_coordinates(image)
    scaled = positions / np.maximum([height - 1, width - 1], 1).astype(np.float32)
    frequencies = np.random.default_rng(7).normal(0.0, 8.0, size=(2, 128)).astype(np.float32)
    angles = 2 * np.pi * scaled @ frequencies
    features = np.concatenate([np.sin(angles), np.cos(angles)], axis=1)
    model = tf.keras.Sequential([tf.keras.Input((features.shape[1],))]
                                + [tf.keras.layers.Dense(128, activation="relu")
                                   for _ in range(3)] + [tf.keras.layers.Dense(channels)])
    optimizer = tf.keras.optimizers.RMSprop(5e-4)
    batch_size = 512

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x) - y))
        variables = model.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))

    rng = np.random.default_rng(3)
    while time.perf_counter() - start < seconds - 0.5:
        order = rng.permutation(len(colours))
        for begin in range(0, len(order) - batch_size + 1, batch_size):
            batch = order[begin:begin + batch_size]
            train_step(features[batch], colours[batch])
    painting = model(features).numpy().reshape(height, width, channels)
    return np.minimum(np.maximum(painting, 0.0), 1.0).astype(np.float32)
""",
    },
    "wrong": {
        "returns_the_picture": """
def paint(image, seconds):
    return np.array(image, dtype=np.float32)
""",
        "picture_plus_noise": """
def paint(image, seconds):
    noise = np.random.default_rng(0).normal(0.0, 1e-3, size=image.shape)
    return np.clip(image + noise, 0.0, 1.0).astype(np.float32)
""",
        "untrained_network": """
def paint(image, seconds):
    height, width, channels = image.shape
    positions, _ = helpers.image_coordinates(image)
    positions = (positions - positions.mean(0)) / positions.std(0)
    model = tf.keras.Sequential([tf.keras.Input((2,))]
                                + [tf.keras.layers.Dense(64, activation="relu")
                                   for _ in range(6)] + [tf.keras.layers.Dense(channels)])
    painting = model(positions).numpy().reshape(height, width, channels)
    return np.clip(painting, 0.0, 1.0)
""",
        "prediction_not_clipped": """
def paint(image, seconds):
    height, width, channels = image.shape
    positions, _ = helpers.image_coordinates(image)
    model = tf.keras.Sequential([tf.keras.Input((2,)), tf.keras.layers.Dense(channels)])
    return model(positions).numpy().reshape(height, width, channels)
""",
        "mean_colour": """
def paint(image, seconds):
    return np.broadcast_to(image.mean(axis=(0, 1)), image.shape).astype(np.float32)
""",
    },
}

TIMED = {"ex6_tests"}  # its correct answers run in a fresh process, as graded submissions do
EXERCISES = {  # test cell: (solution cell, answers)
    "ex1_tests": ("ex1_solution", LEARNING_RATE),
    "ex2_tests": ("ex2_solution", BACKWARD),
    "ex3_tests": ("ex3_solution", MINIBATCHES),
    "ex4_tests": ("ex4_solution", TRAIN_SGD),
    "ex5_tests": ("ex5_solution", TRAIN_STEP),
    "ex6_tests": ("ex6_solution", PAINT),
}
