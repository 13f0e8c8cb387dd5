"""Embedding (FEATURES 9, docs/embedding.md): Python code shipped as a C
shared library. Each test builds a library with `embedding_api()` +
`embedding_init_code()` + `compile()`, then a C program linking it, and
runs the program: the first call from C starts Python."""

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap

import pytest

import cffi

if sys.platform == "win32" or shutil.which("gcc") is None:
    pytest.skip("the C test programs are built with gcc", allow_module_level=True)


def build(folder, name, api, init, source="", cdef=None):
    """The embedding library `<folder>/<name>.so`."""
    ffi = cffi.FFI()
    if cdef:
        ffi.cdef(cdef)
    ffi.embedding_api(api)
    if init is not None:
        ffi.embedding_init_code(init)
    ffi.set_source(name, source)
    return ffi.compile(tmpdir=str(folder))


def program(folder, name, c_source, libs):
    """Compiles the C program `name` linking the libraries `libs`."""
    c_file = folder / (name + ".c")
    c_file.write_text(textwrap.dedent(c_source))
    exe = folder / name
    subprocess.run(["gcc", "-pthread", "-o", str(exe), str(c_file), *map(str, libs),
                    "-Wl,-rpath," + str(folder)], check=True)
    return exe


# `cargo xtask valgrind` sets it to the suppressions file: the programs
# then run under valgrind (once each), and any memory error fails them.
VALGRIND = os.environ.get("CFFIPY_EMBEDDING_VALGRIND")
REPEATS = 1 if VALGRIND else 20


def run(exe, check=True):
    """Runs a test program; the embedded interpreter finds this one's
    packages (our cffi) through PYTHONPATH, as a program started outside
    the virtualenv needs."""
    paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    command = [str(exe)]
    if VALGRIND:
        command = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=no",
                   "--suppressions=" + VALGRIND] + command
        env["PYTHONMALLOC"] = "malloc"
    r = subprocess.run(command, capture_output=True, text=True, env=env, cwd=exe.parent)
    assert r.returncode != 99, "valgrind: " + r.stderr
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def test_first_call_starts_python(tmp_path):
    """F-09.01, F-09.05, F-09.06, F-09.07, F-09.08, F-09.15: the exported
    function starts Python, runs the init code (UTF-8 kept, builtins
    there, the module importable under its name) and forwards to the
    attached function; a global the C source defines with CFFI_DLLEXPORT
    is exported too; the library is named after the module. F-09.02: a
    cdef() function of the same builder is an ordinary import of `lib`."""
    lib = build(tmp_path, "_emb_add", "int add(int, int); extern int counter;", """
        import sys
        from _emb_add import ffi, lib
        sys.stdout.write("init: %s %d %d\\n" % ("h\\u00e9llo \\u2603", len("\\u2603"),
                                                lib.c_triple(5)))
        sys.stdout.flush()

        @ffi.def_extern()
        def add(x, y):
            lib.counter += 1
            return x + y
    """, source="CFFI_DLLEXPORT int counter = 100;\nstatic int c_triple(int x) { return 3 * x; }",
        cdef="int c_triple(int);")
    assert os.path.basename(lib) == "_emb_add.so"
    text = (tmp_path / "_emb_add.c").read_text()
    assert "#define _CFFI_USE_EMBEDDING" in text and "0x2701" in text
    exe = program(tmp_path, "main", """
        #include <stdio.h>
        int add(int, int);
        extern int counter;
        int main(void) {
            int a = add(40, 2);
            int b = add(-5, 5);
            printf("%d %d %d\\n", a, b, counter);
            return 0;
        }
    """, [lib])
    out = run(exe).stdout
    assert out == "init: h\u00e9llo \u2603 1 15\n42 0 102\n"


def test_init_code_rules(tmp_path):
    """F-09.03, F-09.04, F-09.13: the init code is given once, its leading
    blank lines and common indentation are removed, a SyntaxError is
    raised at once (file name `cffi_init`); without init code and
    without functions the library is still valid, and the C source can
    start Python with cffi_start_python()."""
    ffi = cffi.FFI()
    ffi.embedding_api("")
    ffi.embedding_init_code("\n\n    x = 1\n    if x:\n        y = 2\n")
    assert ffi._embedding == "x = 1\nif x:\n    y = 2\n"
    with pytest.raises(ValueError, match="can only be called once"):
        ffi.embedding_init_code("z = 3")
    with pytest.raises(SyntaxError) as e:
        cffi.FFI().embedding_init_code("def f(:\n")
    assert e.value.filename == "cffi_init"

    lib = build(tmp_path, "_emb_empty", "", None, source="""
        CFFI_DLLEXPORT int start(void) {
            int r = cffi_start_python();
            PyGILState_STATE g = PyGILState_Ensure();
            int ok = Py_IsInitialized() && PyImport_AddModule("_emb_empty") != NULL;
            PyGILState_Release(g);
            return r == 0 && ok;
        }
    """)
    exe = program(tmp_path, "main", """
        #include <stdio.h>
        int start(void);
        int main(void) { printf("%d\\n", start()); return 0; }
    """, [lib])
    assert run(exe).stdout == "1\n"


