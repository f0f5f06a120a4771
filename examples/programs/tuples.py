# Tuples: literals, the singleton's repr, indexing, len, in, tuple assignment and swaps,
# nested tuples, tuples as return values, comparisons.
t = (1, 2, 3)
u = (4,)
e = ()
print(t, u, e, len(t), len(u), len(e), t[0], t[-1], 2 in t, 5 in t)
a, b = 1, 2
a, b = b, a
print(a, b)
x, y, z = t
print(x + y + z)
p, q = (10, (20, 30))
print(p, q, q[1])
def divmod_floor(n, d):
    return (n // d, n % d)
print(divmod_floor(17, 5), divmod_floor(-17, 5))
qq, rr = divmod_floor(100, 7)
print(qq, rr)
pairs = [(1, "one"), (2, "two"), (3, "three")]
for pair in pairs:
    n, name = pair
    print(n, name)
print((1, 2) == (1, 2), (1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 9), t is t)
nested = ((1, 2), (3, (4, 5)), "s", (None,), ((),))
print(nested, nested[1][1][0], len(nested))
i, j = 0, 10
while i < j:
    i, j = i + 1, j - 1
print(i, j)
for ch in ("a", "b"):
    print(ch)
