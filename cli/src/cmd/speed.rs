//! `paycrypt speed [NAME...]`: operations per second of the crates' hot paths, like
//! `openssl speed`. Batch APIs are used where the crates have them (`tdes::Bdk::derive_many*`,
//! `aes::Bdk::derive_batch`). A NAME selects the benchmarks called NAME or starting with
//! `NAME-` (`dukpt`, `dukpt-aes`, `keyblock-d`, `pin`, `mac-cmac`, ...).

use crate::args::SpeedArgs;
use crate::error::{CliError, CliResult};
use crate::output::Output;
use core::hint::black_box;
use core::time::Duration;
use paycrypt_dukpt::{aes, tdes};
use paycrypt_keyblock::{ClearKey, Kbpk, KeyBlock, KeyBlockHeader, Profile, WrapOptions, wrap};
use paycrypt_mac::{HashFunction, HmacKey};
use paycrypt_mac::{MacAlgorithm, MacKey, MacParams, Padding, generate};
use paycrypt_pinblock::{Fill, Format, Pan, Pin, PinKey, encipher, encipher_with_fill};
use paycrypt_primitives::key::{AesKey, SymmetricKey, TdesKey};
use paycrypt_primitives::rng::OsRng;
use serde_json::json;
use std::time::Instant;

/// Message length for the MAC benchmarks.
const MAC_LEN: usize = 64;

/// One benchmark: a name, what one operation is, and a closure running a batch of operations
/// (returning how many it ran).
struct Bench {
    name: &'static str,
    what: &'static str,
    run: Box<dyn FnMut() -> CliResult<u64>>,
}

fn setup_error(name: &str, e: &dyn core::fmt::Display) -> CliError {
    CliError::usage(format!("speed: cannot set up {name}: {e}"))
}

/// KSNs per DUKPT batch (the criterion benches use the same size and distribution).
const DUKPT_BATCH: usize = 4096;

/// The KSN distribution of `benches/dukpt_*.rs` and `benches/e2e_dukpt.sh`: random devices /
/// initial key IDs (xorshift64), counters uniform over the valid ones (TDES: 21 bits, 1 to 10
/// one-bits; AES: 32 bits, 1 to 16 one-bits).
struct KsnGen(u64);

impl KsnGen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn counter(&mut self, bits: u32, max_ones: u32) -> u32 {
        loop {
            let c = u32::try_from(self.next() >> (64 - bits)).unwrap_or(0);
            if c != 0 && c.count_ones() <= max_ones {
                return c;
            }
        }
    }

    fn tdes(&mut self) -> tdes::Ksn {
        let c = self.counter(21, 10);
        let r = self.next().to_be_bytes();
        let mut b = [0u8; 10];
        let (dev, ctr) = b.split_at_mut(7);
        dev.copy_from_slice(r.get(..7).unwrap_or(&[0; 7]));
        let c = c.to_be_bytes();
        if let ([_, c1, c2, c3], [b7, b8, b9], Some(top)) = (c, ctr, r.get(7)) {
            *b7 = (top & 0xE0) | c1;
            *b8 = c2;
            *b9 = c3;
        }
        tdes::Ksn::from(b)
    }

    fn aes(&mut self) -> aes::Ksn {
        let c = self.counter(32, 16);
        let mut b = [0u8; 12];
        let (ikid, ctr) = b.split_at_mut(8);
        ikid.copy_from_slice(&self.next().to_be_bytes());
        ctr.copy_from_slice(&c.to_be_bytes());
        aes::Ksn::from(b)
    }
}

