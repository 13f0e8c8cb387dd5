"""The numbering of the type tables that generated modules carry
(docs/protocol.md section 3), for code that reads or writes such tables:
`OP_*` numbers of the ops, `PRIMITIVE_TO_INDEX` from a primitive type's
C name to its number, and the `F_*` flags of struct and union entries.

The numbers come from the backend, whose table both reads and writes
modules, so there is one source of truth.
"""

import _cffi_backend

_OPS, _PRIMITIVES = _cffi_backend._opcodes()

globals().update(_OPS)

#: C name of each primitive type -> its number (``void`` is 0, not listed).
PRIMITIVE_TO_INDEX = dict(_PRIMITIVES)

_NAMES = {number: name[3:] for name, number in _OPS}


class CffiOp:
    """One word of a type table: an op and its argument (an int, or the C
    expression the compiler evaluates); `op` None is an array length."""

    def __init__(self, op, arg):
        self.op = op
        self.arg = arg

    def __str__(self):
        return "(%s %s)" % (_NAMES.get(self.op, self.op), self.arg)

    def __repr__(self):
        return "CffiOp(%r, %r)" % (self.op, self.arg)


#: Flags of a struct or union entry.
F_UNION = 0x01
F_CHECK_FIELDS = 0x02
F_PACKED = 0x04
F_EXTERNAL = 0x08
F_OPAQUE = 0x10

__all__ = sorted(name for name, _ in _OPS) + ["CffiOp",
    "PRIMITIVE_TO_INDEX", "F_UNION", "F_CHECK_FIELDS", "F_PACKED", "F_EXTERNAL", "F_OPAQUE"]
