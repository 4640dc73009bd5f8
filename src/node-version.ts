/**
 * Refuses an unsupported Node.js before anything else loads. It is imported first by the entry point: ES
 * modules run in import order, so this runs before the SQLite driver, whose native addon needs Node-API 10
 * (Node 22.14+) and crashes older Node with a segmentation fault and no message.
 */

/** The supported Node.js lines: each major's oldest supported release. */
export const SUPPORTED_NODE_LINES = [
  { major: 22, minor: 14 },
  { major: 24, minor: 0 },
  { major: 26, minor: 0 },
] as const;

export const SUPPORTED_NODE_TEXT = SUPPORTED_NODE_LINES.map(({ major, minor }) =>
  minor === 0 ? `${major}` : `${major}.${minor}+`,
).join(', ');

/** Whether `version` (as in `process.versions.node`, e.g. "24.22.3") is on a supported line. */
export function isSupportedNode(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  return SUPPORTED_NODE_LINES.some((line) => line.major === major && (minor ?? -1) >= line.minor);
}

if (!isSupportedNode(process.versions.node)) {
  console.error(
    `cowsay-slack needs Node.js ${SUPPORTED_NODE_TEXT}; this is Node.js ${process.versions.node}. ` +
      'Install a supported version (see .nvmrc) and try again.',
  );
  process.exit(1);
}
