/* cffi-py embedding start-up (docs/embedding.md).  Written for cffi-py;
   the generator appends it to an embedding library, after the module's
   PyInit function and after defining
     _CFFIPY_EMBEDDING_MODULE  the module's full name (a string literal),
     _CFFIPY_EMBEDDING_INIT    its PyInit function,
     _cffipy_init_code         the init code (UTF-8, NUL-terminated).

   The first call of an exported function, from any thread, starts Python
   if nothing runs it yet, creates the module, runs the init code once,
   then calls Python as every later call does (export 25).  Concurrent
   first calls wait for the one start-up; a call made by the init code
   itself goes through; a failed start-up is reported once and every call
   then returns zero. */

#include <errno.h>
#include <stdio.h>
#include <pthread.h>

/* Python itself starts once per process: the embedding libraries of
   cffi-py that share the global symbol scope share this lock (a weak
   symbol: the first definition wins). */
#ifdef __GNUC__
__attribute__((weak, visibility("default")))
#else
static
#endif
pthread_mutex_t _cffipy_python_start_lock = PTHREAD_MUTEX_INITIALIZER;

/* This library's start-up: a recursive lock (the init code may call the
   library's own functions) and its state. */
static pthread_once_t _cffipy_embedding_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t _cffipy_embedding_lock;
enum { _CFFIPY_NOT_STARTED, _CFFIPY_STARTING, _CFFIPY_READY, _CFFIPY_FAILED };
static int _cffipy_embedding_state = _CFFIPY_NOT_STARTED;

static void _cffipy_embedding_make_lock(void)
{
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&_cffipy_embedding_lock, &attr);
    pthread_mutexattr_destroy(&attr);
}

/* With the GIL and an exception set: what went wrong, on stderr (F-09.10). */
static void _cffipy_embedding_report(void)
{
    PyObject *type, *value, *tb, *backend, *version = NULL, *file = NULL;
    PyErr_Fetch(&type, &value, &tb);
    PyErr_NormalizeException(&type, &value, &tb);
    PySys_WriteStderr("Failed to initialize the Python-CFFI embedding logic:\n\n");
    if (type != NULL)
        PyErr_Display(type, value, tb);
    Py_XDECREF(type);
    Py_XDECREF(value);
    Py_XDECREF(tb);
    backend = PyDict_GetItemString(PyImport_GetModuleDict(), "_cffi_backend");
    if (backend != NULL) {
        version = PyObject_GetAttrString(backend, "__version__");
        file = PyObject_GetAttrString(backend, "__file__");
    }
    PyErr_Clear();
    PySys_FormatStderr("\nFrom: %s\ncompiled with cffi version: %S\n", _CFFIPY_EMBEDDING_MODULE,
                       version != NULL ? version : Py_None);
    if (backend == NULL)
        PySys_WriteStderr("_cffi_backend module: not loaded\n");
    else
        PySys_FormatStderr("_cffi_backend module: %R\n", file != NULL ? file : Py_None);
    PySys_FormatStderr("sys.path: %R\n\n", PySys_GetObject("path"));
    Py_XDECREF(version);
    Py_XDECREF(file);
    PyErr_Clear();
}

/* Starts Python if needed, creates the module and runs the init code;
   0 on success.  Called once, with this library's lock held. */
