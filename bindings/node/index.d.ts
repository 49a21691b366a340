// Type definitions for liblineage's Node.js addon.
// Results are plain objects in the shapes of the CLI's --json output (snake_case fields);
// inputs use camelCase option names.

/** Where an edge's lineage comes from, from least to most trusted. */
export type LineageSource = 'inferred' | 'manual' | 'approved';
/** A minimum lineage source for filters ('any' keeps every edge). */
export type MinSource = LineageSource | 'any';
export type EdgeStatus = 'active' | 'rejected' | 'retired';
export type Outcome = 'created' | 'updated' | 'unchanged';
export type ChangeType = 'drop' | 'rename' | 'type_change' | 'modify' | 'add';
/** How column assets take part in a traversal. */
export type ColumnsMode = 'include' | 'rollup' | 'exclude';
/** Error codes, as named by lineage_error_code_name(). */
export type ErrorCode =
  | 'ERROR' | 'ENOTFOUND' | 'EEXISTS' | 'EINVALID' | 'ECONFLICT' | 'EVERSION' | 'ENOTDB'
  | 'EREADONLY' | 'EFULL' | 'ENOMEM' | 'EBUSY' | 'ECANCELLED' | 'EPARSE' | 'EIO' | 'ECYCLE'
  | 'ELIMIT' | 'EUSAGE' | 'EUNKNOWN';

export interface OpenOptions {
  /** Never write: writes fail with EREADONLY. */
  readonly?: boolean;
  /** Create the file when missing (default true); false fails with ENOTFOUND instead. */
  create?: boolean;
  /** Recorded in the audit trail (default "system"). */
  actor?: string;
  /** Wait this long for another writer's lock (default 5000). */
  busyTimeoutMs?: number;
  /** SQLite page cache (default 65536 KiB). */
  cacheSizeKiB?: number;
  /** For a postgresql:// path: the store's schema (default "lineage"; docs/postgres.md). */
  pgSchema?: string;
  /** For a postgresql:// path: how long queries may skip asking whether other hosts
   *  committed, learning of their commits from notifications meanwhile (default 0: exact). */
  maxStalenessMs?: number;
}

export interface AssetInput {
  key: string;
  /** Required when the asset is created. */
  kind?: string;
  name?: string;
  /** Key of the containing asset (a column's table). */
  parent?: string;
  owner?: string;
  description?: string;
  status?: string;
  /** Replaces the stored tags. */
  tags?: string[];
  /** Merged into the stored properties (a null value removes one). */
  properties?: Record<string, unknown>;
  /** Create a missing parent with kind "unknown". */
  createMissing?: boolean;
}

export interface Asset {
  id: number;
  key: string;
  kind: string;
  name: string;
  parent: string | null;
  owner: string | null;
  description: string | null;
  status: string | null;
  tags: string[];
  properties: Record<string, unknown>;
  /** ISO 8601 UTC. */
  created_at: string;
  updated_at: string;
}

export interface AssetWriteResult extends Asset {
  outcome: Outcome;
}

export interface EdgeInput {
  source: string;
  target: string;
  /** Default "flow". */
  kind?: string;
  /** The job asset that moves the data. */
  job?: string;
  /** Default "manual". */
  lineageSource?: LineageSource;
  /** 0..1; default 1 for manual and approved, 0.5 for inferred. */
  confidence?: number;
  transformationType?: string;
  /** The logic, such as the SQL. */
  transformation?: string;
  description?: string;
  properties?: Record<string, unknown>;
  /** Where the edge was found ({file, line, ...}). */
  evidence?: unknown;
  /** Who reports it, such as "scan:sql:etl/load.sql". */
  origin?: string;
  /** Create missing source, target and job assets. */
  createMissing?: boolean;
  /** Kinds of created assets ("unknown" when not given). */
  sourceKind?: string;
  targetKind?: string;
}

