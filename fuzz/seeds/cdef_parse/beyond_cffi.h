/* Beyond cffi: attributes, #pragma pack, declspec, expressions in #define */
#define MINUS_ONE (-1)
#define SHIFTED (1UL << 20)
#pragma pack(push, 1)
struct packed_by_pragma { char a; int b; };
#pragma pack(pop)
struct __attribute__((packed)) packed_attr { char a; int b; };
struct aligned_attr { char a; int b __attribute__((aligned(8))); } __attribute__((aligned(16)));
__declspec(dllimport) int imported(int);
int with_asm(int) __asm__("real_name");
int restricted(char *__restrict dst, const char *__restrict__ src);
__extension__ typedef long long llong_t;
static __inline int not_a_definition_here(int);
