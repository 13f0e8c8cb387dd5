/* C helpers of the backend, for what Rust cannot do with `long double`.

   Export 21 of the API-mode export table (docs/protocol.md §6.2) returns a
   `long double`, which Rust cannot return: this shim asks the Rust side
   for the value's 16 bytes and returns them as a `long double`. On error
   it returns -1 with the Python exception set, as the protocol says. */
#include <string.h>

int _cffipy_long_double_bytes(void *obj, unsigned char *out);

long double cffipy_to_c_long_double(void *obj)
{
    unsigned char bytes[16];
    long double value = -1;
    memset(bytes, 0, sizeof(bytes));
    if (_cffipy_long_double_bytes(obj, bytes) == 0)
        memcpy(&value, bytes, sizeof(value));
    return value;
}

/* `long double` values print as C's `%LE` does, over the type's whole
   range (an `f64` would turn 1e-500 into 0): used by the reprs. */
#include <stdio.h>

int cffipy_format_long_double(const unsigned char *bytes, char *out, int size)
{
    long double value;
    memcpy(&value, bytes, sizeof(value));
    return snprintf(out, (size_t)size, "%LE", value);
}
