# Strings: concatenation, repetition, indexing (negative too), len, in / not in, comparisons,
# str() of every value, and repr of strings inside lists and tuples (quotes and escapes).
s = "hello"
t = 'world'
print(s + " " + t, s * 2, 3 * "ab", "x" * 0 + "|", "-" * 10)
print(len(s), s[0], s[-1], s[1], s[-5], s[len(s) - 1])
print("ell" in s, "xyz" in s, "" in s, "h" not in t, "lo w" in s + " " + t)
print(s < t, s == "hel" + "lo", "a" < "b" < "c", "B" < "a", "abc" < "abd", "ab" < "abc", "" < "a")
print(str(42), str(-3.5), str(True), str(None), str([1, 2]), str((1, "a")), str("q"))
words = ["it's", 'say "hi"', "back\\slash", "tab\there", "new\nline", "both ' and \"", ""]
print(words)
print((words[0], words[1]))
for w in words:
    print(len(w), w)
acc = ""
for ch in "abcdef":
    acc = ch + acc
print(acc)
count = 0
for ch in "mississippi":
    if ch == "s":
        count += 1
print(count, "mississippi"[4], "mississippi"[-3])
n = 0
out = ""
while n < 5:
    out += str(n) + ","
    n += 1
print(out, len(out))
print("caf\u00e9", len("caf\u00e9"), "\u00e9" in "caf\u00e9")
print('single', "double", '''triple''', """triple "double" quotes""")
