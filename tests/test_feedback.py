"""The check's feedback states only what is true: a rule (a factor, the sign, the square…) only
if it holds on every wrong test input, He's draws in another layout are accepted, and an error
is blamed on the call, the learner's line or the library function that raised it.

The wrong answers that name a mistake are in test_wrong_answers_*.py; these tests are
about what the check must NOT say, and about the pieces (relations.confirmed, explain) directly.
"""

import numpy as np

from course_utils.checks import EXERCISES, evaluate, load_all
from course_utils.checks.calls import call
from course_utils.checks.differences import offset
from course_utils.checks.explain import explain
from course_utils.checks.relations import confirmed, factor, power
from course_utils.checks.values import Context

load_all()


def sigmoid(z):
    return 0.5 * (1 + np.tanh(z / 2))


def dense(x, M, b):
    return x @ M.T + b


# ---------------------------------------------------------------- no false claims


def test_a_factor_seen_on_one_input_only_is_not_claimed():
    def two_then_five(x, M, b):  # twice on the first input, five times on the others
        return (2 if len(x) == 3 and x[0, 0] == 1 else 5) * dense(x, M, b)

    message = evaluate("dense_forward", two_then_five).message
    assert "twice" not in message and "factor 2" not in message, message
    assert "times another number for another input" in message, message


def test_a_sign_or_a_square_seen_on_one_input_only_is_not_claimed():
    first = EXERCISES["relu_backward"].cases[0][0]

    def sign_then_offset(grad, z):
        right = grad * (z > 0)
        return -right if grad.shape == first.shape else right + 1

    message = evaluate("relu_backward", sign_then_offset).message
    assert "wrong sign" not in message, message

    def square_then_cube(z):
        return sigmoid(z) ** (2 if z.ndim == 1 and z[0] == -3 else 3)

    message = evaluate("sigmoid", square_then_cube).message
    assert "SQUARE" not in message, message


def test_confirmed_keeps_a_claim_only_if_every_wrong_input_makes_it():
    e = np.array([1.0, -2.0, 3.0])
    twice = Context(others=((2 * e[:2], e[:2], Context()),))
    assert "twice" in confirmed(factor, 2 * e, e, twice)
    thrice = Context(others=((3 * e[:2], e[:2], Context()),))
    assert "twice" not in confirmed(factor, 2 * e, e, thrice)  # but "another number" holds
    right_there = Context(others=((e[:2], e[:2], Context()),))  # inputs where it is right
    assert "twice" in confirmed(factor, 2 * e, e, right_there)
    one_number = Context(others=((np.array(1.5), np.array(1.0), Context()),))  # shows nothing
    assert "same amount 0.5" in confirmed(offset, e + 0.5, e, one_number)
    assert confirmed(offset, np.array(1.5), np.array(1.0), Context()) is None  # nor alone
    assert confirmed(power, e**2, e, Context(others=((e[:2] + 1, e[:2], Context()),))) is None


def test_the_first_of_several_names_that_holds_everywhere_is_used():
    e = np.array([1.0, -2.0, 3.0])
    sizes_2 = Context(sizes={"M": 2})  # 2 = M: a factor 2 or a missing division by M
    both = confirmed(factor, 2 * e, e, Context(sizes={"M": 2}, others=((2 * e, e, sizes_2),)))
    assert "(2 = M)" in both
    sizes_4 = Context(sizes={"M": 4})  # M = 4 elsewhere: only the factor 2 holds
    only_two = confirmed(factor, 2 * e, e, Context(sizes={"M": 2}, others=((2 * e, e, sizes_4),)))
    assert "twice" in only_two and "= M" not in only_two


# ---------------------------------------------------------------- He's draws in another layout


def test_he_draws_read_in_the_transposed_order_are_right():
    def drawn_transposed(n_in, n_out, rng):
        return rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out)).T

    def column_by_column(n_in, n_out, rng):
        return np.column_stack([rng.normal(0, np.sqrt(2 / n_in), n_out) for _ in range(n_in)])

    def scaled_standard_normals(n_in, n_out, rng):
        return np.sqrt(2 / n_in) * rng.standard_normal((n_out, n_in))

    for answer in (drawn_transposed, column_by_column, scaled_standard_normals):
        assert evaluate("he_init", answer).status == "correct", answer.__name__


