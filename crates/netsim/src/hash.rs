//! Deterministic hashing and pseudo-randomness: the only source of "random" values in the
//! model. Everything is derived from object names or a caller-supplied seed.

pub use crate::rng::SplitMix64;

/// FNV-1a, 64 bits: stable across platforms and releases (unlike `DefaultHasher`).
pub fn fnv64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The alphabet of Kubernetes generated names (`k8s.io/apimachinery/pkg/util/rand`):
/// no vowels and no confusable digits, so generated names never spell words.
const ALPHANUMS: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A `generateName`-style suffix of `len` characters drawn from `seed`.
pub fn name_suffix(seed: u64, len: usize) -> String {
    let mut rng = SplitMix64::new(seed);
    (0..len)
        .map(|_| {
            let i = rng.below(ALPHANUMS.len() as u64) as usize;
            char::from(ALPHANUMS.get(i).copied().unwrap_or(b'x'))
        })
        .collect()
}

/// A pod-template-hash: like the ReplicaSet controller, a 32-bit hash written in decimal
/// and passed through `SafeEncodeString` (each byte mapped into the alphabet). Padded to
/// ten digits so every hash is ten characters.
pub fn pod_template_hash(text: &str) -> String {
    let h = (fnv64(&[text]) & 0xffff_ffff) as u32;
    format!("{h:010}")
        .bytes()
        .map(|b| char::from(ALPHANUMS.get(usize::from(b) % ALPHANUMS.len()).copied().unwrap_or(b'x')))
        .collect()
}

/// A UUID-shaped object UID (version 4 layout) drawn from `parts`, for objects whose
/// `metadata.uid` the input does not give.
pub fn uid(parts: &[&str]) -> String {
    let a = fnv64(parts);
    let b = fnv64(&[&format!("{a:016x}"), "uid"]);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | ((b >> 48) & 0x3fff),
        b & 0xffff_ffff_ffff
    )
}

/// The name a `generateName` prefix yields with `suffix`: the prefix cut to 58 bytes
/// (`names.MaxGeneratedNameLength`, 63 less the 5 random characters), as the API server does.
pub fn generated_name(prefix: &str, suffix: &str) -> String {
    format!("{}{suffix}", cut(prefix, 58))
}

/// `s` cut to at most `len` bytes, at a character boundary.
pub fn cut(s: &str, len: usize) -> &str {
    let mut end = len.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// SHA-256 (FIPS 180-4), used only to name kube-proxy chains exactly as kube-proxy does.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    let mut h: [u32; 8] =
        [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    let bit_len = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bit_len.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate().take(16) {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (chunk, word) in out.chunks_exact_mut(4).zip(h) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// RFC 4648 base32 (standard alphabet, no padding needed for our prefix use).
pub fn base32(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &b in data {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            let i = ((buffer >> bits) & 31) as usize;
            out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        let i = ((buffer << (5 - bits)) & 31) as usize;
        out.push(char::from(ALPHABET.get(i).copied().unwrap_or(b'A')));
    }
    out
}

/// kube-proxy's chain-name hash: the first 16 base32 characters of SHA-256.
pub fn chain_hash(text: &str) -> String {
    base32(&sha256(text.as_bytes())).chars().take(16).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_known_vector() {
        let h = sha256(b"abc");
        assert_eq!(h[0], 0xba);
        assert_eq!(h[31], 0xad);
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
    }

    // kube-proxy names kube-dns's dns port chain KUBE-SVC-TCOU7JCQXEZGVUNU in every cluster.
    #[test]
    fn kube_proxy_chain_names_match_real_clusters() {
        assert_eq!(chain_hash("kube-system/kube-dns:dnsudp"), "TCOU7JCQXEZGVUNU");
        assert_eq!(chain_hash("default/kubernetes:httpstcp"), "NPX46M4PTMTKRN6Y");
    }
}
