import type { Server } from 'node:http';
import { portProblem } from '../startup/startup-error.js';

/** Listens, or fails with one line naming `variable` when the port is taken (see startup-error.ts). */
export function listen(server: Server, port: number, host: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(portProblem(error, variable, port, host) ?? error));
    server.listen(port, host, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
}
