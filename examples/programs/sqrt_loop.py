# math.sqrt in hot loops: floats near 0 (subnormals, -0.0), large values, inf and nan, ints
# (converted to float first), and a negative after warm-up, which raises ValueError as CPython does.
# argv: [n] (the int and range loops' length; the float tables stay as they are)
import sys
import math


def root_sum(xs):
    total = 0.0
    last = 0.0
    for x in xs:
        last = math.sqrt(x)
        total = total + last
    return total, last


def int_roots(n):
    total = 0.0
    for i in range(n):
        total = total + math.sqrt(i * i + i)
    return total


def first_bad(xs):
    count = 0
    for x in xs:
        r = math.sqrt(x)
        count = count + 1
    return count


def floats(n, step):
    out = []
    for k in range(n):
        out.append(step * k)
    return out


small = []
for k in range(300):
    small.append(5e-324 * (k + 1))
    small.append(1e-300 / (k + 1))
print(root_sum(small))
large = []
for k in range(300):
    large.append(1.7976931348623157e308 / (k + 1))
    large.append(float(k) * 1e200 + 0.5)
print(root_sum(large))
print(root_sum([2.0, 3.0, -0.0, 0.0, 0.1, 1e-10] * 100))
print(repr(math.sqrt(-0.0)), root_sum([-0.0] * 50))
print(root_sum([1.5] * 100 + [float('inf')]))
print(root_sum([1.5] * 100 + [float('nan')]))
n = 1000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
print(int_roots(n))
print(root_sum(list(range(n // 2))))
xs = floats(400, 0.25) + [-1e-300] + [1.0] * 10
try:
    first_bad(xs)
except ValueError as e:
    print('ValueError:', e)
ys = floats(400, 1.0) + [-0.0, -5.0]
try:
    print(first_bad(ys))
except ValueError as e:
    print('ValueError:', e)
print(first_bad(floats(400, 1.0) + [-0.0, float('nan'), float('-nan')]))
try:
    print(first_bad(floats(400, 1.0) + [float('-inf')]))
except ValueError as e:
    print('ValueError:', e)
try:
    print(first_bad(list(range(400)) + [-1]))
except ValueError as e:
    print('ValueError:', e)
