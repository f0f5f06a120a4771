# AttributeError and NameError caught with their CPython messages, then an AttributeError from
# a missing method left uncaught: status 1.
class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


p = Point(1, 2)
try:
    print(p.z)
except AttributeError as e:
    print("AttributeError:", e)
try:
    print(missing + 1)
except NameError as e:
    print("NameError:", e)
try:
    print((5).real_part)
except AttributeError as e:
    print("AttributeError:", e)
print(p.x + p.y)
p.norm()
