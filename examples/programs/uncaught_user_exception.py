# A user subclass of a builtin exception, raised and not caught: status 1, and the last stderr
# line names the class (no module prefix for classes of the main program) and its message.
class ValidationError(Exception):
    pass


class RangeError(ValidationError):
    pass


def check(v):
    if v > 100:
        raise RangeError("value " + str(v) + " out of range")
    return v


total = 0
for v in [5, 50, 99, 100, 101, 7]:
    total += check(v)
    print("ok", v, total)
