/*
 * From the model of a DAG file to assets and edges (docs/scanners.md, "Airflow"):
 * DAGs (kind "dag", key "airflow:<dag_id>"), tasks (kind "task", key
 * "airflow:<dag_id>.<task_id>", inside their DAG), task dependencies (kind
 * "task_dependency": control flow, not data flow), "triggers" edges from each DAG to its
 * tasks (a DAG run runs them), datasets (kind "dataset", keyed by URI) with flow edges to and
 * from tasks and "triggers" edges to the DAGs they schedule, and the lineage of each task's
 * SQL and transfer arguments.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/error.h"
#include "af_internal.h"

#define DEPENDENCY_CONFIDENCE 0.95
#define DATASET_CONFIDENCE 0.9

static int skippable(int rc)
{
	return rc == LINEAGE_EINVALID || rc == LINEAGE_ENOTFOUND || rc == LINEAGE_ECONFLICT;
}

static char *props(json_t *inner)
{
	json_t *j = json_pack("{s:o}", "airflow", inner);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	return s;
}

static int emit_dag(af_scan_ctx *c, size_t d, const char *key)
{
	const af_dag *dag = &c->model->dags[d];
	lineage_asset_spec spec;
	json_t *inner = json_pack("{s:s, s:i}", "file", c->path, "line", dag->line);
	char *p;
	int rc;
	if (inner && dag->schedule)
		json_object_set_new(inner, "schedule", json_string(dag->schedule));
	p = props(inner);
	if (!p)
		return lin_error_oom();
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = "dag";
	spec.name = dag->id;
	spec.description = dag->description;
	spec.owner = dag->owner;
	spec.properties_json = p;
	if (dag->tags.n) {
		spec.tags = dag->tags.v;
		spec.tag_count = dag->tags.n;
		spec.tags_set = 1;
	}
	rc = lineage_scan_sink_asset(c->sink, &spec);
	free(p);
	return skippable(rc) ? 0 : rc;
}

static int emit_task(af_scan_ctx *c, size_t t, const char *key, const char *dag_key)
{
	const af_task *task = &c->model->tasks[t];
	lineage_asset_spec spec;
	json_t *inner = json_pack("{s:s, s:s, s:i, s:b}", "operator", task->operator_name ? task->operator_name : "",
				  "file", c->path, "line", task->line, "mapped", task->mapped);
	char *p = props(inner);
	int rc;
	if (!p)
		return lin_error_oom();
	lineage_asset_spec_init(&spec, LINEAGE_ASSET_SPEC_VERSION);
	spec.key = key;
	spec.kind = "task";
	spec.name = task->id;
	spec.parent_key = dag_key;
	spec.properties_json = p;
	rc = lineage_scan_sink_asset(c->sink, &spec);
	free(p);
	return skippable(rc) ? 0 : rc;
}

static int edge(af_scan_ctx *c, const char *src, const char *dst, const char *kind, double conf,
		const char *src_kind, const char *dst_kind, int line, const char *dag, const char *task)
{
	lineage_edge_spec spec;
	json_t *ev = json_pack("{s:s, s:i, s:s}", "file", c->path, "line", line, "dag", dag);
	char *evs;
	int rc;
	if (ev && task)
		json_object_set_new(ev, "task", json_string(task));
	evs = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	json_decref(ev);
	if (!evs)
		return lin_error_oom();
	lineage_edge_spec_init(&spec, LINEAGE_EDGE_SPEC_VERSION);
	spec.source_key = src;
	spec.target_key = dst;
	spec.kind = kind;
	spec.confidence = conf;
	spec.evidence_json = evs;
	spec.source_kind = src_kind;
	spec.target_kind = dst_kind;
	rc = lineage_scan_sink_edge(c->sink, &spec);
	free(evs);
	return skippable(rc) ? 0 : rc;
}

static int emit_deps(af_scan_ctx *c, const char **task_keys)
{
	af_model *m = c->model;
	int rc = 0;
	for (size_t i = 0; i < m->ndeps && !rc; i++) {
		size_t *ups = NULL, *downs = NULL, nu = 0, nd = 0;
		rc = lin_af_expand_ref(m, m->deps[i].up, 1, &ups, &nu);
		if (!rc)
			rc = lin_af_expand_ref(m, m->deps[i].down, 0, &downs, &nd);
		for (size_t a = 0; a < nu && !rc; a++)
			for (size_t b = 0; b < nd && !rc; b++)
				if (ups[a] != downs[b] && task_keys[ups[a]] && task_keys[downs[b]])
					rc = edge(c, task_keys[ups[a]], task_keys[downs[b]], "task_dependency",
						  DEPENDENCY_CONFIDENCE, "task", "task", m->deps[i].line,
						  m->dags[m->tasks[downs[b]].dag].id, NULL);
		free(ups);
		free(downs);
	}
	return rc;
}

static const char *kw_str(const af_task *t, const char *name)
{
	const af_value *v = lin_af_dict_get(t->kwargs, name);
	return v && v->kind == AF_V_STR && !v->dynamic ? v->text : NULL;
}

/* Links between DAGs: ExternalTaskSensor waits for a task (or a whole DAG) of another DAG;
 * TriggerDagRunOperator starts another DAG. */
