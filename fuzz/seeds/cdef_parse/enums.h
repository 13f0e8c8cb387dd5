/* F-01.63..F-01.65, F-01.71: enums and constant expressions */
enum color { RED, GREEN = 5, BLUE };
enum flags { F_A = 1 << 0, F_B = 1 << 1, F_AB = F_A | F_B, F_NEG = -(F_AB + 1) };
enum chars { C_BANG = '!', C_QUOTE = '\'', C_HEX = 0x10u, C_OCT = 010 };
enum partial_a { PA_1, PA_2, ... };
enum partial_b { PB_1 = ..., PB_2 };
typedef enum { T_ONE = 1, T_TWO, } t_enum;
enum opaque_enum;