export interface Edge {
  id: number;
  source: string;
  target: string;
  kind: string;
  job: string | null;
  lineage_source: LineageSource;
  confidence: number;
  status: EdgeStatus;
  transformation_type: string | null;
  transformation: string | null;
  description: string | null;
  properties: Record<string, unknown>;
  evidence: unknown;
  origin: string | null;
  content_hash: string;
  reviewed_by: string | null;
  review_comment: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface EdgeWriteResult extends Edge {
  outcome: Outcome;
}

export interface EdgeList {
  edges: Edge[];
}

/** Filters shared by traversals, impact, paths and structure questions. */
export interface QueryOptions {
  /** Hops from the root, at least 1; omit (or Infinity) for no limit. */
  depth?: number;
  /** Only edges at least this trusted. */
  minSource?: MinSource;
  /** Only edges with at least this confidence. */
  minConfidence?: number;
  /** Only edges of these kinds. */
  edgeKinds?: string[] | string;
  /** Report only assets of these kinds (the traversal still passes through others). */
  assetKinds?: string[] | string;
  columns?: ColumnsMode;
  /** Stop after this many assets (the result is then marked truncated). */
  maxNodes?: number;
}

export interface PlainFormat { format?: 'plain' }
export interface CytoscapeFormat { format: 'cytoscape' }

export interface ResultNode {
  key: string;
  kind: string;
  /** Hops from the root (0 for the root). */
  distance: number;
  /** Best product of edge confidences from the root. */
  confidence: number;
  [field: string]: unknown;
}

export interface ResultEdge {
  id: number;
  source: string;
  target: string;
  kind: string;
  lineage_source: LineageSource;
  confidence: number;
  [field: string]: unknown;
}

export interface TraversalResult {
  root: string;
  direction: 'upstream' | 'downstream' | 'both';
  /** The root first, at distance 0. */
  nodes: ResultNode[];
  edges: ResultEdge[];
  truncated: boolean;
}

/** Cytoscape.js elements. */
export interface CytoscapeResult {
  elements: {
    nodes: Array<{ data: { id: string; [field: string]: unknown }; position?: { x: number; y: number } }>;
    edges: Array<{ data: { id: string; source: string; target: string; [field: string]: unknown } }>;
  };
  [field: string]: unknown;
}

export interface ImpactNode extends ResultNode {
  owner: string | null;
  severity: string | number;
}

export interface ImpactResult {
  root: string;
  change: ChangeType;
  /** Every affected downstream asset; the root is not among them. */
  affected: ImpactNode[];
  edges: ResultEdge[];
  summary: {
    total: number;
    by_kind: Record<string, number>;
    by_owner: Record<string, number>;
    by_severity?: Record<string, number>;
    by_distance?: Record<string, number>;
    max_distance?: number;
    min_confidence?: number;
    [field: string]: unknown;
  };
}

export interface PathOptions extends QueryOptions {
  /** Every simple path rather than the shortest one. */
  all?: boolean;
  /** With all: at most this many paths (default 100). */
  maxPaths?: number;
  /** With all: at most this many edges per path (default 10). */
  maxLength?: number;
}

export interface PathResult {
  from: string;
  to: string;
  /** Lists of keys, shortest first; empty when there is no path. */
  paths: string[][];
}

export interface StructureResult {
  query: string;
  nodes: ResultNode[];
  edges: ResultEdge[];
  groups: number;
}

export interface SearchOptions {
  kind?: string;
  owner?: string;
  tag?: string;
  /** Default 50, at most 10000. */
  limit?: number;
  offset?: number;
}

export interface AssetList {
  /** How many matched in all (for paging). */
  total: number;
  /** Best match first. */
  results: Asset[];
}

export interface Change {
  seq: number;
  at: string;
  actor: string;
  action: 'create' | 'update' | 'delete' | 'approve' | 'reject' | 'retire' | string;
  entity: 'asset' | 'edge';
  entity_id: number;
  asset_key: string;
  target_key: string | null;
  before: unknown;
  after: unknown;
  comment: string | null;
  batch_id: number;
}

export interface ChangeList {
  changes: Change[];
}

export interface Stats {
  assets: number;
  edges: number;
  assets_by_kind: Record<string, number>;
  edges_by_kind: Record<string, number>;
  edges_by_source: Partial<Record<LineageSource, number>>;
  edges_by_status: Partial<Record<EdgeStatus, number>>;
  changes: number;
  last_seq: number;
  database_bytes: number;
  schema_version: number;
  [field: string]: unknown;
}

export interface ReviewOptions {
  /** Who reviews (required). */
  by: string;
  comment?: string;
}

export interface Progress {
  /** What the operation is doing ("copy", "import", "validate", "write", ...). */
  stage: string;
  done: number;
  /** 0 when unknown. */
  total: number;
}

export interface AsyncOptions {
  /** Called on the main thread as the work goes on; return false to cancel it. */
  onProgress?: (progress: Progress) => void | boolean;
  /** Cancels the operation (it then rejects with CancelledError and changes nothing). */
  signal?: AbortSignal;
}

export type ImportFormat = 'auto' | 'csv' | 'json' | 'jsonl' | 'graphml';
export type RecordType = 'auto' | 'assets' | 'lineage';

export interface ImportOptions extends AsyncOptions {
  /** Default: from the file name, else from the content. */
  format?: ImportFormat;
  /** Default: detected from the header or from each object. */
  type?: RecordType;
  /** atomic (default): any invalid row and nothing is written; skip-errors: valid rows are. */
  mode?: 'atomic' | 'skip-errors';
  /** Validate and count, write nothing. */
  dryRun?: boolean;
  /** Create assets that rows refer to but that do not exist. */
  createMissing?: boolean;
  /** skip-errors: write invalid rows to this CSV file, with an "error" column. */
  rejects?: string;
  /** The file is the whole truth for this scope: its edges missing from the file are retired. */
  replaceScope?: string;
  /** Names the input in messages and the audit trail. */
  label?: string;
  /** Errors and warnings kept in the report (default 1000). */
  maxErrors?: number;
  /** Preview items kept in the report (default 1000). */
  maxItems?: number;
}

export interface ImportIssue {
  /** Line number (CSV, JSON Lines, GraphML) or position (JSON); 0 for the whole file. */
  row: number;
  column: string | null;
  value: string | null;
  /** A full sentence: the row, what is wrong and how to fix it. */
  message: string;
}

export interface ImportReport {
  file: string;
  format: string;
  rows: number;
  valid: number;
  invalid: number;
  errors: ImportIssue[];
  errors_total: number;
  warnings: ImportIssue[];
  warnings_total: number;
  created: { assets: number; edges: number };
  updated: { assets: number; edges: number };
  unchanged: { assets: number; edges: number };
  retired: { edges: number };
  items: Array<{ action: string; entity: 'asset' | 'edge'; key: string; target: string | null; kind: string | null; row: number }>;
  dry_run: boolean;
  committed: boolean;
  /** The batch to revert with revertBatch(), or 0. */
  batch_id: number;
  [field: string]: unknown;
}

export interface ScanOptions extends AsyncOptions {
  /** A scanner name (see scanners()); default: detected per input. */
  type?: string;
  /** SQL dialect (see sqlDialects()); default ansi. */
  dialect?: string;
  defaultDatabase?: string;
  defaultSchema?: string;
  /** Report what would change; write nothing. */
  dryRun?: boolean;
  /** Larger files are skipped with a diagnostic (default 256 MiB). */
  maxFileBytes?: number;
}

export interface ScanReport {
  dry_run: boolean;
  batch_id: number;
  files: number;
  statements: number;
  assets: { found: number; created: number; updated: number };
  edges: { found: number; created: number; updated: number; unchanged: number; retired: number };
  inputs: Array<{ path: string; scanner: string; edges: number }>;
  diagnostics: Array<{ file: string; line: number; column: number; severity: string; message: string }>;
  [field: string]: unknown;
}

export interface SqlAnalysis {
  dialect: string;
  sources: string[];
  targets: string[];
  intermediates: string[];
  /** [SOURCE_COLUMN, TARGET_COLUMN] pairs. */
  column_lineage: Array<[string, string]>;
  indirect: Array<[string, string]>;
  table_lineage: Array<[string, string]>;
  diagnostics: Array<{ file?: string; line: number; column: number; statement: number; severity: string; reason: string }>;
  [field: string]: unknown;
}

export interface SqlOptions {
  dialect?: string;
  defaultDatabase?: string;
  defaultSchema?: string;
  /** Known columns: {"table": ["col", ...]}. */
  schema?: Record<string, string[]>;
  /** File name reported in diagnostics. */
  file?: string;
}

export interface ExportOptions extends QueryOptions, AsyncOptions {
  /** Default csv. csv, json, jsonl and graphml are the import formats (they round-trip). */
  format?: 'csv' | 'json' | 'jsonl' | 'graphml' | 'cytoscape' | 'dot' | 'openlineage';
  /** csv and jsonl: one record type per file (default lineage); json: default both. */
  type?: 'assets' | 'lineage' | 'both';
  /** cytoscape: compute positions (layered suits DAGs). */
  layout?: 'layered' | 'force' | 'grid' | 'circle';
  /** Write to this file (resolves with {path, format}); without it, resolves with the text. */
  path?: string;
  /** Export only what this query reaches from `root` (with the query options). */
  root?: string;
  direction?: 'downstream' | 'upstream' | 'both' | 'impact';
  /** With direction 'impact'. */
  change?: ChangeType;
}

/** What a saved view keeps (include/lineage/view.h); other members are kept as given. */
export interface SavedViewBody {
  root?: string | null;
  direction?: 'upstream' | 'downstream' | 'both';
  depth?: number;
  min_confidence?: number;
  kinds?: string[];
  layout?: string;
  positions?: Record<string, { x: number; y: number }>;
  [member: string]: unknown;
}

export interface SavedView {
  name: string;
  root: string | null;
  view: SavedViewBody;
  created_by: string | null;
  created_at: string;
  updated_by: string | null;
  updated_at: string;
}

export class Graph {
  /** Prefer lineage.open(). */
  constructor(path?: string, options?: OpenOptions);
  /** The path it was opened with (':memory:' for an in-memory graph). */
  readonly filename: string;
  /** True after close(). */
  readonly closed: boolean;
  readonly inTransaction: boolean;
  /** The current or last batch's id (for revertBatch). */
  readonly batchId: number;

