typedef unsigned int u32, *pu32;
u32 f(pu32 p, int (*cb)(long, ...), char *names[3]);
extern int counter;
# 10 "foo.h"
int g(void);