fn dukpt_benches(out: &mut Vec<Bench>) -> CliResult<()> {
    let bdk_bytes = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54, 0x32,
        0x10,
    ];
    let bdk = tdes::Bdk::from_bytes(&bdk_bytes).map_err(|e| setup_error("dukpt-tdes", &e))?;
    let b1 = tdes::Bdk::from_bytes(&bdk_bytes).map_err(|e| setup_error("dukpt-tdes", &e))?;
    let mut g = KsnGen(0x9E37_79B9_7F4A_7C15);
    let ksns: Vec<tdes::Ksn> = (0..DUKPT_BATCH).map(|_| g.tdes()).collect();
    let k1 = ksns.clone();
    let mut o1 = vec![[0u8; 16]; DUKPT_BATCH];
    out.push(Bench {
        name: "dukpt-tdes",
        what: "TDES BDK -> PIN key (batch, bitsliced DES, constant time)",
        run: Box::new(move || {
            bdk.derive_many_bytes(&ksns, Some(tdes::KeyVariant::Pin), &mut o1)
                .map_err(|e| setup_error("dukpt-tdes", &e))?;
            black_box(&o1);
            Ok(DUKPT_BATCH as u64)
        }),
    });
    let mut o2 = vec![[0u8; 16]; DUKPT_BATCH];
    out.push(Bench {
        name: "dukpt-tdes-vartime",
        what: "TDES BDK -> PIN key (batch, table-driven DES, variable time)",
        run: Box::new(move || {
            b1.derive_many_bytes_vartime(&k1, tdes::KeyVariant::Pin, &mut o2)
                .map_err(|e| setup_error("dukpt-tdes-vartime", &e))?;
            black_box(&o2);
            Ok(DUKPT_BATCH as u64)
        }),
    });
    for (name, what, len) in [
        (
            "dukpt-aes-128",
            "AES-128 BDK -> AES-128 PIN key (batch)",
            16usize,
        ),
        (
            "dukpt-aes-192",
            "AES-192 BDK -> AES-128 PIN key (batch)",
            24,
        ),
        (
            "dukpt-aes-256",
            "AES-256 BDK -> AES-128 PIN key (batch)",
            32,
        ),
    ] {
        let key: Vec<u8> = (0..len)
            .map(|i| u8::try_from(i).unwrap_or(0).wrapping_mul(37))
            .collect();
        let bdk = aes::Bdk::from_bytes(&key).map_err(|e| setup_error(name, &e))?;
        let ksns: Vec<aes::Ksn> = (0..DUKPT_BATCH).map(|_| g.aes()).collect();
        out.push(Bench {
            name,
            what,
            run: Box::new(move || {
                bdk.derive_batch(
                    &ksns,
                    aes::KeyUsage::PinEncryption,
                    aes::KeyType::Aes128,
                    |_, k| {
                        black_box(k);
                    },
                )
                .map_err(|e| setup_error(name, &e))?;
                Ok(DUKPT_BATCH as u64)
            }),
        });
    }
    Ok(())
}

