/* C functions of known behaviour for `_cffi_backend._testfunc(n)`, which
 * returns the address of number n. The original cffi's backend tests
 * (src/c/test_c.py) cast these addresses to function types and call them,
 * to check calls with every kind of argument and result: integers and
 * floats of each size, pointers, structs by value of the shapes libffi
 * classifies differently, varargs, `long double`, errno. Number 8 is not a
 * function: it is the C library's `stderr`. */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

struct pair_uc_s { unsigned char first; short second; };
struct two_ints { int x, y; };
struct one_double { double d; };
struct three_ints { int x, y, z; };
struct one_float { float f; };
struct float_int { float f; int i; };
struct two_floats { float f, g; };
struct int_float { int i; float f; };
struct ten_ints { int v[10]; };
struct ten_named { int a, b, c, d, e, f, g, h, i, j; };

static char t_add_chars(char x, char y) { return (char)(x + y); }
static long t_add_int_long(int x, long y) { return y + (long)x; }
static long long t_add_long_longs(long long x, long long y) { return x + y; }
static double t_add_float_double(float x, double y) { return (double)x + y; }
static float t_add_float_double_to_float(float x, double y) { return (float)((double)x + y); }
static void t_bump_errno(void) { errno += 15; }

static int t_minus_thousand_result;
static int *t_minus_thousand(int *p)
{
    t_minus_thousand_result = *p - 1000;
    return &t_minus_thousand_result;
}

static short t_sum_pair(struct pair_uc_s s) { return (short)(s.first + s.second); }

/* `count` ints follow; a 0 counts as -66666666 (so that a missing or
 * zeroed argument shows). */
static int t_sum_varargs(int count, ...)
{
    va_list ap;
    int sum = 0;
    va_start(ap, count);
    while (count-- > 0) {
        int v = va_arg(ap, int);
        sum += v ? v : -66666666;
    }
    va_end(ap);
    return sum;
}

static struct pair_uc_s t_make_pair(int n)
{
    struct pair_uc_s r;
    r.first = (unsigned char)n;
    r.second = (short)(n * n);
    return r;
}

static struct two_ints t_make_two_ints(int n)
{
    struct two_ints r = { n, n * n };
    return r;
}

static struct one_double t_make_one_double(int n)
{
    struct one_double r = { (double)n };
    return r;
}

static struct three_ints t_make_three_ints(int n)
{
    struct three_ints r = { n, n * n, n * n * n };
    return r;
}

static struct one_float t_make_one_float(int n)
{
    struct one_float r = { (float)n };
    return r;
}

static struct float_int t_make_float_int(int n)
{
    struct float_int r = { (float)n, n * n };
    return r;
}

static struct two_floats t_make_two_floats(int n)
{
    struct two_floats r = { (float)n, -(float)n };
    return r;
}

static struct int_float t_make_int_float(int n)
{
    struct int_float r = { n, (float)n * (float)n };
    return r;
}

static int t_int_float_sum(struct int_float *p) { return p->i + (int)p->f; }

/* `rounds` steps of x -> 4x - x^2, computed in long double. */
static long double t_iterate_long_double(long double x, int rounds)
{
    while (rounds-- > 0)
        x = 4 * x - x * x;
    return x;
}

static short t_sum_pair_at(struct pair_uc_s *p) { return (short)(p->first + p->second); }

/* Each member weighted by a power of two: a misplaced member shows. */
static int t_weigh_ten(struct ten_named s)
{
    return s.a + (s.b << 1) + (s.c << 2) + (s.d << 3) + (s.e << 4)
         + (s.f << 5) + (s.g << 6) + (s.h << 7) + (s.i << 8) + (s.j << 9);
}

static struct ten_ints t_subtract_tens(struct ten_ints x, struct ten_ints y)
{
    struct ten_ints r;
    for (int k = 0; k < 10; k++)
        r.v[k] = x.v[k] - y.v[k];
    return r;
}

static int t_first_char_times_thousand(char *p) { return p ? 1000 * p[0] : -42; }

void *cffipy_testfunc(int n)
{
    switch (n) {
    case 0: return (void *)&t_add_chars;
    case 1: return (void *)&t_add_int_long;
    case 2: return (void *)&t_add_long_longs;
    case 3: return (void *)&t_add_float_double;
    case 4: return (void *)&t_add_float_double_to_float;
    case 5: return (void *)&t_bump_errno;
    case 6: return (void *)&t_minus_thousand;
    case 7: return (void *)&t_sum_pair;
    case 8: return (void *)stderr;
    case 9: return (void *)&t_sum_varargs;
    case 10: return (void *)&t_make_pair;
    case 11: return (void *)&t_make_two_ints;
    case 12: return (void *)&t_make_one_double;
    case 13: return (void *)&t_make_three_ints;
    case 14: return (void *)&t_make_one_float;
    case 15: return (void *)&t_make_float_int;
    case 16: return (void *)&t_make_two_floats;
    case 17: return (void *)&t_make_int_float;
    case 18: return (void *)&t_int_float_sum;
    case 19: return (void *)&t_iterate_long_double;
    case 20: return (void *)&t_sum_pair_at;
    case 21: return (void *)&t_weigh_ten;
    case 22: return (void *)&t_subtract_tens;
    case 23: return (void *)&t_first_char_times_thousand;
    default: return NULL;
    }
}
