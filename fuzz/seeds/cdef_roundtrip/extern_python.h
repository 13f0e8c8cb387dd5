/* F-01.34, F-01.35 */
extern "Python" int on_event(int, void *);
extern "Python+C" void exported(void);
extern "C + Python" void also_exported(void);
extern "Python" {
    int cb1(int);
    int cb2(int);
}
