import type { Decoder, DecodeResult } from '../engine/decoder.js';
import { FILTERED } from '../engine/decoder.js';
import type { EnrichmentTable } from '../enrichment/enrichment-table.js';
import { PROCESSOR_ERROR_CODES, invalidOption } from '../errors.js';
import type { TaskContext } from '../config/stream-job-options.js';
import type { TableRef } from './table.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- steps are stored untyped; the builders type them */

/** One per-event step between the source and the window, as written (the builders keep the element types). */
export type Step =
  | { readonly kind: 'filter'; readonly predicate: (event: any) => boolean }
  | { readonly kind: 'map'; readonly fn: (event: any) => unknown }
  | {
      readonly kind: 'enrich';
      readonly table: TableRef<any>;
      readonly keyOf: (event: any) => string;
      readonly join: (event: any, row: any) => unknown;
    }
  | { readonly kind: 'dedup'; readonly idOf: (event: any) => string };

/** True when the step replaces the element (the input's partitioning key may not survive it). */
export function changesElement(step: Step): boolean {
  return step.kind === 'map' || step.kind === 'enrich';
}

export interface PipelineSource {
  readonly decode: Decoder<unknown>;
  readonly eventTime: (event: any) => number;
}

/**
 * The decoder of one task: the source's decoder, then every step in order. The event time is taken from the
 * source's element and the dedup id at the dedupBy step, both handed to the gate with the event (so later maps may
 * drop the fields they came from). A filter drops the record (`FILTERED`); a step that throws, an event time that
 * is not a finite number, or a key (named `keyStep`) or id that is not a string dead-letters it with `TRIB_PROC_TRANSFORM_FAILED`:
 * one hostile record never stops the stage.
 */
export function composeDecoder(
  source: PipelineSource,
  steps: readonly Step[],
  keyOf: (event: any) => unknown,
  context: Pick<TaskContext, 'tables'>,
  keyStep = 'keyBy',
): Decoder<unknown> {
  const tables = steps.map((s) => (s.kind === 'enrich' ? tableOf(s.table, context) : undefined));
  const names = stepNames(steps);
  const { decode, eventTime } = source;
  return (record) => {
    const decoded = decode(record);
    if (!decoded.ok) return decoded;
    let event = decoded.event;
    let at = 'source eventTime';
    try {
      const timestamp = decoded.timestamp ?? eventTime(event);
      if (typeof timestamp !== 'number' || !Number.isFinite(timestamp))
        return failed(at, `returned ${describe(timestamp)}, not a finite number of epoch ms`);
      let eventId: string | undefined;
      for (let i = 0; i < steps.length; i++) {
        const step = steps[i]!;
        at = names[i]!;
        switch (step.kind) {
          case 'filter':
            if (!step.predicate(event)) return FILTERED;
            break;
          case 'map':
            event = step.fn(event);
            break;
          case 'enrich':
            event = step.join(event, tables[i]!.lookup(step.keyOf(event)));
            break;
          case 'dedup': {
            const id: unknown = step.idOf(event);
            if (typeof id !== 'string') return failed(at, `returned ${describe(id)}, not a string id`);
            eventId = id;
            break;
          }
        }
      }
      at = keyStep;
      const key = keyOf(event);
      if (typeof key !== 'string') return failed(at, `returned ${describe(key)}, not a string key`);
      return eventId === undefined ? { ok: true, event, timestamp } : { ok: true, event, timestamp, eventId };
    } catch (error) {
      return failed(at, `threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}

function failed(step: string, what: string): DecodeResult<never> {
  return { ok: false, code: PROCESSOR_ERROR_CODES.TRANSFORM_FAILED, reason: `${step} ${what}` };
}

/** `filter #1`, `map #2`, … numbered per kind in the order written (what a dead letter's reason names). */
function stepNames(steps: readonly Step[]): string[] {
  const seen = new Map<string, number>();
  return steps.map((s) => {
    const n = (seen.get(s.kind) ?? 0) + 1;
    seen.set(s.kind, n);
    return `${s.kind === 'dedup' ? 'dedupBy' : s.kind} #${n}`;
  });
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'number' ? String(value) : typeof value;
}

/** The table the runtime loaded under the reference's name (the same instance the job options carry). */
function tableOf(ref: TableRef<unknown>, context: Pick<TaskContext, 'tables'>): EnrichmentTable<unknown> {
  const table = context.tables[ref.name];
  if (table === undefined)
    throw invalidOption(`tables.${ref.name}`, 'is missing from the task context (the job loads it)');
  return table;
}