def test_he_draws_in_another_order_are_named_not_accepted():
    def sorted_rows(n_in, n_out, rng):
        return np.sort(rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in)), axis=1)

    result = evaluate("he_init", sorted_rows)
    assert result.status == "wrong" and "in another order" in result.message, result


# ---------------------------------------------------------------- where an error came from


def raised(function, *args):
    try:
        function(*args)
    except Exception as error:
        return error
    raise AssertionError("no error")


def test_a_type_error_inside_a_library_call_is_not_a_wrong_signature():
    from course_utils.activations import sigmoid as course_sigmoid

    def answer(z):
        return course_sigmoid(None)  # fails inside course_utils

    text = explain(raised(answer, np.zeros(2)), (np.zeros(2),), ("z",), answer)
    assert "parameters differ" not in text
    assert "None" in text and "inside course_utils's sigmoid()" in text, text

    def helper_call(z):
        def helper(z, scale):
            return z * scale

        return helper(z)  # the learner's own helper, called with too few arguments

    text = explain(raised(helper_call, np.zeros(2)), (np.zeros(2),), ("z",), helper_call)
    assert "parameters differ" not in text and "`helper()` is called with the wrong" in text


def test_a_type_error_at_the_call_of_the_learners_function_is_a_wrong_signature():
    def answer(z, h):
        return z

    result = evaluate("sigmoid", answer)
    assert "parameters differ from the exercise's" in result.message, result
    args = EXERCISES["sigmoid"].cases[0]
    error = call(EXERCISES["sigmoid"], answer, args).error  # called by the check's code
    assert "parameters differ" in explain(error, args, ("z",))  # told by the traceback alone


def test_type_errors_raised_inside_are_explained_from_their_text():
    cases = [
        (lambda z: np.concatenate(z, z), "np.concatenate([a, b])"),
        (lambda z: {}.get("z")[0], "was None"),
        (lambda z: [1, 2] * 0.5, "arithmetic on a Python list"),
        (lambda z: len(float(z[0])), "len() of a single number"),
        (lambda z: np.zeros(2, 3), "ONE tuple"),
        (lambda z: {z: 1}, "dictionary key"),
        (lambda z: sigmoid * z, "function was used as a value"),
    ]
    for answer, phrase in cases:
        text = explain(raised(answer, np.zeros(2)), (np.zeros(2),), ("z",), answer)
        assert phrase in text and "parameters differ" not in text, (phrase, text)


# ---------------------------------------------------------------- what the answer does elsewhere


def test_a_function_argument_is_called_ignored_only_when_the_answer_does_not_depend_on_it():
    def thrice(f, z, h):  # uses f, with a wrong factor
        return 3 * (f(z + h) - f(z - h)) / (2 * h)

    message = evaluate("slope", thrice).message
    assert "stays the same when `f`" not in message and "times 3" in message, message

    def sine_on_one_input_only(f, z, h):  # ignores f on the first input, not on the second
        g = np.sin if z.ndim == 1 else f
        return (g(z + h) - g(z - h)) / h

    message = evaluate("slope", sine_on_one_input_only).message
    assert "stays the same when `f`" not in message, message


def test_the_right_answer_for_a_scaled_input_is_claimed_only_if_it_holds_everywhere():
    def doubled_then_tripled(z):
        return sigmoid((2 if z.ndim == 1 and z.size == 5 and z[0] == -3 else 3) * z)

    message = evaluate("sigmoid", doubled_then_tripled).message
    assert "2·z" not in message, message


def test_structure_facts_need_source_and_never_fail():
    from course_utils.checks.structure import facts

    assert facts(lambda x: x) == {} and facts(np.tanh) == {} and facts(print) == {}

    def returns_in_loop(params, grads, lr):
        for p, g in zip(params, grads):
            return [p - lr * g]

    found = facts(returns_in_loop, "only the first parameter is updated")
    assert "only the first parameter is updated" in found["return in loop"]
    assert "only return in loop" in found

    def early_exit_is_fine(values):
        for v in values:
            if v < 0:
                return v  # a `return` under an `if`: a search, not a slip
        return None

    assert facts(early_exit_is_fine) == {}


