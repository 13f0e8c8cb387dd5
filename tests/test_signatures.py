"""Random C signatures, called through the in-line ABI mode and called back
(F-07.05, F-06.35, F-07.17): scalars of every width and sign, `float`,
`double`, pointers, and structs of 1 to 24 fields, as arguments and
results, up to 14 arguments, so that the registers run out in every way
and structs go on the stack whole, with later arguments in registers.

The C side is the judge: each function stores what it received in
globals and returns a value the test put in a global first; each
`call_back_N` calls a Python callback with the values stored and returns
what it gave. Seeds are fixed, so a failure reproduces; nothing here asks
the original cffi (whose libffi gets some of these wrong, docs/compat.md).
"""

import os
import random
import subprocess

import cffi
import pytest

SCALARS = [
    ("signed char", -(2**7), 2**7 - 1),
    ("unsigned char", 0, 2**8 - 1),
    ("short", -(2**15), 2**15 - 1),
    ("unsigned short", 0, 2**16 - 1),
    ("int", -(2**31), 2**31 - 1),
    ("unsigned int", 0, 2**32 - 1),
    ("long long", -(2**63), 2**63 - 1),
    ("unsigned long long", 0, 2**64 - 1),
    ("float", None, None),
    ("double", None, None),
    ("void *", 0, 2**48),
]


def scalar(rng):
    return rng.choice(SCALARS)[0]


def value(rng, ffi, ctype, structs):
    """A random value of `ctype` that converts back exactly."""
    if ctype in structs:
        return [value(rng, ffi, t, structs) for t in structs[ctype]]
    lo, hi = next((lo, hi) for name, lo, hi in SCALARS if name == ctype)
    if ctype in ("float", "double"):
        # Exact in a float: an integer of 20 bits over a power of two.
        return rng.randint(-(2**20), 2**20) / 2 ** rng.randint(0, 12)
    if ctype == "void *":
        return ffi.cast("void *", rng.randint(lo, hi))
    return rng.choice([lo, hi, 0, rng.randint(lo, hi), rng.randint(lo, hi)])


def signatures(seed, count):
    """C source, cdef and the argument and result types of `count`
    random functions."""
    rng = random.Random(seed)
    structs = {}
    cdefs, source = [], []
    funcs = []

    def struct():
        nfields = rng.choice([1, 2, 2, 3, 3, 4, 5, 7, 11, 24])
        fields = [scalar(rng) for _ in range(nfields)]
        name = "struct s%d" % len(structs)
        body = " ".join("%s f%d;" % (t, i) for i, t in enumerate(fields))
        decl = "%s { %s };" % (name, body)
        structs[name] = fields
        cdefs.append(decl)
        source.append(decl)
        return name

    def any_type():
        return struct() if rng.random() < 0.3 else scalar(rng)

    for n in range(count):
        args = [any_type() for _ in range(rng.randint(0, 14))]
        result = rng.choice([any_type(), "void"])
        params = ", ".join("%s a%d" % (t, i) for i, t in enumerate(args)) or "void"
        name = "f%d" % n
        sig = "%s %s(%s)" % (result, name, params)
        cdefs.append("%s;" % sig)
        for i, t in enumerate(args):
            cdefs.append("extern %s %s_a%d;" % (t, name, i))
            source.append("%s %s_a%d;" % (t, name, i))
        body = "".join(" %s_a%d = a%d;" % (name, i, i) for i in range(len(args)))
        if result != "void":
            cdefs.append("extern %s %s_r;" % (result, name))
            source.append("%s %s_r;" % (result, name))
            body += " return %s_r;" % name
        source.append("%s {%s }" % (sig, body))
        # C calls a callback of the same type with the values stored.
        cb = "%s (*cb)(%s)" % (result, ", ".join(args) or "void")
        back = "%s call_back_%d(%s)" % (result, n, cb)
        cdefs.append("%s;" % back)
        stored = ", ".join("%s_a%d" % (name, i) for i in range(len(args)))
        ret = "return " if result != "void" else ""
        source.append("%s { %scb(%s); }" % (back, ret, stored))
        funcs.append((name, args, result))
    return "\n".join(source), "\n".join(cdefs), funcs, structs


def plain(ffi, v):
    """A cdata struct or pointer as a comparable Python value."""
    if isinstance(v, ffi.CData):
        t = ffi.typeof(v)
        if t.kind == "struct":
            return [plain(ffi, getattr(v, f)) for f, _ in t.fields]
        return int(ffi.cast("uintptr_t", v))
    return v


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_signatures_F_07_05(tmp_path, seed):
    source, cdef, funcs, structs = signatures(seed, 100)
    c = tmp_path / "sigs.c"
    c.write_text(source + "\n")
    so = tmp_path / "libsigs.so"
    subprocess.check_call([os.environ.get("CC", "cc"), "-shared", "-fPIC", "-O1",
                           str(c), "-o", str(so)])
    ffi = cffi.FFI()
    ffi.cdef(cdef)
    lib = ffi.dlopen(str(so))
    rng = random.Random(seed * 1000)
    for name, args, result in funcs:
        values = [value(rng, ffi, t, structs) for t in args]
        want = None
        if result != "void":
            want = value(rng, ffi, result, structs)
            setattr(lib, name + "_r", want)
            want = plain(ffi, getattr(lib, name + "_r"))
        passed = [plain(ffi, ffi.new(t + " *", v)[0]) for t, v in zip(args, values)]
        what = "%s(%s) -> %s" % (name, ", ".join(args), result)
        got = getattr(lib, name)(*values)
        assert plain(ffi, got) == want, what
        for i, v in enumerate(passed):
            assert plain(ffi, getattr(lib, "%s_a%d" % (name, i))) == v, (what, i)
        # And back: C passes the stored values to a Python callback.
        seen = []

        def callback(*received):
            seen.append([plain(ffi, r) for r in received])
            return getattr(lib, name + "_r") if result != "void" else None

        cb = ffi.callback("%s(%s)" % (result, ", ".join(args) or "void"), callback)
        got = getattr(lib, "call_back_%d" % int(name[1:]))(cb)
        assert plain(ffi, got) == want, ("callback", what)
        assert seen == [passed], ("callback", what)
