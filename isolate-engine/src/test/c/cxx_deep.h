// cxx_deep.h - the type behind the longest mangled name of libcxx (cxx.cpp), shared with the consumer
// that calls it through its stub (consumer/cxx_user.cpp). Include inside namespace kitchen_cxx.
#ifndef CXX_DEEP_H
#define CXX_DEEP_H

// Distinct, long-named templates nested inside each other; each name appears
// once in the mangling, so substitutions cannot compress it much.
template <class T> struct AlphaWrapperWithAVeryLongDescriptiveName {};
template <class T> struct BravoWrapperWithAVeryLongDescriptiveName {};
template <class T> struct CharlieWrapperWithAVeryLongDescriptiveName {};
template <class T> struct DeltaWrapperWithAVeryLongDescriptiveName {};
template <class T> struct EchoWrapperWithAVeryLongDescriptiveName {};
template <class T> struct FoxtrotWrapperWithAVeryLongDescriptiveName {};
template <class T> struct GolfWrapperWithAVeryLongDescriptiveName {};
template <class T> struct HotelWrapperWithAVeryLongDescriptiveName {};
template <class T> struct IndiaWrapperWithAVeryLongDescriptiveName {};

typedef AlphaWrapperWithAVeryLongDescriptiveName<
    BravoWrapperWithAVeryLongDescriptiveName<
    CharlieWrapperWithAVeryLongDescriptiveName<
    DeltaWrapperWithAVeryLongDescriptiveName<
    EchoWrapperWithAVeryLongDescriptiveName<
    FoxtrotWrapperWithAVeryLongDescriptiveName<
    GolfWrapperWithAVeryLongDescriptiveName<
    HotelWrapperWithAVeryLongDescriptiveName<
    IndiaWrapperWithAVeryLongDescriptiveName<int> > > > > > > > > Deep;

#endif
