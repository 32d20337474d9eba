/* Members with and without GNU properties (MergeTest): libpt.so (TARGET) calls pa_value from libpa.so, whose
 * variants differ only in their .note.gnu.property. */
#ifdef PROPS_TARGET
int pa_value(void);
int props_run(void) { return pa_value() + 1; }
#else
int pa_value(void) { return 41; }
#endif
