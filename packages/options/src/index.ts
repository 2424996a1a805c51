export { option } from './option.js';
export type { OptionInput, OptionSpec, OptionSpecs, OptionSurface, OptionValues } from './option.js';
export { defineOptions, OptionSet } from './option-set.js';
export type {
  CommandLineContext,
  OptionLayer,
  OptionSetSettings,
  OptionSource,
  ParsedCommandLine,
} from './option-set.js';
export type { HelpLayout } from './help-text.js';
export { issueMessage, quoted } from './issue-message.js';
export { valueFromText } from './text-value.js';
export { z } from 'zod';
export { BYTE_UNITS, DURATION_UNITS, unitText, withUnits } from './units.js';
export type { Units } from './units.js';
