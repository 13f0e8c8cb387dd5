/* The hand-written limit of `cargo xtask bench ops` (issue #19): what a
 * C extension written for one struct and three functions costs, with no
 * FFI layer at all. A `Point` type whose `x` and `y` are int members read
 * and written through CPython's member descriptors, and functions doing
 * what bench/calls.c's functions do, called with METH_NOARGS / METH_O. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

typedef struct {
    PyObject_HEAD
    int x, y;
} Point;

static PyMemberDef point_members[] = {
    {"x", T_INT, offsetof(Point, x), 0, NULL},
    {"y", T_INT, offsetof(Point, y), 0, NULL},
    {NULL},
};

static PyTypeObject PointType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_bench_limit.Point",
    .tp_basicsize = sizeof(Point),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_members = point_members,
    .tp_new = PyType_GenericNew,
};

static int anchor;

static PyObject *noop(PyObject *self, PyObject *unused) { Py_RETURN_NONE; }

static PyObject *get_ptr(PyObject *self, PyObject *unused)
{
    return PyLong_FromVoidPtr(&anchor);
}

/* move_pt of bench/calls.c: a struct in, a new struct out. */
static PyObject *move_pt(PyObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &PointType)) {
        PyErr_SetString(PyExc_TypeError, "expected a Point");
        return NULL;
    }
    Point *p = (Point *)arg;
    Point *r = PyObject_New(Point, &PointType);
    if (r == NULL)
        return NULL;
    r->x = p->x + 3;
    r->y = p->y - 3;
    return (PyObject *)r;
}

/* The same three with the C work done with the GIL released, as every C
 * call through cffi is (other threads run meanwhile): what a call costs
 * at least on this interpreter, whatever calls it (the "floor" of
 * `cargo xtask bench ops`). */
static void nothing_at_all(void) {}

static PyObject *noop_released(PyObject *self, PyObject *unused)
{
    Py_BEGIN_ALLOW_THREADS
    nothing_at_all();
    Py_END_ALLOW_THREADS
    Py_RETURN_NONE;
}

static PyObject *get_ptr_released(PyObject *self, PyObject *unused)
{
    void *p;
    Py_BEGIN_ALLOW_THREADS
    p = &anchor;
    Py_END_ALLOW_THREADS
    return PyLong_FromVoidPtr(p);
}

static PyObject *move_pt_released(PyObject *self, PyObject *arg)
{
    if (!PyObject_TypeCheck(arg, &PointType)) {
        PyErr_SetString(PyExc_TypeError, "expected a Point");
        return NULL;
    }
    Point *p = (Point *)arg;
    int x = p->x, y = p->y;
    Py_BEGIN_ALLOW_THREADS
    x += 3;
    y -= 3;
    Py_END_ALLOW_THREADS
    Point *r = PyObject_New(Point, &PointType);
    if (r == NULL)
        return NULL;
    r->x = x;
    r->y = y;
    return (PyObject *)r;
}

static PyMethodDef methods[] = {
    {"noop", noop, METH_NOARGS, NULL},
    {"get_ptr", get_ptr, METH_NOARGS, NULL},
    {"move_pt", move_pt, METH_O, NULL},
    {"noop_released", noop_released, METH_NOARGS, NULL},
    {"get_ptr_released", get_ptr_released, METH_NOARGS, NULL},
    {"move_pt_released", move_pt_released, METH_O, NULL},
    {NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_bench_limit", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__bench_limit(void)
{
    if (PyType_Ready(&PointType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&PointType);
    if (PyModule_AddObject(m, "Point", (PyObject *)&PointType) < 0)
        return NULL;
    return m;
}
