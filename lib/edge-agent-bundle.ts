/**
 * TEMPORARY STAND-IN, replaced when the edge agent (edge-agent/) lands: the real file bundles the
 * agent and returns its code. Only the signature matters to the region table's delivery.
 */
export function edgeAgentSource(): string {
  return "// edge agent stand-in: the real agent replaces this module\nconsole.error('edge agent not built');\n";
}
