
static void *_cffi_types[] = {
/*   0 */ _CFFI_OP(_CFFI_OP_POINTER, 1), /* char const * */
/*   1 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 2), /* char */
/*   2 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 14), /* double */
/*   3 */ _CFFI_OP(_CFFI_OP_ENUM, 1), /* enum big */
/*   4 */ _CFFI_OP(_CFFI_OP_ENUM, 2), /* enum color */
/*   5 */ _CFFI_OP(_CFFI_OP_ENUM, 3), /* enum partial */
/*   6 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 7), /* int */
/*   7 */ _CFFI_OP(_CFFI_OP_PRIMITIVE, 9), /* long */
/*   8 */ _CFFI_OP(_CFFI_OP_STRUCT_UNION, 0), /* struct pair */
/*   9 */ _CFFI_OP(_CFFI_OP_ENUM, 0), /* tagless_t */
};

static int _cffi_const_BIG_NEG(unsigned long long *o)
{
  int n = ((BIG_NEG) <= 0);
  *o = (unsigned long long)((BIG_NEG) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_BIG_POS(unsigned long long *o)
{
  int n = ((BIG_POS) <= 0);
  *o = (unsigned long long)((BIG_POS) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_BLUE(unsigned long long *o)
{
  int n = ((BLUE) <= 0);
  *o = (unsigned long long)((BLUE) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_GREEN(unsigned long long *o)
{
  int n = ((GREEN) <= 0);
  *o = (unsigned long long)((GREEN) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_P_A(unsigned long long *o)
{
  int n = ((P_A) <= 0);
  *o = (unsigned long long)((P_A) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_P_B(unsigned long long *o)
{
  int n = ((P_B) <= 0);
  *o = (unsigned long long)((P_B) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_RED(unsigned long long *o)
{
  int n = ((RED) <= 0);
  *o = (unsigned long long)((RED) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_T_ONE(unsigned long long *o)
{
  int n = ((T_ONE) <= 0);
  *o = (unsigned long long)((T_ONE) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_T_TWO(unsigned long long *o)
{
  int n = ((T_TWO) <= 0);
  *o = (unsigned long long)((T_TWO) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_ANSWER(unsigned long long *o)
{
  int n = ((ANSWER) <= 0);
  *o = (unsigned long long)((ANSWER) | 0);  /* an integer, not a float */
  if (n != 0 || *o != 0x2aULL)  /* the cdef says 42 */
    n |= 2;
  return n;
}

static int _cffi_const_NEG(unsigned long long *o)
{
  int n = ((NEG) <= 0);
  *o = (unsigned long long)((NEG) | 0);  /* an integer, not a float */
  if (n != 1 || *o != 0xffffffffffffffefULL)  /* the cdef says -17 */
    n |= 2;
  return n;
}

static int _cffi_const_BIG(unsigned long long *o)
{
  int n = ((BIG) <= 0);
  *o = (unsigned long long)((BIG) | 0);  /* an integer, not a float */
  if (n != 0 || *o != 0xffffffffffffffffULL)  /* the cdef says 18446744073709551615 */
    n |= 2;
  return n;
}

static int _cffi_const_FIXED(unsigned long long *o)
{
  int n = ((FIXED) <= 0);
  *o = (unsigned long long)((FIXED) | 0);  /* an integer, not a float */
  if (n != 0 || *o != 0x7ULL)  /* the cdef says 7 */
    n |= 2;
  return n;
}

static int _cffi_const_FROM_C(unsigned long long *o)
{
  int n = ((FROM_C) <= 0);
  *o = (unsigned long long)((FROM_C) | 0);  /* an integer, not a float */
  return n;
}

static int _cffi_const_LONG_C(unsigned long long *o)
{
  int n = ((LONG_C) <= 0);
  *o = (unsigned long long)((LONG_C) | 0);  /* an integer, not a float */
  return n;
}

static void _cffi_const_PI(char *o)
{
  *(double *)o = PI;
}

static void _cffi_const_NAME(char *o)
{
  *(char const * *)o = NAME;
}

static void _cffi_const_PAIR(char *o)
{
  *(struct pair *)o = PAIR;
}

_CFFI_UNUSED_FN static void _cffi_checkfld_s_pair(struct pair *p)
{
  (void)p;
  (void)((p->a) | 0);
  (void)((p->b) | 0);
}

struct _cffi_align_s_pair { char x; struct pair y; };

static const struct _cffi_global_s _cffi_globals[] = {
  { "ANSWER", (void *)_cffi_const_ANSWER, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "BIG", (void *)_cffi_const_BIG, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "BIG_NEG", (void *)_cffi_const_BIG_NEG, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "BIG_POS", (void *)_cffi_const_BIG_POS, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "BLUE", (void *)_cffi_const_BLUE, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "FIXED", (void *)_cffi_const_FIXED, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "FROM_C", (void *)_cffi_const_FROM_C, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "GREEN", (void *)_cffi_const_GREEN, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "LONG_C", (void *)_cffi_const_LONG_C, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "NAME", (void *)_cffi_const_NAME, _CFFI_OP(_CFFI_OP_CONSTANT, 0), (void *)0 },
  { "NEG", (void *)_cffi_const_NEG, _CFFI_OP(_CFFI_OP_CONSTANT_INT, -1), (void *)0 },
  { "PAIR", (void *)_cffi_const_PAIR, _CFFI_OP(_CFFI_OP_CONSTANT, 8), (void *)0 },
  { "PI", (void *)_cffi_const_PI, _CFFI_OP(_CFFI_OP_CONSTANT, 2), (void *)0 },
  { "P_A", (void *)_cffi_const_P_A, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "P_B", (void *)_cffi_const_P_B, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "RED", (void *)_cffi_const_RED, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "T_ONE", (void *)_cffi_const_T_ONE, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
  { "T_TWO", (void *)_cffi_const_T_TWO, _CFFI_OP(_CFFI_OP_ENUM, -1), (void *)0 },
};

static const struct _cffi_field_s _cffi_fields[] = {
  { "a", offsetof(struct pair, a), sizeof(((struct pair *)0)->a), _CFFI_OP(_CFFI_OP_NOOP, 6) },
  { "b", offsetof(struct pair, b), sizeof(((struct pair *)0)->b), _CFFI_OP(_CFFI_OP_NOOP, 6) },
};

static const struct _cffi_struct_union_s _cffi_struct_unions[] = {
  { "pair", 8, 0x2, sizeof(struct pair), (int)offsetof(struct _cffi_align_s_pair, y), 0, 2 },
};

static const struct _cffi_enum_s _cffi_enums[] = {
  { "$tagless_t", 9, _cffi_prim_int(sizeof(tagless_t), ((tagless_t)-1) <= 0), "T_ONE,T_TWO" },
  { "big", 3, _cffi_prim_int(sizeof(enum big), ((enum big)-1) <= 0), "BIG_NEG,BIG_POS" },
  { "color", 4, _cffi_prim_int(sizeof(enum color), ((enum color)-1) <= 0), "RED,GREEN,BLUE" },
  { "partial", 5, _cffi_prim_int(sizeof(enum partial), ((enum partial)-1) <= 0), "P_A,P_B" },
};

static const struct _cffi_typename_s _cffi_typenames[] = {
  { "tagless_t", 9 },
};

static const struct _cffipy_context_s _cffi_context = { {
  _cffi_types,
  _cffi_globals,
  _cffi_fields,
  _cffi_struct_unions,
  _cffi_enums,
  _cffi_typenames,
  18 /* globals */, 1 /* structs and unions */, 4 /* enums */, 1 /* typenames */,
  NULL,
  10 /* types */,
  0 | _CFFIPY_F_EXTENSION /* flags */
}, { 1, NULL } };
#define _cffi_type_context (_cffi_context.ctx)

#ifdef __GNUC__
#  pragma GCC visibility push(default)
#endif
PyMODINIT_FUNC
PyInit__snap_constants(void)
{
  return _cffi_init("_snap_constants", 0x2601, &_cffi_type_context);
}
#ifdef __GNUC__
#  pragma GCC visibility pop
#endif
