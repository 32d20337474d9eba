/* Each initialiser and finaliser writes one line to stdout, unbuffered, so the order is observable. */
#include <string.h>
#include <unistd.h>
#define LOG(s) ((void) !write(1, s "\n", strlen(s) + 1))
