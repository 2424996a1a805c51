import { option, z } from '@tributary/options';
import type { HelpLayout } from '@tributary/options';
import { LOG_LEVELS } from '@tributary/observability';
import { GATEWAY_OPTIONS } from '../gateway/gateway-options.js';
import { LOAD_OPTIONS } from '../load-options.js';

/** `tributary-produce run`: the load options, `--json`, a `--config` file. */
export const RUN_OPTIONS = LOAD_OPTIONS.extend(
  { json: option(z.boolean().default(false), 'print the report as JSON', { env: false }) },
  { component: 'tributary-produce run', configFile: {} },
);

/** `tributary-produce serve`: the gateway options, `--log-level`, a `--config` file. */
export const SERVE_OPTIONS = GATEWAY_OPTIONS.extend(
  { logLevel: option(z.enum(LOG_LEVELS).default('info'), 'level of the JSON log lines (pino) on stderr') },
  { component: 'tributary-produce serve', configFile: {} },
);

export const USAGE = `Usage: tributary-produce <command> [options]

Commands:
  run     open-loop load generator: paced clickstream records to Kafka, ground-truth manifest, latency report
  serve   HTTP ingest gateway: POST /v1/events → Kafka (answers after Kafka acknowledged)

tributary-produce <command> --help lists a command's options. Each flag has a TRIBUTARY_* environment variable;
--config <file> takes a JSON object of options (camelCase keys, e.g. {"rate": 5000}).
Precedence: defaults < --config file < TRIBUTARY_* environment variables < flags.
Exit codes: 0 ok, 1 failure, 2 bad usage or options.
`;

export const RUN_HELP: HelpLayout = {
  usage: 'tributary-produce run [options]',
  description:
    'Example: tributary-produce run --brokers 127.0.0.1:9092 --topic clickstream-events --rate 10000 --duration 30s \\\n' +
    '           --seed 42 --late-rate 0.01 --duplicate-rate 0.01 --manifest out/manifest.json --hgrm out/produce.hgrm',
};

export const SERVE_HELP: HelpLayout = {
  usage: 'tributary-produce serve [options]',
  description:
    'Example: tributary-produce serve --port 8080 --brokers 127.0.0.1:9092 --log-level info\n' +
    'Listens on 127.0.0.1 unless --host 0.0.0.0; API keys from TRIBUTARY_API_KEYS or --api-keys-file.',
  epilogue:
    'Endpoints: POST /v1/events; GET /metrics (Prometheus: gateway and process metrics; needs the API key);\n' +
    '           GET /health/live (200 unless shutting down), GET /health/ready (200 once connected to Kafka),\n' +
    '           GET /health (JSON {live, ready, kafkaConnected, inFlightEvents}; 200 when ready)',
};