def test_none_from_a_loop_that_did_not_run_names_the_return_inside_it():
    from course_utils.checks.judge import judge

    def one_layer_at_a_time(x, Ms, bs, phi):
        o = x
        for M, b in zip(Ms[:-1], bs[:-1]):
            o = phi(o @ M.T + b)
            return o @ Ms[-1].T + bs[-1]

    exercise = EXERCISES["mlp_forward"]
    no_hidden_layer = next(args for args in exercise.cases if len(args[1]) == 1)
    outcome = call(exercise, one_layer_at_a_time, no_hidden_layer)
    reference = call(exercise, exercise.reference, no_hidden_layer)
    status, message = judge(exercise, one_layer_at_a_time, no_hidden_layer, outcome, reference)
    assert "`return` is inside the loop" in message and "forgot" not in message, message


def test_batches_are_blamed_only_when_the_network_received_other_ones():
    def batched_percentage(model, x, y, batch_size=100):
        correct = 0
        for start in range(0, len(x), batch_size):
            scores = model.forward(x[start : start + batch_size])
            correct += np.sum(scores.argmax(axis=1) == y[start : start + batch_size])
        return 100 * correct / len(x)

    message = evaluate("evaluate_accuracy", batched_percentage).message
    assert "percentage" in message and "received" not in message, message

    def whole_set_right(model, x, y, batch_size=100):
        return float(np.mean(model.forward(x).argmax(axis=1) == y))

    result = evaluate("evaluate_accuracy", whole_set_right)
    assert result.status == "mistake" and "at once" in result.message, result


def test_a_float32_answer_is_right_and_a_float64_one_is_named():
    def float32(images):
        return images.reshape(len(images), -1).astype(np.float32) / np.float32(255)

    assert evaluate("scale_pixels", float32).status == "correct"
    result = evaluate("scale_pixels", lambda images: images.reshape(len(images), -1) / 255)
    assert result.status == "mistake" and "float64" in result.message, result


def test_a_key_is_called_misspelt_only_when_a_given_key_is_close():
    misspelt = evaluate("best_epoch", lambda history: history["val_los"].index(0)).message
    assert "did you mean 'val_loss'" in misspelt, misspelt
    absent = evaluate("best_epoch", lambda history: history["best"]).message
    assert "spelling" not in absent and "it has only" in absent, absent


def test_a_set_that_takes_the_rest_is_not_said_to_use_another_fraction():
    def val_takes_the_rest(n, fractions, seed):
        order = np.random.default_rng(seed).permutation(n)
        n_train = round(fractions[0] * n)
        return order[:n_train], order[n_train:], order[n:]

    message = evaluate("seeded_split", val_takes_the_rest).message
    assert "its size is computed from fractions" not in message, message


def test_a_difference_at_the_labels_is_claimed_only_if_it_is_there_alone():
    from course_utils.checks.nb04_backprop import softmax_ce_backward

    def labels_and_more(logits, y):
        right = softmax_ce_backward(logits, y)
        right[np.arange(len(y)), y] += 1 / len(y)  # the − 1 is missing …
        return right + 0.01 * (logits.shape[0] > 2)  # … and something else on larger inputs

    message = evaluate("softmax_ce_backward", labels_and_more).message
    assert "the − 1 is missing" not in message, message


# ---------------------------------------------------------------- only what the code shows


def test_an_entry_left_at_none_is_not_blamed_on_a_missing_return():
    from course_utils.checks.nb04_backprop import linear_backward, network_backward

    def first_entry_dropped(x, y, Ms, bs):
        dMs, dbs = network_backward(x, y, Ms, bs)
        dMs[0] = None  # the function has its `return`: the entry was never filled
        return dMs, dbs

    message = evaluate("network_backward", first_entry_dropped).message
    assert "`return` is missing" not in message and "never filled in" in message, message
    assert "never reaches index 0" not in message, message  # no such loop in this code

    def helper(grad):
        grad.sum(axis=0)  # the helper lacks `return`

    def db_from_helper(grad, x, M):
        dx, dM, _ = linear_backward(grad, x, M)
        return dx, dM, helper(grad)

    message = evaluate("linear_backward", db_from_helper).message
    assert "your helper `helper` has no `return`" in message, message


