# Integer arithmetic with Python's rules: floor division and modulo round towards minus
# infinity, ** on ints, true division gives floats, bools are ints.
for a in [7, -7, 0, 13, -13]:
    for b in [2, -2, 3, -5]:
        print(a, b, a // b, a % b, a / b, a * b, a - b, a + b)
print(2 ** 10, (-2) ** 3, 3 ** 0, 2 ** -1, (-3) ** 2, -3 ** 2)
print(7 // 1, -1 // 10, 1 // -10, -10 // 10, 10 % 10, -1 % 10, 1 % -10)
print(True + True, True * 5, False - 1, 3 // True, 10 / 4, 10 / 5, 1 / 3)
print(abs(-5), abs(5), -(-5), +5, -0, 6 / -4, -6 / 4)
x = 100
x += 5
x -= 3
x *= 2
x //= 7
x %= 11
print(x)
n = 12345
digits = 0
total = 0
while n > 0:
    total += n % 10
    n //= 10
    digits += 1
print(digits, total)
print(1 < 2 < 3, 1 < 3 < 2, 3 > 2 > 1 > 0, 1 == 1.0, 1 != 1, 2 >= 2 <= 3)
print(int(3.9), int(-3.9), int(-0.5), int("42"), int(" -17 "), int(True))
