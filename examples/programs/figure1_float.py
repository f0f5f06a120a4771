# The seed paper's Figure 1 and its function f, verbatim, run on BoxedFloats and on mixed
# additions (BoxedInteger + BoxedFloat promotes to BoxedFloat).
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
res = f(BoxedFloat(n + 0.5))
elapsed = time.perf_counter() - t0
print(res.floatval)
print(f(BoxedFloat(0.25)).floatval, f(BoxedFloat(-1.0)).intval, f(BoxedFloat(3.75)).floatval)
mixed = BoxedInteger(7).add(BoxedFloat(0.1))
print(mixed.floatval, isinstance(mixed, BoxedFloat))
mixed = BoxedFloat(0.1).add(BoxedInteger(7))
print(mixed.floatval)
print(BoxedFloat(0.1).add(BoxedFloat(0.2)).floatval)
print(BoxedFloat(-0.0).is_positive(), BoxedFloat(1e-300).is_positive())
total = BoxedInteger(0)
for k in range(10):
    if k % 2 == 0:
        total = total.add(BoxedInteger(k))
    else:
        total = total.add(BoxedFloat(k / 3))
print(total.floatval)
if len(sys.argv) > 2:
    print("elapsed", elapsed)
