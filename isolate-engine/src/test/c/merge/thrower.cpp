// A member that throws a C++ exception of its own type; catcher.cpp (another member) catches it.
#include "merge_error.h"

extern "C" void thrower_throw(int code) {
    throw MergeError(code);
}

MergeError::MergeError(int c) : std::runtime_error("merge error"), code(c) {}
MergeError::~MergeError() = default;
