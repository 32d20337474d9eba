// cxx.cpp - C++ exports: vtable/typeinfo (_ZTV/_ZTI/_ZTS), an STB_GNU_UNIQUE
// object, a >300-byte mangled name, and an extern "C" entry point.
//
// STB_GNU_UNIQUE: g++ (built with --enable-gnu-unique-object, the Debian
// default) gives a function-local static of an inline function, which lives
// in a COMDAT group, the binding STB_GNU_UNIQUE ("gnu_unique_object" in the
// assembly) as long as it has default visibility.  The Makefile therefore
// does NOT use -fvisibility=hidden or -fno-gnu-unique for this file.

#include <typeinfo>

namespace kitchen_cxx {

class Shape {
public:
    virtual ~Shape();
    virtual int sides() const;   // out-of-line key function -> vtable here
};

Shape::~Shape() {}
int Shape::sides() const { return 4; }

// Inline function with a static local -> _ZZN11kitchen_cxx12shared_countEvE1n, UNIQUE.
inline int &shared_count()
{
    static int n = 0;
    return n;
}

int bump() { return ++shared_count(); }

#include "cxx_deep.h"

template <class T> int deep_probe(const T *) { return 1; }

// Explicit instantiation: emitted as an exported weak (COMDAT) function.
template int deep_probe<Deep>(const Deep *);

} // namespace kitchen_cxx

extern "C" __attribute__((visibility("default"))) int cxx_entry(void)
{
    kitchen_cxx::Shape s;
    kitchen_cxx::Shape *p = &s;
    int r = p->sides();                          // 4
    r += kitchen_cxx::bump() > 0 ? 1 : 0;        // +1
    r += kitchen_cxx::deep_probe<kitchen_cxx::Deep>(nullptr); // +1
    r += (typeid(*p) == typeid(kitchen_cxx::Shape)) ? 5 : 0;  // +5
    return r == 11 ? 11 : -r;
}
