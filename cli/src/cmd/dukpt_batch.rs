//! `paycrypt dukpt derive-batch`: one key per KSN line of stdin, streamed in blocks and derived
//! on every core.
//!
//! Contract (README "Command line"): stdin is read in blocks of [`BLOCK_LINES`] lines. Every
//! line of a block is checked (syntax, one scheme, AES reserved counter) before any key of that
//! block is written, so an input of up to [`BLOCK_LINES`] lines prints nothing on error; a bad
//! line in a later block exits with the keys of all the earlier blocks written (exactly the
//! first `⌊(N − 1) / BLOCK_LINES⌋ · BLOCK_LINES` keys for a bad line N). With `--json` the
//! object is complete only on exit 0. Memory is bounded by one block (lines longer than
//! [`MAX_LINE`] bytes are refused at once) whatever the input size.

use super::dukpt::{Selection, aes_bdk, dukpt_error, parse_ksn, resolve_selection, tdes_bdk};
use crate::args::DeriveBatchArgs;
use crate::error::{CliError, CliResult};
use crate::input::Inputs;
use crate::output::{Output, json_mode};
use paycrypt_dukpt::{aes, tdes};
use paycrypt_primitives::hex::{self, Case};
use std::io::{BufRead, Write};
use zeroize::{Zeroize, Zeroizing};

/// Lines per block (the unit of validation before output).
pub const BLOCK_LINES: usize = 65_536;
/// The longest line accepted (a KSN is at most 24 hex digits; CR and spaces are errors anyway).
pub const MAX_LINE: usize = 64;
/// Below this many lines a block is derived on one thread (spawning costs more).
const MIN_LINES_PER_THREAD: usize = 2048;

/// The scheme of a batch, fixed by its first line.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scheme {
    Tdes,
    Aes,
}

impl Scheme {
    const fn name(self) -> &'static str {
        match self {
            Self::Tdes => "tdes",
            Self::Aes => "aes",
        }
    }
}

/// The BDK and what to derive, resolved from the first line's scheme.
enum Job {
    Tdes(Box<tdes::Bdk>, Option<tdes::KeyVariant>),
    Aes(Box<aes::Bdk>, Option<(aes::KeyUsage, aes::KeyType)>),
}

/// One block of raw lines (no line terminators) and its first line number.
struct Block {
    data: Vec<u8>,
    /// `starts[i]..starts[i + 1]` is line `i` of the block.
    starts: Vec<usize>,
    first_line: usize,
}

