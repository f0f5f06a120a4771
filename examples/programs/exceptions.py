# Exceptions: raise and try / except with a name, with `as e`, bare except, several handlers,
# user subclasses of the builtin exceptions matched through their bases, exceptions crossing
# function calls, and the messages of the errors the builtins raise.
class AppError(Exception):
    pass


class ParseError(AppError):
    def __init__(self, line, msg):
        Exception.__init__(self, msg)
        self.line = line


class Abstract(NotImplementedError):
    pass


class MyIndexError(IndexError):
    pass


def parse(text):
    if len(text) == 0:
        raise ParseError(1, "empty input")
    if text[0] == "!":
        raise AppError("bang")
    return len(text)


for text in ["abc", "", "!x"]:
    try:
        print("parsed", parse(text))
    except ParseError as e:
        print("ParseError at line", e.line, ":", e)
    except AppError as e:
        print("AppError:", e)

try:
    raise Abstract("subclass me")
except NotImplementedError as e:
    print("caught via base:", e, isinstance(e, Abstract), isinstance(e, Exception))

try:
    raise MyIndexError("mine")
except ZeroDivisionError:
    print("wrong handler")
except IndexError as e:
    print("IndexError handler:", e)

def risky(k):
    if k == 0:
        return 1 // k
    if k == 1:
        return [1, 2][5]
    if k == 2:
        return "abc"[10]
    if k == 3:
        return (1,)[-2]
    if k == 4:
        return [].pop()
    if k == 5:
        return 1.5 / 0
    if k == 6:
        return 3 % 0
    if k == 7:
        return 2.0 // 0.0
    if k == 8:
        return 1 / 0
    if k == 9:
        return 5.0 % 0
    return undefined_name


for k in range(11):
    try:
        risky(k)
    except ZeroDivisionError as e:
        print(k, "ZeroDivisionError:", e)
    except IndexError as e:
        print(k, "IndexError:", e)
    except NameError as e:
        print(k, "NameError:", e)

try:
    raise Exception()
except:
    print("bare except")

try:
    raise Exception
except Exception as e:
    print("raised a class:", str(e) == "", e)

try:
    raise AppError(42)
except Exception as e:
    print("int argument:", e)

depth = 0
def nested(n):
    global depth
    depth = n
    if n == 0:
        raise AppError("bottom")
    nested(n - 1)

try:
    nested(5)
except AppError as e:
    print("unwound from depth", depth, e)

try:
    try:
        raise ParseError(7, "inner")
    except ZeroDivisionError:
        print("no")
except AppError as e:
    print("outer handler", e.line)
print("done")
