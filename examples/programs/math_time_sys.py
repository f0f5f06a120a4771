# import math (sqrt, sin, cos, floor, pi), time (perf_counter, only compared, never printed)
# and sys (argv: the file name only here).
import math
import time
import sys

print(math.pi, math.sqrt(2), math.sqrt(16), math.sqrt(0.0), math.sqrt(-0.0))
print(math.sin(0), math.sin(math.pi / 2), math.cos(0), math.cos(math.pi), math.sin(1), math.cos(1))
print(math.floor(2.7), math.floor(-2.7), math.floor(5), math.floor(-0.5), math.floor(1e20))
print(math.sqrt(2) * math.sqrt(2), math.sin(0.5) ** 2 + math.cos(0.5) ** 2)
t0 = time.perf_counter()
s = 0
for i in range(1000):
    s += i
t1 = time.perf_counter()
print(s, t1 >= t0, isinstance(t1, float))
print(len(sys.argv), len(sys.argv[0]) > 0, sys.argv[0])
