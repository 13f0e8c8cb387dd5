"""Distribution (FEATURES 8.1, 8.5, 8.8; docs/distribution.md): the
`cffi_modules` setuptools keyword, `set_source_pkgconfig()`, the
`cffi-gen-src` command and the distribution's name and version. Each
test builds a small package with the system C compiler in a fresh
interpreter, as pip would."""

import importlib.metadata
import os
import subprocess
import sys
import textwrap

import pytest

import cffi

setuptools = pytest.importorskip("setuptools", reason="cffi_modules needs setuptools")


def write(folder, files):
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def run(folder, *args, ok=True):
    r = subprocess.run([sys.executable, *args], cwd=folder, capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=str(folder)))
    if ok:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


API_BUILD = """
    import cffi
    ffibuilder = cffi.FFI()
    ffibuilder.cdef("int add(int, int); extern int hooked;")
    ffibuilder.set_source("pkg._native", '''
        static int add(int a, int b) { return a + b; }
        #ifdef PRE_RUN_WAS_HERE
        int hooked = 1;
        #else
        int hooked = 0;
        #endif
    ''')
"""

ABI_BUILD = """
    import cffi
    def make():
        ffibuilder = cffi.FFI()
        ffibuilder.cdef("int abs(int);\\n#define ANSWER 42")
        ffibuilder.set_source("pkg._abi", None)
        return ffibuilder
"""


def test_distribution_is_named_cffi_with_our_label():
    """The requirements packages write (`cffi>=1.12`, `<3`) are met by our
    distribution; the local version label says it is cffi-py, and the
    runtime versions stay the plain numbers code parses."""
    version = importlib.metadata.version("cffi")
    assert version.startswith("2.0.0+cffi.py.")
    assert cffi.__version__ == "2.0.0"
    assert cffi.__version_info__ == (2, 0, 0)
    import _cffi_backend

    assert _cffi_backend.__version__ == cffi.__version__
    entry_points = importlib.metadata.distribution("cffi").entry_points
    keyword = [e for e in entry_points if e.group == "distutils.setup_keywords"]
    assert [(e.name, e.value) for e in keyword] == [
        ("cffi_modules", "cffi.setuptools_ext:cffi_modules")]


def test_cffi_modules_api_mode_in_place(tmp_path):
    """F-08.31, F-08.34: an API-mode FFI becomes an extension generated
    into build_temp; a build_ext of the user's with `pre_run(ext, ffi)`
    keeps its place and its hook runs first; F-08.36: the limited API."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/build_native.py": API_BUILD,
        "setup.py": """
            from setuptools import setup
            from setuptools.command.build_ext import build_ext

            class MyBuildExt(build_ext):
                def pre_run(self, ext, ffi):
                    ext.define_macros.append(("PRE_RUN_WAS_HERE", "1"))

            setup(name="pkg", packages=["pkg"], cmdclass={"build_ext": MyBuildExt},
                  cffi_modules=["pkg/build_native.py:ffibuilder"])
        """,
    })
    out = run(tmp_path, "setup.py", "build_ext", "--inplace")
    assert "generating cffi module" in out.stdout + out.stderr
    built = [p.name for p in (tmp_path / "pkg").iterdir() if p.name.startswith("_native")]
    assert len(built) == 1 and built[0].endswith(".abi3.so"), built
    assert list((tmp_path / "build").glob("temp*/pkg._native.c"))
    got = run(tmp_path, "-c", "from pkg._native import lib; print(lib.add(2, 3), lib.hooked)")
    assert got.stdout.split() == ["5", "1"]


def test_cffi_modules_abi_mode(tmp_path):
    """F-08.33, F-08.35: an out-of-line ABI FFI (here a function making
    it) becomes a `.py` module in build_lib, and in place with
    `build_ext --inplace`; sdist leaves the generated module out."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/build_abi.py": ABI_BUILD,
        "setup.py": """
            from setuptools import setup
            setup(name="pkg", version="1.0", packages=["pkg"],
                  cffi_modules=["pkg/build_abi.py:make"])
        """,
    })
    run(tmp_path, "setup.py", "build")
    generated = list((tmp_path / "build").glob("lib*/pkg/_abi.py"))
    assert generated and "_cffi_backend" in generated[0].read_text()
    assert not (tmp_path / "pkg" / "_abi.py").exists()
    run(tmp_path, "setup.py", "sdist", "--formats=tar")
    import tarfile

    [archive] = (tmp_path / "dist").glob("*.tar")
    with tarfile.open(archive) as t:
        names = t.getnames()
    assert any(n.endswith("pkg/build_abi.py") for n in names)
    assert not any(n.endswith("pkg/_abi.py") for n in names), names
    run(tmp_path, "setup.py", "build_ext", "--inplace")
    assert (tmp_path / "pkg" / "_abi.py").exists()
    got = run(tmp_path, "-c", "from pkg._abi import ffi; l = ffi.dlopen(None); "
                              "print(l.abs(-4), l.ANSWER)")
    assert got.stdout.split() == ["4", "42"]


