/*
 * liblineage: a data-lineage graph store and engine, embeddable in any program.
 *
 * Include this header only; it brings in every module:
 *   errors.h  return codes and the last error
 *   db.h      opening a database, transactions, backup, stats
 *   asset.h   assets, containment, search
 *   edge.h    edges, lineage sources, review
 *   audit.h   the audit trail and change feed
 *   query.h   traversals, paths, impact, structure, layouts
 *   import.h  bulk import of CSV, JSON, JSON Lines and GraphML
 *   export.h  export to those formats, Cytoscape.js and DOT
 *   scanner.h scanners and scan runs (dbt, OpenLineage, SQL, custom)
 *   scan.h    static lineage analysis of SQL scripts
 *   collect.h collectors: catalog and view lineage of live databases
 *   token.h   API tokens and roles for services (stored hashed)
 */
#ifndef LINEAGE_LINEAGE_H
#define LINEAGE_LINEAGE_H

#include "common.h"
#include "version.h"
#include "errors.h"
#include "db.h"
#include "asset.h"
#include "edge.h"
#include "audit.h"
#include "query.h"
#include "import.h"
#include "export.h"
#include "scan.h"
#include "scanner.h"
#include "collect.h"
#include "openlineage.h"
#include "token.h"
#include "view.h"

#endif
