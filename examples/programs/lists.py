# Lists: literals, append, pop (last and by index), item assignment, negative indices, len,
# in, iteration, nesting, aliasing (is), equality and ordering, printing.
a = [3, 1, 4, 1, 5, 9, 2, 6]
print(a, len(a), a[0], a[-1], a[-8], 4 in a, 7 in a, 7 not in a)
a.append(5)
a[1] = 10
a[-2] += 100
print(a, a.pop(), a.pop(0), a)
b = a
b.append(-1)
print(a is b, a == b, a is not [3], len(a), a)
c = []
for x in a:
    if x % 2 == 0:
        c.append(x * x)
print(c, [] == [], [1, 2] == [1, 2], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], [2] > [1, 9])
grid = []
for i in range(3):
    row = []
    for j in range(4):
        row.append(i * 4 + j)
    grid.append(row)
print(grid, grid[2][3], grid[-1][-4])
grid[1][2] = "x"
print(grid[1], [grid[0], [None, True, 1.5, "s"]])
stack = [1]
total = 0
while len(stack) > 0:
    top = stack.pop()
    total += top
    if top < 20:
        stack.append(top * 2)
        stack.append(top * 3)
print(total)
empty = []
print(empty, len(empty), not empty, not [0], [[]], [()], [[], [[]]])
