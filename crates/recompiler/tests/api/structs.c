
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*   1 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 2), /* cplx_t */
/*   2 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 14), /* double */
/*   3 */ _CFFI_OP(_CFFI_OP_OPEN_ARRAY, 2), /* double[] */
/*   4 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 13), /* float */
/*   5 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*   6 */ _CFFI_OP(_CFFI_OP_ARRAY, 5), /* int[4] */
/*   7 */ (_cffi_opcode_t)(4),
/*   8 */ _CFFI_OP(_CFFI_OP_ARRAY, 5), /* int[_cffi_array_len(((struct with_arrays *)0)->known)] */
/*   9 */ (_cffi_opcode_t)(_cffi_array_len(((struct with_arrays *)0)->known)),
/*  10 */ _CFFI_OP(_CFFI_OP_POINTER, 11), /* node_t * */
/*  11 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 11), /* node_t */
/*  12 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 5), /* short */
/*  13 */ _CFFI_OP(_CFFI_OP_POINTER, 14), /* struct $3 * */
/*  14 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* struct $3 */
/*  15 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 1), /* struct $4 */
/*  16 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 3), /* struct anon */
/*  17 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 4), /* struct bits */
/*  18 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 5), /* struct full */
/*  19 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 6), /* struct holds_ptr */
/*  20 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 7), /* struct nested */
/*  21 */ _CFFI_OP(_CFFI_OP_POINTER, 22), /* struct opaque * */
/*  22 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 8), /* struct opaque */
/*  23 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 9), /* struct open */
/*  24 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 10), /* struct partial */
/*  25 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 13), /* struct with_arrays */
/*  26 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 12), /* union u */
/*  27 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 8), /* unsigned int */
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

_CFFI_UNUSED_FN static void _cffi_checkfld_s_with_arrays(struct with_arrays *p)
{
  (void)p;
  (void)((p->n) | 0);
  { int(*tmp)[4] = &p->fixed; (void)tmp; }
  { int(*tmp)[_cffi_array_len(((struct with_arrays *)0)->known)] = &p->known; (void)tmp; }
}

struct _cffi_align_s_with_arrays { char x; struct with_arrays y; };

