#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for building and testing clustersim.
# Idempotent and quiet when everything is present.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin; do
        if [ -x "$candidate/swift" ]; then
            echo "setup: swift is at $candidate but not on PATH; add it: export PATH=$candidate:\$PATH" >&2
            exit 1
        fi
    done
    echo "setup: Swift 6.3 is required (https://www.swift.org/install/linux/)" >&2
    exit 1
fi

# Debian packages the build needs: zlib's headers (usually present with the Swift
# image), ISA-L, and another allocator for the executable only when CLUSTERSIM_ALLOCATOR
# asks for mimalloc or jemalloc (or CLUSTERSIM_JEMALLOC=1; see Package.swift).
packages=()
# zlib decompresses session recordings (module CZlib).
if [ ! -f /usr/include/zlib.h ]; then
    packages+=(zlib1g-dev)
fi
# ISA-L's igzip compresses them, about 4x faster than zlib (module CISAL).
if [ ! -f /usr/include/isa-l/igzip_lib.h ]; then
    packages+=(libisal-dev)
fi
allocator="${CLUSTERSIM_ALLOCATOR:-}"
if [ -z "$allocator" ]; then
    if [ "${CLUSTERSIM_JEMALLOC:-0}" = "1" ]; then allocator=jemalloc; else allocator=system; fi
fi
case "$allocator" in
    mimalloc) [ -f /usr/include/mimalloc.h ] || packages+=(libmimalloc-dev) ;;
    jemalloc) [ -f /usr/include/jemalloc/jemalloc.h ] || packages+=(libjemalloc-dev) ;;
    system) ;;
    *) echo "setup: CLUSTERSIM_ALLOCATOR must be mimalloc, jemalloc or system (not '$allocator')" >&2; exit 1 ;;
esac
if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "setup: please install: ${packages[*]} (sudo apt-get install ${packages[*]})" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}"
fi
