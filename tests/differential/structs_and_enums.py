"""Structs, unions, enums: sizes, fields, offsets, names (F-01.47..F-01.71, F-05.55..F-05.60, F-03.76)."""
import cffi
ffi = cffi.FFI()
ffi.cdef('''
struct point { int x, y; };
struct nested { char tag; struct { int a, b; }; union { int c; float d; }; struct point pts[3]; int (*fn)(int); };
typedef struct { int x; } anon_t, *anon_p;
enum color { RED, GREEN = 5, BLUE };
struct flags { unsigned a:1; unsigned :3; int b:5; };
struct opaque;
int abs(int);
''')
print(ffi.sizeof('struct point'), ffi.alignof('struct nested'), ffi.sizeof('struct nested'))
print([(n, f.offset, f.bitshift, f.bitsize, f.flags, f.type) for n, f in ffi.typeof('struct nested').fields])
print(ffi.offsetof('struct nested', 'pts', 2, 'y'), ffi.offsetof('struct nested', 'c'))
print(ffi.typeof('anon_t'), ffi.typeof('anon_p'), ffi.typeof('enum color').elements, ffi.typeof('enum color').relements)
print([(n, f.bitshift, f.bitsize) for n, f in ffi.typeof('struct flags').fields])
print(ffi.list_types())
print(ffi.getctype('int(*)(int)', 'foo'), '|', ffi.getctype('int[5]', '*foo'), '|', ffi.getctype('struct point *', '*'))
C = ffi.dlopen(None); print(C.RED, C.BLUE)
for bad in [lambda: ffi.sizeof('struct opaque'), lambda: ffi.offsetof('struct point', 'z'), lambda: ffi.offsetof('struct flags', 'a'), lambda: ffi.typeof('struct opaque').fields, lambda: dir(ffi.typeof('struct point')), lambda: ffi.typeof('struct point').kind, lambda: ffi.typeof('union { int a; } *')]:
    try: print(bad())
    except Exception as e: print(type(e).__name__, e)
f2 = cffi.FFI(); f2.cdef('struct s { char a; int b; };', packed=True); print(f2.sizeof('struct s'))
f3 = cffi.FFI(); f3.cdef('struct s { char a; int b; };', pack=2); print(f3.sizeof('struct s'))
