// Signer recovery on secp256k1 (libsecp256k1 through the `secp256k1` crate): the address whose key
// signed a 32-byte hash, as transaction senders and the ecrecover precompile (0x01) need it. The
// result is keccak256 of the public key's x ++ y, last 20 bytes, hashed here because it costs a
// fraction of a microsecond in Rust and a call plus copies in JavaScript. The callers own the
// Ethereum rules (v, low s, r and s ranges); this answers exactly what libsecp256k1 answers: no
// address when the compact signature does not parse (r or s >= n), the recovery id is not 0-3,
// or no point recovers (r is no x-coordinate, r or s zero, the result is infinity).
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;
use secp256k1::ecdsa::{RecoverableSignature, RecoveryId};
use secp256k1::Message;
use tiny_keccak::{Hasher, Keccak};

const HASH_SIZE: usize = 32;
const SIGNATURE_SIZE: usize = 64;
const ADDRESS_SIZE: usize = 20;
/// One batch record: hash ++ r ++ s ++ recovery id.
const RECORD_SIZE: usize = HASH_SIZE + SIGNATURE_SIZE + 1;

/// Writes the signer's address into `output[..20]`; false when nothing recovers.
fn recover_into(hash: &[u8], signature: &[u8], recovery_id: u8, output: &mut [u8]) -> bool {
    let Ok(recovery_id) = RecoveryId::try_from(i32::from(recovery_id)) else {
        return false;
    };
    let Ok(signature) = RecoverableSignature::from_compact(signature, recovery_id) else {
        return false;
    };
    let Ok(digest) = <[u8; HASH_SIZE]>::try_from(hash) else {
        return false;
    };
    let Ok(public_key) = signature.recover_ecdsa(Message::from_digest(digest)) else {
        return false;
    };
    let mut keccak = Keccak::v256();
    keccak.update(&public_key.serialize_uncompressed()[1..]);
    let mut key_hash = [0u8; 32];
    keccak.finalize(&mut key_hash);
    output[..ADDRESS_SIZE].copy_from_slice(&key_hash[32 - ADDRESS_SIZE..]);
    true
}

/// Writes the address that signed the 32-byte `hash` with the 64-byte `signature` (r ++ s) and
/// `recovery_id` into the first 20 bytes of `output`; false when nothing recovers or a buffer is
/// the wrong size.
#[napi(js_name = "secp256k1RecoverAddress")]
pub fn secp256k1_recover_address(
    hash: Uint8Array,
    signature: Uint8Array,
    recovery_id: u32,
    mut output: Uint8Array,
) -> bool {
    if hash.len() != HASH_SIZE || signature.len() != SIGNATURE_SIZE || output.len() < ADDRESS_SIZE {
        return false;
    }
    let Ok(recovery_id) = u8::try_from(recovery_id) else {
        return false;
    };
    recover_into(&hash, &signature, recovery_id, &mut output)
}

/// Recovers every record of `input` (97 bytes each: hash ++ r ++ s ++ recovery id) in one call:
/// record i's address goes to output[20i..20i+20] and recovered[i] becomes 1, or 0 when nothing
/// recovers (its output bytes are then left as they were). False when the sizes disagree.
#[napi(js_name = "secp256k1RecoverAddresses")]
pub fn secp256k1_recover_addresses(
    input: Uint8Array,
    mut output: Uint8Array,
    mut recovered: Uint8Array,
) -> bool {
    let count = input.len() / RECORD_SIZE;
    if !input.len().is_multiple_of(RECORD_SIZE)
        || output.len() != count * ADDRESS_SIZE
        || recovered.len() != count
    {
        return false;
    }
    let records = input.chunks_exact(RECORD_SIZE);
    let outputs = output.chunks_exact_mut(ADDRESS_SIZE);
    for ((record, address), flag) in records.zip(outputs).zip(recovered.iter_mut()) {
        let (hash, rest) = record.split_at(HASH_SIZE);
        let (signature, recovery_id) = rest.split_at(SIGNATURE_SIZE);
        *flag = u8::from(recover_into(hash, signature, recovery_id[0], address));
    }
    true
}