static const struct _cffi_field_s _cffi_fields[] = {
  { "hidden", (size_t)-1, (size_t)-1, _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "inner", (size_t)-1, (size_t)-1, _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "re", offsetof(cplx_t, re), sizeof(((cplx_t *)0)->re), _CFFI_OP(_CFFI_OP_NOOP, 2) },
  { "im", offsetof(cplx_t, im), sizeof(((cplx_t *)0)->im), _CFFI_OP(_CFFI_OP_NOOP, 2) },
  { "a", offsetof(struct anon, a), sizeof(((struct anon *)0)->a), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "b", offsetof(struct anon, b), sizeof(((struct anon *)0)->b), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "c", offsetof(struct anon, c), sizeof(((struct anon *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 4) },
  { "d", offsetof(struct anon, d), sizeof(((struct anon *)0)->d), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "e", offsetof(struct anon, e), sizeof(((struct anon *)0)->e), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "a", (size_t)-1, 3 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 27) },
  { "b", (size_t)-1, 5 /* bits */, _CFFI_OP(_CFFI_OP_BITFIELD, 27) },
  { "c", offsetof(struct bits, c), sizeof(((struct bits *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "c", offsetof(struct full, c), sizeof(((struct full *)0)->c), _CFFI_OP(_CFFI_OP_NOOP, 0) },
  { "i", offsetof(struct full, i), sizeof(((struct full *)0)->i), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "s", offsetof(struct full, s), sizeof(((struct full *)0)->s), _CFFI_OP(_CFFI_OP_NOOP, 12) },
  { "p", offsetof(struct holds_ptr, p), sizeof(((struct holds_ptr *)0)->p), _CFFI_OP(_CFFI_OP_NOOP, 21) },
  { "f", offsetof(struct holds_ptr, f), sizeof(((struct holds_ptr *)0)->f), _CFFI_OP(_CFFI_OP_NOOP, 18) },
  { "named", offsetof(struct nested, named), sizeof(((struct nested *)0)->named), _CFFI_OP(_CFFI_OP_NOOP, 15) },
  { "n", offsetof(struct open, n), sizeof(((struct open *)0)->n), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "items", offsetof(struct open, items), (size_t)-1, _CFFI_OP(_CFFI_OP_NOOP, 3) },
  { "x", offsetof(struct partial, x), sizeof(((struct partial *)0)->x), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "next", offsetof(node_t, next), sizeof(((node_t *)0)->next), _CFFI_OP(_CFFI_OP_NOOP, 10) },
  { "v", offsetof(node_t, v), sizeof(((node_t *)0)->v), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "i", offsetof(union u, i), sizeof(((union u *)0)->i), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "f", offsetof(union u, f), sizeof(((union u *)0)->f), _CFFI_OP(_CFFI_OP_NOOP, 4) },
  { "n", offsetof(struct with_arrays, n), sizeof(((struct with_arrays *)0)->n), _CFFI_OP(_CFFI_OP_NOOP, 5) },
  { "fixed", offsetof(struct with_arrays, fixed), sizeof(((struct with_arrays *)0)->fixed), _CFFI_OP(_CFFI_OP_NOOP, 6) },
  { "known", offsetof(struct with_arrays, known), sizeof(((struct with_arrays *)0)->known), _CFFI_OP(_CFFI_OP_NOOP, 8) },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "$3", 14, 0x2, (size_t)-2, -2, 0, 1 },
  { "$4", 15, 0x2, (size_t)-2, -2, 1, 1 },
  { "$cplx_t", 1, 0x2, sizeof(cplx_t), (int)offsetof(struct _cffi_align_t_cplx_t, y), 2, 2 },
  { "anon", 16, 0x0, sizeof(struct anon), (int)offsetof(struct _cffi_align_s_anon, y), 4, 5 },
  { "bits", 17, 0x2, sizeof(struct bits), (int)offsetof(struct _cffi_align_s_bits, y), 9, 3 },
  { "full", 18, 0x2, sizeof(struct full), (int)offsetof(struct _cffi_align_s_full, y), 12, 3 },
  { "holds_ptr", 19, 0x2, sizeof(struct holds_ptr), (int)offsetof(struct _cffi_align_s_holds_ptr, y), 15, 2 },
  { "nested", 20, 0x2, sizeof(struct nested), (int)offsetof(struct _cffi_align_s_nested, y), 17, 1 },
  { "opaque", 22, 0x10, (size_t)-1, -1, -1, 0 },
  { "open", 23, 0x2, sizeof(struct open), (int)offsetof(struct _cffi_align_s_open, y), 18, 2 },
  { "partial", 24, 0x0, sizeof(struct partial), (int)offsetof(struct _cffi_align_s_partial, y), 20, 1 },
  { "self_ref", 11, 0x2, sizeof(node_t), (int)offsetof(struct _cffi_align_t_node_t, y), 21, 2 },
  { "u", 26, 0x3, sizeof(union u), (int)offsetof(struct _cffi_align_u_u, y), 23, 2 },
  { "with_arrays", 25, 0x0, sizeof(struct with_arrays), (int)offsetof(struct _cffi_align_s_with_arrays, y), 25, 3 },
};

static const struct _cffi_typename_s _cffi_typenames[] = {
  { "cplx_t", 1 },
  { "handle_t", 13 },
  { "node_t", 11 },
};

static const struct _cffi_type_context_s _cffi_type_context = {
  _cffi_types,
  NULL,
  _cffi_fields,
  _cffi_struct_unions,
  NULL,
  _cffi_typenames,
  0 /* globals */, 14 /* structs and unions */, 0 /* enums */, 3 /* typenames */,
  NULL,
  28 /* types */,
  0 /* flags */
};

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