THREADS = """
    #include <pthread.h>
    #include <stdio.h>
    int add(int, int);
    static void *go(void *arg) { *(int *)arg = add(*(int *)arg, 1000); return NULL; }
    int main(void) {
        pthread_t t[10];
        int v[10], i, sum = 0;
        for (i = 0; i < 10; i++) { v[i] = i; pthread_create(&t[i], NULL, go, &v[i]); }
        for (i = 0; i < 10; i++) { pthread_join(t[i], NULL); sum += v[i]; }
        printf("%d\\n", sum);
        return 0;
    }
"""


def test_concurrent_first_calls_wait_for_one_start(tmp_path):
    """F-09.09: ten C threads make the first call at once; the init code
    (slow on purpose) runs once and every call gets its answer. A race,
    so the program runs several times."""
    lib = build(tmp_path, "_emb_threads", "int add(int, int);", """
        import sys, time
        from _emb_threads import ffi
        time.sleep(0.1)
        sys.stdout.write("init once\\n")
        sys.stdout.flush()

        @ffi.def_extern()
        def add(x, y):
            return x + y
    """)
    exe = program(tmp_path, "main", THREADS, [lib])
    for _ in range(REPEATS):
        assert run(exe).stdout == "init once\n%d\n" % (45 + 10 * 1000)


def test_failed_init_code_is_reported_and_calls_return_zero(tmp_path):
    """F-09.10: the report (traceback, module, version, where
    _cffi_backend came from, sys.path) once, then every call prints its
    message and returns 0; the program goes on."""
    lib = build(tmp_path, "_emb_fail", "int add(int, int);", "raise KeyError('no key here')")
    exe = program(tmp_path, "main", """
        #include <stdio.h>
        int add(int, int);
        int main(void) { int a = add(1, 2); int b = add(3, 4); printf("%d %d\\n", a, b); return 0; }
    """, [lib])
    r = run(exe)
    assert r.stdout == "0 0\n"
    err = r.stderr
    assert err.count("Failed to initialize the Python-CFFI embedding logic:") == 1
    assert "KeyError: 'no key here'" in err and "<init code for '_emb_fail'>" in err
    assert "From: _emb_fail" in err and "compiled with cffi version: 2.0.0" in err
    assert "_cffi_backend module: " in err and "sys.path: [" in err
    assert err.count("function _emb_fail.add() called, but initialization code failed.  "
                     "Returning 0.") == 2


def test_nothing_attached_reentrant_calls_and_errno(tmp_path):
    """F-09.11: a function with nothing attached says so and returns 0;
    F-09.09: the init code may call the library's own functions; F-09.12:
    the caller's errno survives the start-up."""
    lib = build(tmp_path, "_emb_misc", "int twice(int); int orphan(int);", """
        import sys
        from _emb_misc import ffi, lib

        @ffi.def_extern()
        def twice(x):
            return 2 * x

        sys.stdout.write("from the init code: %d\\n" % lib.twice(21))
        sys.stdout.flush()
    """)
    exe = program(tmp_path, "main", """
        #include <errno.h>
        #include <stdio.h>
        int twice(int); int orphan(int);
        int main(void) {
            int a, b;
            errno = 1234;
            a = twice(5);
            printf("%d errno=%d\\n", a, errno);
            fflush(stdout);
            b = orphan(7);
            printf("%d\\n", b);
            return 0;
        }
    """, [lib])
    r = run(exe)
    assert r.stdout == "from the init code: 42\n10 errno=1234\n0\n"
    assert "orphan" in r.stderr and "no code was attached" in r.stderr


def test_every_embedding_api_function_is_exported(tmp_path):
    """F-09.01: an export declared through a function typedef, or inside
    an `extern "Python"` block of embedding_api(), is exported too."""
    lib = build(tmp_path, "_emb_typedef",
                'typedef int fn_t(int); fn_t by_typedef; extern "Python" int in_block(int);', """
        from _emb_typedef import ffi

        @ffi.def_extern()
        def by_typedef(x):
            return x + 1

        @ffi.def_extern()
        def in_block(x):
            return x + 2
    """)
    exe = program(tmp_path, "main", """
        #include <stdio.h>
        int by_typedef(int); int in_block(int);
        int main(void) { printf("%d %d\\n", by_typedef(40), in_block(40)); return 0; }
    """, [lib])
    assert run(exe).stdout == "41 42\n"


