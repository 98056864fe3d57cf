//! The straightforward DUKPT host program the end-to-end benchmark (`benches/e2e_dukpt.sh`)
//! times `paycrypt dukpt derive-batch` against: it reads one KSN per line from stdin and prints
//! one PIN key per line, keying the RustCrypto `des` / `aes` crates afresh for every step (no
//! paycrypt code, no batching, no zeroization — what a first implementation looks like).
//!
//! ```text
//! dukpt_straightforward BDKHEX < ksns.txt      # TDES (16-byte BDK, 10-byte KSNs) or AES
//!                                              # (16/24/32-byte BDK, 12-byte KSNs, AES-128 PIN key)
//! dukpt_straightforward gen tdes|aes N SEED    # N random KSNs: random devices / initial key
//!                                              # IDs, counters uniform over the valid ones
//! ```
//!
//! TDES: ANSI X9.24-1:2009 A.6 (IPEK), A.2 (NRKGP), A.3 (counter walk), A.4.1 (PIN variant).
//! AES: ANSI X9.24-3:2017 §6.3.3 (initial key), §6.3.2 (intermediate keys), §6.3.1 and §6.2
//! (derivation data, the working key).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cipher::{BlockCipherEncrypt, KeyInit};
use std::io::{BufRead, Write};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn put_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    for b in bytes {
        write!(out, "{b:02X}").unwrap();
    }
    out.push(b'\n');
}

// ---- TDES ----

fn des_e(key: &[u8], block: [u8; 8]) -> [u8; 8] {
    let c = des::Des::new_from_slice(key).unwrap();
    let mut b = block.into();
    c.encrypt_block(&mut b);
    b.into()
}

fn tdea_e(key: &[u8], block: [u8; 8]) -> [u8; 8] {
    let c = des::TdesEde2::new_from_slice(key).unwrap();
    let mut b = block.into();
    c.encrypt_block(&mut b);
    b.into()
}

fn xor8(a: [u8; 8], b: &[u8]) -> [u8; 8] {
    core::array::from_fn(|i| a[i] ^ b[i])
}

/// X9.24-1:2009 A.2 non-reversible key generation.
fn nrkgp(k: &[u8; 16], r8: [u8; 8]) -> [u8; 16] {
    let cr2 = xor8(des_e(&k[..8], xor8(r8, &k[8..])), &k[8..]);
    let mask = [0xC0, 0xC0, 0xC0, 0xC0, 0, 0, 0, 0];
    let ml = xor8(k[..8].try_into().unwrap(), &mask);
    let mr = xor8(k[8..].try_into().unwrap(), &mask);
    let cr1 = xor8(des_e(&ml, xor8(r8, &mr)), &mr);
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&cr1);
    out[8..].copy_from_slice(&cr2);
    out
}

fn tdes_pin_key(bdk: &[u8], ksn: &[u8]) -> [u8; 16] {
    let mut i8: [u8; 8] = ksn[..8].try_into().unwrap();
    i8[7] &= 0xE0;
    let mut masked = bdk.to_vec();
    for i in [0, 1, 2, 3, 8, 9, 10, 11] {
        masked[i] ^= 0xC0;
    }
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&tdea_e(bdk, i8));
    k[8..].copy_from_slice(&tdea_e(&masked, i8));
    let counter = u32::from_be_bytes([0, ksn[7] & 0x1F, ksn[8], ksn[9]]);
    let mut r8: [u8; 8] = ksn[2..10].try_into().unwrap();
    r8[5] &= 0xE0;
    r8[6] = 0;
    r8[7] = 0;
    for bit in (0..21).rev() {
        if counter & (1 << bit) != 0 {
            let v = u64::from_be_bytes(r8) | (1 << bit);
            r8 = v.to_be_bytes();
            k = nrkgp(&k, r8);
        }
    }
    k[7] ^= 0xFF;
    k[15] ^= 0xFF;
    k
}

// ---- AES ----

fn aes_e(key: &[u8], block: [u8; 16]) -> [u8; 16] {
    let mut b = block.into();
    match key.len() {
        16 => aes::Aes128Enc::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
        24 => aes::Aes192Enc::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
        _ => aes::Aes256Enc::new_from_slice(key)
            .unwrap()
            .encrypt_block(&mut b),
    }
    b.into()
}

