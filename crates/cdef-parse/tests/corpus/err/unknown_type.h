

  int foo(unknown_t x);