  /** Free the handle (after async work still running on it). Using the graph then throws. */
  close(): void;

  addAsset(asset: AssetInput): AssetWriteResult;
  /** @throws NotFoundError when there is no such asset. */
  getAsset(key: string): Asset;
  hasAsset(key: string): boolean;
  /** Remove an asset and its edges; `cascade` also removes the assets it contains. */
  removeAsset(key: string, options?: { cascade?: boolean }): void;
  children(key: string): AssetList;
  search(text?: string, options?: SearchOptions): AssetList;

  addEdge(edge: EdgeInput): EdgeWriteResult;
  getEdge(id: number | bigint): Edge;
  findEdge(source: string, target: string, options?: { kind?: string; job?: string }): Edge;
  removeEdge(id: number | bigint): void;
  edges(key: string, options?: { direction?: 'in' | 'out' | 'both'; all?: boolean }): EdgeList;
  /** Inferred edges waiting for review, lowest confidence first. */
  pendingEdges(options?: { limit?: number }): EdgeList;
  approve(id: number | bigint, review: ReviewOptions): Edge;
  reject(id: number | bigint, review: ReviewOptions): Edge;

  upstream(key: string, options: QueryOptions & CytoscapeFormat): CytoscapeResult;
  upstream(key: string, options?: QueryOptions & PlainFormat): TraversalResult;
  downstream(key: string, options: QueryOptions & CytoscapeFormat): CytoscapeResult;
  downstream(key: string, options?: QueryOptions & PlainFormat): TraversalResult;
  /** Upstream and downstream at once. */
  lineage(key: string, options: QueryOptions & CytoscapeFormat): CytoscapeResult;
  lineage(key: string, options?: QueryOptions & PlainFormat): TraversalResult;
  impact(key: string, options?: QueryOptions & PlainFormat & { change?: ChangeType }): ImpactResult;
  path(from: string, to: string, options?: PathOptions & PlainFormat): PathResult;
  subtree(key: string, options?: QueryOptions & PlainFormat): StructureResult;
  roots(options?: QueryOptions & PlainFormat): StructureResult;
  leaves(options?: QueryOptions & PlainFormat): StructureResult;
  orphans(options?: QueryOptions & PlainFormat): StructureResult;
  cycles(options?: QueryOptions & PlainFormat): StructureResult;
  /** @throws ConflictError (ECYCLE) when the graph has a cycle. */
  topo(options?: QueryOptions & PlainFormat): StructureResult;
  criticalPath(options?: QueryOptions & PlainFormat): StructureResult;