/// X9.24-3:2017 §6.2 derivation data and `DeriveKey` (one or two blocks).
fn derive(key: &[u8], usage: u16, len: usize, tail: [u8; 8]) -> Vec<u8> {
    let (algo, bits): (u16, u16) = match len {
        16 => (2, 128),
        24 => (3, 192),
        _ => (4, 256),
    };
    let mut dd = [0u8; 16];
    dd[0] = 1;
    dd[1] = 1;
    dd[2..4].copy_from_slice(&usage.to_be_bytes());
    dd[4..6].copy_from_slice(&algo.to_be_bytes());
    dd[6..8].copy_from_slice(&bits.to_be_bytes());
    dd[8..].copy_from_slice(&tail);
    let mut out = aes_e(key, dd).to_vec();
    if len > 16 {
        dd[1] = 2;
        out.extend_from_slice(&aes_e(key, dd));
        out.truncate(len);
    }
    out
}

fn aes_pin_key(bdk: &[u8], ksn: &[u8]) -> Vec<u8> {
    let ikid: [u8; 8] = ksn[..8].try_into().unwrap();
    let counter = u32::from_be_bytes(ksn[8..12].try_into().unwrap());
    let mut k = derive(bdk, 0x8001, bdk.len(), ikid);
    let mut tail = [0u8; 8];
    tail[..4].copy_from_slice(&ikid[4..]);
    let mut w = 0u32;
    for bit in (0..32).rev() {
        if counter & (1 << bit) != 0 {
            w |= 1 << bit;
            tail[4..].copy_from_slice(&w.to_be_bytes());
            k = derive(&k, 0x8000, bdk.len(), tail);
        }
    }
    tail[4..].copy_from_slice(&counter.to_be_bytes());
    derive(&k, 0x1000, 16, tail)
}

// ---- KSN generator ----

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn generate(scheme: &str, n: usize, seed: u64) {
    let mut rng = XorShift(seed | 1);
    let mut out = Vec::new();
    let mut done = 0;
    while done < n {
        if scheme == "tdes" {
            // 21-bit counters with 1 to 10 one-bits (X9.24-1:2009 A.2).
            let c = (rng.next() & 0x1F_FFFF) as u32;
            if c == 0 || c.count_ones() > 10 {
                continue;
            }
            let mut b = [0u8; 10];
            b[..8].copy_from_slice(&rng.next().to_be_bytes());
            b[7] = (b[7] & 0xE0) | (c >> 16) as u8;
            b[8] = (c >> 8) as u8;
            b[9] = c as u8;
            put_hex(&mut out, &b);
        } else {
            // 32-bit counters with 1 to 16 one-bits (X9.24-3:2017 §6.1), not FFFFFFFF.
            let c = (rng.next() >> 32) as u32;
            if c == 0 || c.count_ones() > 16 {
                continue;
            }
            let mut b = [0u8; 12];
            b[..8].copy_from_slice(&rng.next().to_be_bytes());
            b[8..].copy_from_slice(&c.to_be_bytes());
            put_hex(&mut out, &b);
        }
        done += 1;
    }
    std::io::stdout().write_all(&out).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("gen") {
        let n = args[2].parse().expect("N");
        let seed = args.get(3).map_or(1, |s| s.parse().expect("SEED"));
        generate(&args[1], n, seed);
        return;
    }
    let bdk = hex(args
        .first()
        .expect("usage: dukpt_straightforward BDKHEX < ksns"));
    let stdin = std::io::stdin();
    let mut out = Vec::new();
    for line in stdin.lock().lines() {
        let ksn = hex(line.unwrap().trim_end());
        match ksn.len() {
            10 => put_hex(&mut out, &tdes_pin_key(&bdk, &ksn)),
            12 => put_hex(&mut out, &aes_pin_key(&bdk, &ksn)),
            n => panic!("a {n}-byte KSN"),
        }
        if out.len() > 1 << 16 {
            std::io::stdout().write_all(&out).unwrap();
            out.clear();
        }
    }
    std::io::stdout().write_all(&out).unwrap();
}
