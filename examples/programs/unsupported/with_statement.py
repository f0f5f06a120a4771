# Outside the subset: with statements.
def f():
    with open("x") as fh:
        return fh
