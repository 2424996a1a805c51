import { DEVSTACK_DEFAULTS } from '../options.js';
import { SMOKE_DEFAULTS } from '../smoke.js';

export const HELP = `Usage: tributary-devstack <command> [options]

Runs a real Apache Kafka (KRaft) and a real Elasticsearch 8 on 127.0.0.1 without Docker, downloaded once from
Maven Central into a cache (needs Java 17-23 and, for the first download, Maven).

Commands:
  up          start (or reuse) the stack; runs in the foreground until Ctrl-C / SIGTERM, then stops it
  up --detach start it and leave it running (state file in <cache>/run); stop it later with "down"
  down        stop a stack started by "up" (from any process); never touches servers it did not start
  status      show what runs on the ports (exit 0 when every selected server is healthy, 1 otherwise)
  logs        print the last lines of the servers' logs (stack started by "up")
  smoke       start or reuse the stack, produce/consume/index/search N events, print the numbers;
              exit 0 only when every count matches; stops the stack if it started it
  restart kafka|es
              stop the server a devstack started on the port (from any process), keep its data, start it
              again on the same ports, wait until healthy; --signal kill for a crash instead of a clean
              shutdown. "down", "status" and the starting process then see the new pid. Exit 1 with
              TRIB_DEVSTACK_NOT_MANAGED for a server the devstack did not start (left alone)

Options (environment variable in brackets):
  --services <list>            kafka,elasticsearch (or es, or all) [TRIBUTARY_DEVSTACK_SERVICES]  default: all
  --kafka-port <n>             Kafka listener [TRIBUTARY_KAFKA_PORT]                default: ${DEVSTACK_DEFAULTS.kafkaPort}
  --kafka-controller-port <n>  KRaft controller [TRIBUTARY_KAFKA_CONTROLLER_PORT]   default: ${DEVSTACK_DEFAULTS.kafkaControllerPort}
  --es-port <n>                Elasticsearch HTTP [TRIBUTARY_ES_PORT]               default: ${DEVSTACK_DEFAULTS.esPort}
  --es-transport-port <n>      Elasticsearch transport [TRIBUTARY_ES_TRANSPORT_PORT] default: ${DEVSTACK_DEFAULTS.esTransportPort}
  --kafka-version <v>          [TRIBUTARY_KAFKA_VERSION]                            default: ${DEVSTACK_DEFAULTS.kafkaVersion}
  --es-version <v>             [TRIBUTARY_ES_VERSION]                               default: ${DEVSTACK_DEFAULTS.esVersion}
  --kafka-heap <size>          e.g. 512m [TRIBUTARY_KAFKA_HEAP]                     default: ${DEVSTACK_DEFAULTS.kafkaHeap}
  --es-heap <size>             [TRIBUTARY_ES_HEAP]                                  default: ${DEVSTACK_DEFAULTS.esHeap}
  --cache-dir <dir>            [TRIBUTARY_DEVSTACK_CACHE]                           default: ${DEVSTACK_DEFAULTS.cacheDir}
  --data-dir <dir>             kept after stop [TRIBUTARY_DEVSTACK_DATA]            default: a fresh temp dir
  --write-queue-size <n>       ES thread_pool.write.queue_size [TRIBUTARY_ES_WRITE_QUEUE_SIZE]
  --write-threads <n>          ES thread_pool.write.size [TRIBUTARY_ES_WRITE_THREADS]
  --auto-create-topics         Kafka auto.create.topics.enable=true                 default: false
  --no-reuse                   fail instead of reusing a healthy server on a port
  --start-timeout-ms <n>       per server [TRIBUTARY_DEVSTACK_START_TIMEOUT_MS]     default: ${DEVSTACK_DEFAULTS.startTimeoutMs}
  --stop-timeout-ms <n>        SIGTERM grace before SIGKILL                         default: ${DEVSTACK_DEFAULTS.stopTimeoutMs}
  --java <path>                java launcher                                        default: java
  --mvn <path>                 maven launcher                                       default: mvn
  --detach                     (up) leave the servers running and exit
  --json                       (status, smoke) print JSON
  --lines <n>                  (logs) lines per log file                            default: 100
  --events <n>                 (smoke) events to push through                       default: ${SMOKE_DEFAULTS.events}
  --partitions <n>             (smoke) partitions of the smoke topic                default: ${SMOKE_DEFAULTS.partitions}
  --signal term|kill           (restart) term: clean shutdown; kill: SIGKILL at once default: term
  -q, --quiet                  no progress lines
  -h, --help                   this help
`;
