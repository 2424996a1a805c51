import { checkOption, fn, topicName } from '../config/option-schemas.js';
import { invalidOption } from '../errors.js';
import type { JoinLogicalPlan, JoinSinkOptions } from './join-plan.js';
import { StreamPlan } from './stream-plan.js';

/** The join as written, before its sink. */
export type JoinDraft = Omit<JoinLogicalPlan, 'sink'>;

/**
 * The results `O` of an interval join (`Stream.join`): written to a topic. To aggregate them, read that topic in a
 * pipeline run beside the join (`StreamPlan.alongside`) or in a job of its own.
 */
export class JoinedStream<O> {
  readonly #draft: JoinDraft;

  /** @internal Built by `Stream.join`. */
  constructor(draft: JoinDraft) {
    this.#draft = draft;
  }

  /**
   * Writes the joined elements to `topic`, encoded by `encode` (default: JSON), keyed by `options.key` (default: the
   * join key), each record timestamped with its event time `max(left.ts, right.ts)`. Late events and dead letters
   * of both sides go to `${applicationId}-late` and `${applicationId}-dlq`, the events between the stages to
   * `${applicationId}-repartition`, unless `options` says otherwise.
   */
  to(topic: string, encode?: (joined: O) => Buffer | string, options: JoinSinkOptions<O> = {}): StreamPlan {
    checkOption('to.topic', topicName, topic);
    if (encode !== undefined) checkOption('to.encode', fn(), encode);
    const key = options.key;
    if (key !== undefined && typeof key !== 'function' && typeof key !== 'string')
      throw invalidOption('to.key', 'must be a field name or a function');
    if (options.repartition !== undefined) checkOption('to.repartition', topicName, options.repartition);
    return new StreamPlan({ ...this.#draft, sink: { ...options, topic, encode } });
  }
}
