// Weft's native addon. This file: the bn254 (alt_bn128) arithmetic of precompiles 0x06-0x08
// (EIP-196/197) on arkworks' ark-bn254. The TypeScript precompiles own gas and padding: add gets 128
// bytes, mul 96, the pairing check a whole number of 192-byte pairs. Every invalid input is reported,
// never a panic. Signer recovery on secp256k1 is in secp256k1_recover.rs.
use ark_bn254::{Bn254, Fq, Fq2, Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup};
use ark_ff::{BigInt, One, PrimeField, Zero};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

mod secp256k1_recover;

const WORD: usize = 32;
const G1_SIZE: usize = 2 * WORD;
const PAIR_SIZE: usize = 6 * WORD;

/// The big-endian word at `offset` as a field element; None when it is not below p (EIP-196: no reduction).
fn read_fq(bytes: &[u8], offset: usize) -> Option<Fq> {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let start = offset + WORD - 8 * (i + 1);
        *limb = u64::from_be_bytes(bytes[start..start + 8].try_into().ok()?);
    }
    Fq::from_bigint(BigInt::new(limbs))
}

/// The G1 point at `offset` ((0, 0) is infinity); None when off the curve. G1 has cofactor 1, so on
/// the curve means in the group.
fn read_g1(bytes: &[u8], offset: usize) -> Option<G1Affine> {
    let x = read_fq(bytes, offset)?;
    let y = read_fq(bytes, offset + WORD)?;
    if x.is_zero() && y.is_zero() {
        return Some(G1Affine::zero());
    }
    let point = G1Affine::new_unchecked(x, y);
    point.is_on_curve().then_some(point)
}

/// The G2 point at `offset`, each coordinate as (imaginary, real) per EIP-197, all zeros for infinity;
/// None when off the twist or outside the order-r subgroup (EIP-197 requires both checks). ark-bn254's
/// subgroup check is psi(Q) == [6x^2]Q (eprint 2022/352, section 4.3), a plain double-and-add.
fn read_g2(bytes: &[u8], offset: usize) -> Option<G2Affine> {
    let x_imaginary = read_fq(bytes, offset)?;
    let x_real = read_fq(bytes, offset + WORD)?;
    let y_imaginary = read_fq(bytes, offset + 2 * WORD)?;
    let y_real = read_fq(bytes, offset + 3 * WORD)?;
    let x = Fq2::new(x_real, x_imaginary);
    let y = Fq2::new(y_real, y_imaginary);
    if x.is_zero() && y.is_zero() {
        return Some(G2Affine::zero());
    }
    let point = G2Affine::new_unchecked(x, y);
    (point.is_on_curve() && point.is_in_correct_subgroup_assuming_on_curve()).then_some(point)
}

fn write_fq(value: Fq, out: &mut [u8]) {
    for (i, limb) in value.into_bigint().0.iter().enumerate() {
        let start = WORD - 8 * (i + 1);
        out[start..start + 8].copy_from_slice(&limb.to_be_bytes());
    }
}

/// Writes `point` as 64 bytes of affine (x, y); infinity is (0, 0).
fn write_g1(point: G1Projective, out: &mut [u8]) {
    match point.into_affine().xy() {
        Some((x, y)) => {
            write_fq(x, &mut out[..WORD]);
            write_fq(y, &mut out[WORD..G1_SIZE]);
        }
        None => out[..G1_SIZE].fill(0),
    }
}

/// 0x06: writes P + Q (at bytes 0 and 64 of the 128-byte `input`) into the 64-byte `output`; false
/// when a point is invalid or a buffer is short.
#[napi]
pub fn bn254_add(input: Uint8Array, mut output: Uint8Array) -> bool {
    if input.len() < 2 * G1_SIZE || output.len() < G1_SIZE {
        return false;
    }
    let (Some(p), Some(q)) = (read_g1(&input, 0), read_g1(&input, G1_SIZE)) else {
        return false;
    };
    write_g1(p + q, &mut output);
    true
}

/// 0x07: writes k * P (P at byte 0 of the 96-byte `input`, the 256-bit scalar k at 64, taken mod r)
/// into the 64-byte `output`; false when the point is invalid or a buffer is short.
#[napi]
pub fn bn254_mul(input: Uint8Array, mut output: Uint8Array) -> bool {
    if input.len() < G1_SIZE + WORD || output.len() < G1_SIZE {
        return false;
    }
    let Some(p) = read_g1(&input, 0) else {
        return false;
    };
    let k = Fr::from_be_bytes_mod_order(&input[G1_SIZE..G1_SIZE + WORD]);
    write_g1(p * k, &mut output);
    true
}

/// 0x08: 1 when the product of the pairings of the (G1, G2) pairs in `input` is 1, 0 when it is not,
/// -1 when a point is invalid or the length is not a whole number of pairs. The Miller loops of all
/// pairs run together and share one final exponentiation.
#[napi]
pub fn bn254_pairing_check(input: Uint8Array) -> i32 {
    if input.len() % PAIR_SIZE != 0 {
        return -1;
    }
    let mut g1s = Vec::with_capacity(input.len() / PAIR_SIZE);
    let mut g2s = Vec::with_capacity(input.len() / PAIR_SIZE);
    for offset in (0..input.len()).step_by(PAIR_SIZE) {
        let (Some(p), Some(q)) = (read_g1(&input, offset), read_g2(&input, offset + G1_SIZE)) else {
            return -1;
        };
        // A pair with infinity contributes 1.
        if !p.is_zero() && !q.is_zero() {
            g1s.push(p);
            g2s.push(q);
        }
    }
    let is_one = g1s.is_empty() || Bn254::multi_pairing(g1s, g2s).0.is_one();
    i32::from(is_one)
}
