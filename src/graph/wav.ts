/**
 * A WAV file in the format Graph documents for media (PCM, mono, 16-bit, 16 kHz), of the given
 * length. The simulated caller's audio is silence: the length is what a recording test can check.
 */
export const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 2;

export function silentWav(durationMs: number): Buffer {
  const samples = Math.round((Math.max(0, durationMs) / 1000) * SAMPLE_RATE);
  const dataBytes = samples * BYTES_PER_SAMPLE;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(SAMPLE_RATE, 24);
  header.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28); // byte rate
  header.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return Buffer.concat([header, Buffer.alloc(dataBytes)]);
}
