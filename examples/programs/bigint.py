# Integers past 64 bits: factorials, Fibonacci, powers, mixed signs around 2**63, and the
# conversions int <-> str and int -> float that must round like CPython.
def factorial(n):
    r = 1
    for k in range(2, n + 1):
        r *= k
    return r


def fib(n):
    a, b = 0, 1
    for i in range(n):
        a, b = b, a + b
    return a


print(factorial(20), factorial(21), factorial(30))
print(fib(90), fib(93), fib(150))
big = 9223372036854775807
print(big, big + 1, -big - 1, -big - 2, big * big)
print(2 ** 63, 2 ** 64 - 1, -(2 ** 63), 2 ** 100)
print((2 ** 64) // 3, (2 ** 64) % 1000000007, -(2 ** 70) // 7, -(2 ** 70) % 7)
print((2 ** 65) // -3, (2 ** 65) % -3, abs(-(2 ** 80)))
x = 1
steps = 0
while x < 2 ** 64:
    x = x * 3 + 1
    steps += 1
print(steps, x, x > big, x == x + 0, x - x)
print(float(2 ** 63), float(2 ** 53 + 1), float(-(2 ** 64)), float(10 ** 30))
print((2 ** 70 + 1) / 3, (10 ** 25) / 7, 2 ** 53 + 1 == 2.0 ** 53, 2 ** 53 == 2.0 ** 53)
print(int("123456789012345678901234567890") * 10, str(2 ** 70) + "!", len(str(factorial(40))))
print(min(2 ** 64, 2 ** 63), max(-(2 ** 64), -3), 2 ** 64 > 1.5e19, 2 ** 64 < 1.9e19)
h = 0
for k in range(50):
    h = (h * 1000003 + k) % 340282366920938463463374607431768211456
print(h)
print(big + 1 - 1 == big, (big + 1) // 2 == 2 ** 62, -big // 2, -big % 2)