  /** Traversals on a worker thread, for large graphs. */
  upstreamAsync(key: string, options: QueryOptions & CytoscapeFormat & { signal?: AbortSignal }): Promise<CytoscapeResult>;
  upstreamAsync(key: string, options?: QueryOptions & PlainFormat & { signal?: AbortSignal }): Promise<TraversalResult>;
  downstreamAsync(key: string, options: QueryOptions & CytoscapeFormat & { signal?: AbortSignal }): Promise<CytoscapeResult>;
  downstreamAsync(key: string, options?: QueryOptions & PlainFormat & { signal?: AbortSignal }): Promise<TraversalResult>;
  /**
   * Import assets or lineage from a file on a worker thread. Resolves with the report; an
   * atomic import with invalid rows rejects with ValidationError (`errors`, `report`).
   */
  importFile(path: string, options?: ImportOptions): Promise<ImportReport>;
  /** Infer lineage from SQL scripts, dbt projects, OpenLineage events, ... (inferred edges). */
  scan(paths: string | string[], options?: ScanOptions): Promise<ScanReport>;
  /** Export the whole graph, or what a query reaches, to text or to a file. */
  export(options: ExportOptions & { path: string }): Promise<{ path: string; format: string }>;
  export(options?: ExportOptions): Promise<string>;
  /** Copy the database to a file while it stays in use. */
  backup(destination: string, options?: AsyncOptions): Promise<{ path: string }>;

