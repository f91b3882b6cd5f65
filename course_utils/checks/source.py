"""What the learner's code contains, so that a hint names only what is really there.

read(function) returns a Code: whether the code uses `yield`, a matrix product (@, np.dot,
np.matmul), a branch (np.where, `if`, a boolean mask), a .T or a reshape; which parameters it
reads; whether it has a `return` with a value; the helpers it calls that have none; the
global variables it reads; formulas without brackets such as `x - mean / std`; reductions
over axis=0; a loop whose range never reaches index 0, or stops one short (range(n - 1));
a loop variable its loop assigns to (`for v in vs: v = …`). The bytecode tells what any
Python function (a lambda too) uses; the source (ast) tells the rest when it can be read.
The sentences at the end name a cause only if the Code shows it. Nothing here may raise: a
function without code (a built-in) gives an empty Code.
"""

import ast
import dis
import inspect
import textwrap
import types
from dataclasses import dataclass

from .structure import definition, own_nodes

REDUCTIONS = {"argmax", "argmin", "max", "min", "sum", "mean"}
BRANCH_CALLS = {"where", "select", "piecewise"}


@dataclass
class Code:
    """What read() found in a function's code; the defaults mean "not there, or unknown"."""

    known: bool = False  # the bytecode was read
    parsed: bool = False  # the source was read too
    params: tuple = ()  # the learner's parameter names
    used: frozenset = frozenset()  # the local names the code reads (a parameter never read?)
    yields: bool = False
    matmul: bool = False
    transpose: bool = False
    reshape: bool = False
    branches: tuple = ()  # "np.where", "an `if`", "a boolean mask"
    value_return: bool = None  # a `return <value>` (None: unknown)
    silent_helpers: tuple = ()  # the learner's helpers it calls that have no `return` value
    global_data: tuple = ()  # global variables (not functions or modules) it reads
    unbracketed: tuple = ()  # Formulas such as `x - mean / std`
    axis0: tuple = ()  # (function name, text) of reductions over axis=0
    never_zero: str = ""  # a sentence: a loop whose range never reaches index 0
    one_short: tuple = ()  # (the range, the range without its − 1): range(len(x) - 1)
    rebound: tuple = ()  # the loop variables a loop's body assigns to (`for v in vs: v = …`)


@dataclass(frozen=True)
class Formula:
    """A formula written without brackets, `a - b / c`, whose a is a parameter."""

    text: str  # "x - mean / std"
    fixed: str  # "(x - mean) / std"
    only: str  # "mean", what the / or * applies to alone
    op: str  # "/" or "*"
    params: frozenset  # the parameters a stands for


def code_objects(code):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from code_objects(const)


def instructions(function):
    try:
        return [i for code in code_objects(function.__code__) for i in dis.get_instructions(code)]
    except Exception:
        return []


def is_matmul(instruction):
    if instruction.opname in ("BINARY_MATRIX_MULTIPLY", "INPLACE_MATRIX_MULTIPLY"):
        return True
    return instruction.opname == "BINARY_OP" and instruction.argrepr in ("@", "@=")


def own_function(value, function):
    """A plain Python function the learner wrote (not numpy's, not the course's)."""
    module = (getattr(value, "__module__", None) or "").split(".")[0]
    return inspect.isfunction(value) and value is not function and module not in (
        "numpy", "course_utils")  # fmt: skip


def outer(function):
    """The variables of the enclosing functions the function reads (a helper defined there)."""
    try:
        return dict(inspect.getclosurevars(function).nonlocals)
    except Exception:
        return {}


def returns_value(tree):
    """True if the def (or lambda) gives back a value somewhere."""
    if isinstance(tree, ast.Lambda):
        return not (isinstance(tree.body, ast.Constant) and tree.body.value is None)
    kinds = ast.Return | ast.Yield | ast.YieldFrom
    values = [n.value for n in own_nodes(tree) if isinstance(n, kinds) and n.value is not None]
    return any(not (isinstance(v, ast.Constant) and v.value is None) for v in values)


