import { HoppingWindows } from './hopping.js';
import { SessionWindows } from './session.js';
import { TumblingWindows } from './tumbling.js';
import { WINDOW_KINDS, type WindowAssigner } from './window.js';
import { invalidOption } from '../errors.js';

/** A declarative window spec (what config files and CLI flags map onto). */
export type WindowSpec =
  | { readonly kind: 'tumbling'; readonly sizeMs: number; readonly offsetMs?: number }
  | {
      readonly kind: 'hopping';
      readonly sizeMs: number;
      readonly advanceMs: number;
      readonly offsetMs?: number;
    }
  | { readonly kind: 'session'; readonly gapMs: number };

/** Builds the assigner for a spec, validating it (messages name the option). */
export function createWindowAssigner(spec: WindowSpec): WindowAssigner {
  switch (spec.kind) {
    case 'tumbling':
      return new TumblingWindows(spec);
    case 'hopping':
      return new HoppingWindows(spec);
    case 'session':
      return new SessionWindows(spec);
    default:
      throw invalidOption(
        'window.kind',
        `must be one of ${WINDOW_KINDS.join(', ')} (got ${String((spec as { kind?: unknown }).kind)})`,
      );
  }
}
