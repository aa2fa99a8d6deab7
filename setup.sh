#!/usr/bin/env bash
# textkit set-up: installs the Debian packages that are missing, configures, builds, and then
#   ./setup.sh quickstart   runs examples/quickstart.json on the samples in corpora/
#   ./setup.sh test         runs the whole test suite (what .ci/run calls)
#   ./setup.sh build        only installs and builds
#   ./setup.sh bench        also installs the peers the benchmarks compare against, runs tests/bench/
# Works as root or through sudo. Build tree: build/ (override with TEXTKIT_BUILD_DIR).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build_dir=${TEXTKIT_BUILD_DIR:-$here/build}
action=${1:-build}

# One list, so a fresh machine and CI install exactly the same things.
packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev nlohmann-json3-dev libcli11-dev libcsv-dev libicu-dev
  catch2 clang-format
  libarchive-dev libpugixml-dev libgumbo-dev libcld2-dev
  libmecab-dev mecab-ipadic-utf8 kanjidic-xml edict zlib1g-dev
  libtorch-dev libopenblas0-openmp curl ca-certificates
  liblink-grammar-dev wordnet-base
  xjdic graphviz
)
bench_packages=(jq time hyperfine mecab nodejs)

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

install_packages() {
  local missing
  missing=$(missing_packages "$@")
  [ -z "$missing" ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: $missing" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup: installing $(echo $missing | tr '\n' ' ')" >&2
  "${sudo[@]}" apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends $missing >&2
}

# libtorch does its matrix products through whatever libblas.so.3 the system points to. The
# reference BLAS is ~15x slower than OpenBLAS, and OpenBLAS's pthread variant fights libtorch's OpenMP
# threads (../docs/plugins/gpt2.generate.md): insist on the OpenMP variant.
check_blas() {
  local blas
  blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
  case "$blas" in
    */openblas-openmp/*) return 0 ;;
  esac
  echo "setup: libblas.so.3 is $blas, not OpenBLAS's OpenMP variant; GPT-2 would run many times slower." >&2
  echo "setup: fix: apt-get remove libopenblas0-pthread; update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3" >&2
  exit 1
}

# configure_and_build [BUILD_DIR [extra cmake args...]]
configure_and_build() {
  local dir=${1:-$build_dir}
  [ $# -gt 0 ] && shift
  check_blas
  local werror=OFF
  [ "${CI:-}" = "true" ] && werror=ON
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  cmake -S "$here" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${TEXTKIT_BUILD_TYPE:-RelWithDebInfo}" \
    -DTEXTKIT_WERROR=$werror "${launcher[@]}" "$@" ${TEXTKIT_CMAKE_ARGS:-} >&2
  cmake --build "$dir" -j"$(nproc)" >&2
}

case "$action" in
  deps) install_packages "${packages[@]}" ;;
  build)
    install_packages "${packages[@]}"
    configure_and_build
    ;;
  quickstart)
    install_packages "${packages[@]}"
    configure_and_build
    cd "$here"
    "$build_dir/bin/textkit" run examples/quickstart.json
    echo "setup: quickstart wrote $(ls out | tr '\n' ' ')" >&2
    ;;
  test)
    install_packages "${packages[@]}"
    configure_and_build
    "$here/tests/check-format.sh"
    (cd "$build_dir" && ctest --output-on-failure -j"$(nproc)")
    # The same tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
    if [ "${TEXTKIT_SKIP_SANITIZE:-}" != "1" ]; then
      # Without -Werror: GCC 12 warns falsely (maybe-uninitialized) inside instrumented std code.
      CI=false configure_and_build "$build_dir-sanitize" -DTEXTKIT_SANITIZE=ON
      (cd "$build_dir-sanitize" && ASAN_OPTIONS=detect_leaks=1 \
        ctest --output-on-failure -j"$(nproc)" -E '^plugin\.out_of_tree$')
    fi
    ;;
  bench)
    install_packages "${packages[@]}" "${bench_packages[@]}"
    configure_and_build
    shift
    "$here/tests/bench/run.sh" "$@"
    ;;
  *)
    echo "usage: $0 [deps|build|quickstart|test|bench]" >&2
    exit 2
    ;;
esac
