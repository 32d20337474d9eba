/* Init-order fixture, library B (a <- b <- t: t needs b, b needs a): its own DT_INIT (-Wl,-init),
 * DT_INIT_ARRAY (a constructor), DT_FINI_ARRAY (a destructor) and DT_FINI (-Wl,-fini). */
#include "initlog.h"
void initb_init(void) { LOG("b init"); }
void initb_fini(void) { LOG("b fini"); }
__attribute__((constructor)) static void ctor(void) { LOG("b ctor"); }
__attribute__((destructor)) static void dtor(void) { LOG("b dtor"); }
int initb_run(void) { return 1; }
