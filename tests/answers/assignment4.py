"""Assignment 4: answers the tests must accept, and plausible mistakes they must reject."""

NOTEBOOK = "session4_optim/assignment4.ipynb"

NESTEROV = {
    "correct": {
        "expanded": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    new_velocity = momentum * np.asarray(velocity) - learning_rate * np.asarray(grad)
    return np.asarray(phi) - learning_rate * np.asarray(grad) + momentum * new_velocity, \\
        new_velocity
""",
        "through_theta": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    theta = np.asarray(phi) - momentum * np.asarray(velocity)  # back from the look-ahead
    new_velocity = momentum * np.asarray(velocity) - learning_rate * np.asarray(grad)
    theta = theta + new_velocity
    return theta + momentum * new_velocity, new_velocity
""",
        "tensorflow": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    phi, grad, velocity = (tf.constant(a, tf.float64) for a in (phi, grad, velocity))
    new_velocity = momentum * velocity - learning_rate * grad
    return (phi + momentum * new_velocity - learning_rate * grad).numpy(), new_velocity.numpy()
""",
    },
    "wrong": {
        "heavy_ball": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * grad
    return phi + new_velocity, new_velocity
""",
        "old_velocity_in_the_look_ahead": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity - learning_rate * grad
    return phi + momentum * velocity - learning_rate * grad, new_velocity
""",
        "in_place": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    velocity *= momentum
    velocity -= learning_rate * grad
    return phi + momentum * velocity - learning_rate * grad, velocity
""",
        "pytorch_velocity": """
def nesterov_update(phi, grad, velocity, learning_rate, momentum):
    new_velocity = momentum * velocity + grad  # v <- alpha v + g, subtracted later
    return phi - learning_rate * (grad + momentum * new_velocity), new_velocity
""",
    },
}

LIMIT = {
    "correct": {
        "closed_form_norm": """
def nesterov_largest_stable_step(A, momentum):
    lam_max = np.linalg.norm((A + A.T) / 2, 2)  # the spectral norm of an SPD matrix
    return float(2 * (1 + momentum) / ((1 + 2 * momentum) * lam_max))
""",
        "eigenvalues_of_the_2x2_map": """
def nesterov_largest_stable_step(A, momentum):
    lam = max(np.linalg.eigvals((A + A.T) / 2).real)

    def radius(step):  # one step on (phi, v) along the eigenvector of lam
        a = step * lam
        transition = np.array([[1 - a * (1 + momentum), momentum**2], [-a, momentum]])
        return max(abs(np.linalg.eigvals(transition)))

    low, high = 0.0, 4.0 / lam
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (middle, high) if radius(middle) < 1 else (low, middle)
    return float(low)
""",
        "bisection_on_runs": """
def nesterov_largest_stable_step(A, momentum):
    lam = np.linalg.eigvalsh((A + A.T) / 2)[-1]

    def converges(step):
        phi, velocity = np.array([1.0]), np.zeros(1)
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(1500):
                phi, velocity = nesterov_update(phi, lam * phi, velocity, step, momentum)
        return abs(phi[0]) < 1

    low, high = 0.0, 4.0 / lam
    for _ in range(25):
        middle = (low + high) / 2
        low, high = (middle, high) if converges(middle) else (low, middle)
    return float(low)
""",
    },
    "wrong": {
        "heavy_ball_limit": """
def nesterov_largest_stable_step(A, momentum):
    return float((2 + 2 * momentum) / np.linalg.eigvalsh((A + A.T) / 2)[-1])
""",
        "gradient_descent_limit": """
def nesterov_largest_stable_step(A, momentum):
    return float(2 / np.linalg.eigvalsh((A + A.T) / 2)[-1])
""",
        "eigvalsh_of_the_raw_matrix": """
def nesterov_largest_stable_step(A, momentum):
    lam_max = np.linalg.eigvalsh(A)[-1]
    return float((2 + 2 * momentum) / ((1 + 2 * momentum) * lam_max))
""",
        "smallest_eigenvalue": """
def nesterov_largest_stable_step(A, momentum):
    lam_min = np.linalg.eigvalsh((A + A.T) / 2)[0]
    return float((2 + 2 * momentum) / ((1 + 2 * momentum) * lam_min))
""",
        "factor_two_lost": """
def nesterov_largest_stable_step(A, momentum):
    lam_max = np.linalg.eigvalsh((A + A.T) / 2)[-1]
    return float((1 + momentum) / ((1 + 2 * momentum) * lam_max))
""",
    },
}

