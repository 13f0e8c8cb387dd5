
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_FUNCTION, 1), /* double(double) */
/*   1 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 14), /* double */
/*   2 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   3 */ _CFFI_OP(_CFFI_OP_FUNCTION, 4), /* int(int) */
/*   4 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*   5 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*   6 */ _CFFI_OP(_CFFI_OP_FUNCTION, 4), /* int(int, void *) */
/*   7 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7),
/*   8 */ _CFFI_OP(_CFFI_OP_POINTER, 36), /* void * */
/*   9 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  10 */ _CFFI_OP(_CFFI_OP_FUNCTION, 36), /* void(struct point, long double) */
/*  11 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* struct point */
/*  12 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 15), /* long double */
/*  13 */ _CFFI_OP(_CFFI_OP_FUNCTION_END, 0),
/*  14 */ _CFFI_OP(_CFFI_OP_POINTER, 15), /* char const * */
/*  15 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*  16 */ _CFFI_OP(_CFFI_OP_POINTER, 0), /* double(*)(double) */
/*  17 */ _CFFI_OP(_CFFI_OP_ARRAY, 19), /* double[3][4] */
/*  18 */ (_cffi_opcode_t)(3),
/*  19 */ _CFFI_OP(_CFFI_OP_ARRAY, 1), /* double[4] */
/*  20 */ (_cffi_opcode_t)(4),
/*  21 */ _CFFI_OP(_CFFI_OP_POINTER, 3), /* int(*)(int) */
/*  22 */ _CFFI_OP(_CFFI_OP_POINTER, 6), /* int(*)(int, void *) */
/*  23 */ _CFFI_OP(_CFFI_OP_ARRAY, 4), /* int[8] */
/*  24 */ (_cffi_opcode_t)(8),
/*  25 */ _CFFI_OP(_CFFI_OP_OPEN_ARRAY, 4), /* int[] */
/*  26 */ _CFFI_OP(_CFFI_OP_OPEN_ARRAY, 31), /* int[][_cffi_array_len(rows[0])] */
/*  27 */ _CFFI_OP(_CFFI_OP_ARRAY, 29), /* int[_cffi_array_len(grid)][_cffi_array_len(grid[0])] */
/*  28 */ (_cffi_opcode_t)(_cffi_array_len(grid)),
/*  29 */ _CFFI_OP(_CFFI_OP_ARRAY, 4), /* int[_cffi_array_len(grid[0])] */
/*  30 */ (_cffi_opcode_t)(_cffi_array_len(grid[0])),
/*  31 */ _CFFI_OP(_CFFI_OP_ARRAY, 4), /* int[_cffi_array_len(rows[0])] */
/*  32 */ (_cffi_opcode_t)(_cffi_array_len(rows[0])),
/*  33 */ _CFFI_OP(_CFFI_OP_ARRAY, 4), /* int[_cffi_array_len(sized)] */
/*  34 */ (_cffi_opcode_t)(_cffi_array_len(sized)),
/*  35 */ _CFFI_OP(_CFFI_OP_POINTER, 10), /* void(*)(struct point, long double) */
/*  36 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 0), /* void */
};

static int *_cffi_var_counter(void)
{
  return &(counter);
}

static char const * *_cffi_var_message(void)
{
  return &(message);
}

static int(*_cffi_var_table(void))[8]
{
  return &(table);
}

static int(*_cffi_var_sized(void))[_cffi_array_len(sized)]
{
  return &(sized);
}

static int *_cffi_var_open_ended(void)
{
  return (open_ended);
}

static double(*_cffi_var_matrix(void))[3][4]
{
  return &(matrix);
}

static struct point *_cffi_var_origin(void)
{
  return &(origin);
}

static int(* *_cffi_var_handler(void))(int)
{
  return &(handler);
}

static int(*_cffi_var_grid(void))[_cffi_array_len(grid)][_cffi_array_len(grid[0])]
{
  return &(grid);
}

static int(*_cffi_var_rows(void))[_cffi_array_len(rows[0])]
{
  return (rows);
}

static struct _cffi_externpy_s _cffi_externpy__on_event =
  { "_snap_globals.on_event", sizeof(int), 0, 0 };

