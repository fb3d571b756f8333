//! µ-law audio as it crosses the phone line: base64 payloads, 20 ms frames of 160 bytes, and
//! the byte ↔ millisecond arithmetic barge-in needs (8 kHz, 1 byte a sample: 8 bytes = 1 ms).
//!
//! The AI's audio arrives in deltas of any size; [`FrameChunker`] turns them into whole
//! 160-byte frames, carrying the remainder to the next delta, because one report says Twilio
//! plays only whole frames.

use super::MediaError;
use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Samples per second of phone µ-law.
pub const MULAW_SAMPLE_RATE: u32 = 8000;
/// µ-law bytes per millisecond at 8 kHz mono.
pub const MULAW_BYTES_PER_MS: u64 = 8;
/// Milliseconds in one Media Streams frame.
pub const FRAME_MS: u64 = 20;
/// Bytes in one 20 ms frame of 8 kHz µ-law.
pub const FRAME_BYTES: usize = 160;
/// The µ-law byte for silence (positive zero).
pub const MULAW_SILENCE: u8 = 0xFF;

/// Standard alphabet; padding optional on input (emitted on output).
pub(crate) const PAYLOAD_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes a base64 media payload into µ-law bytes.
pub fn decode_payload(payload: &str) -> Result<Vec<u8>, MediaError> {
    Ok(PAYLOAD_BASE64.decode(payload.trim())?)
}

/// Encodes µ-law bytes as a padded standard base64 media payload.
pub fn encode_payload(mulaw: &[u8]) -> String {
    PAYLOAD_BASE64.encode(mulaw)
}

/// How long `bytes` of 8 kHz µ-law play, in whole milliseconds (rounded down).
pub fn mulaw_bytes_to_ms(bytes: u64) -> u64 {
    bytes / MULAW_BYTES_PER_MS
}

/// How many 8 kHz µ-law bytes play in `ms` milliseconds (saturating).
pub fn ms_to_mulaw_bytes(ms: u64) -> u64 {
    ms.saturating_mul(MULAW_BYTES_PER_MS)
}

/// Re-chunks a stream of µ-law byte runs into whole [`FRAME_BYTES`] frames.
///
/// Invariant: fewer than [`FRAME_BYTES`] bytes wait between calls. Nothing is lost or
/// reordered: the frames out of [`push`](Self::push), then [`flush`](Self::flush), concatenate
/// to the bytes in.
#[derive(Debug, Clone, Default)]
pub struct FrameChunker {
    pending: Vec<u8>,
}

impl FrameChunker {
    /// An empty chunker.
    pub fn new() -> FrameChunker {
        FrameChunker {
            pending: Vec::with_capacity(FRAME_BYTES),
        }
    }

    /// Adds a run of bytes; returns every frame it completes (possibly none).
    pub fn push(&mut self, bytes: &[u8]) -> Vec<Vec<u8>> {
        let mut frames = Vec::with_capacity((self.pending.len() + bytes.len()) / FRAME_BYTES);
        let mut rest = bytes;
        if !self.pending.is_empty() {
            let missing = FRAME_BYTES.saturating_sub(self.pending.len());
            match rest.split_at_checked(missing) {
                Some((head, tail)) => {
                    self.pending.extend_from_slice(head);
                    frames.push(std::mem::replace(
                        &mut self.pending,
                        Vec::with_capacity(FRAME_BYTES),
                    ));
                    rest = tail;
                }
                None => {
                    self.pending.extend_from_slice(rest);
                    return frames;
                }
            }
        }
        let mut whole = rest.chunks_exact(FRAME_BYTES);
        frames.extend(whole.by_ref().map(<[u8]>::to_vec));
        self.pending.extend_from_slice(whole.remainder());
        frames
    }

