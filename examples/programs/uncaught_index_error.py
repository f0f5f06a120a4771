# IndexError escaping from a method through two frames: status 1.
class Ring:
    def __init__(self, n):
        self.items = []
        for k in range(n):
            self.items.append(k * k)

    def get(self, k):
        return self.items[k]


r = Ring(4)
print(r.get(0), r.get(3), r.get(-1), r.get(-4))
try:
    r.get(4)
except IndexError as e:
    print("caught", e)
print(r.get(-5))
