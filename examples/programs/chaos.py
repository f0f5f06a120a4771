# chaos-like (after pyperformance's bm_chaos): an iterated function system of affine maps
# picked by a linear congruential generator (no random module), points accumulated on a grid.
# argv: [iterations] [timing]
import sys
import time
import math


class GVector:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def mag(self):
        return math.sqrt(self.x * self.x + self.y * self.y + self.z * self.z)

    def add(self, other):
        return GVector(self.x + other.x, self.y + other.y, self.z + other.z)

    def scale(self, k):
        return GVector(self.x * k, self.y * k, self.z * k)

    def linear_combination(self, other, l1, l2):
        return GVector(self.x * l1 + other.x * l2, self.y * l1 + other.y * l2, self.z * l1 + other.z * l2)


class Lcg:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 18446744073709551616
        return self.state

    def uniform(self):
        return (self.next() // 2048) / 9007199254740992.0


class Transform:
    def __init__(self, a, b, c, d, e, f):
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.e = e
        self.f = f

    def apply(self, p):
        return GVector(self.a * p.x + self.b * p.y + self.e, self.c * p.x + self.d * p.y + self.f, 0.0)


def chaos(n):
    maps = [Transform(0.5, 0.0, 0.0, 0.5, 0.0, 0.0),
            Transform(0.5, 0.0, 0.0, 0.5, 0.5, 0.0),
            Transform(0.5, 0.0, 0.0, 0.5, 0.25, 0.5)]
    rng = Lcg(42)
    grid = []
    for i in range(16):
        grid.append(0)
    p = GVector(rng.uniform(), rng.uniform(), 0.0)
    centroid = GVector(0.0, 0.0, 0.0)
    for k in range(n):
        t = maps[rng.next() % 3]
        p = t.apply(p)
        centroid = centroid.add(p)
        cell = math.floor(p.x * 4) + 4 * math.floor(p.y * 4)
        if 0 <= cell < 16:
            grid[cell] += 1
    return (centroid.scale(1.0 / n), grid)


n = 5000
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
result = chaos(n)
elapsed = time.perf_counter() - t0
c = result[0]
print(c.x, c.y, c.mag())
print(result[1])
print(GVector(1.0, 2.0, 2.0).linear_combination(GVector(0.5, 0.5, 0.5), 2, -1.0).mag())
if len(sys.argv) > 2:
    print("elapsed", elapsed)
