# Outside the subset: lambda expressions.
x = 1
square = lambda v: v * v
print(square(x))
