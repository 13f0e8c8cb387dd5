
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*   1 */ _CFFI_OP(_CFFI_OP_ARRAY, 0), /* char[4] */
/*   2 */ (_cffi_opcode_t)(4),
/*   3 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 2), /* cplx_t */
/*   4 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 14), /* double */
/*   5 */ _CFFI_OP(_CFFI_OP_OPEN_ARRAY, 4), /* double[] */
/*   6 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 13), /* float */
/*   7 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*   8 */ _CFFI_OP(_CFFI_OP_ARRAY, 7), /* int[4] */
/*   9 */ (_cffi_opcode_t)(4),
/*  10 */ _CFFI_OP(_CFFI_OP_ARRAY, 7), /* int[_cffi_array_len(((struct with_arrays *)0)->known)] */
/*  11 */ (_cffi_opcode_t)(_cffi_array_len(((struct with_arrays *)0)->known)),
/*  12 */ _CFFI_OP(_CFFI_OP_POINTER, 13), /* node_t * */
/*  13 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 12), /* node_t */
/*  14 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 5), /* short */
/*  15 */ _CFFI_OP(_CFFI_OP_POINTER, 16), /* handle_t  */
/*  16 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* struct $3 */
/*  17 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 1), /* struct $4 */
/*  18 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 3), /* struct anon */
/*  19 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 4), /* struct bits */
/*  20 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 5), /* struct consts */
/*  21 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 6), /* struct full */
/*  22 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 7), /* struct holds_ptr */
/*  23 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 8), /* struct nested */
/*  24 */ _CFFI_OP(_CFFI_OP_POINTER, 25), /* struct opaque * */
/*  25 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 9), /* struct opaque */
/*  26 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 10), /* struct open */
/*  27 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 11), /* struct partial */
/*  28 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 14), /* struct unnamed_bits */
/*  29 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 15), /* struct with_arrays */
/*  30 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 13), /* union u */
/*  31 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 8), /* unsigned int */
/*  32 */ _CFFI_OP(_CFFI_OP_POINTER, 33), /* void * */
/*  33 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 0), /* void */
};

_CFFI_UNUSED_FN static void _cffi_checkfld_t_cplx_t(cplx_t *p)
{
  (void)p;
  { double *tmp = &p->re; (void)tmp; }
  { double *tmp = &p->im; (void)tmp; }
}

