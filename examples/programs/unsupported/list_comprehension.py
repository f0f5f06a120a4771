# Outside the subset: list comprehensions.
xs = [1, 2, 3]
ys = [x * 2 for x in xs]
print(ys)
