"""What the learner's code looks like: a few slips that show in its structure.

facts(function) reads the function's source (with inspect and ast) and returns the slips it
finds, as {key: sentence}:

    "return in loop"   a `return` directly inside a `for`/`while` loop: the function returns
                       during the loop's first pass
    "input in loop"    a loop that computes its running value from the input x in every pass
                       (o = phi(x @ M.T + b)) instead of from the previous pass's value
    "loop from 1"      a loop over range(1, …) or Ms[1:], which skips index 0
    "no loop"          fixed positions of a list argument (Ms[0], Ms[-1]) and no loop at all

The checks use a fact only as a hint next to what the answer does (it fails for a deeper
network, it stops after one item), never alone. Nothing here may raise: a function without
source (typed in a console, a lambda, a built-in) has no facts.
"""

import ast
import inspect
import textwrap

LOOPS = (ast.For, ast.While, ast.AsyncFor)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
NESTED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def definition(function):
    """The ast of function's `def`, or None (no source, a lambda, or source that fails to parse)."""
    try:
        name = function.__name__
        if name == "<lambda>":
            return None
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except Exception:
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == name:
            return node
    return None


def own_nodes(node):
    """Every node of a function's body, without those of functions defined inside it."""
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, NESTED):
            yield child
            yield from own_nodes(child)


def names_in(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def return_in_loop(tree):
    """(a `return` sits directly in a loop's body, every `return` of the function does)."""
    nodes = list(own_nodes(tree))
    returns = [n for n in nodes if isinstance(n, ast.Return)]
    in_loops = [s for loop in nodes if isinstance(loop, LOOPS) for s in loop.body
                if isinstance(s, ast.Return)]  # fmt: skip
    return bool(in_loops), bool(in_loops) and len(in_loops) == len(returns)


def starts_at_one(node):
    """range(1, …) or a slice [1:…] (as in zip(Ms[1:], bs[1:]))."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
        first = node.args[0] if len(node.args) >= 2 else None
        return isinstance(first, ast.Constant) and first.value == 1
    if isinstance(node, ast.Slice):
        return isinstance(node.lower, ast.Constant) and node.lower.value == 1
    return False


def loop_from_one(tree):
    """A `for` loop over range(1, …) or over slices from 1, which skip index 0."""
    loops = [n for n in own_nodes(tree) if isinstance(n, ast.For)]
    return any(starts_at_one(n) for loop in loops for n in ast.walk(loop.iter))


def input_in_loop(tree):
    """(the running name, the input's name) if a loop sets it from the input in every pass."""
    params = [a.arg for a in tree.args.args]
    if not params:
        return None
    x = params[0]
    for loop in own_nodes(tree):
        if not isinstance(loop, ast.For) or x in names_in(loop.iter):
            continue
        for statement in loop.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                if isinstance(target, ast.Name) and target.id != x:
                    used = names_in(statement.value)
                    if x in used and target.id not in used:
                        return target.id, x
    return None


def fixed_positions(tree):
    """The fixed positions like Ms[0], Ms[-1] of list arguments, if the code has no loop."""
    nodes = list(own_nodes(tree))
    if any(isinstance(n, LOOPS + COMPREHENSIONS) for n in nodes):
        return []
    params = {a.arg for a in tree.args.args}
    found = []
    for node in nodes:
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
            if node.value.id in params:
                try:
                    index = ast.literal_eval(node.slice)
                except Exception:
                    continue
                if isinstance(index, int):
                    text = f"{node.value.id}[{index}]"
                    found += [text] if text not in found else []
    return found if len(found) >= 2 else []


def facts(function, first_pass=""):
    """{key: sentence} for each slip in the structure of function's code (see the docstring).

    first_pass: what one pass of the exercise's main loop does, e.g. "only the first
    parameter is updated", to say what a `return` inside the loop leaves."""
    tree = definition(function)
    if tree is None:
        return {}
    found = {}
    try:
        inside, only = return_in_loop(tree)
        if inside:
            what = f": {first_pass}" if first_pass else ""
            found["return in loop"] = (
                "`return` is inside your loop, so the function returns during the loop's first "
                f"pass{what}. Move `return` after the loop (one indentation level less)."
            )
            if only:
                found["only return in loop"] = (
                    "Your function returned None: its `return` is inside the loop, and the "
                    "loop does not run at all for this input, so the function ends without "
                    "returning anything. Move `return` after the loop (one indentation level "
                    "less)."
                )
        running = input_in_loop(tree)
        if running:
            o, x = running
            found["input in loop"] = (
                f"In every pass of your loop, `{o}` is computed from `{x}`, the function's input, "
                f"not from the previous pass's `{o}`: each layer must take the output of the "
                f"layer before it (`{o} = … {o} …`)."
            )
        if loop_from_one(tree):
            found["loop from 1"] = (
                "Your loop starts at 1 (range(1, …) or a slice [1:…]): does it skip index 0, "
                "the first layer? Python counts from 0."
            )
        fixed = fixed_positions(tree)
        if fixed:
            found["no loop"] = (
                f"Your code has no loop: it uses fixed positions ({', '.join(fixed[:4])}), so it "
                "fits one number of layers only. Loop over the layers (e.g. for M, b in "
                "zip(Ms, bs)) so that any depth works."
            )
    except Exception:
        return found
    return found