struct _cffi_align_t_cplx_t { char x; cplx_t y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_anon(struct anon *p)
{
  (void)p;
  (void)((p->a) | 0);
  (void)((p->b) | 0);
  { float *tmp = &p->c; (void)tmp; }
  { char *tmp = &p->d; (void)tmp; }
  { char *tmp = &p->e; (void)tmp; }
}

struct _cffi_align_s_anon { char x; struct anon y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_bits(struct bits *p)
{
  (void)p;
  (void)((p->a) | 0);
  (void)((p->b) | 0);
  (void)((p->c) | 0);
}

struct _cffi_align_s_bits { char x; struct bits y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_consts(struct consts *p)
{
  (void)p;
  (void)((p->a) | 0);
  { void * const *tmp = &p->b; (void)tmp; }
  { char const (*tmp)[4] = &p->name; (void)tmp; }
}

struct _cffi_align_s_consts { char x; struct consts y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_full(struct full *p)
{
  (void)p;
  { char *tmp = &p->c; (void)tmp; }
  (void)((p->i) | 0);
  (void)((p->s) | 0);
}

struct _cffi_align_s_full { char x; struct full y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_holds_ptr(struct holds_ptr *p)
{
  (void)p;
  { struct opaque * *tmp = &p->p; (void)tmp; }
  { struct full *tmp = &p->f; (void)tmp; }
}

struct _cffi_align_s_holds_ptr { char x; struct holds_ptr y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_nested(struct nested *p)
{
  (void)p;
}

struct _cffi_align_s_nested { char x; struct nested y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_open(struct open *p)
{
  (void)p;
  (void)((p->n) | 0);
  { double(*tmp)[] = &p->items; (void)tmp; }
}

struct _cffi_align_s_open { char x; struct open y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_partial(struct partial *p)
{
  (void)p;
  (void)((p->x) | 0);
}

struct _cffi_align_s_partial { char x; struct partial y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_t_node_t(node_t *p)
{
  (void)p;
  { node_t * *tmp = &p->next; (void)tmp; }
  (void)((p->v) | 0);
}

struct _cffi_align_t_node_t { char x; node_t y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_u_u(union u *p)
{
  (void)p;
  (void)((p->i) | 0);
  { float *tmp = &p->f; (void)tmp; }
}

struct _cffi_align_u_u { char x; union u y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_unnamed_bits(struct unnamed_bits *p)
{
  (void)p;
  (void)((p->a) | 0);
  (void)((p->b) | 0);
}

struct _cffi_align_s_unnamed_bits { char x; struct unnamed_bits y; };

_CFFI_UNUSED_FN static void _cffi_checkfld_s_with_arrays(struct with_arrays *p)
{
  (void)p;
  (void)((p->n) | 0);
  { int(*tmp)[4] = &p->fixed; (void)tmp; }
  { int(*tmp)[_cffi_array_len(((struct with_arrays *)0)->known)] = &p->known; (void)tmp; }
}

struct _cffi_align_s_with_arrays { char x; struct with_arrays y; };

static const struct _cffi_field_s _cffi_fields[] = {
  { "hidden", (size_t)(((char *)&((handle_t)4096)->hidden) - (char *)4096), sizeof(((handle_t)0)->hidden), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "inner", (size_t)-1, (size_t)-1, _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "re", offsetof(cplx_t, re), sizeof(((cplx_t *)0)->re), _CFFI_OP(_CFFI_OP_NOOP, 4) },
  { "im", offsetof(cplx_t, im), sizeof(((cplx_t *)0)->im), _CFFI_OP(_CFFI_OP_NOOP, 4) },
  { "a", offsetof(struct anon, a), sizeof(((struct anon *)0)->a), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "b", offsetof(struct anon, b), sizeof(((struct anon *)0)->b), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "c", offsetof(struct anon, c), sizeof(((struct anon *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 6) },
  { "d", offsetof(struct anon, d), sizeof(((struct anon *)0)->d), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "e", offsetof(struct anon, e), sizeof(((struct anon *)0)->e), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "a", (size_t)-1, 3 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 31) },
  { "b", (size_t)-1, 5 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 31) },
  { "c", offsetof(struct bits, c), sizeof(((struct bits *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "a", offsetof(struct consts, a), sizeof(((struct consts *)0)->a), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "b", offsetof(struct consts, b), sizeof(((struct consts *)0)->b), _CFFI_OP(_CFFI_OP_NOOP, 32) },
  { "name", offsetof(struct consts, name), sizeof(((struct consts *)0)->name), _CFFI_OP(_CFFI_OP_NOOP, 1) },
  { "c", offsetof(struct full, c), sizeof(((struct full *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "i", offsetof(struct full, i), sizeof(((struct full *)0)->i), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "s", offsetof(struct full, s), sizeof(((struct full *)0)->s), _CFFI_OP(_CFFI_OP_NOOP, 14) },
  { "p", offsetof(struct holds_ptr, p), sizeof(((struct holds_ptr *)0)->p), _CFFI_OP(_CFFI_OP_NOOP, 24) },
  { "f", offsetof(struct holds_ptr, f), sizeof(((struct holds_ptr *)0)->f), _CFFI_OP(_CFFI_OP_NOOP, 21) },
  { "named", offsetof(struct nested, named), sizeof(((struct nested *)0)->named), _CFFI_OP(_CFFI_OP_NOOP, 17) },
  { "n", offsetof(struct open, n), sizeof(((struct open *)0)->n), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "items", offsetof(struct open, items), (size_t)-1, _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "x", offsetof(struct partial, x), sizeof(((struct partial *)0)->x), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "next", offsetof(node_t, next), sizeof(((node_t *)0)->next), _CFFI_OP(_CFFI_OP_NOOP, 12) },
  { "v", offsetof(node_t, v), sizeof(((node_t *)0)->v), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "i", offsetof(union u, i), sizeof(((union u *)0)->i), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "f", offsetof(union u, f), sizeof(((union u *)0)->f), _CFFI_OP(_CFFI_OP_NOOP, 6) },
  { "a", offsetof(struct unnamed_bits, a), sizeof(((struct unnamed_bits *)0)->a), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "", (size_t)-1, 1 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 0) },
  { "b", (size_t)-1, 2 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 7) },
  { "n", offsetof(struct with_arrays, n), sizeof(((struct with_arrays *)0)->n), _CFFI_OP(_CFFI_OP_NOOP, 7) },
  { "fixed", offsetof(struct with_arrays, fixed), sizeof(((struct with_arrays *)0)->fixed), _CFFI_OP(_CFFI_OP_NOOP, 8) },
  { "known", offsetof(struct with_arrays, known), sizeof(((struct with_arrays *)0)->known), _CFFI_OP(_CFFI_OP_NOOP, 10) },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "$3", 16, 0x2, sizeof(*(handle_t)0), -1 /* unknown alignment */, 0, 1 },
  { "$4", 17, 0x2, (size_t)-2, -2, 1, 1 },
  { "$cplx_t", 3, 0x2, sizeof(cplx_t), (int)offsetof(struct _cffi_align_t_cplx_t, y), 2, 2 },
  { "anon", 18, 0x0, sizeof(struct anon), (int)offsetof(struct _cffi_align_s_anon, y), 4, 5 },
  { "bits", 19, 0x2, sizeof(struct bits), (int)offsetof(struct _cffi_align_s_bits, y), 9, 3 },
  { "consts", 20, 0x2, sizeof(struct consts), (int)offsetof(struct _cffi_align_s_consts, y), 12, 3 },
  { "full", 21, 0x2, sizeof(struct full), (int)offsetof(struct _cffi_align_s_full, y), 15, 3 },
  { "holds_ptr", 22, 0x2, sizeof(struct holds_ptr), (int)offsetof(struct _cffi_align_s_holds_ptr, y), 18, 2 },
  { "nested", 23, 0x2, sizeof(struct nested), (int)offsetof(struct _cffi_align_s_nested, y), 20, 1 },
  { "opaque", 25, 0x10, (size_t)-1, -1, -1, 0 },
  { "open", 26, 0x2, sizeof(struct open), (int)offsetof(struct _cffi_align_s_open, y), 21, 2 },
  { "partial", 27, 0x0, sizeof(struct partial), (int)offsetof(struct _cffi_align_s_partial, y), 23, 1 },
  { "self_ref", 13, 0x2, sizeof(node_t), (int)offsetof(struct _cffi_align_t_node_t, y), 24, 2 },
  { "u", 30, 0x3, sizeof(union u), (int)offsetof(struct _cffi_align_u_u, y), 26, 2 },
  { "unnamed_bits", 28, 0x2, sizeof(struct unnamed_bits), (int)offsetof(struct _cffi_align_s_unnamed_bits, y), 28, 3 },
  { "with_arrays", 29, 0x0, sizeof(struct with_arrays), (int)offsetof(struct _cffi_align_s_with_arrays, y), 31, 3 },
};

static const struct _cffi_typename_s _cffi_typenames[] = {
  { "cplx_t", 3 },
  { "handle_t", 15 },
  { "node_t", 13 },
};

static const struct _cffipy_context_s _cffi_context = { {
  _cffi_types,
  NULL,
  _cffi_fields,
  _cffi_struct_unions,
  NULL,
  _cffi_typenames,
  0 /* globals */, 16 /* structs and unions */, 0 /* enums */, 3 /* typenames */,
  NULL,
  34 /* types */,
  0 | _CFFIPY_F_EXTENSION /* flags */
}, { 1, NULL } };
#define _cffi_type_context (_cffi_context.ctx)

#ifdef __GNUC__
#  pragma GCC visibility push(default)
#endif
PyMODINIT_FUNC
PyInit__snap_structs(void)
{
  return _cffi_init("_snap_structs", 0x2601, &_cffi_type_context);
}
#ifdef __GNUC__
#  pragma GCC visibility pop
#endif
