# Control flow: if / elif / else, while with break and continue, for over range (1, 2 and 3
# arguments, negative steps, empty), lists, tuples and strings, nested loops with break.
for n in range(-2, 12):
    if n < 0:
        kind = "negative"
    elif n == 0:
        kind = "zero"
    elif n % 2 == 0 and n % 3 == 0:
        kind = "six"
    elif n % 2 == 0:
        kind = "even"
    else:
        kind = "odd"
    print(n, kind)
for i in range(5):
    print("a", i)
for i in range(2, 5):
    print("b", i)
for i in range(10, 0, -3):
    print("c", i)
for i in range(0, 10, 4):
    print("d", i)
for i in range(5, 5):
    print("never")
for i in range(3, 1):
    print("never")
primes = []
n = 2
while True:
    if len(primes) == 10:
        break
    d = 2
    is_prime = True
    while d * d <= n:
        if n % d == 0:
            is_prime = False
            break
        d += 1
    n += 1
    if not is_prime:
        continue
    primes.append(n - 1)
print(primes)
found = None
for i in range(1, 10):
    for j in range(1, 10):
        if i * j == 42:
            found = (i, j)
            break
    if found is not None:
        break
print(found)
total = 0
for x in [1, 2, 3, 4, 5, 6]:
    if x == 2:
        continue
    if x == 5:
        break
    total += x
print(total)
k = 0
while k < 3:
    k += 1
    if k == 2:
        pass
    else:
        print("k", k)
if 0:
    print("no")
elif "":
    print("no")
elif []:
    print("no")
elif None:
    print("no")
else:
    print("falsy all")
