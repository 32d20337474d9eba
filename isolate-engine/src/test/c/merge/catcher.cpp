// The TARGET of the C++ fixture: calls into thrower.cpp (another member) and catches what it throws,
// by its own type (the typeinfo the thrower defines), then by std::exception.
#include "merge_error.h"

extern "C" void thrower_throw(int code);

extern "C" int catcher_run(void) {
    int got = 0;
    try {
        thrower_throw(41);
    } catch (const MergeError &e) {
        got = e.code + 1;
    }
    try {
        thrower_throw(1);
    } catch (const std::exception &e) {
        got += 100;
    }
    return got; // 142
}