def test_none_from_a_function_with_a_return_is_not_called_a_forgotten_return():
    def only_for_2d(f, z, h):
        if z.ndim == 2:
            return (f(z + h) - f(z - h)) / (2 * h)

    message = evaluate("slope", only_for_2d).message
    assert "forgot" not in message and "although it has a `return`" in message, message
    assert "an `if` without `else`" in message, message


def test_yield_is_named_only_when_the_code_uses_it():
    def expression(n, batch_size, rng):
        order = rng.permutation(n)
        return (order[i : i + batch_size] for i in range(0, n, batch_size))

    def with_yield(n, batch_size, rng):
        order = rng.permutation(n)
        for i in range(0, n, batch_size):
            yield order[i : i + batch_size]

    message = evaluate("minibatches", expression).message
    assert "it uses `yield`" not in message and "generator expression" in message, message
    assert "it uses `yield`" in evaluate("minibatches", with_yield).message
    message = evaluate("sigmoid", lambda z: (1 / (1 + np.exp(-v)) for v in z)).message
    assert "returns a list" not in message and "expected an array" in message, message


def test_the_operands_of_at_are_named_only_when_the_code_has_a_product():
    def transposed_pixels(images):
        return (images.reshape(len(images), -1).T / 255).astype(np.float32)

    message = evaluate("scale_pixels", transposed_pixels).message.split("\n")[0]
    assert "@" not in message and "transposed" in message and "drop a .T" in message, message
    message = evaluate("dense_forward", lambda x, M, b: (x @ M.T + b).T).message
    assert "swap the operands of @" in message, message


def test_a_branch_is_named_only_when_the_code_has_one():
    def without_brackets(x_train, x_val, x_test):
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        return x_train - mean / std, x_val - mean / std, x_test - mean / std

    message = evaluate("normalise", without_brackets).message.split("\n")[0]
    assert "np.where" not in message and "branch" not in message, message

    def negative_side_only(z):  # right for z ≤ 0, no branch in the code
        e = np.exp(-np.abs(z))
        return e / (1 + e)

    message = evaluate("sigmoid", negative_side_only).message.split("\n")[0]
    assert "wrong where z > 0" in message and "np.where" not in message, message


def test_missing_brackets_are_named_from_the_code_and_only_if_the_numbers_agree():
    from course_utils.checks.differences import brackets
    from course_utils.checks.source import read

    x = np.array([[1.0, 4.0], [2.0, -1.0], [0.0, 3.0]])
    m, s = np.array([0.5, 1.0]), np.array([2.0, 4.0])

    def scaled(x, m, s):
        return x - m / s

    context = Context(args=(x, m, s), names=("x", "m", "s"), code=read(scaled))
    sentence = confirmed(brackets, scaled(x, m, s), (x - m) / s, context)
    assert "`x - m / s`" in sentence and "`(x - m) / s`" in sentence, sentence
    other = (x - 2 * m) / s  # another mistake than the brackets: no claim
    assert confirmed(brackets, scaled(x, m, s), other, context) is None

    def step(p, g, lr):  # p + lr * g: a wrong sign, not brackets
        return p + lr * g

    context = Context(args=(x, m, 0.1), names=("p", "g", "lr"), code=read(step))
    assert confirmed(brackets, step(x, m, 0.1), x - 0.1 * m, context) is None


def test_an_argument_is_called_unused_only_when_the_code_never_reads_it():
    def integer_division(model, x, y, batch_size=100):
        correct = 0
        for start in range(0, len(x), batch_size):
            scores = model.forward(x[start : start + batch_size])
            correct += np.sum(scores.argmax(axis=1) == y[start : start + batch_size])
        return correct // len(x)  # 0 whatever the model: not an ignored argument

    message = evaluate("evaluate_accuracy", integer_division).message
    assert "stays the same" not in message and "integer division" in message, message

    message = evaluate("best_epoch", lambda history: len(history) + 1).message
    assert "check how your function uses `history`" in message, message
    assert "never uses" not in message, message


