// A typed tour of the binding, checked by `tsc --noEmit` in the tests (test/types.test.js).
import * as lineage from '..';
import type { Asset, ImpactResult, TraversalResult, CytoscapeResult, Edge } from '..';

async function main(): Promise<void> {
  const graph: lineage.Graph = lineage.open(':memory:', { actor: 'typed-example' });

  graph.addAsset({ key: 'wh.raw.orders', kind: 'table', owner: 'ingest', tags: ['pii'] });
  graph.addAsset({ key: 'wh.mart.revenue', kind: 'table', properties: { sla: '1h' } });
  const edge: Edge = graph.addEdge({
    source: 'wh.raw.orders', target: 'wh.mart.revenue',
    lineageSource: 'inferred', confidence: 0.8, transformation: 'select sum(amount) from orders',
  });
  graph.addEdge({ source: 'wh.mart.revenue', target: 'dash.kpi', createMissing: true, targetKind: 'dashboard' });

  const asset: Asset = graph.getAsset('wh.raw.orders');
  const down: TraversalResult = graph.downstream(asset.key, { depth: 3, minSource: 'any' });
  const distances: number[] = down.nodes.map((n) => n.distance);
  const cy: CytoscapeResult = graph.downstream(asset.key, { format: 'cytoscape' });
  const impact: ImpactResult = graph.impact('wh.raw.orders', { change: 'drop' });
  const owners: string[] = impact.affected.map((a) => a.owner ?? '(none)');

  graph.approve(edge.id, { by: 'ana', comment: 'looks right' });
  const up: TraversalResult = await graph.upstreamAsync('dash.kpi', { minSource: 'approved' });

  try {
    graph.getAsset('no.such.asset');
  } catch (e) {
    if (e instanceof lineage.NotFoundError) {
      const code: lineage.ErrorCode = e.code;
      console.log('not found:', code);
    } else if (e instanceof lineage.ValidationError) {
      console.log(e.errors.map((p) => p.message));
    }
  }

  try {
    const report: lineage.ImportReport = await graph.importFile('lineage.csv', { mode: 'atomic', createMissing: true });
    console.log(report.created.edges, report.batch_id);
  } catch (e) {
    if (e instanceof lineage.ValidationError) {
      for (const problem of e.errors) console.log(problem.row, problem.column, problem.message);
    }
  }
  const scanned: lineage.ScanReport = await graph.scan(['etl/'], { dialect: 'postgres', dryRun: true });
  const sql: lineage.SqlAnalysis = lineage.analyzeSql('insert into b select x from a', { dialect: 'postgres' });
  console.log(scanned.edges.found, sql.table_lineage);

  const csv: string = await graph.export({ format: 'csv', root: 'wh.raw.orders', depth: 2 });
  const file: { path: string } = await graph.export({ format: 'graphml', path: '/tmp/lineage.graphml' });
  console.log(csv.length, file.path);

  const ac = new AbortController();
  const copy = graph.backup('/tmp/lineage-typed-copy.db', {
    signal: ac.signal,
    onProgress: (p) => { console.log(p.stage, p.done, p.total); },
  });
  await copy.catch(() => undefined);

  // @ts-expect-error keys are strings
  graph.getAsset(42);
  // @ts-expect-error lineage sources are a fixed set
  graph.addEdge({ source: 'a', target: 'b', lineageSource: 'rumour' });
  // @ts-expect-error an asset needs a key
  graph.addAsset({ kind: 'table' });

  console.log(distances, cy.elements.nodes.length, owners, up.nodes.length, graph.stats().assets);
  graph.close();
}

main().catch((e: unknown) => {
  console.error(e);
  throw e;
});