ADAM = {
    "correct": {
        "paper_form_with_scaled_eps": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad * grad
    m_hat, v_hat = new_m / (1 - beta1**t), new_v / (1 - beta2**t)
    return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps / np.sqrt(1 - beta2**t)), \\
        new_m, new_v
""",
        "keras_increments": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    new_m = m + (grad - m) * (1 - beta1)
    new_v = v + (grad**2 - v) * (1 - beta2)
    alpha = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return theta - alpha * new_m / (np.sqrt(new_v) + eps), new_m, new_v
""",
        "tensorflow": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    theta, grad, m, v = (tf.constant(a, tf.float64) for a in (theta, grad, m, v))
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * tf.square(grad)
    alpha = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    new_theta = theta - alpha * new_m / (tf.sqrt(new_v) + eps)
    return new_theta.numpy(), new_m.numpy(), new_v.numpy()
""",
    },
    "wrong": {
        "the_draft": "adam_update = adam_update_draft",
        "copies_but_t_plus_one": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad**2
    alpha = learning_rate * np.sqrt(1 - beta2 ** (t + 1)) / (1 - beta1 ** (t + 1))
    return theta - alpha * new_m / (np.sqrt(new_v) + eps), new_m, new_v
""",
        "paper_eps_on_corrected_root": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = new_m / (1 - beta1**t), new_v / (1 - beta2**t)
    return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps), new_m, new_v
""",
        "eps_inside_the_root": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    new_m = beta1 * m + (1 - beta1) * grad
    new_v = beta2 * v + (1 - beta2) * grad**2
    alpha = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return theta - alpha * new_m / np.sqrt(new_v + eps), new_m, new_v
""",
        "fixed_but_in_place": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad**2
    alpha = learning_rate * np.sqrt(1 - beta2**t) / (1 - beta1**t)
    return theta - alpha * m / (np.sqrt(v) + eps), m.copy(), v.copy()
""",
        "returns_corrected_moments": """
def adam_update(theta, grad, m, v, t, learning_rate, beta1, beta2, eps):
    m_hat = (beta1 * m + (1 - beta1) * grad) / (1 - beta1**t)
    v_hat = (beta2 * v + (1 - beta2) * grad**2) / (1 - beta2**t)
    scale = np.sqrt(1 - beta2**t)
    return theta - learning_rate * m_hat / (np.sqrt(v_hat) + eps / scale), m_hat, v_hat
""",
    },
}

TRAIN = {
    "correct": {
        "constants_watched": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    current = [np.array(w, dtype=np.float64) for w in weights]
    state = {i: (np.zeros_like(w), np.zeros_like(w)) for i, w in enumerate(current)}
    losses = np.zeros(steps)
    for t in range(1, steps + 1):
        tensors = [tf.constant(w) for w in current]
        with tf.GradientTape() as tape:
            tape.watch(tensors)
            loss = mlp_loss(tensors, x, y)
        losses[t - 1] = loss.numpy()
        for i, grad in enumerate(tape.gradient(loss, tensors)):
            current[i], m, v = adam_update(current[i], grad.numpy(), *state[i], t,
                                           learning_rate, beta1, beta2, eps)
            state[i] = (m, v)
    return losses, current
""",
        "one_flat_vector": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    shapes = [np.shape(w) for w in weights]
    sizes = [int(np.prod(s)) for s in shapes]
    flat = np.concatenate([np.ravel(w) for w in weights]).astype(np.float64)
    m, v, losses = np.zeros_like(flat), np.zeros_like(flat), []

    def unflatten(vector):
        parts = np.split(vector, np.cumsum(sizes)[:-1])
        return [part.reshape(shape) for part, shape in zip(parts, shapes)]

    for t in range(1, steps + 1):
        variables = [tf.Variable(w) for w in unflatten(flat)]
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        grads = tape.gradient(loss, variables)
        losses.append(float(loss))
        flat, m, v = adam_update(flat, np.concatenate([np.ravel(g) for g in grads]), m, v, t,
                                 learning_rate, beta1, beta2, eps)
    return np.array(losses), unflatten(flat)
