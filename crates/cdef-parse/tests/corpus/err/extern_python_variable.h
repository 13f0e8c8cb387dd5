extern "Python" int x;
