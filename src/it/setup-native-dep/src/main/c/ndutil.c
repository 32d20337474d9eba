/* libndutil.so.1: what libnd.so links against (the pom has the gcc command). */
int ndutil_twice(int x) { return 2 * x; }
