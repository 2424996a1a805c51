import { CLI_OPTIONS } from './args.js';

const DESCRIPTION = `Runs a real Apache Kafka (KRaft) and a real Elasticsearch 8 on 127.0.0.1 without Docker, downloaded once from
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
              TRIB_DEVSTACK_NOT_MANAGED for a server the devstack did not start (left alone)`;

/** `tributary-devstack --help`: the commands, then one line per option derived from the option specs. */
export function helpText(): string {
  return `${CLI_OPTIONS.help({
    usage: 'tributary-devstack <command> [options]',
    description: DESCRIPTION,
    optionsTitle:
      'Options (flags override the environment variables in brackets; -h, --help shows this help):',
  })}\n`;
}
