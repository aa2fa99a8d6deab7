#!/usr/bin/env bash
# Every pipeline in examples/ has a ctest that runs it (named example.<name> or <family>.example.<name>).
#   tests/every-example-runs.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1
build_dir=$2
tests=$(cd "$build_dir" && ctest -N)
# A build without some plugins (the sanitizer build has no libtorch, so no gpt2.train) does not run
# the examples that use them.
plugins=$("$build_dir/bin/textkit" plugins --names)
missing=0
for pipeline in "$source_dir"/examples/*.json; do
  name=$(basename "$pipeline" .json)
  absent=""
  for use in $(grep -o '"use": *"[^"]*"' "$pipeline" | sed 's/.*"\([^"]*\)"$/\1/'); do
    grep -qx "$use" <<< "$plugins" || absent="$absent $use"
  done
  if [ -n "$absent" ]; then
    echo "examples/$name.json: not run in this build, which has no$absent"
    continue
  fi
  if ! grep -qE "Test +#[0-9]+: ([a-z0-9]+\.)?example\.$name\$" <<< "$tests"; then
    echo "examples/$name.json has no ctest that runs it (add one named example.$name)" >&2
    missing=1
  fi
done
exit $missing