def lambda_tree(function):
    """(the ast of a lambda, its source), if the lambda can be found alone in its line(s)."""
    try:
        text = textwrap.dedent(inspect.getsource(function))
        tree = ast.parse(text)
    except Exception:
        return None, ""
    code = function.__code__
    wanted = list(code.co_varnames[: code.co_argcount])
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Lambda)
             and [a.arg for a in n.args.args] == wanted]  # fmt: skip
    return (found[0], text) if len(found) == 1 else (None, "")


def tree_of(function):
    """(the ast of the function's def or lambda, the source text it was parsed from)."""
    if getattr(function, "__name__", "") == "<lambda>":
        return lambda_tree(function)
    tree = definition(function)
    if tree is None:
        return None, ""
    try:
        return tree, textwrap.dedent(inspect.getsource(function))
    except Exception:
        return None, ""


def segment(text, node):
    try:
        return " ".join((ast.get_source_segment(text, node) or ast.unparse(node)).split())
    except Exception:
        return ast.unparse(node)


def bracketed(text, node):
    """True if the node is written inside its own ( ) in the source."""
    lines = text.splitlines(keepends=True)
    try:
        before = "".join(lines[: node.lineno - 1]) + lines[node.lineno - 1][: node.col_offset]
    except Exception:
        return True
    return before.rstrip().endswith("(")


def aliases(tree):
    """{name: the parameters it stands for}: each parameter, and a loop variable that runs
    over a tuple or list of parameters (for x in (x_train, x_val, x_test))."""
    params = {a.arg for a in tree.args.args}
    found = {p: {p} for p in params}
    loops = [n for n in ast.walk(tree) if isinstance(n, ast.For | ast.comprehension)]
    for loop in loops:
        if isinstance(loop.target, ast.Name) and isinstance(loop.iter, ast.Tuple | ast.List):
            items = {e.id for e in loop.iter.elts if isinstance(e, ast.Name)} & params
            if items:
                found.setdefault(loop.target.id, set()).update(items)
    return found


def unbracketed(tree, text):
    """A Formula for each `a - b / c` (or +, *) whose a is a parameter (or stands for one)."""
    names = aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)):
            continue
        right = node.right
        if not (isinstance(right, ast.BinOp) and isinstance(right.op, ast.Div | ast.Mult)):
            continue
        if not isinstance(node.left, ast.Name) or node.left.id not in names:
            continue
        if bracketed(text, right):
            continue
        a, b, c = (segment(text, n) for n in (node.left, right.left, right.right))
        plus = "+" if isinstance(node.op, ast.Add) else "-"
        times = "/" if isinstance(right.op, ast.Div) else "*"
        found.append(Formula(f"{a} {plus} {b} {times} {c}", f"({a} {plus} {b}) {times} {c}",
                             b, times, frozenset(names[node.left.id])))  # fmt: skip
    return tuple(found)


