/* A shared library built BTI-clean (-mbranch-protection=standard, -nostartfiles: Debian 12's crt objects
 * carry no BTI property) that links crc32 through the isolate linker script, so its only other objects are
 * the stubs. The loader then maps it BTI-guarded, and the indirect call below must land on a `bti c`.
 * control=1 calls nobti_target (bti_control.s) instead: no landing pad, so it must die with SIGILL,
 * which shows the guard is really on. */
#include <string.h>

unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len);
unsigned long nobti_target(unsigned long crc, const unsigned char *buf, unsigned int len);

unsigned long bti_call_crc32(const char *s, int control) {
    unsigned long (*volatile f)(unsigned long, const unsigned char *, unsigned int) = control ? nobti_target : crc32;
    return f(0, (const unsigned char *) s, (unsigned) strlen(s));
}
