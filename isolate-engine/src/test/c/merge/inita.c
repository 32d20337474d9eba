/* Init-order fixture, library A (a <- b <- t: t needs b, b needs a): its own DT_INIT (-Wl,-init),
 * DT_INIT_ARRAY (a constructor), DT_FINI_ARRAY (a destructor) and DT_FINI (-Wl,-fini). */
#include "initlog.h"
void inita_init(void) { LOG("a init"); }
void inita_fini(void) { LOG("a fini"); }
__attribute__((constructor)) static void ctor(void) { LOG("a ctor"); }
__attribute__((destructor)) static void dtor(void) { LOG("a dtor"); }
int inita_run(void) { return 1; }
