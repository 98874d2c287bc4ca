"""Small models that tests hand to a student's code, to check it accepts any model."""

import tensorflow as tf


class LinearProbe(tf.Module):
    """``x @ w + b`` as a plain tf.Module (not Keras), with float32 variables w and b."""

    def __init__(self, w_value, b_value, name: str = "probe_linear"):
        super().__init__(name=name)
        self.w = tf.Variable(w_value, name="w")
        self.b = tf.Variable(b_value, name="b")

    def __call__(self, inputs, training=None):  # accepts Keras' training flag, unused
        return tf.matmul(inputs, self.w) + self.b

    def mirror_args(self) -> tuple:
        """The arguments that rebuild it: the grader does so in the student's process."""
        return self.w.numpy(), self.b.numpy()
