/* Init-order fixture, library T (a <- b <- t: t needs b, b needs a): its own DT_INIT (-Wl,-init),
 * DT_INIT_ARRAY (a constructor), DT_FINI_ARRAY (a destructor) and DT_FINI (-Wl,-fini). */
#include "initlog.h"
void initt_init(void) { LOG("t init"); }
void initt_fini(void) { LOG("t fini"); }
__attribute__((constructor)) static void ctor(void) { LOG("t ctor"); }
__attribute__((destructor)) static void dtor(void) { LOG("t dtor"); }
int initt_run(void) { return 1; }
