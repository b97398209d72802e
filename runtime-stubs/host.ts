// The hand-off between the launcher and an app that calls runApp(): the launcher loads the app's
// entry, whose runApp() call gives its AppModule to the dispatcher here instead of reading argv itself.
import type { AppModule } from './contract.ts';

let receive: ((app: AppModule) => void) | undefined;

/** Called by runApp(): true when a launcher is waiting for the app (inside an executable). */
export function handToLauncher(app: AppModule): boolean {
  if (!receive) return false;
  receive(app);
  receive = undefined;
  return true;
}

/** Loads the entry, waits for its runApp() call and dispatches `args` to it. */
export async function dispatchRunApp(loadEntry: () => unknown, args: string[]): Promise<number> {
  const received = new Promise<AppModule>((resolve) => { receive = resolve; });
  loadEntry();
  // runApp() may come after an await of the entry's own (config, a connection): no time limit.
  const app = await received;
  const { dispatch } = await import('./dispatch.ts');
  return dispatch(app, args);
}
