extern "Python" {
  int f(int);