static int _cffipy_embedding_start(void)
{
    PyGILState_STATE gil;
    PyObject *modules, *module, *code = NULL, *globals = NULL, *result = NULL;
    int ok = -1;

    pthread_mutex_lock(&_cffipy_python_start_lock);
    if (!Py_IsInitialized()) {
        Py_InitializeEx(0); /* no signal handlers: the program owns them */
        /* The starting thread holds the GIL now: release it, so that other
           threads (and PyGILState below) take it as usual. */
        PyEval_SaveThread();
    }
    pthread_mutex_unlock(&_cffipy_python_start_lock);

    gil = PyGILState_Ensure();
    modules = PyImport_GetModuleDict();
    /* Imported as an extension module already (F-09.14)?  Keep that one,
       if it is this very library's: then the export table is filled.  A
       module of the name loaded from another file is replaced. */
    module = PyDict_GetItemString(modules, _CFFIPY_EMBEDDING_MODULE);
    if (module == NULL || _cffi_exports[25] == NULL) {
        module = _CFFIPY_EMBEDDING_INIT();
        if (module == NULL)
            goto done;
        if (PyDict_SetItemString(modules, _CFFIPY_EMBEDDING_MODULE, module) < 0) {
            Py_DECREF(module);
            goto done;
        }
        Py_DECREF(module);
    }
    code = Py_CompileString(_cffipy_init_code,
                            "<init code for '" _CFFIPY_EMBEDDING_MODULE "'>", Py_file_input);
    if (code == NULL)
        goto done;
    globals = PyDict_New();
    if (globals == NULL || PyDict_SetItemString(globals, "__builtins__", PyEval_GetBuiltins()) < 0)
        goto done;
    result = PyEval_EvalCode(code, globals, globals);
    if (result != NULL)
        ok = 0;
done:
    if (ok < 0)
        _cffipy_embedding_report();
    Py_XDECREF(result);
    Py_XDECREF(globals);
    Py_XDECREF(code);
    PyGILState_Release(gil);
    return ok;
}

/* Whether this thread holds the GIL: the running thread state is this
   thread's own.  (On 3.11 the running state is process-wide, whichever
   thread holds the GIL: hence the comparison.  PyGILState_Check() cannot
   be used: it answers yes to everything once a subinterpreter exists.) */
static int _cffipy_holds_gil(void)
{
#if PY_VERSION_HEX >= 0x030D0000
    PyThreadState *running = PyThreadState_GetUnchecked();
#else
    PyThreadState *running = _PyThreadState_UncheckedGet();
#endif
    return running != NULL && running == PyGILState_GetThisThreadState();
}

/* 1 when calls may go to Python (started, or a call from the start-up
   itself), -1 when the start-up failed. */
static int _cffipy_embedding_enter(void)
{
    PyThreadState *released = NULL;
    int state;

    pthread_once(&_cffipy_embedding_once, _cffipy_embedding_make_lock);
    /* Never wait holding the GIL: the starting thread needs it. */
    if (Py_IsInitialized() && _cffipy_holds_gil())
        released = PyEval_SaveThread();
    pthread_mutex_lock(&_cffipy_embedding_lock);
    if (_cffipy_embedding_state == _CFFIPY_NOT_STARTED) {
        _cffipy_embedding_state = _CFFIPY_STARTING;
        if (_cffipy_embedding_start() == 0) {
            _cffipy_embedding_state = _CFFIPY_READY;
            __atomic_store_n(&_cffipy_call_python,
                             (void (*)(struct _cffi_externpy_s *, char *))_cffi_exports[25],
                             __ATOMIC_RELEASE);
        } else {
            _cffipy_embedding_state = _CFFIPY_FAILED;
        }
    }
    state = _cffipy_embedding_state;
    pthread_mutex_unlock(&_cffipy_embedding_lock);
    if (released != NULL)
        PyEval_RestoreThread(released);
    return state == _CFFIPY_FAILED ? -1 : 1;
}

static void _cffipy_start_and_call_python(struct _cffi_externpy_s *externpy, char *args)
{
    int saved_errno = errno; /* the caller's, across the start-up (F-09.12) */
    int state = _cffipy_embedding_enter();
    errno = saved_errno;
    if (state > 0) {
        ((void (*)(struct _cffi_externpy_s *, char *))_cffi_exports[25])(externpy, args);
        return;
    }
    fprintf(stderr, "function %s() called, but initialization code failed.  Returning 0.\n",
            externpy->name);
    memset(args, 0, externpy->size_of_result);
}

static int cffi_start_python(void)
{
    int saved_errno = errno;
    int state = _cffipy_embedding_enter();
    errno = saved_errno;
    return state > 0 ? 0 : -1;
}
