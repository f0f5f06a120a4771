# Classes: __init__, attributes assigned in methods and bases, single inheritance, method
# overriding, Base.method(self, ...) calls, isinstance along the chain, bound methods as values,
# instances compared by identity.
class Shape:
    def __init__(self, name):
        self.name = name
        self.scale = 1
        self.sides = 0

    def area(self):
        return 0

    def describe(self):
        return self.name + " with area " + str(self.area()) + " and " + str(self.sides) + " sides"

    def grow(self, k):
        self.scale = self.scale * k
        return self


class Rect(Shape):
    def __init__(self, w, h):
        Shape.__init__(self, "rect")
        self.sides = 4
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h * self.scale * self.scale


class Square(Rect):
    def __init__(self, side):
        Rect.__init__(self, side, side)
        self.name = "square"

    def describe(self):
        return "[" + Rect.describe(self) + "]"


class Circle(Shape):
    def __init__(self, r):
        Shape.__init__(self, "circle")
        self.r = r

    def area(self):
        return 3.0 * self.r * self.r


shapes = [Shape("blob"), Rect(2, 3), Square(4), Circle(1.5)]
for s in shapes:
    print(s.describe())
sq = shapes[2]
print(isinstance(sq, Square), isinstance(sq, Rect), isinstance(sq, Shape), isinstance(sq, Circle))
print(isinstance(3, int), isinstance(3.0, float), isinstance("s", str), isinstance(True, int), isinstance(3, float))
print(isinstance(None, Shape), isinstance(sq.w, int))
grow = sq.grow
grow(2)
print(sq.area(), sq.scale, sq.grow(3).area())
sq.name = "renamed"
print(sq.name, sq.w, sq.h)
other = Square(4)
print(sq is sq, sq is other, sq is not other, sq == sq, sq != other)
c = shapes[3]
c.r = c.r + 0.5
print(c.area(), Shape.area(c), Rect.area(sq))
