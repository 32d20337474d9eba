// cxx_user.cpp - C++ through the stubs of libcxx (cxx.cpp): a namespaced function, the explicit
// instantiation with the >300-byte mangled name, and the extern "C" entry point. Built by
// ConsumerFixturesTest:
//   g++ -o cxx_user cxx_user.cpp -L OUT -lcxx -Wl,-rpath,OUT
#include <cstdio>

namespace kitchen_cxx {
int bump();
#include "../cxx_deep.h"
template <class T> int deep_probe(const T *);
extern template int deep_probe<Deep>(const Deep *);
} // namespace kitchen_cxx

extern "C" int cxx_entry(void);

int main()
{
    int a = kitchen_cxx::bump();
    int b = kitchen_cxx::bump();
    int d = kitchen_cxx::deep_probe<kitchen_cxx::Deep>(nullptr);
    int e = cxx_entry();
    std::printf("bump %d %d deep_probe %d cxx_entry %d\n", a, b, d, e);
    return b == a + 1 && d == 1 && e == 11 ? 0 : 1;
}
