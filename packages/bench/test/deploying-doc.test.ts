import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ES_SINK_CLI_OPTIONS } from '@tributary/es-sink';
import { KAFKA_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import type { OptionSet, OptionSpecs } from '@tributary/options';
import { PROCESSOR_CLI_OPTIONS } from '@tributary/processor';
import { PRODUCE_RUN_OPTIONS, PRODUCE_SERVE_OPTIONS } from '@tributary/producer';
import { RUN_OPTIONS } from '../src/cli/run-options.js';

/** docs/deploying.md: every option it names must be one of the component it is given to. */
const PAGE = readFileSync(new URL('../../../docs/deploying.md', import.meta.url), 'utf8');

const COMMANDS: Record<string, OptionSet<OptionSpecs>> = {
  'tributary-produce run': PRODUCE_RUN_OPTIONS as unknown as OptionSet<OptionSpecs>,
  'tributary-produce serve': PRODUCE_SERVE_OPTIONS as unknown as OptionSet<OptionSpecs>,
  'tributary-processor clickstream': PROCESSOR_CLI_OPTIONS as unknown as OptionSet<OptionSpecs>,
  'tributary-es-sink': ES_SINK_CLI_OPTIONS as unknown as OptionSet<OptionSpecs>,
  'bench run': RUN_OPTIONS as unknown as OptionSet<OptionSpecs>,
};

/** The flags (`--x`, and `--no-x` where the option takes false) and variables of a command. */
function namesOf(set: OptionSet<OptionSpecs>): { flags: string[]; variables: string[] } {
  const flags = new Set(['--help']);
  const variables = new Set<string>();
  const file = set.settings.configFile;
  if (file !== undefined) {
    flags.add(`--${file.flag ?? 'config'}`);
    variables.add(file.env ?? `${set.settings.envPrefix ?? 'TRIBUTARY_'}CONFIG`);
  }
  for (const key of set.keys) {
    const flag = set.flagName(key);
    if (flag !== undefined) flags.add(`--${flag}`);
    if (flag !== undefined && set.specs[key]!.schema.safeParse(false).success) flags.add(`--no-${flag}`);
    const variable = set.envName(key);
    if (variable !== undefined) variables.add(variable);
  }
  return { flags: [...flags], variables: [...variables] };
}

const NAMES = Object.fromEntries(Object.entries(COMMANDS).map(([command, set]) => [command, namesOf(set)]));
const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;
const VARIABLE = /\bTRIBUTARY_[A-Z0-9_]+/g;

/** The shell code blocks, each as its commands (continuation lines joined). */
const blocks = [...PAGE.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
  m[1]!.replace(/\\\n\s*/g, ' ').split('\n'),
);
const commandOf = (line: string): string | undefined =>
  Object.keys(COMMANDS).find((command) => line.replace(/^npx /, '').startsWith(`${command} `));

describe('docs/deploying.md', () => {
  it('gives each command only flags it has, and each block only variables of every command in it', () => {
    const commanded = new Set<string>();
    for (const lines of blocks) {
      const commands = lines.map(commandOf).filter((c): c is string => c !== undefined);
      for (const line of lines) {
        const command = commandOf(line);
        if (command === undefined) continue;
        commanded.add(command);
        for (const [flag] of line.matchAll(FLAG))
          expect(NAMES[command]!.flags, `${command} ${flag}`).toContain(flag);
      }
      const users = commands.length > 0 ? commands : Object.keys(COMMANDS);
      for (const [variable] of lines.join('\n').matchAll(VARIABLE))
        for (const command of users)
          expect(NAMES[command]!.variables, `${command}: ${variable}`).toContain(variable);
    }
    expect([...commanded].sort()).toEqual(Object.keys(COMMANDS).sort());
  });

  it('names, in its text and tables, only flags and variables some component has', () => {
    const text = PAGE.replace(/```[\s\S]*?```/g, '');
    const flags = Object.values(NAMES).flatMap((n) => n.flags);
    const variables = Object.values(NAMES).flatMap((n) => n.variables);
    for (const [flag] of text.matchAll(FLAG)) expect(flags, flag).toContain(flag);
    for (const [variable] of text.matchAll(VARIABLE)) {
      // `TRIBUTARY_KAFKA_*` names a family of variables.
      if (variable.endsWith('_'))
        expect(
          variables.some((v) => v.startsWith(variable)),
          variable,
        ).toBe(true);
      else expect(variables, variable).toContain(variable);
    }
  });

  it('documents every Kafka TLS/SASL option once, under the flag and variable every component has', () => {
    const table = PAGE.slice(PAGE.indexOf('## Kafka TLS and SASL options'), PAGE.indexOf('## Topics'));
    for (const key of Object.keys(KAFKA_SECURITY_OPTION_SPECS)) {
      const flag = PRODUCE_RUN_OPTIONS.flagName(key as keyof typeof KAFKA_SECURITY_OPTION_SPECS);
      const variable = PRODUCE_RUN_OPTIONS.envName(key as keyof typeof KAFKA_SECURITY_OPTION_SPECS);
      for (const set of Object.values(COMMANDS)) {
        expect(set.flagName(key), key).toBe(flag);
        expect(set.envName(key), key).toBe(variable);
      }
      expect(table).toContain(`\`${variable}\``);
      if (flag !== undefined) expect(table).toContain(`\`--${flag}`);
    }
  });
});
