/* The tables of a whole-store copy (copy_tables.h). */
#include "copy_tables.h"

const lin_copy_table lin_copy_tables[] = {
	{"edge_kinds", "name, allows_self_loop, allows_cycles", 3, "name"},
	{"asset_kinds", "name", 1, "name"},
	{"assets", "id, key, kind, name, parent_id, owner, description, status, tags, properties,"
		   " created_at, updated_at", 12, "id"},
	{"edges", "id, source_id, target_id, job_id, kind, lineage_source, confidence, status,"
		  " transformation_type, transformation, description, properties, content_hash,"
		  " reviewed_by, reviewed_at, review_comment, created_at, updated_at, evidence, origin",
	 20, "id"},
	{"runs", "job_id, run_id, state, sort_at, record", 5, "job_id, run_id"},
	{"batches", "id, actor, label, started_at, after_seq", 5, "id"},
	{"changes", "seq, at, actor, action, entity, entity_id, asset_key, target_key, before_json,"
		    " after_json, comment, batch_id", 12, "seq"},
	{"tokens", "id, user_name, role, digest, created_by, created_at, expires_at, revoked_at,"
		   " last_used_at", 9, "id"},
	{"views", "name, root, body, created_by, created_at, updated_by, updated_at", 7, "name"},
};

const size_t lin_copy_table_count = sizeof lin_copy_tables / sizeof lin_copy_tables[0];
