"""`cffi.model`: the original keeps its type model (the classes its
pycparser-based parser builds) here. cffi-py's model is in Rust
(crates/ctypes-model); this module gives the one piece code outside cffi
reads: the primitive type names and their kinds."""

from .cffi_opcode import PRIMITIVE_TO_INDEX

_CHARS = ("char", "wchar_t", "char16_t", "char32_t")
_FLOATS = ("float", "double", "long double")
_COMPLEX = ("_cffi_float_complex_t", "_cffi_double_complex_t")


def _kind(name):
    if name in _CHARS:
        return "c"
    if name in _FLOATS:
        return "f"
    if name in _COMPLEX:
        return "j"
    return "i"


class PrimitiveType:
    """A primitive type by C name; `ALL_PRIMITIVE_TYPES` maps each name to
    its kind: `i` integer (`_Bool` included), `c` character, `f` floating
    point, `j` complex."""

    ALL_PRIMITIVE_TYPES = {name: _kind(name) for name in PRIMITIVE_TO_INDEX}

    def __init__(self, name):
        if name not in self.ALL_PRIMITIVE_TYPES:
            raise KeyError(name)
        self.name = name

    def is_char_type(self):
        return self.ALL_PRIMITIVE_TYPES[self.name] == "c"

    def is_integer_type(self):
        return self.ALL_PRIMITIVE_TYPES[self.name] == "i"

    def is_float_type(self):
        return self.ALL_PRIMITIVE_TYPES[self.name] == "f"

    def is_complex_type(self):
        return self.ALL_PRIMITIVE_TYPES[self.name] == "j"

    def __repr__(self):
        return "<%s>" % (self.name,)
