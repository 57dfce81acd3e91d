// ISA-L's igzip (Debian libisal-dev): the gzip compressor of session recordings,
// and its CRC-32 (gzip's, reflected).
#include <isa-l/igzip_lib.h>
#include <isa-l/crc.h>

/// The size of the level buffer igzip needs at `level` (0…3) to hold `kilo_tokens`
/// thousand (1024) tokens before it emits a block: the fewer, the sooner output
/// appears (the macros Swift cannot import, computed here).
static inline unsigned int cisal_level_buffer_size(int level, unsigned int kilo_tokens) {
    switch (level) {
    case 1: return ISAL_DEF_LVL1_REQ + ISAL_DEF_LVL1_TOKEN_SIZE * kilo_tokens * IGZIP_K;
    case 2: return ISAL_DEF_LVL2_REQ + ISAL_DEF_LVL2_TOKEN_SIZE * kilo_tokens * IGZIP_K;
    case 3: return ISAL_DEF_LVL3_REQ + ISAL_DEF_LVL3_TOKEN_SIZE * kilo_tokens * IGZIP_K;
    default: return ISAL_DEF_LVL0_REQ;
    }
}
