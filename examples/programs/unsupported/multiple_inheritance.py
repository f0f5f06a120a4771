# Outside the subset: multiple inheritance.
class A:
    pass


class B:
    pass


class C(A, B):
    pass