static int emit_cross_dag(af_scan_ctx *c, size_t t, const char *task_key)
{
	const af_task *task = &c->model->tasks[t];
	const char *op = task->operator_name ? task->operator_name : "";
	const char *dag = c->model->dags[task->dag].id;
	char key[1024];
	if (!strcmp(op, "ExternalTaskSensor") || !strcmp(op, "ExternalTaskSensorAsync")) {
		const char *ext_dag = kw_str(task, "external_dag_id"), *ext_task = kw_str(task, "external_task_id");
		if (!ext_dag) {
			if (lin_af_dict_get(task->kwargs, "external_dag_id"))
				lin_af_diag(c->sink, LINEAGE_DIAG_WARNING, c->path, task->line, task->col,
					    "task %s: external_dag_id is not a string literal: the DAG it waits for is unknown", task->id);
			return 0;
		}
		if (ext_task)
			snprintf(key, sizeof key, "airflow:%s.%s", ext_dag, ext_task);
		else
			snprintf(key, sizeof key, "airflow:%s", ext_dag);
		return edge(c, key, task_key, "task_dependency", DEPENDENCY_CONFIDENCE, ext_task ? "task" : "dag",
			    "task", task->line, dag, task->id);
	}
	if (!strcmp(op, "TriggerDagRunOperator")) {
		const char *target = kw_str(task, "trigger_dag_id");
		if (!target) {
			lin_af_diag(c->sink, LINEAGE_DIAG_WARNING, c->path, task->line, task->col,
				    "task %s: trigger_dag_id is not a string literal: the DAG it triggers is unknown", task->id);
			return 0;
		}
		snprintf(key, sizeof key, "airflow:%s", target);
		return edge(c, task_key, key, "triggers", DEPENDENCY_CONFIDENCE, "task", "dag", task->line, dag, task->id);
	}
	return 0;
}

int lin_af_emit(af_scan_ctx *c)
{
	af_model *m = c->model;
	const char **dag_keys = calloc(m->ndags + 1, sizeof *dag_keys);
	const char **task_keys = calloc(m->ntasks + 1, sizeof *task_keys);
	int rc = 0;
	if (!dag_keys || !task_keys) {
		rc = lin_error_oom();
		goto done;
	}
	for (size_t d = 0; d < m->ndags && !rc; d++) {
		if (m->dags[d].dynamic)
			continue;
		dag_keys[d] = lin_af_dag_key(m, d);
		if (!dag_keys[d]) {
			rc = lin_error_oom();
			break;
		}
		rc = emit_dag(c, d, dag_keys[d]);
		for (size_t i = 0; i < m->dags[d].schedule_datasets.n && !rc; i++)
			rc = edge(c, m->dags[d].schedule_datasets.v[i], dag_keys[d], "triggers", DATASET_CONFIDENCE,
				  "dataset", "dag", m->dags[d].line, m->dags[d].id, NULL);
	}
	for (size_t t = 0; t < m->ntasks && !rc; t++) {
		af_task *task = &m->tasks[t];
		af_strlist reads = {0};
		if (!dag_keys[task->dag])
			continue;
		task_keys[t] = lin_af_task_key(m, t);
		if (!task_keys[t]) {
			rc = lin_error_oom();
			break;
		}
		rc = emit_task(c, t, task_keys[t], dag_keys[task->dag]);
		/* A run of the DAG runs the task: what triggers the DAG reaches what it writes. */
		if (!rc)
			rc = edge(c, dag_keys[task->dag], task_keys[t], "triggers", DEPENDENCY_CONFIDENCE,
				  "dag", "task", task->line, m->dags[task->dag].id, task->id);
		for (size_t i = 0; i < task->outlets.n && !rc; i++)
			rc = edge(c, task_keys[t], task->outlets.v[i], NULL, DATASET_CONFIDENCE, "task", "dataset",
				  task->line, m->dags[task->dag].id, task->id);
		for (size_t i = 0; i < task->inlets.n && !rc; i++)
			rc = edge(c, task->inlets.v[i], task_keys[t], NULL, DATASET_CONFIDENCE, "dataset", "task",
				  task->line, m->dags[task->dag].id, task->id);
		if (!rc)
			rc = emit_cross_dag(c, t, task_keys[t]);
		if (!rc)
			rc = lin_af_emit_sql(c, t, task_keys[t], &reads);
		if (!rc)
			rc = lin_af_emit_transfer(c, t, task_keys[t], &reads);
	}
	if (!rc)
		rc = emit_deps(c, task_keys);
done:
	free(dag_keys);
	free(task_keys);
	return rc;
}
