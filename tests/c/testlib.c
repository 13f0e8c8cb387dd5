/* A small C library for the Python tests: identity functions and limits
 * for every primitive type, so each conversion is checked in both
 * directions through a real call. */
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>
#include <uchar.h>

#define PRIM(T, NAME, MIN, MAX)                  \
    T id_##NAME(T x) { return x; }               \
    T min_##NAME(void) { return MIN; }           \
    T max_##NAME(void) { return MAX; }

PRIM(char, char, CHAR_MIN, CHAR_MAX)
PRIM(signed char, schar, SCHAR_MIN, SCHAR_MAX)
PRIM(unsigned char, uchar, 0, UCHAR_MAX)
PRIM(short, short, SHRT_MIN, SHRT_MAX)
PRIM(unsigned short, ushort, 0, USHRT_MAX)
PRIM(int, int, INT_MIN, INT_MAX)
PRIM(unsigned int, uint, 0, UINT_MAX)
PRIM(long, long, LONG_MIN, LONG_MAX)
PRIM(unsigned long, ulong, 0, ULONG_MAX)
PRIM(long long, llong, LLONG_MIN, LLONG_MAX)
PRIM(unsigned long long, ullong, 0, ULLONG_MAX)
PRIM(int8_t, int8, INT8_MIN, INT8_MAX)
PRIM(uint8_t, uint8, 0, UINT8_MAX)
PRIM(int16_t, int16, INT16_MIN, INT16_MAX)
PRIM(uint16_t, uint16, 0, UINT16_MAX)
PRIM(int32_t, int32, INT32_MIN, INT32_MAX)
PRIM(uint32_t, uint32, 0, UINT32_MAX)
PRIM(int64_t, int64, INT64_MIN, INT64_MAX)
PRIM(uint64_t, uint64, 0, UINT64_MAX)
PRIM(int_fast16_t, fast16, INT_FAST16_MIN, INT_FAST16_MAX)
PRIM(uint_least32_t, least32, 0, UINT_LEAST32_MAX)
PRIM(intptr_t, intptr, INTPTR_MIN, INTPTR_MAX)
PRIM(uintptr_t, uintptr, 0, UINTPTR_MAX)
PRIM(intmax_t, intmax, INTMAX_MIN, INTMAX_MAX)
PRIM(size_t, size, 0, SIZE_MAX)
PRIM(ssize_t, ssize, -SSIZE_MAX - 1, SSIZE_MAX)
PRIM(ptrdiff_t, ptrdiff, PTRDIFF_MIN, PTRDIFF_MAX)
PRIM(_Bool, bool, 0, 1)
PRIM(wchar_t, wchar, 0, 0x10FFFF)
PRIM(char16_t, char16, 0, 0xFFFF)
PRIM(char32_t, char32, 0, 0x10FFFF)
PRIM(float, float, -FLT_MAX, FLT_MAX)
PRIM(double, double, -DBL_MAX, DBL_MAX)
PRIM(long double, ldouble, -1.5L, 1.5L)

/* A _Bool result that is neither 0 nor 1, as a buggy C function could
 * return: reading it must raise, not lie. */
unsigned char bad_bool(void) { return 2; }

double mix(signed char a, short b, int c, long d, float e, double f, unsigned long long g) {
    return a + b + c + d + e + f + (double)g;
}

int fail_with_errno(int value) { errno = value; return -1; }
int read_errno(void) { return errno; }

void *pass_pointer(void *p) { return p; }
const char *greeting(void) { return "hello"; }
size_t count_bytes(const unsigned char *p) { return strlen((const char *)p); }
int first_byte(const char *p) { return p[0]; }
int sum3(int a, int b, int c) { return a + b + c; }
int (*pick_sum3(void))(int, int, int) { return sum3; }
int call_binary(int (*f)(int, int, int), int x) { return f(x, x, x); }

/* Global variables of each kind (F-04.04). */
int g_int = 42;
double g_double = 1.5;
long long g_big = -7;
int g_array[5] = {1, 2, 3, 4, 5};
struct gpoint { int x, y; } g_point = {3, 4};
const char *g_string = "global";
char g_name[8] = "abc";
unsigned char g_flag = 1;
int read_g_int(void) { return g_int; }
int sum_g_array(void) { int s = 0; for (int i = 0; i < 5; i++) s += g_array[i]; return s; }

/* Structs by value (issue #6): for each shape of structs.h, echo_T
 * returns its argument (struct sv_T), sum_T adds its fields up, and
 * mixed_T takes two between scalars and returns a sum that depends on
 * every argument. */
