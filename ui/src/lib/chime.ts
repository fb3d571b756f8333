// The new-order sound: a three-note chime synthesised with the Web Audio API (no file, no
// network), which Chromium and WebKitGTK both support. Browsers start audio suspended until
// the page has been touched; `unlockAudio` is called on every tap to resume it.
//
// Every attempt is counted on `<body data-sound-plays="N">`, so tests (and anyone curious)
// can see the alert tried to sound; `data-audio-state` shows the audio context's state.

type AudioCtor = typeof AudioContext;

let ctx: AudioContext | null = null;

function context(): AudioContext | null {
  if (ctx) return ctx;
  const w = window as unknown as { AudioContext?: AudioCtor; webkitAudioContext?: AudioCtor };
  const Ctor = w.AudioContext ?? w.webkitAudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

function markState(): void {
  document.body.dataset.audioState = ctx?.state ?? 'unavailable';
}

/** Resumes audio after a user gesture (browsers' autoplay rule). */
export function unlockAudio(): void {
  const c = context();
  if (c && c.state !== 'running') void c.resume().then(markState, markState);
  markState();
}

/** Notes of the chime: frequency (Hz) and start offset (s). */
const NOTES: readonly [number, number][] = [
  [880, 0],
  [1175, 0.16],
  [1568, 0.32],
];

/** Whether the page is the desktop app's window, which sounds new orders itself (its own
 * bundled sound, repeating until the order is moved on, even with the window hidden). */
export function soundedByDesktopApp(): boolean {
  return (window as unknown as { melt8Desktop?: boolean }).melt8Desktop === true;
}

/** Plays the chime once (or tries to: a suspended context stays silent). In the desktop
 * app's window it stays quiet: the app rings instead, so the kitchen hears one sound. */
export function playChime(): void {
  const body = document.body;
  body.dataset.soundPlays = String(Number(body.dataset.soundPlays ?? '0') + 1);
  if (soundedByDesktopApp()) {
    body.dataset.audioState = 'desktop-app';
    return;
  }
  const c = context();
  markState();
  if (!c) return;
  if (c.state === 'suspended') void c.resume().then(markState, markState);
  const start = c.currentTime + 0.02;
  for (const [freq, offset] of NOTES) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = 'triangle';
    osc.frequency.setValueAtTime(freq, start + offset);
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.5, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.45);
    osc.connect(gain).connect(c.destination);
    osc.start(start + offset);
    osc.stop(start + offset + 0.5);
  }
}
