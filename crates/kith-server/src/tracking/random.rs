//! Randomness for visitor ids and single-use codes, drawn from the OS in blocks.
//!
//! Every new visitor needs 80 random bits; asking the kernel each time cost one
//! `getrandom` syscall per redirect (a quarter of the syscall time under load). Each
//! thread instead keeps a block of OS randomness and hands it out once, byte by byte —
//! the same quality, one syscall per [`BLOCK`] bytes. Nothing is ever handed out twice.

use std::cell::RefCell;

/// Bytes drawn from the OS at a time.
const BLOCK: usize = 4_096;

struct Pool {
    bytes: Box<[u8; BLOCK]>,
    used: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = RefCell::new(Pool { bytes: Box::new([0; BLOCK]), used: BLOCK });
}

/// Fills `out` with OS randomness.
pub(crate) fn fill(out: &mut [u8]) -> Result<(), getrandom::Error> {
    if out.len() > BLOCK / 4 {
        return getrandom::fill(out);
    }
    POOL.with_borrow_mut(|pool| {
        if pool.used + out.len() > BLOCK {
            getrandom::fill(&mut pool.bytes[..])?;
            pool.used = 0;
        }
        let end = pool.used + out.len();
        out.copy_from_slice(&pool.bytes[pool.used..end]);
        // Handed out once: wiped so it cannot be handed out again by mistake.
        pool.bytes[pool.used..end].fill(0);
        pool.used = end;
        Ok(())
    })
}

const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends the lower-case hex of `bytes` to `out`.
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }

    #[test]
    fn blocks_are_refilled_and_never_repeat_a_draw() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..(3 * BLOCK / 10) {
            let mut id = [0u8; 10];
            fill(&mut id).unwrap();
            assert!(seen.insert(id), "a repeated draw");
        }
    }
}
