/* A JNI-style glue over libmfix.so.1, for the merge under musl (MuslTest): its one entry point is all the merged
 * file exports. */
int mfix_digits(const char *s);
int mfix_count(void);

int Java_dev_isolate_Musl_run(void *env, void *cls) {
    (void) env;
    (void) cls;
    return mfix_digits("12345") * 10000 + mfix_count();
}
