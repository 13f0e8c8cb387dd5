/* F-01.23..F-01.28, F-01.31, F-01.33: function declarations */
int abs(int);
size_t strlen(const char *s);
int no_args();
int void_args(void);
int printf(const char *fmt, ...);
void takes_arrays(int a[5], int b[][3]);
void takes_function(int cb(long));
int (*returns_fp(int))(long);
int __stdcall winapi_style(int);
int (__cdecl *fp_with_cc)(int);
typedef double func_t(double);
func_t sin;
