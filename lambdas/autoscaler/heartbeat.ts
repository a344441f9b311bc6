/**
 * The demand heartbeat (see core/demand/query-log.ts): one DNS lookup of a never-seen name under
 * the CDN domain per tick, so that Route 53 logs a query every minute even when no viewer asks,
 * and an idle CDN reads as zero demand instead of missing data. Only for the Route 53 query-log
 * source; the answer (NXDOMAIN) does not matter, only that Route 53 saw the question.
 */
import type { KubeCdnConfig } from '../../core/config';
import { heartbeatName } from '../../core/demand/query-log';
import { withTimeout } from './timeout';

/** Resolves a name's A records through the function's resolver (dns.promises.resolve4 in the Lambda). */
export type ResolveA = (hostname: string) => Promise<unknown>;

export type HeartbeatOutcome =
  { readonly sent: false } | { readonly sent: true; readonly name: string; readonly answered: boolean; readonly error?: string };

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA']);

export async function sendHeartbeat(
  resolve: ResolveA | undefined,
  config: KubeCdnConfig,
  tickTime: number,
  timeoutMs = 2000,
): Promise<HeartbeatOutcome> {
  if (!resolve || config.demand.source !== 'route53-query-logs') return { sent: false };
  const name = heartbeatName(config.dns.domainName, tickTime);
  try {
    await withTimeout(timeoutMs, `DNS lookup of ${name}`, () => resolve(name));
    return { sent: true, name, answered: true };
  } catch (error) {
    const code = (error as { code?: string }).code;
    // NXDOMAIN is the expected answer: the name exists nowhere, which is what keeps it uncached.
    if (code && NOT_FOUND.has(code)) return { sent: true, name, answered: true };
    return { sent: true, name, answered: false, error: `${code ?? (error as Error).name}: ${(error as Error).message}` };
  }
}
