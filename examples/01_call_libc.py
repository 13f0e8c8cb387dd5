"""The first thing cffi users do: declare C functions, open a library, call.

Run with `cargo xtask demo` (it builds and installs the wheel first).
"""

import cffi

ffi = cffi.FFI()
ffi.cdef(
    """
    int abs(int);
    size_t strlen(const char *);
    double sqrt(double x);
    long labs(long);
"""
)

C = ffi.dlopen(None)  # the C library of the process
m = ffi.dlopen("m")  # libm, found by name as cffi does

print("C.abs(-5)          =", C.abs(-5))
print('C.strlen(b"hello") =', C.strlen(b"hello"))
print("C.labs(-2**40)     =", C.labs(-(2**40)))
print("m.sqrt(2.0)        =", m.sqrt(2.0))
print("C.abs is           ", C.abs)
print("its type           ", ffi.typeof(C.abs))

assert C.abs(-5) == 5
assert C.strlen(b"hello") == 5
assert C.labs(-(2**40)) == 2**40
assert m.sqrt(2.0) == 2.0**0.5
