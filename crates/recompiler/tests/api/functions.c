
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_FUNCTION, 1), /* _Bool(_Bool) */
/*   1 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 1), /* _Bool */
/*   2 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   3 */ _CFFI_OP(_CFFI_OP_FUNCTION, 4), /* _cffi_double_complex_t(_cffi_double_complex_t) */
/*   4 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 49), /* _cffi_double_complex_t */
/*   5 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   6 */ _CFFI_OP(_CFFI_OP_FUNCTION, 7), /* char const *(char const *) */
/*   7 */ _CFFI_OP(_CFFI_OP_POINTER, 81), /* char const * */
/*   8 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   9 */ _CFFI_OP(_CFFI_OP_FUNCTION, 81), /* char(char *) */
/*  10 */ _CFFI_OP(_CFFI_OP_POINTER, 81), /* char * */
/*  11 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  12 */ _CFFI_OP(_CFFI_OP_FUNCTION, 13), /* char16_t(char16_t) */
/*  13 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 50), /* char16_t */
/*  14 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  15 */ _CFFI_OP(_CFFI_OP_FUNCTION, 16), /* char32_t(char32_t) */
/*  16 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 51), /* char32_t */
/*  17 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  18 */ _CFFI_OP(_CFFI_OP_FUNCTION, 19), /* double(double) */
/*  19 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 14), /* double */
/*  20 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  21 */ _CFFI_OP(_CFFI_OP_FUNCTION, 22), /* enum color(enum color) */
/*  22 */ _CFFI_OP(_CFFI_OP_ENUM, 0), /* enum color */
/*  23 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  24 */ _CFFI_OP(_CFFI_OP_FUNCTION, 25), /* float(float) */
/*  25 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 13), /* float */
/*  26 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  27 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(char const *, ...) */
/*  28 */ _CFFI_OP(_CFFI_OP_NOOP, 7),
/*  29 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 1),
/*  30 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(int *) */
/*  31 */ _CFFI_OP(_CFFI_OP_POINTER, 35), /* int * */
/*  32 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  33 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(int *, int) */
/*  34 */ _CFFI_OP(_CFFI_OP_NOOP, 31),
/*  35 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*  36 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  37 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(int(*)(int), int) */
/*  38 */ _CFFI_OP(_CFFI_OP_POINTER, 41), /* int(*)(int) */
/*  39 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  40 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  41 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(int) */
/*  42 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  43 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  44 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(int, int) */
/*  45 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  46 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  47 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  48 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(struct point) */
/*  49 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* struct point */
/*  50 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  51 */ _CFFI_OP(_CFFI_OP_FUNCTION, 35), /* int(void) */
/*  52 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  53 */ _CFFI_OP(_CFFI_OP_FUNCTION, 38), /* int(*(int))(int) */
/*  54 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  55 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  56 */ _CFFI_OP(_CFFI_OP_FUNCTION, 57), /* long double(long double) */
/*  57 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 15), /* long double */
/*  58 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  59 */ _CFFI_OP(_CFFI_OP_FUNCTION, 60), /* signed char(signed char, short, unsigned short) */
/*  60 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 3), /* signed char */
/*  61 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 5), /* short */
/*  62 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 6), /* unsigned short */
/*  63 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  64 */ _CFFI_OP(_CFFI_OP_FUNCTION, 83), /* size_t(char const *) */
/*  65 */ _CFFI_OP(_CFFI_OP_NOOP, 7),
/*  66 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  67 */ _CFFI_OP(_CFFI_OP_FUNCTION, 49), /* struct point(int, int) */
/*  68 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  69 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*  70 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  71 */ _CFFI_OP(_CFFI_OP_FUNCTION, 72), /* unsigned long long(unsigned long long) */
/*  72 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 12), /* unsigned long long */
/*  73 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  74 */ _CFFI_OP(_CFFI_OP_FUNCTION, 84), /* void *(void) */
/*  75 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  76 */ _CFFI_OP(_CFFI_OP_FUNCTION, 85), /* void(void) */
/*  77 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  78 */ _CFFI_OP(_CFFI_OP_FUNCTION, 79), /* wchar_t(wchar_t) */
/*  79 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 16), /* wchar_t */
/*  80 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  81 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*  82 */ _CFFI_OP(_CFFI_OP_POINTER, 27), /* int(*)(char const *, ...) */
/*  83 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 28), /* size_t */
/*  84 */ _CFFI_OP(_CFFI_OP_POINTER, 85), /* void * */
/*  85 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 0), /* void */
};

