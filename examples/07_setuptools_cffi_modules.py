"""The fourth way to ship a binding, the one real packages use: a package
whose `setup.py` says `cffi_modules=["pkg/_build.py:ffibuilder"]`, built
by pip. Our wheel is the distribution named `cffi`, so the package's
`[build-system] requires = ["setuptools", "cffi>=1.12"]` is satisfied by
it; its setuptools keyword `cffi_modules` generates the API-mode C into
the build folder and compiles it with the package's own flags
(docs/distribution.md).

Here the package is written into target/demo-dist, built into a wheel
with `pip wheel --no-build-isolation` (so that the build uses the cffi of
this environment: ours), installed into a folder, and imported.
"""

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
work = os.path.join(ROOT, "target", "demo-dist")
shutil.rmtree(work, ignore_errors=True)
files = {
    "pyproject.toml": """
        [build-system]
        requires = ["setuptools", "cffi>=1.12"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "demo-checksum"
        version = "1.0"
        dependencies = ["cffi>=1.12"]
    """,
    "setup.py": """
        from setuptools import setup
        setup(packages=["demo_checksum"], cffi_modules=["demo_checksum/_build.py:ffibuilder"])
    """,
    "demo_checksum/__init__.py": """
        from ._native import ffi, lib

        def adler32(data: bytes) -> int:
            return lib.adler32(data, len(data))
    """,
    "demo_checksum/_build.py": """
        import cffi

        ffibuilder = cffi.FFI()
        ffibuilder.cdef("uint32_t adler32(const unsigned char *, size_t);")
        ffibuilder.set_source("demo_checksum._native", '''
            #include <stdint.h>
            #include <stddef.h>
            static uint32_t adler32(const unsigned char *p, size_t n) {
                uint32_t a = 1, b = 0;
                for (size_t i = 0; i < n; i++) { a = (a + p[i]) % 65521; b = (b + a) % 65521; }
                return (b << 16) | a;
            }
        ''')
    """,
}
for name, text in files.items():
    path = os.path.join(work, "src", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(textwrap.dedent(text))

try:
    import setuptools  # noqa: F401
except ImportError:
    print("setuptools is not installed in this environment: skipping the cffi_modules demo")
    sys.exit(0)

subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-build-isolation", "--no-deps",
                "-w", os.path.join(work, "dist"), os.path.join(work, "src")], check=True)
[wheel] = os.listdir(os.path.join(work, "dist"))
with zipfile.ZipFile(os.path.join(work, "dist", wheel)) as z:
    built = sorted(n for n in z.namelist() if n.startswith("demo_checksum/"))
    z.extractall(os.path.join(work, "installed"))
print("pip built", wheel, "holding", ", ".join(built))

check = "import zlib, demo_checksum; d = b'cffi-py builds packages'; " \
        "print('adler32 =', hex(demo_checksum.adler32(d)), 'zlib agrees:', " \
        "demo_checksum.adler32(d) == zlib.adler32(d))"
subprocess.run([sys.executable, "-c", check], check=True,
               env=dict(os.environ, PYTHONPATH=os.path.join(work, "installed")))