def test_two_libraries_share_one_interpreter(tmp_path):
    """F-09.09: two embedding libraries in one program start Python once
    and see each other's modules."""
    one = build(tmp_path, "_emb_one", "int one(void);", """
        import sys
        from _emb_one import ffi
        sys.shared_by_both = "set by one"

        @ffi.def_extern()
        def one():
            return 1
    """)
    two = build(tmp_path, "_emb_two", "int two(void);", """
        import sys
        from _emb_two import ffi

        @ffi.def_extern()
        def two():
            return 2 if getattr(sys, "shared_by_both", None) == "set by one" else -2
    """)
    exe = program(tmp_path, "main", """
        #include <stdio.h>
        int one(void); int two(void);
        int main(void) { int a = one(); int b = two(); printf("%d %d\\n", a, b); return 0; }
    """, [one, two])
    assert run(exe).stdout == "1 2\n"


def test_library_imported_as_an_extension_module(tmp_path):
    """F-09.14: under its extension-module name the library imports into
    a running Python; the init code runs at the first call."""
    lib = build(tmp_path, "_emb_ext", "int add(int, int);", """
        from _emb_ext import ffi

        @ffi.def_extern()
        def add(x, y):
            return x + y + 1000
    """)
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    shutil.copy(lib, tmp_path / ("_emb_ext" + suffix))
    code = "import _emb_ext; print(_emb_ext.lib.add(1, 2))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=tmp_path, env=dict(os.environ, PYTHONPATH=str(tmp_path)))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "1003\n"


def test_thread_local_state_lasts_per_c_thread(tmp_path):
    """F-09.12: each C thread keeps one Python thread state from call to
    call: `threading.local` values stay per thread (the original 2.0.0
    loses them between calls on CPython 3.11: its own test_tlocal fails)."""
    lib = build(tmp_path, "_emb_tlocal", "int next_in_thread(void);", """
        import itertools, threading
        from _emb_tlocal import ffi
        local = threading.local()
        thread_ids = itertools.count(1)

        @ffi.def_extern()
        def next_in_thread():
            if not hasattr(local, "base"):
                local.base, local.n = next(thread_ids) * 1000, 0
            local.n += 1
            return local.base + local.n
    """)
    exe = program(tmp_path, "main", """
        #include <pthread.h>
        #include <stdio.h>
        int next_in_thread(void);
        static void *go(void *arg) {
            int first = next_in_thread(), i, ok = 1;
            for (i = 2; i <= 50; i++)
                ok &= next_in_thread() == first - 1 + i;
            *(int *)arg = ok && first % 1000 == 1;
            return NULL;
        }
        int main(void) {
            pthread_t t[8];
            int ok[8], i, all = 1;
            for (i = 0; i < 8; i++) pthread_create(&t[i], NULL, go, &ok[i]);
            for (i = 0; i < 8; i++) { pthread_join(t[i], NULL); all &= ok[i]; }
            printf("%s\\n", all ? "per thread" : "lost");
            return 0;
        }
    """, [lib])
    for _ in range(min(REPEATS, 3)):
        assert run(exe).stdout == "per thread\n"


ORACLE = os.environ.get("CFFI_ORACLE_PYTHON")

DIFFERENTIAL_BUILD = """
import cffi
ffi = cffi.FFI()
ffi.embedding_api("int add(int, int); int orphan(int);")
ffi.embedding_init_code('''
    import sys
    from _emb_diff import ffi
    sys.stdout.write("init\\\\n")
    sys.stdout.flush()

    @ffi.def_extern()
    def add(x, y):
        return x + y
''')
ffi.set_source("_emb_diff", "")
ffi.compile()
"""


@pytest.mark.skipif(not ORACLE, reason="CFFI_ORACLE_PYTHON is not set (cargo xtask test sets it)")
def test_the_original_builds_the_same_library_behaviour(tmp_path):
    """The same build script under the original cffi and under ours, the
    same C program (ten threads racing to the first call, then a function
    with nothing attached): the same output."""
    outputs = {}
    for who, python in [("ours", sys.executable), ("original", ORACLE)]:
        folder = tmp_path / who
        folder.mkdir()
        subprocess.run([python, "-c", DIFFERENTIAL_BUILD], cwd=folder, check=True,
                       capture_output=True)
        exe = program(folder, "main", THREADS.replace(
            'printf("%d\\n", sum);',
            'printf("%d\\n", sum); fflush(stdout); printf("%d\\n", orphan(1));'
        ).replace("int add(int, int);", "int add(int, int); int orphan(int);"),
            [folder / "_emb_diff.so"])
        site = subprocess.run([python, "-c", "import sysconfig; p = sysconfig.get_paths(); "
                               "print(p['purelib'] + ':' + p['platlib'])"],
                              capture_output=True, text=True, check=True).stdout.strip()
        r = subprocess.run([str(exe)], capture_output=True, text=True, cwd=folder,
                           env=dict(os.environ, PYTHONPATH=site))
        outputs[who] = (r.returncode, r.stdout, r.stderr)
    assert outputs["ours"][:2] == outputs["original"][:2] == (0, "init\n10045\n0\n")
    assert "orphan" in outputs["ours"][2] and "orphan" in outputs["original"][2]
