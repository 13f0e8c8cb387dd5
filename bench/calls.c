/* Functions for `cargo xtask bench calls` (issue #6): each call shape of
 * the issue, doing almost nothing, so that the call itself is measured. */
struct pt { int x, y; };
int add(int a, int b) { return a + b; }
double mul_add(double a, double b, double c) { return a * b + c; }
int sum6(int a, int b, int c, int d, int e, int f) { return a + b + c + d + e + f; }
static int anchor;
void *ret_ptr(void) { return &anchor; }
struct pt move_pt(struct pt p, int d) { p.x += d; p.y -= d; return p; }
void nothing(void) {}

/* One call of a callback: the cost of C calling into Python. */
int call_cb_once(int (*cb)(int), int x) { return cb(x); }