def test_a_transformed_input_is_not_called_the_same_function_twice():
    def sigmoid_of_tanh(z):
        return sigmoid(np.tanh(z))

    message = evaluate("sigmoid", sigmoid_of_tanh).message
    assert "right answer for tanh(z)" in message and "twice" not in message, message


def test_hints_state_the_learners_numbers_and_the_right_direction():
    from course_utils.checks.nb04_backprop import linear_backward

    message = evaluate("he_init", lambda n_in, n_out, rng: rng.normal(
        0, np.sqrt(2) / n_in, (n_out, n_in))).message  # fmt: skip
    assert "The standard deviation is" not in message, message
    assert "Your standard deviation is sqrt(2) / n_in; He's is sqrt(2 / n_in)" in message

    def db_summed_over_everything(grad, x, M):
        dx, dM, db = linear_backward(grad, x, M)
        return dx, dM, float(db.sum())

    message = evaluate("linear_backward", db_summed_over_everything).message
    assert "per element" not in message and "keeps one value per column" in message, message


def test_a_sum_over_axis_0_elsewhere_is_not_blamed_for_a_broadcast_error():
    def elementwise_product(grad, x, M):
        db = grad.sum(axis=0)  # right; the error is grad * M
        return grad * M, grad.T @ x, db

    message = evaluate("linear_backward", elementwise_product).message
    assert "axis=0" not in message.split("\n")[0] and "entry by entry" in message, message


# ---------------------------------------------------------------- claims checked entry by entry


def test_a_sign_region_is_claimed_only_if_every_entry_of_that_sign_is_wrong():
    from course_utils.checks.arrays import value_problem

    def loop_one_short(x, M, b):  # row 0 (x = [1, 2]) is right: no rule about the sign of x
        out = np.zeros((len(x), len(b)))
        for i in range(len(x) - 1):
            out[i] = x[i] @ M.T + b
        return out

    message = evaluate("dense_forward", loop_one_short).message
    assert "right where" not in message and "the last row (example) is not computed" in message

    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    e = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    context = Context(args=(x,), names=("x",))
    every_positive = e + np.array([0, 0, 0, 1.0, 2.0])
    assert "right where x ≤ 0 but wrong where x > 0" in value_problem(every_positive, e, context)
    one_positive = e + np.array([0, 0, 0, 0, 2.0])  # right at x = 1
    assert "right where" not in (value_problem(one_positive, e, context) or "")


def test_the_last_row_is_blamed_on_a_range_only_if_the_code_has_one():
    def slice_one_short(x, M, b):
        out = np.zeros((len(x), len(b)))
        out[:-1] = x[:-1] @ M.T + b
        return out

    message = evaluate("dense_forward", slice_one_short).message
    assert "the last row (example) is not computed" in message and "range(" not in message


def test_the_reason_for_a_factor_2_or_100_fits_what_the_answer_is():
    from course_utils.activations import sigmoid_prime

    message = evaluate("mse_batch", lambda y_hat, y: 0.5 * np.mean((y - y_hat) ** 2)).message
    assert "factor 0.5 (or 1/2) too many" in message and "derivative" not in message, message
    message = evaluate("sigmoid_prime", lambda z: 0.5 * sigmoid_prime(z)).message
    assert "the derivative of u² is 2u" in message, message
    message = evaluate("mse_batch", lambda y_hat, y: 100 * np.mean((y - y_hat) ** 2)).message
    assert "100 times" in message and "percentage" not in message, message
    e = np.array([0.2, 0.5])
    assert "percentage" in confirmed(factor, 100 * e, e, Context(quantity="fraction"))
    assert "percentage" not in confirmed(factor, 100 * e, e, Context(quantity="cost"))


