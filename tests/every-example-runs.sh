#!/usr/bin/env bash
# Every pipeline in examples/ has a ctest that runs it (named example.<name> or <family>.example.<name>).
#   tests/every-example-runs.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
tests=$(cd "$build_dir" && ctest -N)
missing=0
for pipeline in "$source_dir"/examples/*.json; do
  name=$(basename "$pipeline" .json)
  if ! grep -qE "Test +#[0-9]+: ([a-z]+\.)?example\.$name\$" <<< "$tests"; then
    echo "examples/$name.json has no ctest that runs it (add one named example.$name)" >&2
    missing=1
  fi
done
exit $missing
