# Outside the subset: slices.
s = "hello"
print(s[1:3])