fn keyblock_benches(out: &mut Vec<Bench>) -> CliResult<()> {
    let tdes_kbpk = [
        0x89, 0xE8, 0x8C, 0xF7, 0x93, 0x14, 0x44, 0xF3, 0x34, 0xBD, 0x75, 0x47, 0xFC, 0x3F, 0x38,
        0x0C,
    ];
    let aes_kbpk: Vec<u8> = (0u8..32).map(|i| i.wrapping_mul(11)).collect();
    let key = ClearKey::new(&[0x3F; 16]);
    let cases: [(&'static str, &'static str, &'static str, &[u8]); 5] = [
        (
            "keyblock-a-wrap",
            "keyblock-a-unwrap",
            "A0000P0TE00E0000",
            &tdes_kbpk,
        ),
        (
            "keyblock-b-wrap",
            "keyblock-b-unwrap",
            "B0000P0TE00E0000",
            &tdes_kbpk,
        ),
        (
            "keyblock-c-wrap",
            "keyblock-c-unwrap",
            "C0000P0TE00E0000",
            &tdes_kbpk,
        ),
        (
            "keyblock-d-wrap",
            "keyblock-d-unwrap",
            "D0000P0AE00E0000",
            &aes_kbpk,
        ),
        (
            "keyblock-e-wrap",
            "keyblock-e-unwrap",
            "E0000P0AE00E0000",
            &aes_kbpk,
        ),
    ];
    for (wname, uname, header, kbpk) in cases {
        let header = KeyBlockHeader::parse(header).map_err(|e| setup_error(wname, &e))?;
        let kbpk = Kbpk::for_version(header.version(), kbpk).map_err(|e| setup_error(wname, &e))?;
        let options = WrapOptions::with_profile(Profile::Interop);
        let block =
            wrap(&kbpk, &header, &key, &options, &mut OsRng).map_err(|e| setup_error(wname, &e))?;
        let (k2, key2) = (kbpk.clone(), key.clone());
        out.push(Bench {
            name: wname,
            what: match wname {
                "keyblock-a-wrap" => "wrap, version A (2-key TDES KBPK and key, random padding)",
                "keyblock-b-wrap" => "wrap, version B (2-key TDES KBPK and key, random padding)",
                "keyblock-c-wrap" => "wrap, version C (2-key TDES KBPK and key, random padding)",
                "keyblock-d-wrap" => "wrap, version D (AES-256 KBPK, AES-128 key, random padding)",
                _ => "wrap, version E (AES-256 KBPK, AES-128 key)",
            },
            run: Box::new(move || {
                black_box(
                    wrap(&k2, &header, &key2, &options, &mut OsRng)
                        .map_err(|e| setup_error(wname, &e))?,
                );
                Ok(1)
            }),
        });
        out.push(Bench {
            name: uname,
            what: match uname {
                "keyblock-a-unwrap" => "parse + unwrap, version A",
                "keyblock-b-unwrap" => "parse + unwrap, version B",
                "keyblock-c-unwrap" => "parse + unwrap, version C",
                "keyblock-d-unwrap" => "parse + unwrap, version D",
                _ => "parse + unwrap, version E",
            },
            run: Box::new(move || {
                let parsed = KeyBlock::parse(&block, Profile::Interop)
                    .map_err(|e| setup_error(uname, &e))?;
                black_box(
                    parsed
                        .unwrap(&kbpk, Profile::Interop)
                        .map_err(|e| setup_error(uname, &e))?,
                );
                Ok(1)
            }),
        });
    }
    Ok(())
}

fn pin_benches(out: &mut Vec<Bench>) -> CliResult<()> {
    let names: [(&'static str, &'static str, u8); 5] = [
        ("pin-0", "encipher ISO format 0 (TDES)", 0),
        ("pin-1", "encipher ISO format 1 (TDES, fixed fill)", 1),
        ("pin-2", "encipher ISO format 2 (TDES)", 2),
        ("pin-3", "encipher ISO format 3 (TDES, fixed fill)", 3),
        ("pin-4", "encipher ISO format 4 (AES-128, fixed fill)", 4),
    ];
    for (name, what, n) in names {
        let format = Format::from_number(n).map_err(|e| setup_error(name, &e))?;
        let key_bytes: &[u8] = &[0x42; 16];
        let key = PinKey::for_format(format, key_bytes).map_err(|e| setup_error(name, &e))?;
        let pin = Pin::new("1234").map_err(|e| setup_error(name, &e))?;
        let pan = Pan::new("4012345678909").map_err(|e| setup_error(name, &e))?;
        let fill = match n {
            1 => Some(Fill::from_hex("0123456789").map_err(|e| setup_error(name, &e))?),
            3 => Some(Fill::from_hex("ABCDEFABCD").map_err(|e| setup_error(name, &e))?),
            4 => Some(Fill::from_hex("2F69ADDE2E9E7ACE").map_err(|e| setup_error(name, &e))?),
            _ => None,
        };
        out.push(Bench {
            name,
            what,
            run: Box::new(move || {
                let block = match &fill {
                    Some(f) => encipher_with_fill(format, &key, &pin, Some(&pan), f),
                    None => encipher(format, &key, &pin, Some(&pan), &mut OsRng),
                }
                .map_err(|e| setup_error(name, &e))?;
                black_box(block);
                Ok(1)
            }),
        });
    }
    Ok(())
}

fn mac_benches(out: &mut Vec<Bench>) -> CliResult<()> {
    let tdes = SymmetricKey::from(
        TdesKey::from_bytes(&[
            0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC, 0xBA, 0x98, 0x76, 0x54,
            0x32, 0x10,
        ])
        .map_err(|e| setup_error("mac", &e))?,
    );
    let aes =
        SymmetricKey::from(AesKey::from_bytes(&[0x2B; 16]).map_err(|e| setup_error("mac", &e))?);
    let hmac = HmacKey::from_bytes(&[0x0B; 32]).map_err(|e| setup_error("mac", &e))?;
    let data = [0x5Au8; MAC_LEN];
    let symmetric: [(&'static str, &'static str, MacAlgorithm, SymmetricKey); 4] = [
        (
            "mac-iso9797-1-1",
            "ISO 9797-1 alg 1, 2-key TDES, 64-byte message",
            MacAlgorithm::Iso9797Algorithm1 {
                padding: Padding::Method1,
            },
            tdes.clone(),
        ),
        (
            "mac-iso9797-1-3",
            "ISO 9797-1 alg 3 (X9.19), 64-byte message",
            MacAlgorithm::Iso9797Algorithm3 {
                padding: Padding::Method1,
            },
            tdes.clone(),
        ),
        (
            "mac-cmac-tdes",
            "CMAC, 2-key TDES, 64-byte message",
            MacAlgorithm::Cmac,
            tdes,
        ),
        (
            "mac-cmac-aes",
            "CMAC, AES-128, 64-byte message",
            MacAlgorithm::Cmac,
            aes,
        ),
    ];
    for (name, what, algorithm, key) in symmetric {
        out.push(Bench {
            name,
            what,
            run: Box::new(move || {
                let tag = generate(
                    MacKey::Symmetric(&key),
                    &MacParams::new(algorithm),
                    black_box(&data),
                )
                .map_err(|e| setup_error(name, &e))?;
                black_box(tag);
                Ok(1)
            }),
        });
    }
    out.push(Bench {
        name: "mac-hmac-sha256",
        what: "HMAC-SHA-256, 64-byte message",
        run: Box::new(move || {
            let tag = generate(
                MacKey::Hmac(&hmac),
                &MacParams::new(MacAlgorithm::Hmac(HashFunction::Sha256)),
                black_box(&data),
            )
            .map_err(|e| setup_error("mac-hmac-sha256", &e))?;
            black_box(tag);
            Ok(1)
        }),
    });
    Ok(())
}

/// True when `name` is selected by `pattern` (equal, or `pattern-` prefix).
fn selects(pattern: &str, name: &str) -> bool {
    name == pattern
        || name
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('-'))
}