static int _cffi_const_GREEN(unsigned long long *o)
{
  int n = ((GREEN) <= 0);
  *o = (unsigned long long)((GREEN) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_RED(unsigned long long *o)
{
  int n = ((RED) <= 0);
  *o = (unsigned long long)((RED) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_d_add(int x0, int x1)
{
  return add(x0, x1);
}

static PyObject *
_cffipy_fast_add(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  int x0;
  int x1;
  int result;
  PyObject *arg0;
  PyObject *arg1;
  long long v;
  (void)self;
  _CFFIPY_CHECK_ARGS("add", 2);
  arg0 = args[0];
  arg1 = args[1];
  _CFFIPY_TO_INT(x0, arg0, int, return NULL)
  _CFFIPY_TO_INT(x1, arg1, int, return NULL)
  _CFFIPY_CALL(result = add(x0, x1));
  return _cffi_from_c_int(result, int);
}

static PyObject *
_cffi_f_add(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "add", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_add(self, a, 2, NULL);
}

static unsigned long long _cffi_d_big(unsigned long long x0)
{
  return big(x0);
}

static PyObject *
_cffi_f_big(PyObject *self, PyObject *arg0)
{
  unsigned long long x0;
  unsigned long long result;
  long long v;
  (void)self;
  _CFFIPY_TO_INT(x0, arg0, unsigned long long, return NULL)
  _CFFIPY_CALL(result = big(x0));
  return _cffi_from_c_int(result, unsigned long long);
}

static signed char _cffi_d_small(signed char x0, short x1, unsigned short x2)
{
  return small(x0, x1, x2);
}

static PyObject *
_cffipy_fast_small(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  signed char x0;
  short x1;
  unsigned short x2;
  signed char result;
  PyObject *arg0;
  PyObject *arg1;
  PyObject *arg2;
  long long v;
  (void)self;
  _CFFIPY_CHECK_ARGS("small", 3);
  arg0 = args[0];
  arg1 = args[1];
  arg2 = args[2];
  _CFFIPY_TO_INT(x0, arg0, signed char, return NULL)
  _CFFIPY_TO_INT(x1, arg1, short, return NULL)
  _CFFIPY_TO_INT(x2, arg2, unsigned short, return NULL)
  _CFFIPY_CALL(result = small(x0, x1, x2));
  return _cffi_from_c_int(result, signed char);
}

static PyObject *
_cffi_f_small(PyObject *self, PyObject *args)
{
  PyObject *a[3];
  if (!PyArg_UnpackTuple(args, "small", 3, 3, &a[0], &a[1], &a[2]))
    return NULL;
  return _cffipy_fast_small(self, a, 3, NULL);
}

static void _cffi_d_nothing(void)
{
  nothing();
}

static PyObject *
_cffi_f_nothing(PyObject *self, PyObject *noarg)
{
  (void)self;
  (void)noarg;
  _CFFIPY_CALL(nothing());
  return (Py_INCREF(Py_None), Py_None);
}

static int _cffi_d_noargs(void)
{
  return noargs();
}

static PyObject *
_cffi_f_noargs(PyObject *self, PyObject *noarg)
{
  int result;
  (void)self;
  (void)noarg;
  _CFFIPY_CALL(result = noargs());
  return _cffi_from_c_int(result, int);
}

static double _cffi_d_scale(double x0)
{
  return scale(x0);
}

static PyObject *
_cffi_f_scale(PyObject *self, PyObject *arg0)
{
  double x0;
  double result;
  (void)self;
  _CFFIPY_TO(x0, arg0, double, _cffi_to_c_double, return NULL);
  _CFFIPY_CALL(result = scale(x0));
  return _cffi_from_c_double(result);
}

static float _cffi_d_halve(float x0)
{
  return halve(x0);
}

static PyObject *
_cffi_f_halve(PyObject *self, PyObject *arg0)
{
  float x0;
  float result;
  (void)self;
  _CFFIPY_TO(x0, arg0, float, _cffi_to_c_float, return NULL);
  _CFFIPY_CALL(result = halve(x0));
  return _cffi_from_c_float(result);
}

static long double _cffi_d_third(long double x0)
{
  return third(x0);
}

static PyObject *
_cffi_f_third(PyObject *self, PyObject *arg0)
{
  long double x0;
  long double result;
  (void)self;
  _CFFIPY_TO(x0, arg0, long double, _cffi_to_c_long_double, return NULL);
  _CFFIPY_CALL(result = third(x0));
  return _cffi_from_c_deref((char *)&result, _cffi_type(57));
}

static _Bool _cffi_d_negate(_Bool x0)
{
  return negate(x0);
}

static PyObject *
_cffi_f_negate(PyObject *self, PyObject *arg0)
{
  _Bool x0;
  _Bool result;
  (void)self;
  _CFFIPY_TO(x0, arg0, _Bool, _cffi_to_c__Bool, return NULL);
  _CFFIPY_CALL(result = negate(x0));
  return _cffi_from_c__Bool(result);
}

static char _cffi_d_first(char *x0)
{
  return first(x0);
}

static PyObject *
_cffi_f_first(PyObject *self, PyObject *arg0)
{
  char *x0;
  char result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(10), goto done);
  _CFFIPY_CALL(result = first(x0));
  pyresult = _cffi_from_c_char(result);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static wchar_t _cffi_d_wide(wchar_t x0)
{
  return wide(x0);
}

static PyObject *
_cffi_f_wide(PyObject *self, PyObject *arg0)
{
  wchar_t x0;
  wchar_t result;
  (void)self;
  _CFFIPY_TO(x0, arg0, wchar_t, _cffi_to_c_wchar_t, return NULL);
  _CFFIPY_CALL(result = wide(x0));
  return _cffi_from_c_wchar_t(result);
}

static char16_t _cffi_d_c16(char16_t x0)
{
  return c16(x0);
}

static PyObject *
_cffi_f_c16(PyObject *self, PyObject *arg0)
{
  char16_t x0;
  char16_t result;
  (void)self;
  _CFFIPY_TO(x0, arg0, char16_t, _cffi_to_c_char16_t, return NULL);
  _CFFIPY_CALL(result = c16(x0));
  return _cffi_from_c_char16_t(result);
}

static char32_t _cffi_d_c32(char32_t x0)
{
  return c32(x0);
}

static PyObject *
_cffi_f_c32(PyObject *self, PyObject *arg0)
{
  char32_t x0;
  char32_t result;
  (void)self;
  _CFFIPY_TO(x0, arg0, char32_t, _cffi_to_c_char32_t, return NULL);
  _CFFIPY_CALL(result = c32(x0));
  return _cffi_from_c_char32_t(result);
}

static char const *_cffi_d_greet(char const *x0)
{
  return greet(x0);
}

static PyObject *
_cffi_f_greet(PyObject *self, PyObject *arg0)
{
  char const *x0;
  char const *result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(7), goto done);
  _CFFIPY_CALL(result = greet(x0));
  pyresult = _cffi_from_c_pointer((char *)result, _cffi_type(7));
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static size_t _cffi_d_length(char const *x0)
{
  return length(x0);
}

static PyObject *
_cffi_f_length(PyObject *self, PyObject *arg0)
{
  char const *x0;
  size_t result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(7), goto done);
  _CFFIPY_CALL(result = length(x0));
  pyresult = _cffi_from_c_int(result, size_t);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static int _cffi_d_sum(int *x0, int x1)
{
  return sum(x0, x1);
}

static PyObject *
_cffipy_fast_sum(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  int *x0;
  int x1;
  int result;
  PyObject *arg0;
  PyObject *arg1;
  long long v;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_CHECK_ARGS("sum", 2);
  arg0 = args[0];
  arg1 = args[1];
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(31), goto done);
  _CFFIPY_TO_INT(x1, arg1, int, goto done)
  _CFFIPY_CALL(result = sum(x0, x1));
  pyresult = _cffi_from_c_int(result, int);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static PyObject *
_cffi_f_sum(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "sum", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_sum(self, a, 2, NULL);
}

static int _cffi_d_sum_array(int *x0)
{
  return sum_array(x0);
}

static PyObject *
_cffi_f_sum_array(PyObject *self, PyObject *arg0)
{
  int *x0;
  int result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(31), goto done);
  _CFFIPY_CALL(result = sum_array(x0));
  pyresult = _cffi_from_c_int(result, int);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static void *_cffi_d_opaque_ptr(void)
{
  return opaque_ptr();
}

static PyObject *
_cffi_f_opaque_ptr(PyObject *self, PyObject *noarg)
{
  void *result;
  (void)self;
  (void)noarg;
  _CFFIPY_CALL(result = opaque_ptr());
  return _cffi_from_c_pointer((char *)result, _cffi_type(84));
}

static struct point _cffi_d_mkpoint(int x0, int x1)
{
  return mkpoint(x0, x1);
}

static PyObject *
_cffipy_fast_mkpoint(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  int x0;
  int x1;
  struct point result;
  PyObject *arg0;
  PyObject *arg1;
  long long v;
  (void)self;
  _CFFIPY_CHECK_ARGS("mkpoint", 2);
  arg0 = args[0];
  arg1 = args[1];
  _CFFIPY_TO_INT(x0, arg0, int, return NULL)
  _CFFIPY_TO_INT(x1, arg1, int, return NULL)
  _CFFIPY_CALL(result = mkpoint(x0, x1));
  return _cffi_from_c_struct((char *)&result, _cffi_type(49));
}

static PyObject *
_cffi_f_mkpoint(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "mkpoint", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_mkpoint(self, a, 2, NULL);
}

static int _cffi_d_norm(struct point x0)
{
  return norm(x0);
}

static PyObject *
_cffi_f_norm(PyObject *self, PyObject *arg0)
{
  struct point x0;
  int result;
  (void)self;
  _CFFIPY_TO_BY_TYPE(x0, arg0, _cffi_type(49), return NULL);
  _CFFIPY_CALL(result = norm(x0));
  return _cffi_from_c_int(result, int);
}

static enum color _cffi_d_next(enum color x0)
{
  return next(x0);
}

static PyObject *
_cffi_f_next(PyObject *self, PyObject *arg0)
{
  enum color x0;
  enum color result;
  (void)self;
  _CFFIPY_TO_BY_TYPE(x0, arg0, _cffi_type(22), return NULL);
  _CFFIPY_CALL(result = next(x0));
  return _cffi_from_c_deref((char *)&result, _cffi_type(22));
}

static int _cffi_d_call(int(*x0)(int), int x1)
{
  return call(x0, x1);
}

static PyObject *
_cffipy_fast_call(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  int(*x0)(int);
  int x1;
  int result;
  PyObject *arg0;
  PyObject *arg1;
  long long v;
  (void)self;
  _CFFIPY_CHECK_ARGS("call", 2);
  arg0 = args[0];
  arg1 = args[1];
  x0 = (int(*)(int))_cffi_to_c_pointer(arg0, _cffi_type(38));
  if (x0 == (int(*)(int))NULL && PyErr_Occurred())
    return NULL;
  _CFFIPY_TO_INT(x1, arg1, int, return NULL)
  _CFFIPY_CALL(result = call(x0, x1));
  return _cffi_from_c_int(result, int);
}

static PyObject *
_cffi_f_call(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "call", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_call(self, a, 2, NULL);
}

static int(*_cffi_d_pick(int x0))(int)
{
  return pick(x0);
}

static PyObject *
_cffi_f_pick(PyObject *self, PyObject *arg0)
{
  int x0;
  int(*result)(int);
  long long v;
  (void)self;
  _CFFIPY_TO_INT(x0, arg0, int, return NULL)
  _CFFIPY_CALL(result = pick(x0));
  return _cffi_from_c_pointer((char *)result, _cffi_type(38));
}

static void _cffi_const_printf(char *o)
{
  *(int(* *)(char const *, ...))o = printf;
}

static _cffi_double_complex_t _cffi_d_conj_d(_cffi_double_complex_t x0)
{
  return conj_d(x0);
}

static PyObject *
_cffi_f_conj_d(PyObject *self, PyObject *arg0)
{
  _cffi_double_complex_t x0;
  _cffi_double_complex_t result;
  (void)self;
  _CFFIPY_TO_BY_TYPE(x0, arg0, _cffi_type(4), return NULL);
  _CFFIPY_CALL(result = conj_d(x0));
  return _cffi_from_c_deref((char *)&result, _cffi_type(4));
}

_CFFI_UNUSED_FN static void _cffi_checkfld_s_point(struct point *p)
{
  (void)p;
  (void)((p->x) | 0);
  (void)((p->y) | 0);
}

struct _cffi_align_s_point { char x; struct point y; };

static const struct _cffi_global_s _cffi_globals[] = {
  { "GREEN", (void *)_cffi_const_GREEN, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "RED", (void *)_cffi_const_RED, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "add", (void *)_cffi_f_add, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 44), (void *)_cffi_d_add },
  { "big", (void *)_cffi_f_big, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 71), (void *)_cffi_d_big },
  { "c16", (void *)_cffi_f_c16, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 12), (void *)_cffi_d_c16 },
  { "c32", (void *)_cffi_f_c32, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 15), (void *)_cffi_d_c32 },
  { "call", (void *)_cffi_f_call, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 37), (void *)_cffi_d_call },
  { "conj_d", (void *)_cffi_f_conj_d, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 3), (void *)_cffi_d_conj_d },
  { "first", (void *)_cffi_f_first, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 9), (void *)_cffi_d_first },
  { "greet", (void *)_cffi_f_greet, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 6), (void *)_cffi_d_greet },
  { "halve", (void *)_cffi_f_halve, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 24), (void *)_cffi_d_halve },
  { "length", (void *)_cffi_f_length, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 64), (void *)_cffi_d_length },
  { "mkpoint", (void *)_cffi_f_mkpoint, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 67), (void *)_cffi_d_mkpoint },
  { "negate", (void *)_cffi_f_negate, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 0), (void *)_cffi_d_negate },
  { "next", (void *)_cffi_f_next, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 21), (void *)_cffi_d_next },
  { "noargs", (void *)_cffi_f_noargs, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_N, 51), (void *)_cffi_d_noargs },
  { "norm", (void *)_cffi_f_norm, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 48), (void *)_cffi_d_norm },
  { "nothing", (void *)_cffi_f_nothing, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_N, 76), (void *)_cffi_d_nothing },
  { "opaque_ptr", (void *)_cffi_f_opaque_ptr, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_N, 74), (void *)_cffi_d_opaque_ptr },
  { "pick", (void *)_cffi_f_pick, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 53), (void *)_cffi_d_pick },
  { "printf", (void *)_cffi_const_printf, _CFFI_OP(_CFFI_OP_CONSTANT, 82), (void *)0 },
  { "scale", (void *)_cffi_f_scale, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 18), (void *)_cffi_d_scale },
  { "small", (void *)_cffi_f_small, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 59), (void *)_cffi_d_small },
  { "sum", (void *)_cffi_f_sum, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 33), (void *)_cffi_d_sum },
  { "sum_array", (void *)_cffi_f_sum_array, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 30), (void *)_cffi_d_sum_array },
  { "third", (void *)_cffi_f_third, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 56), (void *)_cffi_d_third },
  { "wide", (void *)_cffi_f_wide, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 78), (void *)_cffi_d_wide },
};

