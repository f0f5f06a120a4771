# n-queens (after pyperformance's bm_nqueens, without generators or sets): counts and lists
# solutions by backtracking with an explicit stack of column choices.
# argv: [largest n]
import sys


def safe(cols, row, col):
    for r in range(row):
        c = cols[r]
        if c == col or c - col == r - row or c - col == row - r:
            return False
    return True


def queens(n):
    cols = []
    for i in range(n):
        cols.append(-1)
    solutions = 0
    first = None
    row = 0
    while row >= 0:
        cols[row] += 1
        while cols[row] < n and not safe(cols, row, cols[row]):
            cols[row] += 1
        if cols[row] < n:
            if row == n - 1:
                solutions += 1
                if first is None:
                    first = []
                    for c in cols:
                        first.append(c)
            else:
                row += 1
                cols[row] = -1
        else:
            row -= 1
    return (solutions, first)


largest = 7
if len(sys.argv) > 1:
    largest = int(sys.argv[1])
for n in range(1, largest + 1):
    print(n, queens(n))
