"""The low-level `_cffi_backend` type constructors and their refusals
(F-10.14, F-10.15, F-10.24, F-10.26, F-07.08), as code written against
the backend directly uses them."""

import os
import sys

import _cffi_backend as b

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _probe import show  # noqa: E402

I = b.new_primitive_type("int")
IP = b.new_pointer_type(I)
show("F-10.14 new_pointer_type", lambda: IP)
show("F-10.14 new_pointer_type of non-ctype", lambda: b.new_pointer_type(5))
show("F-10.15 new_array_type", lambda: b.new_array_type(IP, 3))
show("F-10.15 new_array_type open", lambda: b.new_array_type(IP, None))
show("F-10.15 new_array_type of non-ctype", lambda: b.new_array_type(5, 3))
show("F-10.15 new_array_type float length", lambda: b.new_array_type(IP, 1.5))
show("F-10.15 new_array_type huge length", lambda: b.new_array_type(IP, 2**70))
show("F-10.15 new_array_type too large", lambda: b.new_array_type(IP, 2**62))
show("F-10.15 new_array_type negative", lambda: b.new_array_type(IP, -1))
show("F-10.24 new_function_type", lambda: b.new_function_type((I, IP), I))
show("F-10.24 new_function_type variadic", lambda: b.new_function_type((I,), I, 1))
show("F-10.24 new_function_type list", lambda: b.new_function_type([], I))
show("F-10.24 new_function_type bad result", lambda: b.new_function_type((), 5))
show("F-10.24 new_function_type bad argument", lambda: b.new_function_type((5,), I))
show("F-07.08 new_function_type void argument", lambda: b.new_function_type((b.new_void_type(),), I))
show("F-10.26 newp", lambda: b.newp(IP, 5)[0])
show("F-10.26 newp of a string", lambda: b.newp("int *"))
show("F-10.26 cast", lambda: b.cast(I, 7))
show("F-10.26 cast of a string", lambda: b.cast("int", 1))
