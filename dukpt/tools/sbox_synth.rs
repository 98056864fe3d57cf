//! Generator of the boolean circuits in `dukpt/src/tdes/bitslice/sboxes.rs`.
//!
//! Not part of the crate build. Run from the repository root:
//!
//! ```text
//! rustc -O -o /tmp/sbox_synth dukpt/tools/sbox_synth.rs
//! SBOX_NEAR=1 /tmp/sbox_synth TRIALS PER_OUTPUT > dukpt/src/tdes/bitslice/sboxes.rs
//! ```
//!
//! (the arguments used are in the generated file's header; `SBOX_ONLY=n` runs S-box `n` alone,
//! `SBOX_ONE_GATE_ONLY=1` turns the two-gate search off.)
//!
//! Method: each S-box of FIPS 46-3 is six-input, four-output; every function is a 64-bit truth
//! table. An output is synthesised by recursive multiplexer decomposition on an input bit with
//! don't-care sets (the approach of M. Kwan, "Reducing the Gate Count of Bitslice DES", 2000):
//! `t = t0 ^ (x & d)` where `t0` only has to be right where `x = 0` and `d` only where `x = 1`,
//! reusing every gate already built for the S-box's other outputs. Before decomposing, every
//! sub-function is looked up in that pool, then searched as one new gate over it, then as two
//! (`op2(op1(a, b), c)`, the last gate chosen first so that the first is a one-gate search on a
//! reduced care set); with `SBOX_NEAR` it may also be split as `p ^ r` for the pool gate `p`
//! nearest to it. The outputs are built one at a time, each the cheapest of PER_OUTPUT random
//! syntheses over the gates built so far, and a seeded random search over input choices, forms
//! and output orders (TRIALS restarts) keeps the smallest circuit. The output is checked exhaustively against the tables here, and again by the
//! crate's tests.

const SBOX: [[[u8; 16]; 4]; 8] = [
    [
        [14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7],
        [0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8],
        [4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0],
        [15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13],
    ],
    [
        [15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10],
        [3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5],
        [0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15],
        [13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9],
    ],
    [
        [10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8],
        [13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1],
        [13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7],
        [1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12],
    ],
    [
        [7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15],
        [13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9],
        [10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4],
        [3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14],
    ],
    [
        [2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9],
        [14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6],
        [4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14],
        [11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3],
    ],
    [
        [12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11],
        [10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8],
        [9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6],
        [4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13],
    ],
    [
        [4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1],
        [13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6],
        [1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2],
        [6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12],
    ],
    [
        [13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7],
        [1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2],
        [7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8],
        [2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11],
    ],
];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Op {
    In(usize),
    And,
    Or,
    Xor,
    AndNot, // a & !b
    Not,
}

