//! SplitMix64, written out so the generator's output never changes because a random
//! crate changed its stream between versions: same seed, same bytes, forever.

#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// An independent stream for one (seed, item, purpose), so a resource's values can be
    /// regenerated identically in every section of the plan that repeats them.
    pub fn stream(seed: u64, item: u64, purpose: u64) -> Rng {
        let mut r = Rng(seed
            ^ item.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ purpose.wrapping_mul(0xC2B2_AE3D_27D4_EB4F));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is irrelevant here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi_inclusive: usize) -> usize {
        lo + self.below(hi_inclusive - lo + 1)
    }

    /// True with probability `permille / 1000` (integers keep the stream platform-free).
    pub fn chance(&mut self, permille: u64) -> bool {
        self.next_u64() % 1000 < permille
    }

    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// Weighted pick from `(item, weight)` pairs.
    pub fn weighted<T: Copy>(&mut self, xs: &[(T, u32)]) -> T {
        let total: u32 = xs.iter().map(|x| x.1).sum();
        let mut at = (self.next_u64() % u64::from(total)) as u32;
        for &(item, w) in xs {
            if at < w {
                return item;
            }
            at -= w;
        }
        unreachable!("weights sum to total")
    }

    pub fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8] = b"0123456789abcdef";
        (0..len).map(|_| DIGITS[self.below(16)] as char).collect()
    }

    pub fn uuid(&mut self) -> String {
        format!(
            "{}-{}-{}-{}-{}",
            self.hex(8),
            self.hex(4),
            self.hex(4),
            self.hex(4),
            self.hex(12)
        )
    }
}
