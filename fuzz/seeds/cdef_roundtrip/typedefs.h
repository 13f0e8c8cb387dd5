// F-01.61, F-01.76..F-01.79, F-01.89: typedefs
typedef unsigned int u32, *pu32, **ppu32;
typedef int (*callback_t)(void *userdata, int code);
typedef ... opaque_t;
typedef ... *opaque_p;
typedef int... some_int_t;
typedef unsigned long long... some_ull_t;
typedef float... some_float_t;
typedef char int32_t;
typedef int32_t *p32;
