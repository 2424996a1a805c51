/** Values the integration global setup provides to every integration test (`inject('kafkaBrokers')`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Kafka bootstrap servers of the running devstack, e.g. ['127.0.0.1:9092']. */
    kafkaBrokers: string[];
    /** Elasticsearch base URL of the running devstack, e.g. 'http://127.0.0.1:9200'. */
    elasticsearchUrl: string;
  }
}

export {};