@pytest.mark.parametrize("spec, files, message", [
    ("pkg/build_native.py", {}, "'pkg/build_native.py' must be of the form "
                                "'path/build.py:ffi_variable'"),
    ("pkg.build_native:ffibuilder", {}, "'pkg.build_native' does not name an existing file "
                                        "(rewrite cffi_modules to ['pkg/build_native.py:ffibuilder'])"),
    ("pkg/build_native.py:nothere", {}, "'pkg/build_native.py:nothere': object 'nothere' not "
                                        "found in module"),
    ("pkg/build_native.py:number", {}, "'pkg/build_native.py:number' is not an FFI instance "
                                       "(got 'int')"),
    ("pkg/plain.py:ffibuilder", {"pkg/plain.py": "import cffi\nffibuilder = cffi.FFI()\n"},
     "'pkg/plain.py:ffibuilder': the set_source() method was not called"),
])
def test_cffi_modules_errors(tmp_path, spec, files, message):
    """F-08.32, F-08.33: what setup() reports for a wrong `cffi_modules`
    entry."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/build_native.py": textwrap.dedent(API_BUILD) + "\nnumber = 5\n",
        "setup.py": "from setuptools import setup\n"
                    "setup(name='pkg', packages=['pkg'], cffi_modules=[%r])\n" % (spec,),
        **files,
    })
    r = run(tmp_path, "setup.py", "build", ok=False)
    assert r.returncode != 0
    assert "error in pkg setup command: " + message in r.stderr, r.stderr


def test_set_source_pkgconfig(tmp_path):
    """F-08.08, F-08.09: the flags of a pkg-config package (a `.pc` file
    of our own, found through PKG_CONFIG_PATH) become set_source()
    keywords; a missing package raises PkgConfigError with pkg-config's
    message; a non-list is refused."""
    import shutil

    if shutil.which("pkg-config") is None:
        pytest.skip("pkg-config is not installed")
    (tmp_path / "inc").mkdir()
    (tmp_path / "inc" / "answer.h").write_text("#define ANSWER_FROM_HEADER 41\n")
    (tmp_path / "answer.pc").write_text(textwrap.dedent("""\
        Name: answer
        Description: a test package
        Version: 1.2
        Cflags: -I%s -DPLUS_ONE=1
        Libs: -lm
    """ % (tmp_path / "inc")))
    os.environ["PKG_CONFIG_PATH"] = str(tmp_path)
    try:
        from cffi import pkgconfig

        flags = pkgconfig.flags_from_pkgconfig(["answer >= 1.0"])
        assert flags["include_dirs"] == [str(tmp_path / "inc")]
        assert flags["define_macros"] == [("PLUS_ONE", "1")]
        assert flags["libraries"] == ["m"]
        ffi = cffi.FFI()
        ffi.cdef("int answer(void);")
        ffi.set_source_pkgconfig("_pc", ["answer"], "#include <answer.h>\n"
                                 "static int answer(void) { return ANSWER_FROM_HEADER + PLUS_ONE; }")
        assert ffi._assigned_source[3]["libraries"] == ["m"]
        ffi.compile(tmpdir=str(tmp_path))
        got = run(tmp_path, "-c", "from _pc import lib; print(lib.answer())")
        assert got.stdout.strip() == "42"
        with pytest.raises(cffi.PkgConfigError, match="no-such-package"):
            pkgconfig.flags_from_pkgconfig(["no-such-package"])
        with pytest.raises(TypeError, match="must be a list of package names"):
            cffi.FFI().set_source_pkgconfig("_x", "answer", "")
    finally:
        del os.environ["PKG_CONFIG_PATH"]


def test_gen_src_exec_python_and_read_sources(tmp_path):
    """`cffi-gen-src` / `python -m cffi.gen_src`: the C a build script's
    FFI generates, without running its `__main__` block, and the `.py` of
    an out-of-line FFI; the C compiles into a working module."""
    write(tmp_path, {
        "build_native.py": "import helper\nimport cffi\nffibuilder = cffi.FFI()\n"
                           "ffibuilder.cdef(helper.CDEF)\n"
                           "ffibuilder.set_source('_gen', 'static int twice(int x) { return 2 * x; }')\n"
                           "if __name__ == '__main__':\n    raise SystemExit('main ran')\n",
        "helper.py": "CDEF = 'int twice(int);'\n",
        "build_abi.py": ABI_BUILD,
        "decls.h": "int twice(int);",
        "prelude.c": "static int twice(int x) { return 2 * x; }",
    })
    run(tmp_path, "-m", "cffi.gen_src", "exec-python", "build_native.py", "out.c")
    text = (tmp_path / "out.c").read_text()
    assert "twice" in text and "PyInit__gen" in text
    run(tmp_path, "-m", "cffi.gen_src", "exec-python", "--ffi-var", "make", "build_abi.py", "abi.py")
    assert "_cffi_backend" in (tmp_path / "abi.py").read_text()
    r = run(tmp_path, "-m", "cffi.gen_src", "read-sources", "pkg._gen", "decls.h", "prelude.c", "-")
    assert "PyInit__gen" in r.stdout
    assert r.stdout.startswith("/*"), r.stdout[:200]  # nothing but the C
    r = run(tmp_path, "-m", "cffi.gen_src", "read-sources", "m", "decls.h", "decls.h", "x.c",
            ok=False)
    assert r.returncode != 0 and "same file" in r.stderr
    r = run(tmp_path, "-m", "cffi.gen_src", "exec-python", "--ffi-var", "nope", "build_abi.py",
            "x.c", ok=False)
    assert "NameError" in r.stderr and "'nope'" in r.stderr
    r = run(tmp_path, "-m", "cffi.gen_src", "--help")
    assert r.stdout.startswith("usage: python -m cffi.gen_src")
    script = os.path.join(os.path.dirname(sys.executable), "cffi-gen-src")
    r = subprocess.run([script, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("usage: cffi-gen-src"), r.stderr
    # The generated C is a complete module.
    from cffi import _build

    output = _build.build([str(tmp_path / "out.c")],
                          str(tmp_path / ("_gen" + _build.extension_suffix())), {})
    assert os.path.exists(output)
    got = run(tmp_path, "-c", "from _gen import lib; print(lib.twice(21))")
    assert got.stdout.strip() == "42"


def test_without_setuptools_compile_works_and_extensions_say_what_is_missing(tmp_path):
    """compile() and verify() need no setuptools (docs/api-mode.md);
    what makes a setuptools Extension says to install it, rather than
    failing on the distutils that Python 3.12 removed (F-08.28)."""
    code = textwrap.dedent("""
        import sys
        sys.modules["setuptools"] = None      # as in a venv without it
        import cffi
        ffi = cffi.FFI()
        ffi.cdef("int add(int, int);")
        ffi.set_source("_nost", "static int add(int a, int b) { return a + b; }")
        ffi.compile()
        import _nost
        print(_nost.lib.add(2, 3))
        try:
            ffi.distutils_extension(tmpdir="dx")
        except ImportError as e:
            print(e)
    """)
    r = run(tmp_path, "-c", code)
    lines = r.stdout.splitlines()
    assert lines[0] == "5"
    assert "install the 'setuptools' package" in lines[1]
