/* Structs passed and returned by value, of sizes 1..64 and int/float
 * mixes (issue #6). Each is described once as an X-macro list of its
 * fields; tests/c/testlib.c builds the C functions from it and
 * tests/differential/with_lib/structs_by_value.py the cdef. */
#define S_c1(F) F(char, a)
#define S_c3(F) F(char, a) F(char, b) F(char, c)
#define S_s1(F) F(short, a)
#define S_s3(F) F(short, a) F(short, b) F(short, c)
#define S_i1(F) F(int, a)
#define S_i2(F) F(int, a) F(int, b)
#define S_i3(F) F(int, a) F(int, b) F(int, c)
#define S_i4(F) F(int, a) F(int, b) F(int, c) F(int, d)
#define S_i5(F) F(int, a) F(int, b) F(int, c) F(int, d) F(int, e)
#define S_f1(F) F(float, a)
#define S_f2(F) F(float, a) F(float, b)
#define S_f3(F) F(float, a) F(float, b) F(float, c)
#define S_f4(F) F(float, a) F(float, b) F(float, c) F(float, d)
#define S_d1(F) F(double, a)
#define S_d2(F) F(double, a) F(double, b)
#define S_d3(F) F(double, a) F(double, b) F(double, c)
#define S_d4(F) F(double, a) F(double, b) F(double, c) F(double, d)
#define S_if(F) F(int, a) F(float, b)
#define S_fi(F) F(float, a) F(int, b)
#define S_id(F) F(int, a) F(double, b)
#define S_di(F) F(double, a) F(int, b)
#define S_cd(F) F(char, a) F(double, b) F(short, c)
#define S_fd(F) F(float, a) F(double, b)
#define S_ll2(F) F(long long, a) F(long long, b)
#define S_lp(F) F(long, a) F(void *, b)
#define S_mix(F) F(char, a) F(short, b) F(int, c) F(long long, d) F(float, e) F(double, f)
#define S_l8(F) F(long, a) F(long, b) F(long, c) F(long, d) F(long, e) F(long, f) F(long, g) F(long, h)
#define S_ld(F) F(long double, a) F(int, b)

#define ALL_STRUCTS(X) X(c1) X(c3) X(s1) X(s3) X(i1) X(i2) X(i3) X(i4) X(i5) \
    X(f1) X(f2) X(f3) X(f4) X(d1) X(d2) X(d3) X(d4) X(if) X(fi) X(id) X(di) \
    X(cd) X(fd) X(ll2) X(lp) X(mix) X(l8) X(ld)
