/** Made at build time by build/pgliteData.ts (a Vite plugin); imported by the PGlite worker only. */
declare module 'virtual:tabgraph/pglite-datadir' {
  /** URL of the fresh cluster's data directory, a gzip tar. */
  export const dataDirUrl: string;
  /** The PGlite version that made it, and the only one that may load it. */
  export const pgliteVersion: string;
}