    /// Takes the short tail left over (end of an AI response), if any.
    pub fn flush(&mut self) -> Option<Vec<u8>> {
        if self.pending.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.pending))
        }
    }

    /// Like [`flush`](Self::flush), but pads the tail with µ-law silence to a whole frame.
    pub fn flush_padded(&mut self) -> Option<Vec<u8>> {
        let mut tail = self.flush()?;
        tail.resize(FRAME_BYTES, MULAW_SILENCE);
        Some(tail)
    }

    /// Drops the waiting tail (barge-in: that audio must never play).
    pub fn clear(&mut self) {
        self.pending.clear();
    }

    /// Bytes waiting for a whole frame.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    #[test]
    fn payloads_round_trip_through_base64() {
        let audio = ramp(321);
        let payload = encode_payload(&audio);
        assert_eq!(decode_payload(&payload).unwrap(), audio);
    }

    #[test]
    fn payloads_decode_with_or_without_padding() {
        assert_eq!(decode_payload("/w==").unwrap(), vec![0xFF]);
        assert_eq!(decode_payload("/w").unwrap(), vec![0xFF]);
        assert_eq!(encode_payload(&[0xFF]), "/w==");
    }

    #[test]
    fn a_payload_that_is_not_base64_is_an_error() {
        for bad in ["not base64!", "@@@@", "AAA=A", "\u{0}"] {
            assert!(
                matches!(decode_payload(bad), Err(MediaError::Base64(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn eight_bytes_of_mulaw_last_one_millisecond() {
        assert_eq!(mulaw_bytes_to_ms(FRAME_BYTES as u64), FRAME_MS);
        assert_eq!(mulaw_bytes_to_ms(8_000), 1_000);
        assert_eq!(mulaw_bytes_to_ms(7), 0);
        assert_eq!(ms_to_mulaw_bytes(20), 160);
        assert_eq!(ms_to_mulaw_bytes(u64::MAX), u64::MAX);
    }

    #[test]
    fn odd_sized_deltas_become_whole_frames_with_nothing_lost() {
        let audio = ramp(5_000);
        let mut chunker = FrameChunker::new();
        let mut out = Vec::new();
        let mut offset = 0;
        // Sizes that straddle frame boundaries in every way: tiny, exact, several frames.
        for size in [1, 159, 160, 161, 7, 800, 333, 0, 2_000].iter().cycle() {
            let end = (offset + size).min(audio.len());
            for frame in chunker.push(&audio[offset..end]) {
                assert_eq!(frame.len(), FRAME_BYTES);
                out.extend(frame);
            }
            offset = end;
            if offset == audio.len() {
                break;
            }
            assert!(chunker.pending_len() < FRAME_BYTES);
        }
        assert_eq!(chunker.pending_len(), 5_000 % FRAME_BYTES);
        out.extend(chunker.flush().unwrap());
        assert_eq!(out, audio);
        assert_eq!(chunker.flush(), None);
    }

    #[test]
    fn a_run_shorter_than_a_frame_waits_for_the_next() {
        let mut chunker = FrameChunker::new();
        assert!(chunker.push(&[1; 100]).is_empty());
        let frames = chunker.push(&[2; 100]);
        assert_eq!(frames.len(), 1);
        assert_eq!(&frames[0][..100], &[1; 100][..]);
        assert_eq!(&frames[0][100..], &[2; 60][..]);
        assert_eq!(chunker.pending_len(), 40);
    }

    #[test]
    fn flush_padded_fills_the_tail_with_silence() {
        let mut chunker = FrameChunker::new();
        chunker.push(&[7; 10]);
        let frame = chunker.flush_padded().unwrap();
        assert_eq!(frame.len(), FRAME_BYTES);
        assert_eq!(&frame[..10], &[7; 10][..]);
        assert!(frame[10..].iter().all(|&b| b == MULAW_SILENCE));
        assert_eq!(chunker.flush_padded(), None);
    }

    #[test]
    fn clear_drops_the_waiting_tail() {
        let mut chunker = FrameChunker::new();
        chunker.push(&[7; 10]);
        chunker.clear();
        assert_eq!(chunker.pending_len(), 0);
        assert_eq!(chunker.push(&[1; 160]), vec![vec![1; 160]]);
    }
}
