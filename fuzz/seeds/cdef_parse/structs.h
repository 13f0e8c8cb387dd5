/* F-01.47..F-01.59: structs and unions */
struct point { int x, y; };
struct opaque;
struct flags {
    unsigned int a : 1;
    unsigned int : 3;
    int : 0;
    signed char b : 2;
};
struct nested {
    struct { int a, b; };
    union { int c; float d; };
    struct { int x; } named;
    struct point pts[4];
    int (*fn)(struct nested *self);
};
struct flexible { int n; double items[]; };
struct partial { int known; ...; };
struct dims { int a[...]; int b[...][...]; int c[][...]; };
typedef struct { int x; } anon_t, *anon_p;
union value { long i; double d; char bytes[8]; };
