// The kubecdn command line compiled to one JavaScript file, so a run starts in a fraction of the
// time loading the TypeScript through a compile-on-load hook takes (most of a simulate run was that).
//
// The bundle is built with esbuild from cli/main.ts and cached in node_modules/.cache/kubecdn/cli,
// named by a hash of everything that went into it: the content of every source file esbuild read,
// package-lock.json (the versions of the packages compiled in, and of esbuild) and this file (the
// build options). Each start hashes those inputs again (a few milliseconds) and rebuilds when the
// hash differs, so an edited source never runs as stale code. `npm ci` builds it ahead (package.json
// "prepare"), so the first run is fast too.
//
// The AWS SDK (and its @smithy parts), vega and vega-lite stay outside the bundle, loaded from node_modules when a command
// needs them: the SDK lazily by trace from-cloudwatch, vega through import() (ESM with top-level
// await) by simulate --plot only.
'use strict';
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const ENTRY = 'cli/main.ts';
const CACHE_DIR = path.join(ROOT, 'node_modules', '.cache', 'kubecdn', 'cli');
/** Packages loaded at run time rather than compiled in. */
const EXTERNAL = ['@aws-sdk/*', '@smithy/*', 'vega', 'vega-lite'];
/** Read every start for the hash, but not sources: they decide the bundle without being in esbuild's inputs. */
const BUILD_FILES = ['package-lock.json', 'tsconfig.json', 'bin/compiled-cli.js'];
/** A bundle no index names is removed this long after it was built (a process may still be starting from it). */
const STALE_BUNDLE_MS = 60 * 60 * 1000;

/**
 * The index of the last build from this checkout (several checkouts may share one node_modules):
 * which files went in, and the hash they had.
 */
function indexFile() {
  const root = fs.realpathSync(ROOT);
  return path.join(CACHE_DIR, `index-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.json`);
}

/** The hash of the inputs as they are now, or undefined when one of them is gone. */
function hashInputs(inputs) {
  const hash = createHash('sha256');
  for (const file of [...BUILD_FILES, ...inputs]) {
    let content;
    try {
      content = fs.readFileSync(path.join(ROOT, file));
    } catch {
      return undefined;
    }
    hash.update(`${file}\n${content.length}\n`).update(content);
  }
  return hash.digest('hex').slice(0, 32);
}

function readIndex() {
  try {
    const index = JSON.parse(fs.readFileSync(indexFile(), 'utf8'));
    return Array.isArray(index.inputs) && typeof index.hash === 'string' ? index : undefined;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so a process starting meanwhile never reads half a file. */
function writeAtomically(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

function build() {
  const esbuild = require('esbuild');
  const startedMs = Date.now();
  const result = esbuild.buildSync({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: EXTERNAL,
    write: false,
    metafile: true,
    sourcemap: 'linked',
    outfile: path.join(CACHE_DIR, 'cli.js'),
    logLevel: 'silent',
  });
  // Packages compiled in are covered by package-lock.json: hashing their hundreds of files would slow every start.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((file) => !file.split('/').includes('node_modules'))
    .sort();
  const hash = hashInputs(inputs);
  const code = result.outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = result.outputFiles.find((f) => f.path.endsWith('.map')).text;
  // A source saved while esbuild was reading it may be in the bundle in its old form: run this build
  // once but do not record it, so the next start builds again.
  const changedMeanwhile = inputs.some((file) => fs.statSync(path.join(ROOT, file)).mtimeMs >= startedMs);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const bundle = path.join(CACHE_DIR, `cli-${hash}.js`);
  writeAtomically(`${bundle}.map`, map);
  writeAtomically(bundle, code.replace(/\/\/# sourceMappingURL=cli\.js\.map\s*$/, `//# sourceMappingURL=cli-${hash}.js.map\n`));
  if (!changedMeanwhile) {
    writeAtomically(indexFile(), `${JSON.stringify({ hash, inputs }, null, 1)}\n`);
    removeStaleBundles();
  }
  return bundle;
}

/** Every source edit leaves a megabyte behind: keep the bundles an index names and any built lately. */
function removeStaleBundles() {
  const names = fs.readdirSync(CACHE_DIR);
  const kept = new Set();
  for (const name of names.filter((n) => n.startsWith('index-'))) {
    try {
      kept.add(`cli-${JSON.parse(fs.readFileSync(path.join(CACHE_DIR, name), 'utf8')).hash}.js`);
    } catch {
      // an index being replaced or broken: its bundle is kept or rebuilt by its own checkout
    }
  }
  for (const name of names) {
    const bundle = name.replace(/\.map$/, '');
    if (!/^cli-[0-9a-f]+\.js$/.test(bundle) || kept.has(bundle)) continue;
    const file = path.join(CACHE_DIR, name);
    try {
      if (Date.now() - fs.statSync(file).mtimeMs > STALE_BUNDLE_MS) fs.unlinkSync(file);
    } catch {
      // removed by another process meanwhile
    }
  }
}

/** The path of a bundle built from the sources as they are now, building it when needed. */
function compiledCli() {
  const index = readIndex();
  if (index) {
    const bundle = path.join(CACHE_DIR, `cli-${index.hash}.js`);
    if (hashInputs(index.inputs) === index.hash && fs.existsSync(bundle)) return bundle;
  }
  return build();
}

module.exports = { compiledCli, CACHE_DIR };

// `node bin/compiled-cli.js` (package.json "prepare"): build ahead of the first run.
if (require.main === module) {
  process.stdout.write(`kubecdn command line compiled: ${path.relative(ROOT, compiledCli())}\n`);
}
