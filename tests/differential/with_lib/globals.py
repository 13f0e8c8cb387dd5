"""Global variables of a dlopen() library (F-04.04, F-04.10, F-04.13,
F-03.80): read, written, arrays, structs, pointers, missing ones, after
dlclose. Needs the test library: its path is in $CFFIPY_TESTLIB."""

import os
import sys

import cffi

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from _probe import norm, show  # noqa: E402

ffi = cffi.FFI()
ffi.cdef("""
    extern int g_int;
    extern double g_double;
    extern long long g_big;
    extern int g_array[5];
    struct gpoint { int x, y; };
    extern struct gpoint g_point;
    extern const char *g_string;
    extern char g_name[8];
    extern unsigned char g_flag;
    extern int g_missing;
    int read_g_int(void);
    int sum_g_array(void);
""")
lib = ffi.dlopen(os.environ["CFFIPY_TESTLIB"])

show("F-04.04 read int", lambda: lib.g_int)
show("F-04.04 read double", lambda: lib.g_double)
show("F-04.04 read long long", lambda: lib.g_big)
show("F-04.04 read unsigned char", lambda: lib.g_flag)
show("F-04.04 write int, seen by C", lambda: (setattr(lib, "g_int", 7), lib.g_int, lib.read_g_int())[1:])
show("F-04.04 write double", lambda: (setattr(lib, "g_double", 2.25), lib.g_double)[1])
show("F-04.04 write bad type", lambda: setattr(lib, "g_int", "x"))
show("F-04.04 write out of range", lambda: setattr(lib, "g_int", 2**40))
show("F-04.04 array read", lambda: (norm(repr(lib.g_array)), list(lib.g_array)))
show("F-04.04 array item write", lambda: (lib.g_array.__setitem__(0, 10), lib.sum_g_array())[1])
show("F-04.04 array assign list", lambda: (setattr(lib, "g_array", [5, 5, 5, 5, 5]), lib.sum_g_array())[1])
show("F-04.04 array assign too long", lambda: setattr(lib, "g_array", [1] * 6))
show("F-04.04 struct read", lambda: (norm(repr(lib.g_point)), lib.g_point.x, lib.g_point.y))
show("F-04.04 struct field write", lambda: (setattr(lib.g_point, "y", 40), lib.g_point.y)[1])
show("F-04.04 struct assign", lambda: (setattr(lib, "g_point", [8, 9]), (lib.g_point.x, lib.g_point.y))[1])
show("F-04.04 pointer read", lambda: ffi.string(lib.g_string))
show("F-04.04 char array read", lambda: (norm(repr(lib.g_name)), ffi.string(lib.g_name)))
show("F-04.04 char array assign", lambda: (setattr(lib, "g_name", b"xyz\0\0\0\0\0"), ffi.string(lib.g_name))[1])
show("F-04.04 missing variable", lambda: lib.g_missing)
show("F-04.04 missing variable write", lambda: setattr(lib, "g_missing", 1))
show("F-04.10 variables not in __dict__", lambda: sorted(k for k in vars(lib) if k.startswith("g_")))
show("F-04.10 variable is a class property", lambda: type(type(lib).__dict__["g_int"]).__name__)
show("F-04.12 assign to a function", lambda: setattr(lib, "read_g_int", 1))
show("F-03.80 addressof variable", lambda: (norm(repr(ffi.addressof(lib, "g_int"))), ffi.addressof(lib, "g_int")[0]))
show("F-03.80 addressof array variable", lambda: norm(repr(ffi.addressof(lib, "g_array"))))
show("F-03.80 addressof struct variable", lambda: (norm(repr(ffi.addressof(lib, "g_point"))), ffi.addressof(lib, "g_point").x))
ffi.dlclose(lib)
show("F-04.13 read after dlclose", lambda: lib.g_int)
show("F-04.13 write after dlclose", lambda: setattr(lib, "g_int", 1))
