# Sieve of Eratosthenes over a list of bools, then twin primes and a checksum.
# argv: [n]
import sys


def sieve(n):
    is_prime = []
    for i in range(n + 1):
        is_prime.append(True)
    is_prime[0] = False
    is_prime[1] = False
    p = 2
    while p * p <= n:
        if is_prime[p]:
            for m in range(p * p, n + 1, p):
                is_prime[m] = False
        p += 1
    primes = []
    for i in range(n + 1):
        if is_prime[i]:
            primes.append(i)
    return primes


limit = 20000
if len(sys.argv) > 1:
    limit = int(sys.argv[1])
primes = sieve(limit)
print(len(primes), primes[-1], primes[0])
twins = 0
for k in range(1, len(primes)):
    if primes[k] - primes[k - 1] == 2:
        twins += 1
checksum = 0
for p in primes:
    checksum = (checksum * 31 + p) % 1000000007
print(twins, checksum)
