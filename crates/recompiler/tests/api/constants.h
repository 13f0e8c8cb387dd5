#define ANSWER 42
#define NEG -17
#define BIG 0xFFFFFFFFFFFFFFFF
#define FROM_C ...
static const int FIXED = 7;
static const long LONG_C;
static const double PI;
static const char *const NAME;
struct pair { int a, b; };
static const struct pair PAIR;
enum color { RED, GREEN = 5, BLUE };
enum partial { P_A, P_B, ... };
typedef enum { T_ONE = 1, T_TWO } tagless_t;
enum big { BIG_NEG = -1, BIG_POS = 0x7fffffff };
