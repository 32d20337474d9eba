/* libnd.so: needs libndutil.so.1, so the bundle has an order to get right. */
int ndutil_twice(int x);
int nd_answer(void) { return ndutil_twice(21); }