#[derive(Clone)]
struct Circ {
    nodes: Vec<(Op, usize, usize)>,
    tts: Vec<u64>,
    /// Also search two-gate combinations over the pool before decomposing.
    two: bool,
    /// Also try `t = p ^ r` for the pool node `p` nearest to `t`.
    near: bool,
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn var_tt(i: usize) -> u64 {
    let mut t = 0u64;
    for v in 0..64 {
        if (v >> (5 - i)) & 1 == 1 {
            t |= 1 << v;
        }
    }
    t
}

impl Circ {
    fn new() -> Self {
        let mut c = Circ {
            nodes: vec![],
            tts: vec![],
            two: std::env::var_os("SBOX_ONE_GATE_ONLY").is_none(),
            near: std::env::var_os("SBOX_NEAR").is_some(),
        };
        for i in 0..6 {
            c.nodes.push((Op::In(i), 0, 0));
            c.tts.push(var_tt(i));
        }
        c
    }
    fn add(&mut self, op: Op, a: usize, b: usize) -> usize {
        let (x, y) = (self.tts[a], self.tts[b]);
        let t = match op {
            Op::And => x & y,
            Op::Or => x | y,
            Op::Xor => x ^ y,
            Op::AndNot => x & !y,
            Op::Not => !x,
            Op::In(_) => unreachable!(),
        };
        self.nodes.push((op, a, b));
        self.tts.push(t);
        self.tts.len() - 1
    }
    fn find(&self, t: u64, care: u64) -> Option<usize> {
        self.tts.iter().position(|&p| (p ^ t) & care == 0)
    }
    fn one_gate(&mut self, t: u64, care: u64) -> Option<usize> {
        let n = self.tts.len();
        for a in 0..n {
            let x = self.tts[a];
            if (!x ^ t) & care == 0 {
                return Some(self.add(Op::Not, a, a));
            }
            for b in 0..n {
                let y = self.tts[b];
                if b > a {
                    if ((x & y) ^ t) & care == 0 {
                        return Some(self.add(Op::And, a, b));
                    }
                    if ((x | y) ^ t) & care == 0 {
                        return Some(self.add(Op::Or, a, b));
                    }
                    if ((x ^ y) ^ t) & care == 0 {
                        return Some(self.add(Op::Xor, a, b));
                    }
                }
                if a != b && ((x & !y) ^ t) & care == 0 {
                    return Some(self.add(Op::AndNot, a, b));
                }
            }
        }
        None
    }
    /// Two new gates `g2 = op2(op1(a, b), c)` over the pool, the last gate's form chosen first
    /// so that the first gate is a one-gate search on a reduced care set.
    fn two_gate(&mut self, t: u64, care: u64) -> Option<usize> {
        let n = self.tts.len();
        for c in 0..n {
            let y = self.tts[c];
            // g1 ^ c = t  <=>  g1 = t ^ c
            if let Some((op, a, b)) = self.one_gate_op(t ^ y, care) {
                let g1 = self.add(op, a, b);
                return Some(self.add(Op::Xor, g1, c));
            }
            // g1 & c = t: needs t = 0 where c = 0; g1 = t where c = 1
            if (t & !y & care) == 0 {
                if let Some((op, a, b)) = self.one_gate_op(t, care & y) {
                    let g1 = self.add(op, a, b);
                    return Some(self.add(Op::And, g1, c));
                }
            }
            // g1 | c = t: needs t = 1 where c = 1; g1 = t where c = 0
            if (!t & y & care) == 0 {
                if let Some((op, a, b)) = self.one_gate_op(t, care & !y) {
                    let g1 = self.add(op, a, b);
                    return Some(self.add(Op::Or, g1, c));
                }
            }
            // g1 & !c = t: needs t = 0 where c = 1; g1 = t where c = 0
            if (t & y & care) == 0 {
                if let Some((op, a, b)) = self.one_gate_op(t, care & !y) {
                    let g1 = self.add(op, a, b);
                    return Some(self.add(Op::AndNot, g1, c));
                }
            }
            // c & !g1 = t: needs t = 0 where c = 0; g1 = !t where c = 1
            if (t & !y & care) == 0 {
                if let Some((op, a, b)) = self.one_gate_op(!t, care & y) {
                    let g1 = self.add(op, a, b);
                    return Some(self.add(Op::AndNot, c, g1));
                }
            }
        }
        None
    }
    /// The one-gate search without adding the gate.
    fn one_gate_op(&self, t: u64, care: u64) -> Option<(Op, usize, usize)> {
        let n = self.tts.len();
        for a in 0..n {
            let x = self.tts[a];
            if (!x ^ t) & care == 0 {
                return Some((Op::Not, a, a));
            }
            for b in 0..n {
                let y = self.tts[b];
                if b > a {
                    if ((x & y) ^ t) & care == 0 {
                        return Some((Op::And, a, b));
                    }
                    if ((x | y) ^ t) & care == 0 {
                        return Some((Op::Or, a, b));
                    }
                    if ((x ^ y) ^ t) & care == 0 {
                        return Some((Op::Xor, a, b));
                    }
                }
                if a != b && ((x & !y) ^ t) & care == 0 {
                    return Some((Op::AndNot, a, b));
                }
            }
        }
        None
    }
    fn synth(&mut self, t: u64, care: u64, rng: &mut Rng) -> usize {
        if let Some(n) = self.find(t, care) {
            return n;
        }
        if let Some(n) = self.one_gate(t, care) {
            return n;
        }
        if self.two {
            if let Some(n) = self.two_gate(t, care) {
                return n;
            }
        }
        // Variables the function depends on within the care set.
        let mut deps = vec![];
        for i in 0..6 {
            let x = var_tt(i);
            let shift = 1u64 << (5 - i);
            // compare t at v and v ^ shift where both in care
            let mut dep = false;
            for v in 0..64u64 {
                if x >> v & 1 == 0 {
                    let w = v | shift;
                    if care >> v & 1 == 1 && care >> w & 1 == 1 && (t >> v & 1) != (t >> w & 1) {
                        dep = true;
                        break;
                    }
                }
            }
            // also a variable that splits the care set usefully
            let splits = care & x != 0 && care & !x != 0;
            if dep || splits {
                deps.push(i);
            }
        }
        let i = deps[rng.below(deps.len())];
        let xn = i; // input node index
        let x = var_tt(i);
        let hi = t & care & x;
        let lo = t & care & !x;
        // Special forms
        if hi == 0 && care & x != 0 {
            let a = self.synth(t, care & !x, rng);
            return self.add(Op::AndNot, a, xn);
        }
        if lo == 0 && care & !x != 0 {
            let b = self.synth(t, care & x, rng);
            return self.add(Op::And, b, xn);
        }
        if hi == care & x {
            let a = self.synth(t, care & !x, rng);
            return self.add(Op::Or, a, xn);
        }
        // A pool node close to `t` on the care set: `t = p ^ r` with `r` sparse.
        if self.near && rng.below(4) == 0 {
            let (mut best, mut bd) = (usize::MAX, u32::MAX);
            for (k, &p) in self.tts.iter().enumerate() {
                let d = ((p ^ t) & care).count_ones();
                if d < bd {
                    (best, bd) = (k, d);
                }
            }
            if bd <= (care.count_ones() / 4) {
                let r = self.synth(t ^ self.tts[best], care, rng);
                return self.add(Op::Xor, best, r);
            }
        }
        match rng.below(3) {
            0 => {
                let t0 = self.synth(t, care & !x, rng);
                let d = self.synth(t ^ self.tts[t0], care & x, rng);
                let m = self.add(Op::And, d, xn);
                self.add(Op::Xor, t0, m)
            }
            1 => {
                let t1 = self.synth(t, care & x, rng);
                let d = self.synth(t ^ self.tts[t1], care & !x, rng);
                let m = self.add(Op::AndNot, d, xn);
                self.add(Op::Xor, t1, m)
            }
            _ => {
                let a = self.synth(t, care & !x, rng);
                let b = self.synth(t, care & x, rng);
                let ma = self.add(Op::AndNot, a, xn);
                let mb = self.add(Op::And, b, xn);
                self.add(Op::Or, ma, mb)
            }
        }
    }
}

fn target(s: usize, j: usize) -> u64 {
    let mut t = 0u64;
    for v in 0..64usize {
        let row = ((v >> 4) & 2) | (v & 1);
        let col = (v >> 1) & 15;
        if (SBOX[s][row][col] >> (3 - j)) & 1 == 1 {
            t |= 1 << v;
        }
    }
    t
}

/// Live gates (reachable from the outputs), in order.
fn live(c: &Circ, outs: &[usize; 4]) -> Vec<bool> {
    let mut keep = vec![false; c.nodes.len()];
    for &o in outs {
        keep[o] = true;
    }
    for n in (0..c.nodes.len()).rev() {
        if keep[n] {
            let (op, a, b) = c.nodes[n];
            if !matches!(op, Op::In(_)) {
                keep[a] = true;
                keep[b] = true;
            }
        }
    }
    keep
}

/// `x & x` and `x | x` (a multiplexer on a variable that is its own cofactor) are `x`.
fn is_alias(n: &(Op, usize, usize)) -> bool {
    matches!(n.0, Op::And | Op::Or) && n.1 == n.2
}

/// Live gates (aliases and inputs cost nothing).
fn cost(c: &Circ, outs: &[usize; 4]) -> usize {
    live(c, outs)
        .iter()
        .zip(&c.nodes)
        .filter(|(k, n)| **k && !matches!(n.0, Op::In(_)) && !is_alias(n))
        .count()
}

fn main() {
    let trials: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let per_output: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1)
        .max(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    println!("//! DES S-boxes S1..S8 (FIPS 46-3) as boolean circuits for the bitsliced DES.");
    println!("//!");
    let near = if std::env::var_os("SBOX_NEAR").is_some() {
        "SBOX_NEAR=1 "
    } else {
        ""
    };
    println!(
        "//! Generated by `dukpt/tools/sbox_synth.rs` (`{near}sbox_synth {trials} {per_output}`:"
    );
    println!(
        "//! {trials} trials per S-box, each output the best of {per_output} syntheses); do not edit."
    );
    println!(
        "//! Inputs `x[0]..x[5]` are the six S-box input bits, first (most significant) first;"
    );
    println!("//! outputs are the four S-box output bits, most significant first. Every S-box is");
    println!(
        "//! checked against the FIPS 46-3 tables on all 64 inputs by the tests of `bitslice`."
    );
    println!();
    println!("use super::Word;");
    let mut total = 0;
    let only: Option<usize> = std::env::var("SBOX_ONLY").ok().and_then(|v| v.parse().ok());
    for s in 0..8 {
        if only.is_some_and(|o| o != s + 1) {
            continue;
        }
        let mut best: Option<(usize, Circ, [usize; 4])> = None;
        for _ in 0..trials {
            let mut c = Circ::new();
            let mut order = [0usize, 1, 2, 3];
            for k in (1..4).rev() {
                let r = rng.below(k + 1);
                order.swap(k, r);
            }
            // Outputs one at a time, each the cheapest of `per_output` random syntheses over the
            // gates built so far (unset outputs point at input 0, which costs nothing).
            let mut outs = [0usize; 4];
            for &j in &order {
                let mut pick: Option<(usize, Circ, usize)> = None;
                for _ in 0..per_output {
                    let mut c2 = c.clone();
                    let o = c2.synth(target(s, j), !0, &mut rng);
                    let mut outs2 = outs;
                    outs2[j] = o;
                    let k = cost(&c2, &outs2);
                    if pick.as_ref().is_none_or(|p| k < p.0) {
                        pick = Some((k, c2, o));
                    }
                }
                let (_, c2, o) = pick.expect("per_output >= 1");
                c = c2;
                outs[j] = o;
            }
            for j in 0..4 {
                assert_eq!(c.tts[outs[j]], target(s, j));
            }
            let k = cost(&c, &outs);
            if best.as_ref().is_none_or(|b| k < b.0) {
                best = Some((k, c, outs));
            }
        }
        let (k, c, outs) = best.unwrap();
        total += k;
        eprintln!("S{}: {k} gates", s + 1);
        let keep = live(&c, &outs);
        println!();
        println!("/// S{} ({k} gates).", s + 1);
        println!("#[inline(always)]");
        println!("pub(super) fn s{}<W: Word>(x: [W; 6]) -> [W; 4] {{", s + 1);
        println!("    let [x0, x1, x2, x3, x4, x5] = x;");
        let name = |n: usize| match c.nodes[n].0 {
            Op::In(i) => format!("x{i}"),
            _ => format!("g{n}"),
        };
        for n in 0..c.nodes.len() {
            if !keep[n] {
                continue;
            }
            let (op, a, b) = c.nodes[n];
            let expr = match op {
                Op::In(_) => continue,
                _ if is_alias(&c.nodes[n]) => name(a),
                Op::And => format!("{} & {}", name(a), name(b)),
                Op::Or => format!("{} | {}", name(a), name(b)),
                Op::Xor => format!("{} ^ {}", name(a), name(b)),
                Op::AndNot => format!("{}.andnot({})", name(a), name(b)),
                Op::Not => format!("!{}", name(a)),
            };
            println!("    let g{n} = {expr};");
        }
        println!(
            "    [{}, {}, {}, {}]",
            name(outs[0]),
            name(outs[1]),
            name(outs[2]),
            name(outs[3])
        );
        println!("}}");
    }
    eprintln!("total {total} gates, {:.1} per S-box", total as f64 / 8.0);
}
