# 42 "foo.h"
int f(;
