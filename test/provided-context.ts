/** Values the integration global setup provides to every integration test (`inject('kafkaBrokers')`). */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Kafka bootstrap servers of the running devstack, e.g. ['127.0.0.1:9092']. */
    kafkaBrokers: string[];
    /** Elasticsearch base URL of the running devstack, e.g. 'http://127.0.0.1:9200'. */
    elasticsearchUrl: string;
    /**
     * Pid (and process group id) of the Elasticsearch server the devstack started (its launcher and JVM share that
     * group: signal `-pid`). Undefined when the node on the port was not started by a devstack.
     */
    elasticsearchPid?: number;
    /** The JVM and Apache Kafka's jars the devstack runs, for Kafka's own tools (ConsoleConsumer, …). */
    kafkaTools: { javaCommand: string; libsDir: string };
  }
}

export {};
