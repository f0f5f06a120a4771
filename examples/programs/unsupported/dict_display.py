# Outside the subset: dict displays.
d = {"a": 1}
print(d)
