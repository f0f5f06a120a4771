# Outside the subset: generators.
def gen(n):
    k = 0
    while k < n:
        yield k
        k += 1
