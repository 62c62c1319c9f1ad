import { describe, expect, it } from 'vitest';
import { OPEN_RECORDING_SWITCH, recordingToOpen } from './launchArgs';

describe('recordingToOpen', () => {
  it('finds the recording switch among Electron and Chromium arguments', () => {
    expect(recordingToOpen(['/opt/electron', '/app', '--no-sandbox', `${OPEN_RECORDING_SWITCH}/tmp/a b.fsrec`])).toBe('/tmp/a b.fsrec');
  });

  it('is absent without the switch, or with an empty path', () => {
    expect(recordingToOpen(['/opt/electron', '/app'])).toBeUndefined();
    expect(recordingToOpen([OPEN_RECORDING_SWITCH])).toBeUndefined();
  });
});
