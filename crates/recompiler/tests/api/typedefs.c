
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_FUNCTION, 1), /* opaque_p (opaque_p ) */
/*   1 */ _CFFI_OP(_CFFI_OP_POINTER, 25), /* opaque_p  */
/*   2 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   3 */ _CFFI_OP(_CFFI_OP_FUNCTION, 9), /* int(char const *, FILE *) */
/*   4 */ _CFFI_OP(_CFFI_OP_POINTER, 27), /* char const * */
/*   5 */ _CFFI_OP(_CFFI_OP_POINTER, 26), /* FILE * */
/*   6 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   7 */ _CFFI_OP(_CFFI_OP_FUNCTION, 9), /* int(int(*)(my_int_t), int) */
/*   8 */ _CFFI_OP(_CFFI_OP_POINTER, 11), /* int(*)(my_int_t) */
/*   9 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*  10 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  11 */ _CFFI_OP(_CFFI_OP_FUNCTION, 9), /* int(my_int_t) */
/*  12 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, _cffi_prim_int(sizeof(my_int_t), ((((my_int_t)-1) | 0) <= 0))), /* my_int_t */
/*  13 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  14 */ _CFFI_OP(_CFFI_OP_FUNCTION, 9), /* int(opaque_t *) */
/*  15 */ _CFFI_OP(_CFFI_OP_POINTER, 32), /* opaque_t * */
/*  16 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  17 */ _CFFI_OP(_CFFI_OP_FUNCTION, 18), /* my_float_t(my_float_t) */
/*  18 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, _cffi_prim_float(sizeof(my_float_t) * (size_t)((((my_float_t)1) / 2) * 2))), /* my_float_t */
/*  19 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  20 */ _CFFI_OP(_CFFI_OP_FUNCTION, 12), /* my_int_t(my_int_t) */
/*  21 */ _CFFI_OP(_CFFI_OP_NOOP, 12),
/*  22 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  23 */ _CFFI_OP(_CFFI_OP_FUNCTION, 15), /* opaque_t *(void) */
/*  24 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  25 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* $opaque_p */
/*  26 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 2), /* FILE */
/*  27 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*  28 */ _CFFI_OP(_CFFI_OP_ARRAY, 9), /* int[_cffi_array_len((*(array_t *)0))] */
/*  29 */ (_cffi_opcode_t)(_cffi_array_len((*(array_t *)0))),
/*  30 */ _CFFI_OP(_CFFI_OP_ARRAY, 12), /* my_int_t[2] */
/*  31 */ (_cffi_opcode_t)(2),
/*  32 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 1), /* opaque_t */
};

static my_int_t _cffi_d_twice(my_int_t x0)
{
  return twice(x0);
}

static PyObject *
_cffi_f_twice(PyObject *self, PyObject *arg0)
{
  my_int_t x0;
  my_int_t result;
  long long v;
  (void)self;
  _CFFIPY_TO_INT(x0, arg0, my_int_t, return NULL)
  _CFFIPY_CALL(result = twice(x0));
  return _cffi_from_c_int(result, my_int_t);
}

static my_float_t _cffi_d_half(my_float_t x0)
{
  return half(x0);
}

static PyObject *
_cffi_f_half(PyObject *self, PyObject *arg0)
{
  my_float_t x0;
  my_float_t result;
  (void)self;
  _CFFIPY_TO(x0, arg0, my_float_t, _cffi_to_c_double, return NULL);
  _CFFIPY_CALL(result = half(x0));
  return _cffi_from_c_double(result);
}

static opaque_t *_cffi_d_make(void)
{
  return make();
}

static PyObject *
_cffi_f_make(PyObject *self, PyObject *noarg)
{
  opaque_t *result;
  (void)self;
  (void)noarg;
  _CFFIPY_CALL(result = make());
  return _cffi_from_c_pointer((char *)result, _cffi_type(15));
}

static int _cffi_d_use(opaque_t *x0)
{
  return use(x0);
}

static PyObject *
_cffi_f_use(PyObject *self, PyObject *arg0)
{
  opaque_t *x0;
  int result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(15), goto done);
  _CFFIPY_CALL(result = use(x0));
  pyresult = _cffi_from_c_int(result, int);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static int _cffi_d_fputs(char const *x0, FILE *x1)
{
  return fputs(x0, x1);
}

