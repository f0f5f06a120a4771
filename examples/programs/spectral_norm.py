# spectral-norm (pyperformance's bm_spectral_norm): the spectral norm of an infinite matrix A,
# by power iteration on A^T A, with lists of floats.
# argv: [n] [timing]
import sys
import time
import math


def eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def eval_times_u(u, transposed):
    n = len(u)
    result = []
    for i in range(n):
        partial = 0.0
        for j in range(n):
            if transposed:
                partial += eval_A(j, i) * u[j]
            else:
                partial += eval_A(i, j) * u[j]
        result.append(partial)
    return result


def eval_AtA_times_u(u):
    return eval_times_u(eval_times_u(u, False), True)


n = 40
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
u = []
for i in range(n):
    u.append(1.0)
for dummy in range(10):
    v = eval_AtA_times_u(u)
    u = eval_AtA_times_u(v)
vBv = 0.0
vv = 0.0
for i in range(n):
    vBv += u[i] * v[i]
    vv += v[i] * v[i]
elapsed = time.perf_counter() - t0
print(math.sqrt(vBv / vv))
print(u[0], v[n - 1])
if len(sys.argv) > 2:
    print("elapsed", elapsed)
