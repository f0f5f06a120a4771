# An uncaught exception ends the program with status 1 after what was printed so far; the
# last stderr line is CPython's: "ZeroDivisionError: integer division or modulo by zero".
def average(xs):
    total = 0
    for x in xs:
        total += x
    return total // len(xs)


print(average([1, 2, 3, 4]))
print(average([10]))
print(average([]))
print("never printed")