impl Block {
    fn lines(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    fn line(&self, i: usize) -> &[u8] {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => self.data.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Reads up to [`BLOCK_LINES`] lines into `block`. A line ends at `\n` or at the end of input;
/// one `\r` before the `\n` is dropped.
fn read_block(reader: &mut impl BufRead, block: &mut Block) -> CliResult<()> {
    block.first_line += block.lines();
    block.data.clear();
    block.starts.clear();
    block.starts.push(0);
    let mut line_len = 0usize;
    while block.lines() < BLOCK_LINES {
        let buf = reader
            .fill_buf()
            .map_err(|e| CliError::usage(format!("stdin: cannot read: {}", e.kind())))?;
        if buf.is_empty() {
            if line_len > 0 {
                block.starts.push(block.data.len());
            }
            break;
        }
        let mut used = 0;
        for &b in buf {
            used += 1;
            if b == b'\n' {
                if block.data.last() == Some(&b'\r') && line_len > 0 {
                    block.data.pop();
                }
                block.starts.push(block.data.len());
                line_len = 0;
                if block.lines() == BLOCK_LINES {
                    break;
                }
            } else {
                line_len += 1;
                if line_len > MAX_LINE {
                    return Err(CliError::usage(format!(
                        "line {}: longer than {MAX_LINE} characters (one KSN per line)",
                        block.first_line + block.lines()
                    )));
                }
                block.data.push(b);
            }
        }
        reader.consume(used);
    }
    Ok(())
}

/// A KSN of either scheme, parsed from one line without allocating (the error path reuses the
/// `dukpt derive` parser for its messages).
fn parse_line(line: &[u8], n: usize) -> CliResult<(Scheme, [u8; 12])> {
    let ctx = |e: CliError| e.context(&format!("line {n}"));
    if line.is_empty() {
        return Err(CliError::usage(format!(
            "line {n}: blank line (one KSN per line)"
        )));
    }
    let mut bytes = [0u8; 12];
    let len = line.len() / 2;
    let fast = matches!(line.len(), 16 | 20 | 24)
        && bytes
            .get_mut(..len)
            .is_some_and(|out| hex::decode_into(line, out, Case::Any).is_ok());
    if !fast {
        // Not a well-formed KSN: the single-KSN parser names the problem.
        let text = String::from_utf8_lossy(line);
        return match parse_ksn("KSN", &text).map_err(ctx)? {
            super::dukpt::Ksn::Tdes(k) => {
                let mut out = [0u8; 12];
                if let Some(d) = out.get_mut(..10) {
                    d.copy_from_slice(k.as_bytes());
                }
                Ok((Scheme::Tdes, out))
            }
            super::dukpt::Ksn::Aes(k) => Ok((Scheme::Aes, *k.as_bytes())),
        };
    }
    match len {
        8 => {
            let k = tdes::Ksn::from_8_bytes_padded(bytes.get(..8).unwrap_or(&[]))
                .map_err(|e| ctx(CliError::usage(format!("KSN: {e}"))))?;
            let mut out = [0u8; 12];
            if let Some(d) = out.get_mut(..10) {
                d.copy_from_slice(k.as_bytes());
            }
            Ok((Scheme::Tdes, out))
        }
        10 => Ok((Scheme::Tdes, bytes)),
        _ => Ok((Scheme::Aes, bytes)),
    }
}

/// What one worker produced for its lines.
struct Part {
    /// The first syntax error (line-numbered), which wins over any policy error.
    syntax: Option<CliError>,
    /// The first policy error (AES reserved counter: exit 1).
    policy: Option<CliError>,
    /// The formatted keys.
    out: Zeroizing<Vec<u8>>,
}

/// Writes `key` as upper-case hex: `HEX\n`, or `,"HEX"` for JSON.
fn put_key(out: &mut Vec<u8>, key: &[u8], json: bool) {
    let mut hex = [0u8; 64];
    let Some(h) = hex.get_mut(..2 * key.len()) else {
        return;
    };
    if hex::encode_upper_into(key, h).is_ok() {
        if json {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(h);
            out.push(b'"');
        } else {
            out.extend_from_slice(h);
            out.push(b'\n');
        }
    }
    hex.zeroize();
}

/// Parses, checks and derives lines `range` of `block`.
fn work(
    block: &Block,
    range: core::ops::Range<usize>,
    scheme: Scheme,
    job: &Job,
    json: bool,
) -> Part {
    let mut part = Part {
        syntax: None,
        policy: None,
        out: Zeroizing::new(Vec::new()),
    };
    let mut tdes_ksns = Vec::new();
    let mut aes_ksns = Vec::new();
    for i in range {
        let n = block.first_line + i;
        match parse_line(block.line(i), n) {
            Err(e) => {
                part.syntax = Some(e);
                return part;
            }
            Ok((s, _)) if s != scheme => {
                part.syntax = Some(CliError::usage(format!(
                    "line {n}: a {} KSN among {} KSNs",
                    s.name(),
                    scheme.name()
                )));
                return part;
            }
            Ok((_, bytes)) => match scheme {
                Scheme::Tdes => {
                    let mut b = [0u8; 10];
                    b.copy_from_slice(bytes.get(..10).unwrap_or(&[0; 10]));
                    tdes_ksns.push(tdes::Ksn::from(b));
                }
                Scheme::Aes => {
                    let k = aes::Ksn::from(bytes);
                    if part.policy.is_none()
                        && let Err(e) = k.check_host_counter()
                    {
                        part.policy = Some(dukpt_error(e, "--ksn").context(&format!("line {n}")));
                    }
                    aes_ksns.push(k);
                }
            },
        }
    }
    if part.policy.is_some() {
        return part;
    }
    let err = |e| Some(dukpt_error(e, "--ksn"));
    match job {
        Job::Tdes(bdk, usage) => {
            let mut keys = Zeroizing::new(vec![[0u8; 16]; tdes_ksns.len()]);
            if let Err(e) = bdk.derive_many_bytes(&tdes_ksns, *usage, &mut keys) {
                part.policy = err(e);
                return part;
            }
            part.out.reserve(keys.len() * 35);
            for k in keys.iter() {
                put_key(&mut part.out, k, json);
            }
        }
        Job::Aes(bdk, Some((usage, key_type))) => {
            let width = key_type.len();
            let mut keys = Zeroizing::new(vec![[0u8; 32]; aes_ksns.len()]);
            let r = bdk.derive_batch(&aes_ksns, *usage, *key_type, |i, key| {
                let b = key.expose_bytes();
                if let Some(d) = keys.get_mut(i).and_then(|slot| slot.get_mut(..b.len())) {
                    d.copy_from_slice(b);
                }
            });
            if let Err(e) = r {
                part.policy = err(e);
                return part;
            }
            part.out.reserve(keys.len() * (2 * width + 3));
            for k in keys.iter() {
                put_key(&mut part.out, k.get(..width).unwrap_or(&[]), json);
            }
        }
        Job::Aes(bdk, None) => {
            for k in &aes_ksns {
                match bdk.intermediate_key(k).map(|ik| ik.expose_key()) {
                    Ok(key) => put_key(&mut part.out, key.expose_bytes(), json),
                    Err(e) => {
                        part.policy = err(e);
                        return part;
                    }
                }
            }
        }
    }
    part
}

/// Derives a block on `threads` threads (contiguous parts, output in input order) and returns
/// the formatted keys, or the block's first error (syntax errors first).
fn derive_block(
    block: &Block,
    scheme: Scheme,
    job: &Job,
    json: bool,
    threads: usize,
) -> CliResult<Vec<Part>> {
    let lines = block.lines();
    let threads = threads.min(lines / MIN_LINES_PER_THREAD).max(1);
    let bounds: Vec<usize> = (0..=threads).map(|t| t * lines / threads).collect();
    let parts: Vec<Part> = if threads == 1 {
        vec![work(block, 0..lines, scheme, job, json)]
    } else {
        std::thread::scope(|s| {
            let handles: Vec<_> = bounds
                .windows(2)
                .map(|w| {
                    let (a, b) = (
                        w.first().copied().unwrap_or(0),
                        w.last().copied().unwrap_or(0),
                    );
                    s.spawn(move || work(block, a..b, scheme, job, json))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| Part {
                        syntax: Some(CliError::usage("internal error: a worker thread failed")),
                        policy: None,
                        out: Zeroizing::new(Vec::new()),
                    })
                })
                .collect()
        })
    };
    let mut parts = parts;
    if let Some(e) = parts.iter_mut().find_map(|p| p.syntax.take()) {
        return Err(e);
    }
    if let Some(e) = parts.iter_mut().find_map(|p| p.policy.take()) {
        return Err(e);
    }
    Ok(parts)
}

fn write_err(e: &std::io::Error) -> CliError {
    CliError::usage(format!("cannot write output: {}", e.kind()))
}

/// `dukpt derive-batch`.
pub fn derive_batch(args: &DeriveBatchArgs, inputs: &mut Inputs) -> CliResult<Output> {
    // The KSNs own stdin: --bdk - is refused.
    inputs.claim_stdin("stdin (the KSN list)")?;
    let json = json_mode();
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, usize::from),
        usize::from,
    );
    let stdin = std::io::stdin();
    let mut reader = std::io::BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut block = Block {
        data: Vec::with_capacity(BLOCK_LINES * 21),
        starts: Vec::with_capacity(BLOCK_LINES + 1),
        first_line: 1,
    };
    let mut state: Option<(Scheme, Job)> = None;
    let mut first_key = true;
    loop {
        read_block(&mut reader, &mut block)?;
        if block.lines() == 0 {
            break;
        }
        if state.is_none() {
            // The first line fixes the scheme (its own errors come first, as line 1's).
            let (scheme, _) = parse_line(block.line(0), block.first_line)?;
            let bdk = inputs.secret_hex("--bdk", &args.bdk)?;
            let selection = resolve_selection(&args.select, scheme == Scheme::Aes)?;
            let job = match selection {
                Selection::Tdes(usage) => {
                    // Check every line of the first block before a bad BDK is reported, as
                    // the whole-input parser did.
                    Job::Tdes(Box::new(tdes_bdk("--bdk", &bdk)?), usage)
                }
                Selection::Aes(sel) => {
                    let bdk = aes_bdk("--bdk", &bdk)?;
                    let sel = sel.map(|(u, t)| (u, t.unwrap_or(bdk.key_type())));
                    Job::Aes(Box::new(bdk), sel)
                }
            };
            state = Some((scheme, job));
        }
        let Some((scheme, job)) = &state else {
            break;
        };
        let parts = derive_block(&block, *scheme, job, json, threads)?;
        if json && first_key {
            out.write_all(b"{\"keys\":[").map_err(|e| write_err(&e))?;
        }
        for p in &parts {
            let bytes: &[u8] = &p.out;
            let bytes = if json && first_key && !bytes.is_empty() {
                first_key = false;
                bytes.get(1..).unwrap_or(&[])
            } else {
                bytes
            };
            out.write_all(bytes).map_err(|e| write_err(&e))?;
        }
    }
    if state.is_none() {
        // Empty input: the BDK option is still resolved (a missing @FILE is an error).
        inputs.secret_hex("--bdk", &args.bdk)?;
    }
    if json {
        let tail = match &state {
            None => "{\"keys\":[],\"scheme\":null}\n".to_owned(),
            Some((s, _)) => format!("],\"scheme\":\"{}\"}}\n", s.name()),
        };
        out.write_all(tail.as_bytes()).map_err(|e| write_err(&e))?;
    }
    out.flush().map_err(|e| write_err(&e))?;
    Ok(Output::written())
}
