// seabuild's runtime for apps that want commands, an embedded database hook or a selftest: the
// entry calls runApp({ serve, commands, env, database, selftest }). Inside an executable the
// launcher (launch.ts) loaded the entry and receives the app; under plain Node (development) the
// same file dispatches process.argv itself.
import { handToLauncher } from './host.ts';
import { dispatch } from './dispatch.ts';
import type { AppModule } from './contract.ts';

export type * from './contract.ts';

/** Dispatches `process.argv` to the app or a built-in command, then exits with its code. */
export function runApp(app: AppModule): void {
  if (handToLauncher(app)) return;
  dispatch(app, process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      if (process.env.SEABUILD_DEBUG) process.stderr.write(`${String((error as Error)?.stack)}\n`);
      process.exitCode = 1;
    },
  ).finally(() => {
    // serve resolves only after draining; other commands may leave pools open, so exit explicitly.
    setImmediate(() => process.exit());
  });
}

export { dispatch } from './dispatch.ts';