def test_a_size_is_named_only_on_inputs_that_tell_it_from_the_others():
    from course_utils.checks.backprop_network import softmax_ce_backward

    def over_classes(logits, y):  # the first input has M = 1: there M·C = C
        return softmax_ce_backward(logits, y) * len(y) / logits.shape[1]

    message = evaluate("softmax_ce_backward", over_classes).message
    assert "M·C" not in message, message
    assert "divided by C (the number of classes) instead of M (the batch size)" in message

    def over_both(logits, y):
        return softmax_ce_backward(logits, y) / logits.shape[1]

    assert "You divided by M·C" in evaluate("softmax_ce_backward", over_both).message
    e = np.array([1.0, -2.0, 3.0])
    equal = Context(sizes={"M": 2, "C": 2})  # one input where M = C: both are named
    assert "(2 = M = C)" in confirmed(factor, e / 2, e, equal)
    told_apart = Context(sizes={"M": 2, "C": 2}, others=((e / 3, e, Context(sizes={
        "M": 2, "C": 3})),))  # fmt: skip
    sentence = confirmed(factor, e / 2, e, told_apart)  # divided by C, never by M alone
    assert "C once too often" in sentence and "by M once" not in sentence, sentence
    one_example = Context(sizes={"M": 1, "C": 3}, others=((e * 4 / 3, e, Context(sizes={
        "M": 4, "C": 3})),))  # fmt: skip
    sentence = confirmed(factor, e / 3, e, one_example)
    assert "divided by C instead of M?" in sentence, sentence


def test_a_split_is_told_only_the_fix_of_the_sets_that_are_wrong():
    def val_to_n_val(n, fractions, seed):
        order = np.random.default_rng(seed).permutation(n)
        n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
        return order[:n_train], order[n_train:n_val], order[n_train + n_val :]

    message = evaluate("seeded_split", val_to_n_val).message
    assert "the test set is the rest" not in message, message  # its test set is right
    assert "the validation slice should start at n_train" in message, message

    def test_cut_short(n, fractions, seed):
        order = np.random.default_rng(seed).permutation(n)
        n_train, n_val = round(fractions[0] * n), round(fractions[1] * n)
        return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val : -1]

    message = evaluate("seeded_split", test_cut_short).message
    assert "the validation slice" not in message and "the test set is the rest" in message


def test_a_rebound_loop_variable_is_named_only_when_the_code_has_one():
    def velocities_as_given(params, grads, velocities, lr, momentum):
        return [p - lr * (momentum * v + g) for p, g, v in zip(params, grads, velocities)], (
            velocities)  # fmt: skip

    message = evaluate("momentum_update", velocities_as_given).message
    assert "exactly as it was given, unchanged" in message and "= …`" not in message, message


def test_one_example_of_the_batch_is_named_only_if_it_is_that_example():
    from course_utils.checks.nb04_backprop import linear_backward

    def second_example(grad, x, M):
        return grad @ M, grad[1:2].T @ x[1:2], grad.sum(axis=0)

    message = evaluate("linear_backward", second_example).message
    assert "example of the batch alone" not in message, message

    def twice(grad, x, M):
        dx, dM, db = linear_backward(grad, x, M)
        return dx, 2 * dM, db

    message = evaluate("linear_backward", twice).message
    assert "alone" not in message and "twice" in message, message


def test_a_return_in_the_loop_is_named_only_when_the_code_has_one():
    def breaks_after_one_batch(model, x, y, batch_size=100):
        correct = 0
        for start in range(0, len(x), batch_size):
            y_hat = model.forward(x[start : start + batch_size])
            correct += np.sum(y_hat.argmax(axis=1) == y[start : start + batch_size])
            break
        return correct / len(x)

    message = evaluate("evaluate_accuracy", breaks_after_one_batch).message
    assert "`return` is inside your loop" not in message, message
    assert "only the first 1 of the 5 batches" in message, message


def test_depth_is_not_blamed_when_a_network_of_this_depth_passed():
    """network_backward's third input is as deep as its first: an answer wrong only there
    (a softmax without the max shift, which large logits overflow) is not told that it fits
    one number of layers only."""
    reference = EXERCISES["network_backward"].reference

    def unshifted(x, y, Ms, bs):
        with np.errstate(all="ignore"):
            big = np.abs(x @ Ms[0].T).max() * np.abs(Ms[-1]).max() > 300
        if big:  # the same as the reference, except for the overflow
            return [np.full_like(M, np.nan) for M in Ms], [np.full_like(b, np.nan) for b in bs]
        return reference(x, y, Ms, bs)

    message = evaluate("network_backward", unshifted).message
    assert "Right for" not in message and "number of layers" not in message, message


