# float (pyperformance's bm_float): many Point objects made from sin and cos, normalized, then
# reduced to their componentwise maximum. Float-heavy, allocation-heavy.
# argv: [points] [timing]
import sys
import time
import math


class Point:
    def __init__(self, i):
        x = math.sin(i)
        self.x = x
        self.y = math.cos(i) * 3
        self.z = (x * x) / 2

    def normalize(self):
        x = self.x
        y = self.y
        z = self.z
        norm = math.sqrt(x * x + y * y + z * z)
        self.x = self.x / norm
        self.y = self.y / norm
        self.z = self.z / norm

    def maximize(self, other):
        self.x = max(self.x, other.x)
        self.y = max(self.y, other.y)
        self.z = max(self.z, other.z)
        return self


def maximize(points):
    nxt = points[0]
    for k in range(1, len(points)):
        nxt = nxt.maximize(points[k])
    return nxt


def benchmark(n):
    points = []
    for i in range(n):
        points.append(Point(i))
    for p in points:
        p.normalize()
    return maximize(points)


n = 2000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
p = benchmark(n)
elapsed = time.perf_counter() - t0
print(p.x, p.y, p.z)
if len(sys.argv) > 2:
    print("elapsed", elapsed)
