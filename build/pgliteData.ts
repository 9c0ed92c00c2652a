import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/**
 * A prebuilt PGlite data directory, so that no browser ever runs initdb (10-20 s in a tab).
 *
 * The fresh, empty cluster is made once in Node by the same PGlite the worker bundles, kept under
 * `node_modules/.cache/` keyed by PGlite's version, and imported by the nested PGlite worker
 * (src/graphs/schema/pglite/pgliteHost.ts) as `virtual:tabgraph/pglite-datadir`: in the dev server
 * a URL Vite serves, in a build an asset `pglite-<version>-datadir-<hash>.tgz` (which the service
 * worker precaches like any other). initdb's own wasm then has no use, so builds leave it out.
 */
export const DATADIR_MODULE = 'virtual:tabgraph/pglite-datadir';
const RESOLVED = `\0${DATADIR_MODULE}`;

/** Bump when `makeDataDir` changes: dumps cached the old way are then ignored. */
const RECIPE = 1;

/** The version of the PGlite that `root` resolves (the one Vite bundles). */
export function pgliteVersion(root: string): string {
  const entry = createRequire(join(root, 'package.json')).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(resolve(dirname(entry), '../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * Makes a fresh cluster with PGlite in Node and returns its data directory as a gzip tar. Checks
 * that the same PGlite loads it and reports `version`, so a bad dump fails the build, not a tab.
 */
export async function makeDataDir(version: string): Promise<Uint8Array<ArrayBuffer>> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  let gz: Uint8Array<ArrayBuffer>;
  try {
    // initdb's WAL segment holds full-page images of the template databases (1.5 MB of the 4.4 MB
    // gzip) that a checkpointed cluster never reads again: move to a new segment, checkpoint, and
    // have Postgres delete the old one rather than keep it for reuse.
    await db.exec('SET wal_recycle = off; SELECT pg_switch_wal(); CHECKPOINT;');
    const tar = await db.dumpDataDir('none');
    gz = new Uint8Array(gzipSync(new Uint8Array(await tar.arrayBuffer()), { level: 9 }));
  } finally {
    await db.close();
  }
  const check = await PGlite.create({ loadDataDir: new Blob([gz], { type: 'application/gzip' }) });
  try {
    const { rows } = await check.query<{ v: string }>('SELECT version() AS v');
    if (!rows[0]?.v.includes(`(PGlite ${version})`))
      throw new Error(`the dump reports ${rows[0]?.v}, not PGlite ${version}`);
  } finally {
    await check.close();
  }
  return gz;
}

const made = new Map<string, Promise<string>>();

/**
 * The path of the cached data directory for the PGlite under `root`, made first if missing.
 * Written to a temporary name and renamed, so a concurrent build never reads half a file.
 */
export function prebuiltDataDir(root: string, version = pgliteVersion(root)): Promise<string> {
  const file = join(root, 'node_modules/.cache/tabgraph-pglite', `r${RECIPE}`, `pglite-${version}-datadir.tgz`);
  let pending = made.get(file);
  if (!pending) {
    pending = (async () => {
      if (existsSync(file)) return file;
      const gz = await makeDataDir(version);
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, gz);
      renameSync(tmp, file);
      return file;
    })();
    pending.catch(() => made.delete(file));
    made.set(file, pending);
  }
  return pending;
}

/**
 * The Vite plugin. Register it in `plugins` (the dev server serves workers through them) and in
 * `worker.plugins` (worker bundles are built with those alone).
 */
export function pgliteDataDir(): Plugin {
  let root = process.cwd();
  return {
    name: 'tabgraph-pglite-datadir',
    configResolved(config) {
      root = config.root;
    },
    resolveId: (id) => (id === DATADIR_MODULE ? RESOLVED : null),
    async load(id) {
      if (id !== RESOLVED) return null;
      const version = pgliteVersion(root);
      const file = await prebuiltDataDir(root, version);
      // `?url`: Vite serves the file in dev and emits it as an asset in a build.
      return [
        `import url from ${JSON.stringify(`${file}?url`)};`,
        'export const dataDirUrl = url;',
        `export const pgliteVersion = ${JSON.stringify(version)};`,
      ].join('\n');
    },
    generateBundle(_options, bundle) {
      // Only bundles that load the prebuilt data directory: they never run initdb.
      const loads = Object.values(bundle).some((c) => c.type === 'chunk' && c.moduleIds.includes(RESOLVED));
      if (!loads) return;
      for (const [fileName, item] of Object.entries(bundle))
        if (item.type === 'asset' && item.names.includes('initdb.wasm')) delete bundle[fileName];
    },
  };
}
