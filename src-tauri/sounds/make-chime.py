#!/usr/bin/env python3
"""Writes new-order.wav: the desktop app's new-order sound (two bell-like notes, 1.1 s).

Made here rather than taken from elsewhere, so its licence is ours. Run it again to
change the sound: python3 src-tauri/sounds/make-chime.py
"""
import math
import os
import struct
import wave

RATE = 22050


def note(freq, start, length, samples):
    for i in range(int(length * RATE)):
        t = i / RATE
        # A bell: the note and two quieter partials, fading out.
        env = math.exp(-4.0 * t) * min(1.0, t / 0.005)
        v = (math.sin(2 * math.pi * freq * t)
             + 0.4 * math.sin(2 * math.pi * 2 * freq * t)
             + 0.15 * math.sin(2 * math.pi * 3 * freq * t))
        j = int(start * RATE) + i
        if j < len(samples):
            samples[j] += 0.45 * env * v


def main():
    samples = [0.0] * int(1.1 * RATE)
    note(880.0, 0.0, 1.1, samples)      # A5
    note(1318.5, 0.18, 0.92, samples)   # E6
    peak = max(abs(s) for s in samples) or 1.0
    frames = b"".join(struct.pack("<h", int(32000 * s / peak * 0.8)) for s in samples)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "new-order.wav")
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)


if __name__ == "__main__":
    main()
