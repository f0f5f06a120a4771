# The seed paper's Figure 1 and its function f, verbatim, run on BoxedIntegers (the path
# of the paper's Figure 2 trace). The bench runs it with argv: N [timing].
import sys
import time

class Base(object):
    def add(self, other):
        """ add self to other """
        raise NotImplementedError("abstract base")
    def add__int(self, intother):
        """ add intother to self,
            where intother is an integer """
        raise NotImplementedError("abstract base")
    def add__float(self, floatother):
        """ add floatother to self,
            where floatother is a float """
        raise NotImplementedError("abstract base")
    def is_positive(self):
        """ returns whether self is positive """
        raise NotImplementedError("abstract base")
class BoxedInteger(Base):
    def __init__(self, intval):
        self.intval = intval
    def add(self, other):
        return other.add__int(self.intval)
    def add__int(self, intother):
        return BoxedInteger(intother + self.intval)
    def add__float(self, floatother):
        floatvalue = floatother + float(self.intval)
        return BoxedFloat(floatvalue)
    def is_positive(self):
        return self.intval > 0
class BoxedFloat(Base):
    def __init__(self, floatval):
        self.floatval = floatval
    def add(self, other):
        return other.add__float(self.floatval)
    def add__int(self, intother):
        floatvalue = float(intother) + self.floatval
        return BoxedFloat(floatvalue)
    def add__float(self, floatother):
        return BoxedFloat(floatother + self.floatval)
    def is_positive(self):
        return self.floatval > 0.0

def f(y):
    res = BoxedInteger(0)
    while y.is_positive():
        res = res.add(y).add(BoxedInteger(-100))
        y = y.add(BoxedInteger(-1))
    return res

n = 1000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
res = f(BoxedInteger(n))
elapsed = time.perf_counter() - t0
print(res.intval)
print(f(BoxedInteger(0)).intval, f(BoxedInteger(-5)).intval, f(BoxedInteger(1)).intval)
print(isinstance(res, BoxedInteger), isinstance(res, Base), res.is_positive())
try:
    Base().add(res)
except NotImplementedError as e:
    print("NotImplementedError:", e)
if len(sys.argv) > 2:
    print("elapsed", elapsed)
