# fannkuch (pyperformance's bm_fannkuch, without slicing): the maximum number of pancake
# flips over all permutations of n items, and the checksum.
# argv: [n] [timing]
import sys
import time


def fannkuch(n):
    perm = []
    perm1 = []
    count = []
    for i in range(n):
        perm.append(0)
        perm1.append(i)
        count.append(0)
    max_flips = 0
    checksum = 0
    r = n
    perm_count = 0
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        for i in range(n):
            perm[i] = perm1[i]
        flips = 0
        k = perm[0]
        while k != 0:
            i = 0
            j = k
            while i < j:
                perm[i], perm[j] = perm[j], perm[i]
                i += 1
                j -= 1
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        if perm_count % 2 == 0:
            checksum += flips
        else:
            checksum -= flips
        while True:
            if r == n:
                return (checksum, max_flips)
            perm0 = perm1[0]
            i = 0
            while i < r:
                perm1[i] = perm1[i + 1]
                i += 1
            perm1[r] = perm0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
        perm_count += 1


n = 7
if len(sys.argv) > 1:
    n = int(sys.argv[1])
t0 = time.perf_counter()
result = fannkuch(n)
elapsed = time.perf_counter() - t0
print(result[0])
print("Pfannkuchen(" + str(n) + ") =", result[1])
print(result)
if len(sys.argv) > 2:
    print("elapsed", elapsed)
