"""Type strings: canonical names, sizes and alignments, or the exception
class, for well over 100 spellings (F-02.xx, F-05.54..F-05.57)."""

import cffi

ffi = cffi.FFI()
ffi.cdef("""
    typedef int myint_t;
    typedef struct { int x; } anon_t;
    typedef struct named { char c; double d; } named_t, *named_p;
    struct point { int x, y; };
    union value { long l; double d; char c[3]; };
    enum color { RED, GREEN = 5, BLUE };
    enum neg { N1 = -1, N2 = 1 };
    typedef int (*callback_t)(void *, int);
    typedef enum { E_A, E_B } e_t;
    struct opaque;
""")

BASES = [
    "char", "signed char", "unsigned char", "short", "short int", "signed short", "unsigned short",
    "int", "signed", "signed int", "unsigned", "unsigned int", "long", "long int", "signed long",
    "unsigned long", "unsigned long int", "long long", "long long int", "unsigned long long",
    "long long unsigned int", "float", "double", "long double", "_Bool", "bool", "wchar_t",
    "char16_t", "char32_t", "int8_t", "uint8_t", "int16_t", "uint16_t", "int32_t", "uint32_t",
    "int64_t", "uint64_t", "int_least8_t", "uint_least16_t", "int_fast8_t", "int_fast16_t",
    "uint_fast32_t", "int_fast64_t", "intptr_t", "uintptr_t", "intmax_t", "uintmax_t",
    "ptrdiff_t", "size_t", "ssize_t", "float _Complex", "double _Complex", "void",
    "myint_t", "anon_t", "named_t", "named_p", "struct named", "struct point", "union value",
    "enum color", "enum neg", "callback_t", "e_t", "struct opaque", "const int", "volatile long",
    "const char", "char const",
]
DERIVED = [
    "int *", "int **", "char * const *", "const char *", "void *", "void **", "int[5]", "int[]",
    "int[2][3]", "int *[4]", "int (*)[4]", "int (*)(int)", "int(int)", "int (**)(int)",
    "int (*[3])(long)", "char *(*)(char *, ...)", "void (*)(void)", "int (*(*)(int))(long)",
    "struct point *", "struct point[2]", "union value *", "enum color *", "named_p *", "anon_t[3]",
    "callback_t *", "callback_t[2]", "double _Complex *", "long double[2]", "size_t (*)(const char *)",
    "struct opaque *", "struct opaque[2]", "myint_t *", "e_t[4]", "int[0]", "char[0x10]",
    "struct nope *", "union nada *", "unknown_t", "int x", "int[", "long long long", "short char",
    "int (*)(...)", "void[3]", "struct point (*)(struct point)",
]

for text in BASES + DERIVED:
    try:
        t = ffi.typeof(text)
        parts = [repr(t), t.kind]
        for measure in (ffi.sizeof, ffi.alignof):
            try:
                parts.append(str(measure(t)))
            except Exception as e:
                parts.append(type(e).__name__)
        print(text, "->", " ".join(parts))
    except Exception as e:
        print(text, "-> EXC", type(e).__name__)
