# The builtins of the subset: print (several arguments, no arguments), range, len, abs, min,
# max (arguments or one list), int, float, str, isinstance, list.append, list.pop.
print()
print("a", 1, 2.5, None, True, [1], (2,))
print(len("abc"), len([1, 2]), len((1, 2, 3)), len(""), len([]))
print(abs(-3), abs(3.5), abs(-0.0), abs(True), abs(-(2 ** 70)))
print(min(3, 1, 2), max(3, 1, 2), min([4, 2, 8]), max([4, 2, 8]), min("b", "a"), max((1, 5), (1, 7)))
print(min(2, 2.0), max(2.0, 2), min(-1, -1.5), max("abc", "abd"), min([[1, 2], [1]]))
print(int(7), int(-7.9), int("-0"), int("  12  "), int(False), float(3), float("1.25"), float(" -inf "))
print(str(1), str(1.0), str(-0.0), str(None), str("x"), str([1, "x"]), str((1.5,)))
for i in range(3):
    print("r", i)
xs = []
for i in range(5):
    xs.append(i * i)
print(xs.pop(), xs.pop(0), xs.pop(-2), xs)
print(isinstance(1, int), isinstance(1.0, int), isinstance("", str), isinstance(1.0, float))