""",
        "compiled_gradient": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    variables = [tf.Variable(np.copy(w)) for w in weights]
    x, y = tf.constant(x), tf.constant(y)

    @tf.function
    def loss_and_grads():
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        return loss, tape.gradient(loss, variables)

    ms = [np.zeros(w.shape) for w in variables]
    vs = [np.zeros(w.shape) for w in variables]
    losses = []
    for t in range(1, steps + 1):
        loss, grads = loss_and_grads()
        losses.append(loss.numpy())
        for i, variable in enumerate(variables):
            new, ms[i], vs[i] = adam_update(variable.numpy(), grads[i].numpy(), ms[i], vs[i],
                                            t, learning_rate, beta1, beta2, eps)
            variable.assign(new)
    return np.array(losses), [variable.numpy() for variable in variables]
""",
    },
    "wrong": {
        "step_count_per_variable": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    variables = [tf.Variable(np.array(w)) for w in weights]
    moments = [(np.zeros(w.shape), np.zeros(w.shape)) for w in variables]
    losses, t = [], 0
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        losses.append(float(loss))
        for i, (variable, grad) in enumerate(zip(variables, tape.gradient(loss, variables))):
            t += 1
            new, m, v = adam_update(variable.numpy(), grad.numpy(), *moments[i], t,
                                    learning_rate, beta1, beta2, eps)
            variable.assign(new)
            moments[i] = (m, v)
    return np.array(losses), [variable.numpy() for variable in variables]
""",
        "loss_after_the_step": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    variables = [tf.Variable(np.array(w)) for w in weights]
    moments = [(np.zeros(w.shape), np.zeros(w.shape)) for w in variables]
    losses = []
    for t in range(1, steps + 1):
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        for i, (variable, grad) in enumerate(zip(variables, tape.gradient(loss, variables))):
            new, m, v = adam_update(variable.numpy(), grad.numpy(), *moments[i], t,
                                    learning_rate, beta1, beta2, eps)
            variable.assign(new)
            moments[i] = (m, v)
        losses.append(float(mlp_loss(variables, x, y)))
    return np.array(losses), [variable.numpy() for variable in variables]
""",
        "step_count_never_advances": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    variables = [tf.Variable(np.array(w)) for w in weights]
    moments = [(np.zeros(w.shape), np.zeros(w.shape)) for w in variables]
    losses = []
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        losses.append(float(loss))
        for i, (variable, grad) in enumerate(zip(variables, tape.gradient(loss, variables))):
            new, m, v = adam_update(variable.numpy(), grad.numpy(), *moments[i], 1,
                                    learning_rate, beta1, beta2, eps)
            variable.assign(new)
            moments[i] = (m, v)
    return np.array(losses), [variable.numpy() for variable in variables]
""",
        "updates_the_callers_arrays": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    moments = [(np.zeros(np.shape(w)), np.zeros(np.shape(w))) for w in weights]
    losses = []
    for t in range(1, steps + 1):
        variables = [tf.Variable(w) for w in weights]
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        losses.append(float(loss))
        for i, grad in enumerate(tape.gradient(loss, variables)):
            new, m, v = adam_update(weights[i], grad.numpy(), *moments[i], t, learning_rate,
                                    beta1, beta2, eps)
            weights[i][...] = new
            moments[i] = (m, v)
    return np.array(losses), [np.copy(w) for w in weights]
""",
        "ignores_the_settings": """
def train_with_adam(weights, x, y, steps, learning_rate, beta1=0.9, beta2=0.999, eps=1e-7):
    variables = [tf.Variable(np.array(w)) for w in weights]
    moments = [(np.zeros(w.shape), np.zeros(w.shape)) for w in variables]
    losses = []
    for t in range(1, steps + 1):
        with tf.GradientTape() as tape:
            loss = mlp_loss(variables, x, y)
        losses.append(float(loss))
        for i, (variable, grad) in enumerate(zip(variables, tape.gradient(loss, variables))):
            new, m, v = adam_update(variable.numpy(), grad.numpy(), *moments[i], t,
                                    learning_rate, 0.9, 0.999, 1e-7)
            variable.assign(new)
            moments[i] = (m, v)
    return np.array(losses), [variable.numpy() for variable in variables]
""",
    },
}

SCHEDULE = {
    "correct": {
        "squared_cosine": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return base_lr * step / warmup_steps
    progress = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return float(min_lr + (base_lr - min_lr) * np.cos(np.pi * progress / 2) ** 2)
""",
        "clipped_and_vectorisable": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    warm = base_lr * step / max(warmup_steps, 1)
    progress = np.clip((step - warmup_steps) / (total_steps - warmup_steps), 0.0, 1.0)
    decay = min_lr + (base_lr - min_lr) * (1 + np.cos(np.pi * progress)) / 2
    return float(np.where(step < warmup_steps, warm, decay))
""",
        "three_branches": """
import math


def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    step = int(step)
    if step >= total_steps:
        return float(min_lr)
    if step < warmup_steps:
        return step / warmup_steps * base_lr
    angle = math.pi * (step - warmup_steps) / (total_steps - warmup_steps)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(angle)) / 2
""",
    },
    "wrong": {
        "no_floor_after_total": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return float(base_lr * step / warmup_steps)
    progress = (step - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress)))
