"""Bad input gets a clear exception, never a crash."""

import cffi

ffi = cffi.FFI()


def show(what, action):
    try:
        action()
    except Exception as e:  # noqa: BLE001 - showing every kind is the point
        print("%-28s -> %s: %s" % (what, type(e).__name__, str(e).replace("\n", "\n" + " " * 32)))
    else:
        raise AssertionError("%s did not raise" % what)


show("cdef syntax error", lambda: ffi.cdef("int f(int x);\nint g(;"))
show("unknown type in cdef", lambda: ffi.cdef("int h(size_tt n);"))
ffi.cdef("int abs(int); int not_in_libc_xyz(void);")
C = ffi.dlopen(None)
show("library not found", lambda: ffi.dlopen("no_such_library_xyz"))
show("symbol not found", lambda: C.not_in_libc_xyz)
show("wrong argument type", lambda: C.abs("five"))
show("integer out of range", lambda: C.abs(2**31))
show("wrong number of arguments", lambda: C.abs(1, 2))