  history(key: string, options?: { limit?: number }): ChangeList;
  edgeHistory(id: number | bigint, options?: { limit?: number }): ChangeList;
  /** Changes with seq > `seq`, oldest first. */
  changesSince(seq?: number, options?: { limit?: number }): ChangeList;
  lastSeq(): number;
  stats(): Stats;

  begin(label?: string): void;
  commit(): void;
  rollback(): void;
  /** Run fn in a transaction: committed when it returns (or resolves), rolled back if it throws. */
  transaction<T>(fn: (graph: this) => T, label?: string): T;
  revertBatch(batchId: number | bigint): void;
  setActor(actor: string | null): void;
  defineEdgeKind(kind: string, options?: { allowsSelfLoop?: boolean; allowsCycles?: boolean }): void;
  /** Declare an asset kind beyond the built-in ones (table, view, column, job...); once per database. */
  defineAssetKind(kind: string): void;
  /** Every asset kind that may be written, sorted by name. */
  assetKinds(): { name: string; builtin: boolean }[];

  /** Save a view (a root, filters, layout, node positions) under `name`: mode 'upsert' (the
   *  default) creates or overwrites, 'create' throws ConflictError when the name is taken,
   *  'replace' throws NotFoundError when there is none. */
  saveView(name: string, options: { view: SavedViewBody; mode?: 'upsert' | 'create' | 'replace' }): void;
  /** A saved view with its body; NotFoundError when there is none. */
  getView(name: string): SavedView;
  /** Saved views by name (without bodies): `limit` (all by default) from `offset`. */
  views(options?: { limit?: number; offset?: number }): { views: Omit<SavedView, 'view'>[]; total: number };
  renameView(name: string, newName: string): void;
  deleteView(name: string): void;
}

/** Open (or create) a lineage database; ':memory:' (the default) is private to the Graph. */
export function open(path?: string, options?: OpenOptions): Graph;
/** The version of the linked liblineage. */
export function version(): string;
/** Lineage of a SQL script, without any database. */
export function analyzeSql(sql: string, options?: SqlOptions): SqlAnalysis;
/** The SQL dialects analyzeSql() and scan() know. */
export function sqlDialects(): string[];
/** The scanners scan() can use. */
export function scanners(): Array<{ name: string; description: string; builtin: boolean }>;

export class LineageError extends Error {
  constructor(message: string, code?: ErrorCode, errno?: number, details?: { errors?: ValidationProblem[]; report?: ImportReport });
  readonly code: ErrorCode;
  /** The library's numeric code (negative). */
  readonly errno: number;
  /** For a failed import: its report. */
  readonly report?: ImportReport;
}
export class NotFoundError extends LineageError {}
export interface ValidationProblem {
  message: string;
  row?: number;
  column?: string;
  value?: unknown;
  [field: string]: unknown;
}
export class ValidationError extends LineageError {
  readonly errors: ValidationProblem[];
}
export class ConflictError extends LineageError {}
export class ParseError extends LineageError {}
export class CancelledError extends LineageError {}
