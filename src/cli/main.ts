// Entry point of `boxless` (see cli.ts).
import { exitQuietlyOnBrokenPipe, main } from './cli.ts';

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv.slice(2));
