//! Generated G.711 µ-law audio (8 kHz mono, one byte a sample): what both Twilio and the
//! Realtime API (`audio/pcmu`) carry. 8 bytes = 1 ms; one Twilio frame = 160 bytes = 20 ms.

/// µ-law bytes per millisecond at 8 kHz.
pub const BYTES_PER_MS: usize = 8;

/// One Twilio Media Streams frame: 20 ms of µ-law.
pub const FRAME_BYTES: usize = 160;

/// The µ-law byte for digital silence (linear 0).
pub const SILENCE: u8 = 0xFF;

/// `len` bytes of µ-law silence.
pub fn silence(len: usize) -> Vec<u8> {
    vec![SILENCE; len]
}

/// `len` bytes of a quiet sine tone at `freq_hz`, µ-law encoded.
pub fn tone(len: usize, freq_hz: f64) -> Vec<u8> {
    (0..len)
        .map(|i| {
            let t = i as f64 / 8000.0;
            let sample = (t * freq_hz * std::f64::consts::TAU).sin() * 4000.0;
            linear_to_mulaw(sample as i16)
        })
        .collect()
}

/// How many milliseconds `bytes` of µ-law last (rounded down).
pub fn ms_of(bytes: usize) -> u64 {
    (bytes / BYTES_PER_MS) as u64
}

/// G.711 µ-law encoding of one 16-bit linear sample.
pub fn linear_to_mulaw(sample: i16) -> u8 {
    const BIAS: i32 = 0x84;
    const CLIP: i32 = 32635;
    let mut s = i32::from(sample);
    let sign: u8 = if s < 0 { 0x80 } else { 0 };
    s = s.abs().min(CLIP) + BIAS;
    let mut exponent: u8 = 7;
    let mut mask = 0x4000;
    while exponent > 0 && s & mask == 0 {
        exponent -= 1;
        mask >>= 1;
    }
    let mantissa = ((s >> (i32::from(exponent) + 3)) & 0x0F) as u8;
    !(sign | (exponent << 4) | mantissa)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_encodes_as_the_silence_byte() {
        assert_eq!(linear_to_mulaw(0), SILENCE);
        assert_eq!(silence(3), [0xFF, 0xFF, 0xFF]);
    }

    #[test]
    fn extremes_use_the_top_segment() {
        assert_eq!(linear_to_mulaw(i16::MAX), 0x80);
        assert_eq!(linear_to_mulaw(i16::MIN), 0x00);
    }

    #[test]
    fn a_tone_is_not_silence_and_has_the_asked_length() {
        let t = tone(160, 440.0);
        assert_eq!(t.len(), 160);
        assert!(t.iter().any(|&b| b != SILENCE));
    }
}
