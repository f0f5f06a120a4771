# Float printing exactly as CPython's repr (shortest round-trip digits, exponent from 1e16 and
# below 1e-4), with inf, nan and -0.0, and float arithmetic's corner cases.
values = [0.1, 0.2, 0.1 + 0.2, 1.0, -1.5, 100.0, 1e15, 1e16, 1.5e16, 123456789012345.6,
          1e-4, 1e-5, 0.00012345, 1.7976931348623157e308, 5e-324, 2.5e-308, 1e22, 1e23,
          3.141592653589793, 2.0 ** 0.5, 1 / 3, 2 / 3, 9007199254740993.0, -0.0, 0.0]
for v in values:
    print(v, str(v), -v, v * 2)
inf = float("inf")
print(inf, -inf, inf + 1, inf * -2, 1e308 * 10, -1e308 * 10, 1 / inf, -1 / inf)
nan = inf - inf
print(nan, -nan, nan == nan, nan != nan, nan < 1, nan > 1, inf == inf, inf > 1e308)
print(float("-0.0"), float("nan"), float("1e-7"), float("  2.5 "), float(7), float(-0.0))
z = -0.0
print(z, z == 0.0, z + 0.0, z * -1, -z, abs(z), z - 0.0, 0.0 * -1)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 7.5 % -2, 0.0 % -2.0, -1.0 % 1.0, 5.0 // -1.0)
print(1e300 * 1e10, -1e300 * 1e10, 2.0 ** 1023 * 2, 1e-320 / 10, 1e-323 / 2)
print(min(0.0, -0.0), max(-0.0, 0.0), min(1, 1.0), max(1.0, 1), abs(-2.5), abs(-inf))
print(0.1 * 3, 1.1 * 1.1, 100 * 1.1, 3.0 * 1.0000001)
print(2.5 < 3, 3 == 3.0, 0.1 + 0.2 == 0.3, 1e16 + 1, 1e16 + 2, 4.35 * 100, 1.15 * 100)
print(int(1e16), int(-2.5e10), int(1e20), float(12345678901234567890))
print([1.0, -0.0, inf, 0.5], (2.25, -1e-9))