static int on_event(int a0, void *a1)
{
  union { char c[16]; long double ld; void *p; int r; } buf;
  char *p = buf.c;
  *(int *)(p + 0) = a0;
  *(void * *)(p + 8) = a1;
  _cffi_call_python(&_cffi_externpy__on_event, p);
  return *(int *)p;
}

static struct _cffi_externpy_s _cffi_externpy__on_point =
  { "_snap_globals.on_point", 0, 0, 0 };

static void on_point(struct point a0, long double a1)
{
  union { char c[16]; long double ld; void *p; } buf;
  char *p = buf.c;
  *(struct point * *)(p + 0) = &a0;
  *(long double * *)(p + 8) = &a1;
  _cffi_call_python(&_cffi_externpy__on_point, p);
}

static struct _cffi_externpy_s _cffi_externpy__exported =
  { "_snap_globals.exported", sizeof(double), 0, 0 };

double exported(double a0)
{
  union { char c[8]; long double ld; void *p; double r; } buf;
  char *p = buf.c;
  *(double *)(p + 0) = a0;
  _cffi_call_python(&_cffi_externpy__exported, p);
  return *(double *)p;
}

_CFFI_UNUSED_FN static void _cffi_checkfld_s_point(struct point *p)
{
  (void)p;
  (void)((p->x) | 0);
  (void)((p->y) | 0);
}

struct _cffi_align_s_point { char x; struct point y; };

static const struct _cffi_global_s _cffi_globals[] = {
  { "counter", (void *)_cffi_var_counter, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 4), (void *)0 },
  { "exported", (void *)&_cffi_externpy__exported, _CFFI_OP(_CFFI_OP_EXTERN_PYTHON, 16), (void *)exported },
  { "grid", (void *)_cffi_var_grid, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 27), (void *)0 },
  { "handler", (void *)_cffi_var_handler, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 21), (void *)0 },
  { "matrix", (void *)_cffi_var_matrix, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 17), (void *)0 },
  { "message", (void *)_cffi_var_message, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 14), (void *)0 },
  { "on_event", (void *)&_cffi_externpy__on_event, _CFFI_OP(_CFFI_OP_EXTERN_PYTHON, 22), (void *)on_event },
  { "on_point", (void *)&_cffi_externpy__on_point, _CFFI_OP(_CFFI_OP_EXTERN_PYTHON, 35), (void *)on_point },
  { "open_ended", (void *)_cffi_var_open_ended, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 25), (void *)0 },
  { "origin", (void *)_cffi_var_origin, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 11), (void *)0 },
  { "rows", (void *)_cffi_var_rows, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 26), (void *)0 },
  { "sized", (void *)_cffi_var_sized, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 33), (void *)0 },
  { "table", (void *)_cffi_var_table, _CFFI_OP(_CFFI_OP_GLOBAL_VAR_F, 23), (void *)0 },
};

static const struct _cffi_field_s _cffi_fields[] = {
  { "x", offsetof(struct point, x), sizeof(((struct point *)0)->x), _CFFI_OP(_CFFI_OP_NOOP, 4) },
  { "y", offsetof(struct point, y), sizeof(((struct point *)0)->y), _CFFI_OP(_CFFI_OP_NOOP, 4) },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "point", 11, 0x2, sizeof(struct point), (int)offsetof(struct _cffi_align_s_point, y), 0, 2 },
};

static const struct _cffipy_context_s _cffi_context = { {
  _cffi_types,
  _cffi_globals,
  _cffi_fields,
  _cffi_struct_unions,
  NULL,
  NULL,
  13 /* globals */, 1 /* structs and unions */, 0 /* enums */, 0 /* typenames */,
  NULL,
  37 /* types */,
  1 | _CFFIPY_F_EXTENSION /* flags */
}, { 1, NULL } };
#define _cffi_type_context (_cffi_context.ctx)

#ifdef __GNUC__
#  pragma GCC visibility push(default)
#endif
PyMODINIT_FUNC
PyInit__snap_globals(void)
{
  return _cffi_init("_snap_globals", 0x2601, &_cffi_type_context);
}
#ifdef __GNUC__
#  pragma GCC visibility pop
#endif