#include "structs.h"
#define FIELD_DECL(t, n) t n;
#define FIELD_SUM(t, n) s += (double)(long long)(x.n);
#define DEFINE_STRUCT(T) \
    struct sv_##T { S_##T(FIELD_DECL) }; \
    struct sv_##T echo_##T(struct sv_##T x) { return x; } \
    double sum_##T(struct sv_##T x) { double s = 0; S_##T(FIELD_SUM) return s; } \
    double mixed_##T(int k, struct sv_##T x, double d, struct sv_##T y) { \
        return k + d + sum_##T(x) * 2 + sum_##T(y) * 3; }
ALL_STRUCTS(DEFINE_STRUCT)

struct nested { struct sv_i2 p; double d; struct sv_c3 q; };
struct nested echo_nested(struct nested x) { return x; }
struct with_array { float v[3]; int n; };
struct with_array echo_with_array(struct with_array x) { x.n = (int)(x.v[0] + x.v[1] + x.v[2]); return x; }
/* Past the registers (x86-64 System V): an {int, float, double} struct
 * whose integer half takes the last integer register after a double
 * (libffi's bug #574 wrote its vector half over `x`), and a struct that
 * no longer fits, with an integer after it that does. */
struct ifd { int a; float b; double c; };
double last_register_ifd(long long a, long long b, long long c, long long d, long long e,
                         double x, struct ifd s) {
    return (double)(a + b * 2 + c * 3 + d * 4 + e * 5) * 1000 + x * 100 + s.a + s.b * 10 + s.c;
}
struct big3 { long long a; double b; long long c; };
struct big3 spill_big3(long long a, long long b, long long c, long long d, long long e,
                       struct ifd s, long long g, struct big3 t, short h) {
    struct big3 r = { a + b + c + d + e + s.a + g * 7 + h, s.b + s.c + t.b, t.a - t.c };
    return r;
}

/* Callbacks (issue #6): called directly, twice, from a thread Python
 * never saw, with structs and with each result kind. */
#include <pthread.h>
int call_twice(int (*f)(int), int x) { return f(f(x)); }
struct thread_call { int (*f)(int); int arg; int result; };
static void *run_thread_call(void *p) {
    struct thread_call *c = p;
    c->result = c->f(c->arg);
    return 0;
}
int call_in_new_thread(int (*f)(int), int arg) {
    pthread_t t;
    struct thread_call c = {f, arg, 0};
    if (pthread_create(&t, 0, run_thread_call, &c) != 0)
        return -12345;
    pthread_join(t, 0);
    return c.result;
}
double apply_point(double (*f)(struct sv_i2, double), int a, int b) {
    struct sv_i2 p = {a, b};
    return f(p, 0.5);
}
struct sv_d2 make_pair(struct sv_d2 (*f)(int), int k) { return f(k); }
signed char get_schar(signed char (*f)(void)) { return f(); }
unsigned short get_ushort(unsigned short (*f)(void)) { return f(); }
_Bool get_bool(_Bool (*f)(void)) { return f(); }
char get_char(char (*f)(void)) { return f(); }
float get_float(float (*f)(float), float x) { return f(x); }
long double get_ldouble(long double (*f)(long double), long double x) { return f(x); }
long long get_llong(long long (*f)(long long), long long x) { return f(x); }
void *get_ptr(void *(*f)(void *), void *p) { return f(p); }

/* Temporary arrays from lists (F-06.28, F-06.31). */
long long sum_ints(const int *p, long n) { long long s = 0; for (long i = 0; i < n; i++) s += p[i]; return s; }
int sum_points(const struct sv_i2 *p, int n) { int s = 0; for (int i = 0; i < n; i++) s += p[i].a * 10 + p[i].b; return s; }
int count_strings(const char **p) { int n = 0; while (p[n]) n++; return n; }

/* A struct whose layout libffi cannot describe (review finding). */
struct aligned32 { int x; } __attribute__((aligned(32)));
struct aligned32 ret_aligned32(int v) { struct aligned32 a; a.x = v; return a; }

/* Structs in the variadic part (F-07.10). */
#include <stdarg.h>
long sum_point_args(int n, ...) {
    va_list ap;
    long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        struct sv_i2 p = va_arg(ap, struct sv_i2);
        s += p.a * 10 + p.b;
    }
    va_end(ap);
    return s;
}
struct long8 { long a[8]; };
long sum_long8_args(int n, ...) {
    va_list ap;
    long s = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        struct long8 v = va_arg(ap, struct long8);
        for (int k = 0; k < 8; k++) s += v.a[k];
    }
    va_end(ap);
    return s;
}

/* GIL release (F-07.15): says it has entered, then spins until another
 * thread sets *flag, or gives up after max_spins rounds (returns 0). */
#include <sched.h>
int wait_for_flag(volatile int *entered, volatile int *flag, long max_spins) {
    *entered = 1;
    for (long i = 0; i < max_spins; i++) {
        if (*flag)
            return 1;
        sched_yield();
    }
    return 0;
}
