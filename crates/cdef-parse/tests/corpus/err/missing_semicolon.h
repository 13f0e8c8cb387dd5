int f(int x)
int g(int);
