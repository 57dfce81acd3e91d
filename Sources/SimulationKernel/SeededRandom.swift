#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A fast, seedable pseudo-random generator (xoshiro256**), identical on every platform.
///
/// Every source of randomness in a simulation is one of these, derived from the
/// run's root seed; `SystemRandomNumberGenerator` is never used in simulated code.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }
    }

    /// The independent stream named `name` under `rootSeed`.
    ///
    /// Streams depend only on the root seed and their own name, so adding a host
    /// or a workload does not change the numbers any other stream draws.
    public init(rootSeed: UInt64, stream name: String) {
        self.init(seed: StableHash.fnv1a64(name, basis: StableHash.mix(rootSeed)))
    }

    @inlinable
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    @inlinable
    static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A double uniformly distributed in `[0, 1)`.
    @inlinable
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A double uniformly distributed in `(0, 1]`, safe as the argument of `log`.
    @inlinable
    public mutating func nextOpenUnit() -> Double { Double((next() >> 11) + 1) * 0x1.0p-53 }

    /// A standard-normal sample (Box–Muller; two uniform draws per sample, always).
    public mutating func nextStandardNormal() -> Double {
        let u1 = nextOpenUnit()
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fast bounded integer in `0..<bound` (Lemire's method); `bound` must be positive.
    @inlinable
    public mutating func next(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(bound)).high)
    }
}

/// SplitMix64, used to expand a seed into generator state; its finaliser is the one
/// bijective 64-bit mix of the project (stable hashes, table hashes of ids and names).
public struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.finalize(state)
    }

    /// The SplitMix64 finaliser: a bijection of 64-bit words in which every input bit
    /// reaches every output bit. - Complexity: O(1), two multiplies.
    @inlinable @inline(__always)
    public static func finalize(_ value: UInt64) -> UInt64 {
        var z = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
