"""The third way to ship a binding, seen from the user's side: an API-mode
extension module (`from _foo import ffi, lib`), compiled by the original
cffi into a binary wheel on PyPI, running on cffi-py's `_cffi_backend`.

The wheel of argon2-cffi-bindings (a password-hashing binding) is fetched
from PyPI and unpacked; its compiled module is imported as is. Building
such modules with cffi-py itself is the next example (06); without
network access this example says so and stops.
"""

import os
import subprocess
import sys
import zipfile

import _cffi_backend

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
target = os.path.join(ROOT, "target", "demo-wheels")
unpacked = os.path.join(target, "argon2_cffi_bindings")
if not os.path.isdir(unpacked):
    os.makedirs(target, exist_ok=True)
    r = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
         "argon2-cffi-bindings==25.1.0", "-d", target],
        capture_output=True, text=True,
    )
    if r.returncode != 0:
        print("cannot download argon2-cffi-bindings from PyPI; skipping this example")
        sys.exit(0)
    wheel = [f for f in os.listdir(target) if f.startswith("argon2_cffi_bindings") and f.endswith(".whl")][0]
    with zipfile.ZipFile(os.path.join(target, wheel)) as z:
        z.extractall(unpacked)
sys.path.insert(0, unpacked)

from _argon2_cffi_bindings import ffi, lib  # noqa: E402  (built by the original cffi)

print("backend:", os.path.relpath(_cffi_backend.__file__, sys.prefix))
print("lib:", lib, "with", len(dir(lib)), "names")
print("argon2_hash is", lib.argon2_hash.__doc__.splitlines()[0])

password, salt = b"correct horse", b"NaCl-and-pepper!"
encoded = ffi.new("char[]", 128)
rc = lib.argon2_hash(2, 1024, 1, password, len(password), salt, len(salt),
                     ffi.NULL, 32, encoded, 128, lib.Argon2_id, lib.ARGON2_VERSION_NUMBER)
print("hash:", ffi.string(encoded).decode(), "(rc %d)" % rc)
ok = lib.argon2_verify(encoded, password, len(password), lib.Argon2_id)
bad = lib.argon2_verify(encoded, b"wrong", 5, lib.Argon2_id)
print("verify right / wrong:", ok, bad, "->", ffi.string(lib.argon2_error_message(bad)).decode())
