# raytrace-like (after pyperformance's bm_raytrace, much reduced): vectors as objects, rays
# against spheres, a tiny ASCII image; many short-lived Vector objects.
import math


class Vector:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def sub(self, o):
        return Vector(self.x - o.x, self.y - o.y, self.z - o.z)

    def add(self, o):
        return Vector(self.x + o.x, self.y + o.y, self.z + o.z)

    def scale(self, k):
        return Vector(self.x * k, self.y * k, self.z * k)

    def norm(self):
        return self.scale(1.0 / math.sqrt(self.dot(self)))


class Sphere:
    def __init__(self, centre, radius):
        self.centre = centre
        self.radius = radius

    def intersect(self, origin, direction):
        oc = origin.sub(self.centre)
        b = oc.dot(direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return -1.0
        return -b - math.sqrt(disc)


spheres = [Sphere(Vector(0.0, 0.0, 5.0), 1.5), Sphere(Vector(1.5, 1.0, 4.0), 0.6)]
light = Vector(-1.0, 1.0, -1.0).norm()
origin = Vector(0.0, 0.0, 0.0)
shades = " .:-=+*#%@"
total = 0.0
for row in range(12):
    line = ""
    for col in range(24):
        d = Vector((col - 12) / 12.0, (6 - row) / 6.0, 1.0).norm()
        nearest = -1.0
        hit = None
        for s in spheres:
            t = s.intersect(origin, d)
            if t > 0 and (nearest < 0 or t < nearest):
                nearest = t
                hit = s
        if hit is None:
            line += " "
        else:
            p = origin.add(d.scale(nearest))
            n = p.sub(hit.centre).norm()
            lum = max(0.0, n.dot(light))
            total += lum
            line += shades[math.floor(lum * 9.99)]
    print(line + "|")
print(total)
