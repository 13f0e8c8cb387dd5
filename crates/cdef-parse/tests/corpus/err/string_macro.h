#define S "string"
