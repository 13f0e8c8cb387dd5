int f(;