""",
        "warm_up_off_by_one": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return float(base_lr * (step + 1) / warmup_steps)
    progress = min(step - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress)))
""",
        "decay_counted_from_zero": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return float(base_lr * step / warmup_steps)
    progress = min(step, total_steps) / total_steps
    return float(min_lr + 0.5 * (base_lr - min_lr) * (1 + np.cos(np.pi * progress)))
""",
        "cosine_to_zero_then_floor": """
def cosine_warmup_schedule(step, base_lr, warmup_steps, total_steps, min_lr):
    if step < warmup_steps:
        return float(base_lr * step / warmup_steps)
    progress = min(step - warmup_steps, total_steps - warmup_steps) / (total_steps - warmup_steps)
    return float(max(min_lr, 0.5 * base_lr * (1 + np.cos(np.pi * progress))))
""",
    },
}

CROSSING = {
    "correct": {
        "arccos_then_check": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold < min_lr:
        return None
    if threshold >= base_lr:
        return int(warmup_steps)
    cosine = 2 * (threshold - min_lr) / (base_lr - min_lr) - 1
    step = warmup_steps + int(np.ceil(np.arccos(cosine) / np.pi * (total_steps - warmup_steps)))
    schedule = (base_lr, warmup_steps, total_steps, min_lr)
    while step > warmup_steps and cosine_warmup_schedule(step - 1, *schedule) <= threshold:
        step -= 1
    while cosine_warmup_schedule(step, *schedule) > threshold:
        step += 1
    return int(step)
""",
        "bisection_on_the_schedule": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    schedule = (base_lr, warmup_steps, total_steps, min_lr)
    if cosine_warmup_schedule(total_steps, *schedule) > threshold:
        return None
    low, high = warmup_steps, total_steps  # the answer lies in [low, high]
    while low < high:
        middle = (low + high) // 2
        if cosine_warmup_schedule(middle, *schedule) <= threshold:
            high = middle
        else:
            low = middle + 1
    return int(low)
""",
        "half_angle_form": """
import math


def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold < min_lr:
        return None
    fraction = min(1.0, (threshold - min_lr) / (base_lr - min_lr))
    progress = 2 * math.acos(math.sqrt(fraction)) / math.pi
    return warmup_steps + math.ceil(progress * (total_steps - warmup_steps))
""",
    },
    "wrong": {
        "floor_instead_of_ceil": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold >= base_lr:
        return int(warmup_steps)
    if threshold < min_lr:
        return None
    progress = np.arccos(2 * (threshold - min_lr) / (base_lr - min_lr) - 1) / np.pi
    return int(warmup_steps + np.floor(progress * (total_steps - warmup_steps)))
""",
        "warm_up_forgotten": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold >= base_lr:
        return int(warmup_steps)
    if threshold < min_lr:
        return None
    progress = np.arccos(2 * (threshold - min_lr) / (base_lr - min_lr) - 1) / np.pi
    return int(np.ceil(progress * total_steps))
""",
        "linear_decay_assumed": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold >= base_lr:
        return int(warmup_steps)
    if threshold < min_lr:
        return None
    progress = 1 - (threshold - min_lr) / (base_lr - min_lr)
    return int(warmup_steps + np.ceil(progress * (total_steps - warmup_steps)))
""",
        "min_lr_never_reached": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold >= base_lr:
        return int(warmup_steps)
    if threshold <= min_lr:
        return None
    progress = np.arccos(2 * (threshold - min_lr) / (base_lr - min_lr) - 1) / np.pi
    return int(warmup_steps + np.ceil(progress * (total_steps - warmup_steps)))
""",
        "start_of_the_run": """
def first_step_at_or_below(threshold, base_lr, warmup_steps, total_steps, min_lr):
    if threshold >= base_lr:
        return 0
    if threshold < min_lr:
        return None
    progress = np.arccos(2 * (threshold - min_lr) / (base_lr - min_lr) - 1) / np.pi
    return int(warmup_steps + np.ceil(progress * (total_steps - warmup_steps)))
""",
    },
}

EXERCISES = {  # test cell: (solution cell, answers)
    "ex1_tests": ("ex1_solution", NESTEROV),
    "ex2_tests": ("ex2_solution", LIMIT),
    "ex3_tests": ("ex3_solution", ADAM),
    "ex4_tests": ("ex4_solution", TRAIN),
    "ex5_tests": ("ex5_solution", SCHEDULE),
    "ex6_tests": ("ex6_solution", CROSSING),
}
