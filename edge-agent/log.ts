/** The agent's own log: one JSON object per line, as the purge companion writes (kubectl logs -c metrics-agent). */

export type Level = 'info' | 'warn' | 'error';
export type Log = (level: Level, msg: string, fields?: Record<string, unknown>) => void;

export const consoleLog: Log = (level, msg, fields = {}) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
};
