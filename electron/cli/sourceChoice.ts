import type { SourceChoice } from '../core/sources/openLiveSource';
import { UsageError } from './args';

/** `--source netlink|poll|auto` → the engine's choice; anything else is a usage error. */
export function parseSourceChoice(value: unknown): SourceChoice {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'netlink' || value === 'poll') return value;
  throw new UsageError(`--source must be netlink, poll or auto, got '${String(value)}'`);
}
