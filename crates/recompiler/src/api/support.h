/* cffi-py API-mode support (docs/protocol.md).  Written for cffi-py; every
   generated module starts with it.  It declares the tables the module hands
   to `_cffi_backend` and the conversion functions the backend hands back. */
#define _CFFI_
/* The limited API, unless the interpreter is a debug build or the builder
   asked otherwise (docs/api-mode.md, "The generated C"). */
#if !defined(_CFFI_USE_EMBEDDING) && !defined(Py_LIMITED_API) && !defined(_CFFI_NO_LIMITED_API)
#  include <pyconfig.h>
#  if !defined(Py_DEBUG) && !defined(Py_TRACE_REFS) && !defined(Py_REF_DEBUG)
#    define Py_LIMITED_API
#  endif
#endif
#include <Python.h>
#ifdef __cplusplus
extern "C" {
#endif
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
#  ifndef _Bool
typedef bool _Bool;
#  endif
#endif
#ifdef _MSC_VER
#  define _cffi_float_complex_t  _Fcomplex
#  define _cffi_double_complex_t _Dcomplex
#else
#  define _cffi_float_complex_t  float _Complex
#  define _cffi_double_complex_t double _Complex
#endif
#ifdef __GNUC__
#  define _CFFI_UNUSED_FN __attribute__((unused))
#else
#  define _CFFI_UNUSED_FN
#endif

/* A table word: the op in the low byte, a signed argument above it. */
typedef void *_cffi_opcode_t;
#define _CFFI_OP(op, arg) ((_cffi_opcode_t)(((uintptr_t)(intptr_t)(arg) << 8) | (uintptr_t)(op)))
#define _CFFI_OP_PRIMITIVE       1
#define _CFFI_OP_POINTER         3
#define _CFFI_OP_ARRAY           5
#define _CFFI_OP_OPEN_ARRAY      7
#define _CFFI_OP_STRUCT_UNION    9
#define _CFFI_OP_ENUM           11
#define _CFFI_OP_FUNCTION       13
#define _CFFI_OP_FUNCTION_END   15
#define _CFFI_OP_NOOP           17
#define _CFFI_OP_BITFIELD       19
#define _CFFI_OP_CPYTHON_BLTN_V 23
#define _CFFI_OP_CPYTHON_BLTN_N 25
#define _CFFI_OP_CPYTHON_BLTN_O 27
#define _CFFI_OP_CONSTANT       29
#define _CFFI_OP_CONSTANT_INT   31
#define _CFFI_OP_GLOBAL_VAR_F   39
#define _CFFI_OP_EXTERN_PYTHON  41

#define _CFFI_F_UNION         0x01
#define _CFFI_F_CHECK_FIELDS  0x02
#define _CFFI_F_PACKED        0x04
#define _CFFI_F_EXTERNAL      0x08
#define _CFFI_F_OPAQUE        0x10

/* The primitive number of an integer type of `size` bytes, signed when
   `nonpos` (its all-ones value is not positive); -1 for other sizes. */
#define _cffi_prim_int(size, nonpos)                                       \
    ((size) == 1 ? ((nonpos) ? 17 : 18) :                                  \
     (size) == 2 ? ((nonpos) ? 19 : 20) :                                  \
     (size) == 4 ? ((nonpos) ? 21 : 22) :                                  \
     (size) == 8 ? ((nonpos) ? 23 : 24) : -1)
/* Float or double by size; -2 for neither, -3 for a long double. */
#define _cffi_prim_float(size)                                             \
    ((size) == sizeof(float) ? 13 :                                        \
     (size) == sizeof(long double) && sizeof(long double) != sizeof(double) ? -3 : \
     (size) == sizeof(double) ? 14 : -2)
#define _cffi_array_len(array) (sizeof(array) / sizeof((array)[0]))

struct _cffi_global_s {
    const char *name;
    void *address;
    _cffi_opcode_t type_op;
    void *size_or_direct_fn;
};
struct _cffi_struct_union_s {
    const char *name;
    int type_index;
    int flags;
    size_t size;
    int alignment;
    int first_field_index;
    int num_fields;
};
struct _cffi_field_s {
    const char *name;
    size_t field_offset;
    size_t field_size;
    _cffi_opcode_t field_type_op;
};
struct _cffi_enum_s {
    const char *name;
    int type_index;
    int type_prim;
    const char *enumerators;
};
struct _cffi_typename_s {
    const char *name;
    int type_index;
};
struct _cffi_type_context_s {
    _cffi_opcode_t *types;
    const struct _cffi_global_s *globals;
    const struct _cffi_field_s *fields;
    const struct _cffi_struct_union_s *struct_unions;
    const struct _cffi_enum_s *enums;
    const struct _cffi_typename_s *typenames;
    int num_globals;
    int num_struct_unions;
    int num_enums;
    int num_typenames;
    const char *const *includes;
    int num_types;
    int flags;
};
struct _cffi_externpy_s {
    const char *name;
    size_t size_of_result;
    void *reserved1, *reserved2;
};
struct _cffi_ctypedescr;

/* Filled by `_cffi_backend._init_cffi_1_0_external_module` (§6.2). */
static void *_cffi_exports[28];
/* The types the generated code converts with: realized by the backend
   before a wrapper can run (§5.2). */
#define _cffi_type(index) ((struct _cffi_ctypedescr *)_cffi_types[index])

#define _cffi_to_c_i8  ((int (*)(PyObject *))_cffi_exports[1])
#define _cffi_to_c_u8  ((int (*)(PyObject *))_cffi_exports[2])
#define _cffi_to_c_i16 ((int (*)(PyObject *))_cffi_exports[3])
#define _cffi_to_c_u16 ((int (*)(PyObject *))_cffi_exports[4])
#define _cffi_to_c_i32 ((int (*)(PyObject *))_cffi_exports[5])
#define _cffi_to_c_u32 ((unsigned int (*)(PyObject *))_cffi_exports[6])
#define _cffi_to_c_i64 ((long long (*)(PyObject *))_cffi_exports[7])
#define _cffi_to_c_u64 ((unsigned long long (*)(PyObject *))_cffi_exports[8])
#define _cffi_to_c_char ((int (*)(PyObject *))_cffi_exports[9])
#define _cffi_from_c_pointer                                               \
    ((PyObject *(*)(char *, struct _cffi_ctypedescr *))_cffi_exports[10])
#define _cffi_to_c_pointer                                                 \
    ((char *(*)(PyObject *, struct _cffi_ctypedescr *))_cffi_exports[11])
#define _cffi_restore_errno ((void (*)(void))_cffi_exports[13])
#define _cffi_save_errno ((void (*)(void))_cffi_exports[14])
#define _cffi_from_c_char ((PyObject *(*)(char))_cffi_exports[15])
#define _cffi_from_c_deref                                                 \
    ((PyObject *(*)(char *, struct _cffi_ctypedescr *))_cffi_exports[16])
#define _cffi_to_c                                                         \
    ((int (*)(char *, struct _cffi_ctypedescr *, PyObject *))_cffi_exports[17])
#define _cffi_from_c_struct                                                \
    ((PyObject *(*)(char *, struct _cffi_ctypedescr *))_cffi_exports[18])
#define _cffi_to_c_wchar_t ((wchar_t (*)(PyObject *))_cffi_exports[19])
#define _cffi_from_c_wchar_t ((PyObject *(*)(wchar_t))_cffi_exports[20])
#define _cffi_to_c_long_double ((long double (*)(PyObject *))_cffi_exports[21])
#define _cffi_to_c__Bool ((_Bool (*)(PyObject *))_cffi_exports[22])
#define _cffi_prepare_pointer_call_argument                                \
    ((Py_ssize_t (*)(struct _cffi_ctypedescr *, PyObject *, char **))_cffi_exports[23])
#define _cffi_convert_array_from_object                                    \
    ((int (*)(char *, struct _cffi_ctypedescr *, PyObject *))_cffi_exports[24])
#ifdef _CFFI_USE_EMBEDDING
/* An embedding library (docs/embedding.md): until Python is started and
   the init code has run, `extern "Python"` calls go to the start-up path,
   which then sets this pointer to export 25. */
static void _cffipy_start_and_call_python(struct _cffi_externpy_s *, char *);
static void (*volatile _cffipy_call_python)(struct _cffi_externpy_s *, char *) =
    _cffipy_start_and_call_python;
/* An acquire load: the thread that switched the pointer registered the
   `@ffi.def_extern()` functions first, and a caller that sees the new
   pointer must see them too. */
#  ifdef __GNUC__
#    define _cffi_call_python (*__atomic_load_n(&_cffipy_call_python, __ATOMIC_ACQUIRE))
#  else
#    define _cffi_call_python (*_cffipy_call_python)
#  endif
/* Forces the start-up early; 0 on success, -1 on failure (F-09.13). */
_CFFI_UNUSED_FN static int cffi_start_python(void);
#  ifndef CFFI_DLLEXPORT
#    if defined(_MSC_VER)
#      define CFFI_DLLEXPORT __declspec(dllexport)
#    elif defined(__GNUC__)
#      define CFFI_DLLEXPORT __attribute__((visibility("default")))
#    else
#      define CFFI_DLLEXPORT
#    endif
#  endif
#else
#  define _cffi_call_python                                                \
    ((void (*)(struct _cffi_externpy_s *, char *))_cffi_exports[25])
#endif
#define _cffi_to_c_wchar3216_t ((int (*)(PyObject *))_cffi_exports[26])
#define _cffi_from_c_wchar3216_t ((PyObject *(*)(int))_cffi_exports[27])

#define _cffi_to_c_double PyFloat_AsDouble
#define _cffi_to_c_float PyFloat_AsDouble
#define _cffi_from_c_double PyFloat_FromDouble
#define _cffi_from_c_float PyFloat_FromDouble
#define _cffi_from_c__Bool PyBool_FromLong
#define _cffi_to_c_char16_t(o)                                             \
    (sizeof(char16_t) == sizeof(wchar_t) ? (char16_t)_cffi_to_c_wchar_t(o) \
                                         : (char16_t)_cffi_to_c_wchar3216_t(o))
#define _cffi_from_c_char16_t(x)                                           \
    (sizeof(char16_t) == sizeof(wchar_t) ? _cffi_from_c_wchar_t((wchar_t)(x)) \
                                         : _cffi_from_c_wchar3216_t((int)(x)))
#define _cffi_to_c_char32_t(o)                                             \
    (sizeof(char32_t) == sizeof(wchar_t) ? (char32_t)_cffi_to_c_wchar_t(o) \
                                         : (char32_t)_cffi_to_c_wchar3216_t(o))
#define _cffi_from_c_char32_t(x)                                           \
    (sizeof(char32_t) == sizeof(wchar_t) ? _cffi_from_c_wchar_t((wchar_t)(x)) \
                                         : _cffi_from_c_wchar3216_t((int)(x)))

/* A Python int to the integer type `type`, by its size and signedness;
   -1 with an exception set on failure. */
#define _cffi_is_unsigned(type) (((type)-1) > 0)
#define _cffi_to_c_int(o, type)                                            \
    ((type)(sizeof(type) == 1                                              \
                ? (_cffi_is_unsigned(type) ? (long long)_cffi_to_c_u8(o)   \
                                           : (long long)_cffi_to_c_i8(o))  \
            : sizeof(type) == 2                                            \
                ? (_cffi_is_unsigned(type) ? (long long)_cffi_to_c_u16(o)  \
                                           : (long long)_cffi_to_c_i16(o)) \
            : sizeof(type) == 4                                            \
                ? (_cffi_is_unsigned(type) ? (long long)_cffi_to_c_u32(o)  \
                                           : (long long)_cffi_to_c_i32(o)) \
            : _cffi_is_unsigned(type) ? (long long)_cffi_to_c_u64(o)       \
                                      : _cffi_to_c_i64(o)))
/* An integer of type `type` to a Python int. */
#define _cffi_from_c_int(x, type)                                          \
    (_cffi_is_unsigned(type)                                               \
         ? (sizeof(type) < sizeof(long) ? PyLong_FromLong((long)(x))       \
            : sizeof(type) == sizeof(long)                                 \
                ? PyLong_FromUnsignedLong((unsigned long)(x))              \
                : PyLong_FromUnsignedLongLong((unsigned long long)(x)))    \
         : (sizeof(type) <= sizeof(long) ? PyLong_FromLong((long)(x))      \
                                         : PyLong_FromLongLong((long long)(x))))

/* cffi-py's fast path, which the original backend ignores: a table of
   METH_FASTCALL | METH_KEYWORDS wrappers beside the globals, found through a context flag
   bit the original leaves alone (docs/api-mode.md, "Fast calls"). */
#define _CFFIPY_F_EXTENSION 0x40000000
struct _cffipy_extension_s {
    int version;
    void *const *fast;
};
struct _cffipy_context_s {
    struct _cffi_type_context_s ctx;
    struct _cffipy_extension_s ext;
};

/* The error of a call with the wrong number of arguments, in the words
   of PyArg_UnpackTuple (the original's wrappers use it). */
_CFFI_UNUSED_FN static PyObject *_cffipy_nargs(const char *name, int n, Py_ssize_t got)
{
    PyErr_Format(PyExc_TypeError, "%s expected %d arguments, got %zd", name, n, got);
    return NULL;
}

/* A keyword argument, refused in CPython's words for METH_VARARGS. */
_CFFI_UNUSED_FN static PyObject *_cffipy_no_keywords(const char *name)
{
    PyErr_Format(PyExc_TypeError, "%s() takes no keyword arguments", name);
    return NULL;
}

/* An exact int that fits `long long`, without a call into the backend;
   anything else takes the export, which also raises the errors. */
_CFFI_UNUSED_FN static int _cffipy_small_int(PyObject *o, long long *v)
{
    int overflow;
    if (!PyLong_CheckExact(o))
        return 0;
    *v = PyLong_AsLongLongAndOverflow(o, &overflow);
    return overflow == 0;
}
#define _cffipy_fits(v, type)                                              \
    (_cffi_is_unsigned(type) ? ((v) >= 0 && (long long)(type)(v) == (v))  \
                             : ((long long)(type)(v) == (v)))

/* The steps of a wrapper, as the generator writes them (short text
   keeps generating and compiling thousands of wrappers fast). `fail` is
   what an error does: `return NULL` or `goto done`. */
#define _CFFIPY_CHECK_ARGS(name, n)                                        \
    if (kwnames != NULL && PyTuple_Size(kwnames) != 0)                     \
        return _cffipy_no_keywords(name);                                  \
    if (nargs != (n))                                                      \
        return _cffipy_nargs(name, (n), nargs)
#define _CFFIPY_TO_INT(x, o, type, fail)                                   \
    if (_cffipy_small_int(o, &v) && _cffipy_fits(v, type))                 \
        x = (type)v;                                                       \
    else {                                                                 \
        x = _cffi_to_c_int(o, type);                                       \
        if (x == (type)-1 && PyErr_Occurred())                             \
            fail;                                                          \
    }
#define _CFFIPY_TO(x, o, type, convert, fail)                              \
    x = (type)convert(o);                                                  \
    if (x == (type)-1 && PyErr_Occurred())                                 \
        fail
#define _CFFIPY_TO_PTR(x, o, ct, fail)                                     \
    datasize = _cffi_prepare_pointer_call_argument(ct, o, (char **)&x);    \
    if (datasize != 0 &&                                                   \
        _cffi_array_argument(&scratch, ct, o, (char **)&x, datasize) < 0)  \
        fail
#define _CFFIPY_TO_BY_TYPE(x, o, ct, fail)                                 \
    if (_cffi_to_c((char *)&x, ct, o) < 0)                                 \
        fail
#define _CFFIPY_SCRATCH                                                    \
    PyObject *pyresult = NULL;                                             \
    Py_ssize_t datasize;                                                   \
    _cffi_scratch_t scratch;                                               \
    scratch.used = 0;                                                      \
    scratch.heap = NULL
/* The call, with the GIL released and errno carried over (§6.3). */
#define _CFFIPY_CALL(statement)                                            \
    Py_BEGIN_ALLOW_THREADS                                                 \
    _cffi_restore_errno();                                                 \
    { statement; }                                                         \
    _cffi_save_errno();                                                    \
    Py_END_ALLOW_THREADS

/* Scratch memory for the arrays that `T *` arguments are built from:
   small ones in the wrapper's frame, others on the heap. */
struct _cffi_heap_s { struct _cffi_heap_s *next; };
typedef struct {
    size_t used;
    struct _cffi_heap_s *heap;
    union { char bytes[640]; long double ld; void *p; } stack;
} _cffi_scratch_t;

_CFFI_UNUSED_FN static int _cffi_array_argument(_cffi_scratch_t *s, struct _cffi_ctypedescr *ct,
                                PyObject *arg, char **out, Py_ssize_t size)
{
    size_t n = (size_t)size;
    size_t start = (s->used + 15) & ~(size_t)15;
    char *p;
    if (size < 0)
        return -1;
    if (n <= sizeof(s->stack.bytes) && start + n <= sizeof(s->stack.bytes)) {
        p = s->stack.bytes + start;
        s->used = start + n;
    }
    else {
        struct _cffi_heap_s *h = (struct _cffi_heap_s *)PyMem_Malloc(16 + n);
        if (h == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        h->next = s->heap;
        s->heap = h;
        p = (char *)h + 16;
    }
    memset(p, 0, n);
    *out = p;
    return _cffi_convert_array_from_object(p, ct, arg);
}

_CFFI_UNUSED_FN static void _cffi_scratch_free(_cffi_scratch_t *s)
{
    while (s->heap != NULL) {
        struct _cffi_heap_s *next = s->heap->next;
        PyMem_Free(s->heap);
        s->heap = next;
    }
}

/* The module's entry point, shared by every module (§6.1). */
static PyObject *_cffi_init(const char *module_name, Py_ssize_t version,
                            const struct _cffi_type_context_s *ctx)
{
    PyObject *backend, *address, *module;
    const void *raw[4];
    raw[0] = module_name;
    raw[1] = (const void *)version;
    raw[2] = (const void *)_cffi_exports;
    raw[3] = (const void *)ctx;
    backend = PyImport_ImportModule("_cffi_backend");
    if (backend == NULL)
        return NULL;
    address = PyLong_FromVoidPtr((void *)raw);
    if (address == NULL) {
        Py_DECREF(backend);
        return NULL;
    }
    module = PyObject_CallMethod(backend, "_init_cffi_1_0_external_module", "O", address);
    Py_DECREF(address);
    Py_DECREF(backend);
    return module;
}

#ifdef __cplusplus
}
#endif
