/**
 * One datagram of nginx's syslog access log (`access_log syslog:server=127.0.0.1:5140,nohostname,
 * tag=edge edge;`) back to the access-log line it carries. nginx frames each line as
 * `<PRI>Mmm dd hh:mm:ss edge: <line>` (RFC 3164; the day padded with a space, no host name with
 * `nohostname`). One line per datagram: nginx never splits or joins lines.
 */

/** `<190>Nov 29 10:00:05 ` and, should `nohostname` be dropped, a host name; then the tag. */
const HEADER = /^<\d{1,3}>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (?:[^ :]+ )?edge: /;

/** The access-log line inside the datagram, or undefined when it is not one of nginx's (counted as unreadable). */
export function accessLogLineOfSyslog(datagram: string): string | undefined {
  const header = HEADER.exec(datagram);
  if (!header) return undefined;
  const end = datagram.endsWith('\n') ? datagram.length - 1 : datagram.length;
  return datagram.slice(header[0].length, end);
}