def test_a_batch_size_is_called_unread_only_when_the_code_never_reads_it():
    def whole_but_reads(model, x, y, batch_size=100):
        size = max(batch_size, len(x))  # reads batch_size, then takes everything anyway
        return float(np.mean(model.forward(x[:size]).argmax(axis=1) == y))

    def whole_unread(model, x, y, batch_size=100):
        return float(np.mean(model.forward(x).argmax(axis=1) == y))

    reads = evaluate("evaluate_accuracy", whole_but_reads).message
    assert "never reads" not in reads and "the whole x" in reads, reads
    unread = evaluate("evaluate_accuracy", whole_unread).message
    assert "never reads its argument batch_size" in unread, unread


def test_a_float_count_is_named_only_when_the_answer_is_a_whole_number():
    right = EXERCISES["count_parameters"].reference
    assert evaluate("count_parameters", lambda s: int(right(s))).status == "correct"
    assert evaluate("count_parameters", lambda s: np.int64(right(s))).status == "correct"
    message = evaluate("count_parameters", lambda s: float(right(s))).message
    assert "is the float" in message, message
    epoch = evaluate("best_epoch", lambda history: float(np.argmin(history["val_loss"]) + 1))
    assert "is the float" in epoch.message, epoch.message


def test_integers_are_blamed_only_when_an_integer_input_made_them():
    """An integer result from an integer input (np.empty_like(z)) is named as such; a step
    function's 0/1 on float inputs is not blamed on integers."""
    step = evaluate("sigmoid", lambda z: np.where(np.asarray(z) >= 0, 1, 0)).message
    assert "whole numbers" not in step, step

    def empty_like(z):
        out = np.empty_like(np.asarray(z))
        e = np.exp(-np.abs(np.asarray(z, dtype=float)))
        out[...] = np.where(np.asarray(z) >= 0, 1 / (1 + e), e / (1 + e))
        return out

    message = evaluate("sigmoid", empty_like).message
    assert "The input z holds integers here" in message, message


_CALLS = []


def test_a_second_call_that_differs_is_blamed_on_what_the_code_keeps():
    """np.random only when the code draws from it; a default list or a global otherwise."""

    def global_random(n, fractions, seed):
        order = np.random.permutation(n)
        a, b = round(fractions[0] * n), round(fractions[1] * n)
        return order[:a], order[a : a + b], order[a + b :]

    def counted(z):
        _CALLS.append(1)  # a global that grows: the result depends on the number of calls
        return sigmoid(z) + 0.01 * len(_CALLS)

    def grows(z, seen=[]):  # noqa: B006
        seen.append(1)
        return sigmoid(z) + 0.01 * len(seen)

    drawn = evaluate("seeded_split", global_random).message
    assert "never np.random" in drawn, drawn
    kept = evaluate("sigmoid", counted).message
    assert "`_CALLS`, a variable outside the function" in kept and "random" not in kept, kept
    default = evaluate("sigmoid", grows).message
    assert "default argument seen" in default and "random" not in default, default


def test_float32_is_named_only_for_float64_inputs():
    """float32 in, float32 out is right; float32 out of float64 inputs is named."""
    narrowed = evaluate("dense_forward", lambda x, M, b: (x @ M.T + b).astype(np.float32))
    assert "float32 (about 7 significant digits)" in narrowed.message, narrowed.message
    dense = EXERCISES["dense_forward"]
    x, M, b = (np.asarray(a, dtype=np.float32) for a in dense.cases[0])
    outcome = call(dense, lambda x, M, b: x @ M.T + b, (x, M, b))
    assert outcome.value.dtype == np.float32 and outcome.error is None
    from course_utils.checks.values import narrowed as narrow

    assert narrow(outcome.value, dense.reference(x, M, b), (x, M, b)) is None


def test_a_constant_answer_is_not_called_capped():
    message = evaluate("softmax", lambda z: np.full(np.shape(z), 0.25)).message
    assert "cut off at" not in message, message
