// Exact duplicates (the MinHash and LSH code of near dedup is tested with textkit_common, in
// plugins/common/tests/near_dup_test.cpp).
#include "dedup.h"

#include <catch2/catch.hpp>

namespace tk = textkit::sanitize;

TEST_CASE("the exact index remembers hashes") {
  tk::exact_index index;
  CHECK_FALSE(index.seen_or_add(1));
  CHECK(index.seen_or_add(1));
  CHECK_FALSE(index.seen_or_add(2));
  CHECK(index.size() == 2);
}
