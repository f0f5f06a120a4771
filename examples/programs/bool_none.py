# Truth values: and / or return an operand and short-circuit, not, None, is / is not, bools
# as ints, chained comparisons evaluating each operand once.
calls = []


def noisy(v):
    calls.append(v)
    return v


print(1 and 2, 0 and 2, 1 or 2, 0 or 2, "" or "default", [] or None, None or 0)
print(not 0, not 1, not "", not "a", not [], not [0], not None, not 0.0, not -0.0, not (), not (0,))
r = noisy(0) and noisy(1)
r2 = noisy(2) or noisy(3)
r3 = noisy(4) and noisy(5) and noisy(0) and noisy(6)
print(r, r2, r3, calls)
calls = []
print(noisy(1) < noisy(2) < noisy(3), calls)
calls = []
print(noisy(3) < noisy(2) < noisy(1), calls)
x = None
print(x is None, x is not None, x == None, None is None)
print(True, False, True == 1, False == 0, True + 1, True * 2.5, -True, True is True)
print(True and "yes", False or "no", (True or 1 // 0), (False and 1 // 0))
b = 5 > 3
print(b, not b, b and not b, b or not b, str(b) + "!")
a = [1]
c = a
d = [1]
print(a is c, a is d, a == d, a is not d)
count = 0
for v in [0, 1, "", "x", None, [], [[]], 0.0, 2.5, (), (1,)]:
    if v:
        count += 1
print(count)
