#!/usr/bin/env node
import { main, nodeIo } from './cli/main.js';
import { runBench } from './run/run-bench.js';

process.exitCode = await main(process.argv.slice(2), nodeIo(runBench));
