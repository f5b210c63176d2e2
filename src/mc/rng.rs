//! The only place random generators are made. Run `r` of a study with seed `s` draws from its
//! own Xoshiro256++ generator, whose state depends on `(s, r)` alone: it is expanded by
//! SplitMix64 from `mix64(mix64(s) + r * 0x9E3779B97F4A7C15)`, where `mix64` is SplitMix64's
//! finaliser (a bijection). For one seed, distinct runs get distinct states, and a run's draws
//! do not depend on which thread or shard computes it.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator algorithm, as recorded in `result.json`.
pub const ALGORITHM: &str =
    "Xoshiro256++ per run, state from SplitMix64(mix64(mix64(seed) + run * 0x9E3779B97F4A7C15))";

/// The generator type of every run.
pub type RunRng = Xoshiro256PlusPlus;

/// SplitMix64's output function: a bijection on u64 with good avalanche.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of run `run` of a study seeded with `seed`.
pub fn run_rng(seed: u64, run: u64) -> RunRng {
    let key = mix64(mix64(seed).wrapping_add(run.wrapping_mul(0x9E37_79B9_7F4A_7C15)));
    Xoshiro256PlusPlus::seed_from_u64(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn a_run_depends_on_seed_and_index_only() {
        let first = |seed, run| run_rng(seed, run).next_u64();
        assert_eq!(first(1, 5), first(1, 5));
        assert_ne!(first(1, 5), first(1, 6));
        assert_ne!(first(1, 5), first(2, 5));
    }

    /// The published reference algorithms (xoshiro.di.unimi.it: splitmix64.c and
    /// xoshiro256plusplus.c), written out here independently of the crate we use.
    fn reference_stream(seed: u64, run: u64, n: usize) -> Vec<u64> {
        const PHI: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut x = mix64(mix64(seed).wrapping_add(run.wrapping_mul(PHI)));
        let mut splitmix = || {
            x = x.wrapping_add(PHI);
            mix64(x)
        };
        let mut s = [splitmix(), splitmix(), splitmix(), splitmix()];
        (0..n)
            .map(|_| {
                let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
                let t = s[1] << 17;
                s[2] ^= s[0];
                s[3] ^= s[1];
                s[1] ^= s[2];
                s[0] ^= s[3];
                s[2] ^= t;
                s[3] = s[3].rotate_left(45);
                result
            })
            .collect()
    }

    #[test]
    fn the_stream_is_the_named_algorithm() {
        for (seed, run) in [(0, 0), (2025, 0), (2025, 99_999), (u64::MAX, 7)] {
            let mut rng = run_rng(seed, run);
            let ours: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
            assert_eq!(
                ours,
                reference_stream(seed, run, 5),
                "seed {seed} run {run}"
            );
        }
    }
}
