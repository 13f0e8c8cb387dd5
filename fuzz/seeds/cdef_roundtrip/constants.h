/* F-01.15..F-01.17, F-01.39..F-01.45: macros, constants, globals */
#define ANSWER 42
#define HEX 0x100u
#define OCT 0100l
#define NEGATIVE -1
#define FROM_C ...
#define EXPR (ANSWER * 2 + (1 << 3))
#define CAST ((int)-1)
#define LONG_MACRO 1 + \
    2
static const int LIMIT = 100;
static const int NEG_LIMIT = -100;
static const double PI;
static char *const NAME;
extern int counter;
extern int a, b, c;
static long hidden;
const int read_only;
char *const const_ptr;
const char *ptr_to_const;
const int const_array[5];
const int NOT_STATIC = 7;
