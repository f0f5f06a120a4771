# TypeError raised by operations on the wrong types, each caught and its CPython message
# printed; then one left uncaught (status 1).
def attempt(k):
    if k == 0:
        return 1 + "a"
    if k == 1:
        return "a" + 1
    if k == 2:
        return [1] < 3
    if k == 3:
        return "x" * 2.0
    if k == 4:
        return len(5)
    if k == 5:
        return None + 1
    if k == 6:
        five = 5
        return five()
    if k == 7:
        return -"s"
    if k == 8:
        half = 0.5
        return (1, 2)[half]
    if k == 9:
        return 3 in 4
    return 1.5 % "x"


for k in range(11):
    try:
        attempt(k)
        print(k, "no error")
    except TypeError as e:
        print(k, "TypeError:", e)
print(1 < "2")
