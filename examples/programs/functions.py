# Functions: positional arguments, parameter defaults (evaluated once, at def time: a list
# default is shared between calls), global, functions as values, bounded recursion.
counter = 0
log = []


def bump(by=1):
    global counter
    counter += by
    return counter


def greet(name, greeting="hello", punct="!"):
    return greeting + ", " + name + punct


def remember(x, seen=[]):
    seen.append(x)
    return len(seen)


def apply_twice(fn, x):
    return fn(fn(x))


def double(x):
    return x * 2


def gcd(a, b):
    while b != 0:
        a, b = b, a % b
    return a


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def set_log(value):
    global log
    log = [value]


def no_return():
    x = 1


print(bump(), bump(5), bump(), counter)
print(greet("ada"), greet("bob", "hi"), greet("cy", "yo", "?"))
print(remember(1), remember(2), remember(3))
print(apply_twice(double, 5), apply_twice(greet, "x"))
print(gcd(1071, 462), gcd(2 ** 64, 6 ** 20), ackermann(2, 3))
f = gcd
print(f(12, 18), no_return(), no_return() is None)
set_log("new")
print(log)
total = 0
for k in range(1, 6):
    total += bump(k)
print(total, counter)