static const struct _cffi_field_s _cffi_fields[] = {
  { "x", offsetof(struct point, x), sizeof(((struct point *)0)->x), _CFFI_OP(_CFFI_OP_NOOP, 35) },
  { "y", offsetof(struct point, y), sizeof(((struct point *)0)->y), _CFFI_OP(_CFFI_OP_NOOP, 35) },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "point", 49, 0x2, sizeof(struct point), (int)offsetof(struct _cffi_align_s_point, y), 0, 2 },
};

static const struct _cffi_enum_s _cffi_enums[] = {
  { "color", 22, _cffi_prim_int(sizeof(enum color), ((enum color)-1) <= 0), "RED,GREEN" },
};

static void *const _cffipy_fast[] = {
  0,
  0,
  (void *)_cffipy_fast_add,
  0,
  0,
  0,
  (void *)_cffipy_fast_call,
  0,
  0,
  0,
  0,
  0,
  (void *)_cffipy_fast_mkpoint,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  0,
  (void *)_cffipy_fast_small,
  (void *)_cffipy_fast_sum,
  0,
  0,
  0,
};

static const struct _cffipy_context_s _cffi_context = { {
  _cffi_types,
  _cffi_globals,
  _cffi_fields,
  _cffi_struct_unions,
  _cffi_enums,
  NULL,
  27 /* globals */, 1 /* structs and unions */, 1 /* enums */, 0 /* typenames */,
  NULL,
  86 /* types */,
  0 | _CFFIPY_F_EXTENSION /* flags */
}, { 1, _cffipy_fast } };
#define _cffi_type_context (_cffi_context.ctx)

#ifdef __GNUC__
#  pragma GCC visibility push(default)
#endif
PyMODINIT_FUNC
PyInit__snap_functions(void)
{
  return _cffi_init("_snap_functions", 0x2801, &_cffi_type_context);
}
#ifdef __GNUC__
#  pragma GCC visibility pop
#endif
