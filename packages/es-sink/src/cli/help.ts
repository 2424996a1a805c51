/** `tributary-es-sink --help`. */
export const HELP = `Usage: tributary-es-sink --topic <topic> [options]

Consumes a Kafka topic (read_committed) and writes it to Elasticsearch through a bulk sink that retries per
document, dead-letters what cannot be written, and commits only offsets whose records are all acknowledged.

Kafka
  --brokers <list>             host:port,… [TRIBUTARY_KAFKA_BROKERS] (default 127.0.0.1:9092)
  --topic <name>               source topic (required)
  --group-id <id>              consumer group (default tributary-es-sink-<topic>)
  --from-latest                a new group starts at the end (default: from the beginning)
  --dead-letter-topic <name>   topic for records that cannot be indexed, with reason headers; created when
                               missing (default <topic>-dlq)
  --no-dead-letter-topic       none: a record that cannot be indexed stops the connector (exit 1) and is
                               never acknowledged
  --dead-letter-replication-factor <n>   of the dead-letter topic when created (default 1)
  --high-water-mark <n>        pause fetching at n unacknowledged records (default 5000)
  --low-water-mark <n>         resume at n (default 2500)
  --commit-interval-ms <ms>    offset commit period (default 1000)
  --shutdown-timeout-ms <ms>   on SIGTERM, wait this long for outstanding documents; the rest stay
                               unacknowledged and come again after a restart (default 10000)

Records
  --format <f>                 window-result (Protobuf WindowResult) | json (default window-result)
  --id-field <path>            json: document id field (default <partition>-<offset>)
  --version-from <s>           json: offset | field | none — external version source (default offset)
  --version-field <path>       json: version field when --version-from field

Elasticsearch
  --es-url <url>               [TRIBUTARY_ES_URL] (default http://127.0.0.1:9200)
  --es-username <user>         basic auth user [TRIBUTARY_ES_USERNAME]
  --es-password <password>     basic auth password [TRIBUTARY_ES_PASSWORD] (prefer the variable)
  --es-api-key <key>           API key [TRIBUTARY_ES_API_KEY] (prefer the variable)
  --es-ca <file>               CA certificate (PEM) for https
  --index <pattern>            index name or date pattern (default clickstream-metrics-{yyyy.MM.dd})
  --index-date-field <path>    date field for the pattern (default window_start)
  --alias <name>               alias every index joins (default clickstream-metrics for window-result)
  --no-template                do not install the index template
  --data-stream                write to the data stream named by --index (op_type create; documents
                               need @timestamp; a repeated id counts as a duplicate)
  --timestamp-field <path>     copy this field into @timestamp (default window_start with --data-stream)
  --shards <n>  --replicas <n>  --refresh-interval <t>   template settings (defaults 1, 0, 30s)
  --flush-docs <n>  --flush-bytes <n>  --flush-interval-ms <ms>   batching (defaults 1000, 5 MiB, 1000)
  --concurrency <n>            bulk requests in flight (default 2)
  --adaptive-concurrency       AIMD on 429s and latency
  --retry-deadline-ms <ms>     dead-letter a document still failing transiently (unreachable, timeout, 429,
                               5xx) this long after its first attempt (default 0 = never: retry until indexed)

Observability
  --metrics-port <n>           serve /metrics (Prometheus) and /health, /health/live, /health/ready on this
                               port (0 = any free port; the URL is logged) [TRIBUTARY_METRICS_PORT]
                               (default: no server)
  --metrics-host <host>        interface of that server [TRIBUTARY_METRICS_HOST] (default 127.0.0.1)
  --log-level <level>          fatal | error | warn | info | debug | trace | silent [TRIBUTARY_LOG_LEVEL]
                               (default info); JSON lines (pino) on stderr, credentials redacted
  --stats-interval-ms <ms>     log a stats line every ms (default 10000, 0 = never)

Other
  -h, --help                   this text

Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT: stop fetching, flush, commit, disconnect),
2 for bad options or configuration (message names the fix), 1 for a failure while running.
`;