def axis0_calls(tree, text=""):
    """(function name, text) of each argmax/max/sum/… over axis=0 in the tree."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in REDUCTIONS:
            continue
        module = isinstance(func, ast.Attribute) and segment(text, func.value) in ("np", "numpy")
        position = 1 if module or isinstance(func, ast.Name) else 0
        axis = [k.value for k in node.keywords if k.arg == "axis"]
        axis += [node.args[position]] if len(node.args) > position else []
        if any(isinstance(a, ast.Constant) and a.value == 0 for a in axis):
            found.append((name, segment(text, node) if text else ast.unparse(node)))
    return tuple(found)


def never_zero(tree, text):
    """A sentence for a loop over range(start, 0, -1), which stops at 1, or over range(1, …)
    (or reversed(range(1, …))), which starts at 1: either never reaches index 0."""
    for node in ast.walk(tree):
        loop = node.iter if isinstance(node, ast.For | ast.comprehension) else None
        if isinstance(loop, ast.Call) and getattr(loop.func, "id", "") == "reversed" and loop.args:
            loop = loop.args[0]
        if not (isinstance(loop, ast.Call) and getattr(loop.func, "id", "") == "range"):
            continue
        try:
            numbers = [ast.literal_eval(a) if isinstance(a, ast.Constant | ast.UnaryOp) else None
                       for a in loop.args]  # fmt: skip
        except ValueError:
            continue
        written = segment(text, loop)
        if len(numbers) == 3 and numbers[1] == 0 and (numbers[2] or 0) < 0:
            start = segment(text, loop.args[0])
            top = start[: -len(" - 1")] if start.endswith(" - 1") else f"{start} + 1"
            return (
                f"your loop over {written} never reaches index 0: it stops at 1 (a range leaves "
                f"out its stop). Use range({start}, -1, {segment(text, loop.args[2])}) or "
                f"reversed(range({top}))."
            )
        if len(numbers) >= 2 and numbers[0] == 1 and (len(numbers) == 2 or (numbers[2] or 0) > 0):
            return (
                f"your loop over {written} starts at 1, so it never reaches index 0 (Python "
                "counts from 0): start the range at 0."
            )
    return ""


def one_short(tree, text):
    """(written, fixed) for a loop over range(… - 1), e.g. ('range(len(x) - 1)',
    'range(len(x))'): it stops one before the end, or ()."""
    for node in ast.walk(tree):
        loop = node.iter if isinstance(node, ast.For | ast.comprehension) else None
        if not (isinstance(loop, ast.Call) and getattr(loop.func, "id", "") == "range"):
            continue
        stop = loop.args[1] if len(loop.args) >= 2 else (loop.args or [None])[0]
        if isinstance(stop, ast.BinOp) and isinstance(stop.op, ast.Sub):
            if isinstance(stop.right, ast.Constant) and stop.right.value == 1:
                written, end = segment(text, loop), segment(text, stop.left)
                fixed = f"range({end})" if len(loop.args) == 1 else (
                    f"range({segment(text, loop.args[0])}, {end})")  # fmt: skip
                return written, fixed
    return ()


def rebound(tree):
    """The names of loop variables the loop's body assigns to: `for v in vs: v = …` gives
    the name v a new value and leaves the list vs as it was."""
    found = []
    for loop in (n for n in ast.walk(tree) if isinstance(n, ast.For)):
        names = {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
        for node in (n for statement in loop.body for n in ast.walk(statement)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if (
                isinstance(node, ast.AugAssign | ast.AnnAssign)) else []  # fmt: skip
            found += [t.id for t in targets if isinstance(t, ast.Name) and t.id in names]
    return tuple(dict.fromkeys(found))


def branches(tree, names):
    """How the code chooses between values: np.where, an `if`, a boolean mask."""
    found = []
    if names & BRANCH_CALLS:
        found.append("np.where")
    if tree is None:
        return tuple(found)
    nodes = list(ast.walk(tree))
    if any(isinstance(n, ast.If | ast.IfExp) for n in nodes):
        found.append("an `if`")
    masks = {t.id for n in nodes if isinstance(n, ast.Assign)
             and isinstance(n.value, ast.Compare | ast.BoolOp) for t in n.targets
             if isinstance(t, ast.Name)}  # fmt: skip
    for n in nodes:
        targets = n.targets if isinstance(n, ast.Assign) else [getattr(n, "target", None)]
        for t in targets:
            if isinstance(t, ast.Subscript) and any(
                isinstance(s, ast.Compare) or (isinstance(s, ast.Name) and s.id in masks)
                for s in ast.walk(t.slice)
            ):
                found.append("a boolean mask")
    return tuple(dict.fromkeys(found))


def read(function):
    """The Code of function (see the docstring); an empty Code if it has none."""
    steps = instructions(function)
    if not steps:
        return Code()
    try:
        names = {
            i.argval
            for i in steps
            if isinstance(i.argval, str)
            and "NAME" not in i.opname
            and ("ATTR" in i.opname or "GLOBAL" in i.opname or "METHOD" in i.opname)
        }
        scope = {**getattr(function, "__globals__", {}), **outer(function)}
        free = function.__code__.co_freevars  # a LOAD_DEREF may also read a local
        outside = [i.argval for i in steps if i.opname == "LOAD_GLOBAL"
                   or (i.opname == "LOAD_DEREF" and i.argval in free)]  # fmt: skip
        values = {name: scope[name] for name in outside if name in scope}
        code = Code(
            known=True,
            params=tuple(inspect.signature(function).parameters),
            used=frozenset(i.argval for i in steps if i.opname in (
                "LOAD_FAST", "LOAD_DEREF", "LOAD_CLOSURE", "LOAD_FAST_CHECK", "LOAD_NAME")),
            yields=inspect.isgeneratorfunction(function),
            matmul=any(is_matmul(i) for i in steps) or bool(names & {"dot", "matmul"}),
            transpose=bool(names & {"T", "transpose", "swapaxes"}),
            reshape="reshape" in names,
            silent_helpers=tuple(n for n, v in values.items() if own_function(v, function)
                                 and definition(v) and not returns_value(definition(v))),
            global_data=tuple(n for n, v in values.items() if not callable(v)
                              and not isinstance(v, types.ModuleType)),
        )  # fmt: skip
        tree, text = tree_of(function)
        code.branches = branches(tree, names)
        if tree is not None:
            code.parsed = True
            code.value_return = returns_value(tree)
            code.unbracketed = unbracketed(tree, text)
            code.axis0 = axis0_calls(tree, text)
            code.never_zero = never_zero(tree, text)
            code.one_short = one_short(tree, text)
            code.rebound = rebound(tree)
        return code
    except Exception:
        return Code()


# ---------------------------------------------------------------- sentences that need the code


def layout_fix(code, shape):
    """How to fix a transposed result, naming only what the code contains."""
    if code is None:
        return "swap the operands of @ or drop a .T"
    fixes = ["swap the operands of @"] if code.matmul else []
    fixes += ["drop a .T"] if code.transpose else []
    if code.reshape and not fixes:
        fixes.append(f"reshape to the result's shape {shape} directly (rows first)")
    return " or ".join(fixes) or f"build the array with its sizes in the order {shape}"


def generator_sentence(code, subject="Your function", expected="a Python list"):
    """A generator was returned: `yield` is named only if the code has it."""
    how = "it uses `yield`" if code is not None and code.yields else (
        "a generator expression (… for …) or `yield`")  # fmt: skip
    if subject != "Your function":
        return (f"{subject} is a generator ({how}), expected {expected}: build the value itself "
                "(a slice, an array, or a list with [… for …]).")  # fmt: skip
    if not expected.startswith("a Python list"):
        return (
            f"Your function returns a generator ({how}), expected {expected}: compute it with "
            "array operations (or np.array([… for …]) with square brackets)."
        )
    return (
        f"Your function returns a generator ({how}): fine in a for loop, but this exercise "
        "returns a list; build the list and `return` it (square brackets [… for …], or "
        "return list(...))."
    )


def none_sentence(code, subject, index=None):
    """'dMs[0] is None: …' for item `index` of a list, blaming only what the code shows."""
    if code is not None and index == 0 and code.never_zero:
        return f"{subject} is None, never filled in: {code.never_zero}"
    if code is not None and code.silent_helpers:
        helper = code.silent_helpers[0]
        return f"{subject} is None: your helper `{helper}` has no `return`, so it gives None."
    return (
        f"{subject} is None: it was never filled in (an entry left at None, a loop that "
        "skips it, or the value of a call that returns nothing)."
    )


def returned_none(code, default):
    """Why the whole function returned None; `default` blames a forgotten `return`."""
    if code is None or code.value_return is not True:
        return default
    helper = code.silent_helpers[0] if code.silent_helpers else ""
    why = f" Your helper `{helper}` has no `return`: it gives None." if helper else ""
    path = " (an `if` without `else`?)" if "an `if`" in code.branches else ""
    return (
        "Your function returned None for this input, although it has a `return`: a path "
        f"through it ends without reaching one{path}, or the value it returns is None "
        "(print(), list.sort() and .append() give None)." + why
    )