static PyObject *
_cffipy_fast_fputs(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  char const *x0;
  FILE *x1;
  int result;
  PyObject *arg0;
  PyObject *arg1;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_CHECK_ARGS("fputs", 2);
  arg0 = args[0];
  arg1 = args[1];
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(4), goto done);
  _CFFIPY_TO_PTR(x1, arg1, _cffi_type(5), goto done);
  _CFFIPY_CALL(result = fputs(x0, x1));
  pyresult = _cffi_from_c_int(result, int);
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static PyObject *
_cffi_f_fputs(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "fputs", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_fputs(self, a, 2, NULL);
}

static int _cffi_d_apply(int(*x0)(my_int_t), int x1)
{
  return apply(x0, x1);
}

static PyObject *
_cffipy_fast_apply(PyObject *self, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
  int(*x0)(my_int_t);
  int x1;
  int result;
  PyObject *arg0;
  PyObject *arg1;
  long long v;
  (void)self;
  _CFFIPY_CHECK_ARGS("apply", 2);
  arg0 = args[0];
  arg1 = args[1];
  x0 = (int(*)(my_int_t))_cffi_to_c_pointer(arg0, _cffi_type(8));
  if (x0 == (int(*)(my_int_t))NULL && PyErr_Occurred())
    return NULL;
  _CFFIPY_TO_INT(x1, arg1, int, return NULL)
  _CFFIPY_CALL(result = apply(x0, x1));
  return _cffi_from_c_int(result, int);
}

static PyObject *
_cffi_f_apply(PyObject *self, PyObject *args)
{
  PyObject *a[2];
  if (!PyArg_UnpackTuple(args, "apply", 2, 2, &a[0], &a[1]))
    return NULL;
  return _cffipy_fast_apply(self, a, 2, NULL);
}

static opaque_p _cffi_d_pass_through(opaque_p x0)
{
  return pass_through(x0);
}

static PyObject *
_cffi_f_pass_through(PyObject *self, PyObject *arg0)
{
  opaque_p x0;
  opaque_p result;
  _CFFIPY_SCRATCH;
  (void)self;
  _CFFIPY_TO_PTR(x0, arg0, _cffi_type(1), goto done);
  _CFFIPY_CALL(result = pass_through(x0));
  pyresult = _cffi_from_c_pointer((char *)result, _cffi_type(1));
 done:
  _cffi_scratch_free(&scratch);
  return pyresult;
}

static const struct _cffi_global_s _cffi_globals[] = {
  { "apply", (void *)_cffi_f_apply, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 7), (void *)_cffi_d_apply },
  { "fputs", (void *)_cffi_f_fputs, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_V, 3), (void *)_cffi_d_fputs },
  { "half", (void *)_cffi_f_half, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 17), (void *)_cffi_d_half },
  { "make", (void *)_cffi_f_make, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_N, 23), (void *)_cffi_d_make },
  { "pass_through", (void *)_cffi_f_pass_through, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 0), (void *)_cffi_d_pass_through },
  { "twice", (void *)_cffi_f_twice, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 20), (void *)_cffi_d_twice },
  { "use", (void *)_cffi_f_use, _CFFI_OP(_CFFI_OP_CPYTHON_BLTN_O, 14), (void *)_cffi_d_use },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "$$opaque_p", 25, 0x10, (size_t)-1, -1, -1, 0 },
  { "$opaque_t", 32, 0x10, (size_t)-1, -1, -1, 0 },
  { "_IO_FILE", 26, 0x10, (size_t)-1, -1, -1, 0 },
};

static const struct _cffi_typename_s _cffi_typenames[] = {
  { "FILE", 26 },
  { "array_t", 28 },
  { "callback_t", 8 },
  { "my_float_t", 18 },
  { "my_int_t", 12 },
  { "opaque_p", 1 },
  { "opaque_t", 32 },
  { "pair_t", 30 },
};

static void *const _cffipy_fast[] = {
  (void *)_cffipy_fast_apply,
  (void *)_cffipy_fast_fputs,
  0,
  0,
  0,
  0,
  0,
};

static const struct _cffipy_context_s _cffi_context = { {
  _cffi_types,
  _cffi_globals,
  NULL,
  _cffi_struct_unions,
  NULL,
  _cffi_typenames,
  7 /* globals */, 3 /* structs and unions */, 0 /* enums */, 8 /* typenames */,
  NULL,
  33 /* types */,
  0 | _CFFIPY_F_EXTENSION /* flags */
}, { 1, _cffipy_fast } };
#define _cffi_type_context (_cffi_context.ctx)

#ifdef __GNUC__
#  pragma GCC visibility push(default)
#endif
PyMODINIT_FUNC
PyInit__snap_typedefs(void)
{
  return _cffi_init("_snap_typedefs", 0x2601, &_cffi_type_context);
}
#ifdef __GNUC__
#  pragma GCC visibility pop
#endif
