# Float ** and math.sin / math.cos in hot loops: int and float bases and exponents, results near
# the float range's ends, infinities and nan, and after warm-up the cases that raise as CPython
# does (0.0 to a negative power, overflow, sin of an infinity).
# argv: [n] (the loops' length)
import sys
import math


def powers(n):
    total = 0.0
    for i in range(1, n):
        total = total + (i * 0.5) ** -1.5 + (i % 7) ** 0.5 + 2 ** ((i % 1000) * 0.01) + (-1.5) ** (i % 5)
    return total


def trig(n):
    total = 0.0
    for i in range(n):
        total = total + math.sin(i * 0.1) * math.cos(i) - math.cos(i * 1e5) + math.sin(-i)
    return total


def power_table(xs, y):
    out = []
    for x in xs:
        out.append(x ** y)
    return out


def sines(xs):
    out = []
    for x in xs:
        out.append(math.sin(x) + math.cos(x))
    return out


def count_until_raise(xs, y):
    count = 0
    for x in xs:
        r = x ** y
        count = count + 1
    return count


def count_sines(xs):
    count = 0
    for x in xs:
        r = math.sin(x)
        count = count + 1
    return count


def total_of(xs):
    t = 0.0
    for x in xs:
        t = t + x
    return t


def tail(xs, k):
    out = []
    for i in range(len(xs) - k, len(xs)):
        out.append(xs[i])
    return out


n = 1000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
print(powers(n))
print(trig(n))
ramp = []
for k in range(300):
    ramp.append(k * 0.75 + 0.125)
print(total_of(power_table(ramp, 2.5)), total_of(power_table(ramp, -0.5)), power_table([0.0, -0.0, 4.0], 0.5))
print(tail(power_table([1.0e300] * 300 + [1.0e-300], 1.0), 2), tail(power_table([2.0] * 300 + [0.5], 1023.5), 2))
print(tail(power_table([1.5] * 300 + [float('inf'), float('-inf'), float('nan'), -0.0, 0.0], 3.0), 5))
print(tail(power_table([1.5] * 300 + [float('inf'), float('nan'), 1.0], -2.0), 3))
print(total_of(sines(ramp)), tail(sines([0.5] * 300 + [float('nan'), -0.0, 1e22, 5e-324]), 4))
try:
    print(count_until_raise([3.0] * 300 + [0.0], -1.0))
except ZeroDivisionError as e:
    print('ZeroDivisionError:', e)
try:
    print(count_until_raise([10.0] * 300 + [1e200], 2.0))
except OverflowError as e:
    print('OverflowError:', e)
try:
    print(count_sines([0.25] * 300 + [float('-inf')]))
except ValueError as e:
    print('ValueError:', e)
print(count_sines([0.25] * 300 + [float('nan')]))
