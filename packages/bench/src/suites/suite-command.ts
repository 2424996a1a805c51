import { InvalidOptionError } from '../errors.js';
import { cpuProfileSuite } from './cpu-profile.js';
import { esSinkVsHelperSuite } from './es-sink-vs-helper.js';
import { processorVsKafkajsSuite } from './processor-vs-kafkajs/processor-vs-kafkajs.js';
import { processorPartialsSuite } from './processor-partials.js';
import { producerVsKafkaSuite } from './producer-vs-kafka.js';
import { schemaCodecSuite } from './schema-codec.js';
import type { Suite, SuiteOutput } from './suite.js';

/** Every suite `bench suite` runs, in the order `--help` lists them. */
export const SUITES: readonly Suite[] = [
  schemaCodecSuite,
  producerVsKafkaSuite,
  processorVsKafkajsSuite,
  processorPartialsSuite,
  esSinkVsHelperSuite,
  cpuProfileSuite,
];

/** `bench suite --help`: the suites, what each needs, and how to get a suite's own options. */
export function suiteListHelp(): string {
  const width = Math.max(...SUITES.map((s) => s.name.length));
  return [
    'Usage: bench suite <name> [options]',
    '       bench suite <name> --help',
    '',
    'Benchmark suites of the packages, each side by side with a named reference in one run (ratios), and with',
    '--baseline <checkout> (where a suite has it) against another build of this repository in the same rounds.',
    'Results go to stdout as the Markdown the package READMEs show; progress to stderr.',
    '',
    ...SUITES.map((s) => `  ${s.name.padEnd(width)}  ${s.summary} (needs ${s.needs})`),
    '',
  ].join('\n');
}

/** `bench suite <name> [options]`: runs one suite; resolves to its exit code. */
export async function suiteCommand(
  args: readonly string[],
  output: SuiteOutput,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h') {
    output.stdout(suiteListHelp());
    return 0;
  }
  const suite = SUITES.find((s) => s.name === name);
  if (suite === undefined)
    throw new InvalidOptionError('suite', `must be one of ${SUITES.map((s) => s.name).join(', ')}`, name);
  return suite.main(rest, output, env);
}