/// Runs `speed`.
pub fn run(args: &SpeedArgs) -> CliResult<Output> {
    if !args.seconds.is_finite() || args.seconds <= 0.0 || args.seconds > 3600.0 {
        return Err(CliError::usage(
            "--seconds: must be a number of seconds above 0 (at most 3600)",
        ));
    }
    let mut all = Vec::new();
    dukpt_benches(&mut all)?;
    keyblock_benches(&mut all)?;
    pin_benches(&mut all)?;
    mac_benches(&mut all)?;
    for pattern in &args.names {
        if !all.iter().any(|b| selects(pattern, b.name)) {
            let names: Vec<&str> = all.iter().map(|b| b.name).collect();
            return Err(CliError::usage(format!(
                "unknown benchmark '{pattern}' (available: {})",
                names.join(", ")
            )));
        }
    }
    let duration = Duration::from_secs_f64(args.seconds);
    let mut out = Output::new();
    let mut results = Vec::new();
    for bench in all
        .iter_mut()
        .filter(|b| args.names.is_empty() || args.names.iter().any(|p| selects(p, b.name)))
    {
        let start = Instant::now();
        let mut ops: u64 = 0;
        while start.elapsed() < duration {
            ops += (bench.run)()?;
        }
        let secs = start.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let rate = ops as f64 / secs;
        out.line(format!(
            "{:<20} {:>14.0} ops/s  {}",
            bench.name, rate, bench.what
        ));
        results.push(json!({
            "name": bench.name,
            "description": bench.what,
            "operations": ops,
            "seconds": secs,
            "ops_per_second": rate,
        }));
    }
    out.field("seconds", args.seconds);
    out.field("results", results);
    Ok(out)
}
