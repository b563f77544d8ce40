/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's /graphql URL when the client is served from another origin (development). */
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
