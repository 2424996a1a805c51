/**
 * What one bulk request did, counted in plain fields while its answer is walked item by item, then handed to
 * `SinkMetrics.recordBulk` once: no prom-client call per document.
 */
export class BulkTally {
  /** Documents answered 429 or `es_rejected_execution_exception` (a whole 429 request counts all its documents). */
  rejections = 0;
  /** Retried documents by the `status` label (HTTP status, or `none` without an answer). */
  readonly retriesByStatus = new Map<string, number>();
  /** Dead-lettered documents by reason (the Elasticsearch error type or the sink's own reason). */
  readonly deadLettersByReason = new Map<string, number>();

  retry(status: string, documents = 1): void {
    this.retriesByStatus.set(status, (this.retriesByStatus.get(status) ?? 0) + documents);
  }

  deadLetter(reason: string, documents = 1): void {
    this.deadLettersByReason.set(reason, (this.deadLettersByReason.get(reason) ?? 0) + documents);
  }
}
