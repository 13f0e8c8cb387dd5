int abs(int);
size_t strlen(const char *);
double sqrt(double x);
long labs(long);
