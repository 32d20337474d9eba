// The exception type shared by thrower.cpp and catcher.cpp: its typeinfo and vtable are the thrower's.
#include <stdexcept>

struct MergeError : std::runtime_error {
    int code;
    explicit MergeError(int c);
    ~MergeError() override;
};
