# Matrix multiplication and a matrix power by repeated squaring on lists of lists, in floats
# and in ints (the Fibonacci matrix, past 64 bits).
# argv: [n]
import sys


def zeros(n, m, zero):
    rows = []
    for i in range(n):
        row = []
        for j in range(m):
            row.append(zero)
        rows.append(row)
    return rows


def matmul(a, b, zero):
    n = len(a)
    m = len(b[0])
    inner = len(b)
    c = zeros(n, m, zero)
    for i in range(n):
        ai = a[i]
        ci = c[i]
        for j in range(m):
            s = zero
            for k in range(inner):
                s += ai[k] * b[k][j]
            ci[j] = s
    return c


def matpow(a, e, one, zero):
    n = len(a)
    result = zeros(n, n, zero)
    for i in range(n):
        result[i][i] = one
    while e > 0:
        if e % 2 == 1:
            result = matmul(result, a, zero)
        a = matmul(a, a, zero)
        e //= 2
    return result


n = 24
if len(sys.argv) > 1:
    n = int(sys.argv[1])
a = zeros(n, n, 0.0)
for i in range(n):
    for j in range(n):
        a[i][j] = (i * n + j) / (n * n) - 0.5
c = matmul(a, a, 0.0)
print(c[0][0], c[n - 1][n - 1], c[3][17])
trace = 0.0
for i in range(n):
    trace += c[i][i]
print(trace)
fibm = matpow([[1, 1], [1, 0]], 200, 1, 0)
print(fibm[0][1])
print(matpow([[0.5, 0.25], [0.125, 1.0]], 10, 1.0, 0.0))
