#define FL 1.5
