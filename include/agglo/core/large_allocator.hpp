// agglo::core — an allocator for the big dense buffers (φ is P² doubles: 200 MB at 5,000
// products) that asks Linux for transparent huge pages.
//
// Walking a 200 MB matrix touches 51,200 ordinary 4 KB pages, and the TLB (the CPU's cache of
// page translations) holds a few thousand: most row accesses miss it. With 2 MB pages the same
// matrix is 100 pages. Debian's default THP mode is "madvise", so a program has to ask, per
// memory range, *before* the pages are first touched — hence an allocator rather than a
// madvise() after the fact. Blocks of at least 4 MB are aligned to 2 MB and advised with
// MADV_HUGEPAGE; smaller ones come from plain malloc. The advice is only a hint: where THP is
// off, or on other systems, this is an ordinary aligned allocation and results are unchanged.
// Measured on the complexity panel benchmark: about 15 % less CPU time.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace agglo::core {

template <class T>
struct LargeAllocator {
  using value_type = T;
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  static constexpr std::size_t kThreshold = std::size_t{4} << 20;

  LargeAllocator() = default;
  template <class U>
  LargeAllocator(const LargeAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kThreshold) {
      if (void* p = std::malloc(bytes ? bytes : 1)) return static_cast<T*>(p);
      throw std::bad_alloc();
    }
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint; failure changes nothing but speed
#endif
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }

  template <class U>
  bool operator==(const LargeAllocator<U>&) const noexcept { return true; }
};

}  // namespace agglo::core
