/* A "bundled zlib": the two zlib functions the JNI glue uses, under zlib's SONAME (libz.so.1) and
 * version node (ZLIB_1.2.0), but reporting its own version string, so a test can tell which copy a
 * caller reached. crc32 is the real CRC-32 (reflected 0xEDB88320), so results can be checked too. */
#define BUNDLED_VERSION "1.2.3-bundled-by-isolate"

const char *zlibVersion(void) { return BUNDLED_VERSION; }

unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len) {
    if (!buf) return 0;
    crc = ~crc & 0xffffffffUL;
    while (len--) {
        crc ^= *buf++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xEDB88320UL & (0UL - (crc & 1)));
    }
    return ~crc & 0xffffffffUL;
}
