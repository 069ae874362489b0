/* pending.c - handlers not written yet: they reject with "todo". */
#include "importers/formats.h"
int otlp_record(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
int openinference_span(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
int langfuse_record(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
int langsmith_run(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
int helicone_row(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
int swe_agent_traj(struct imp *im, const cJSON *obj, const cJSON *env) { return imp_bad(im, "todo"); }
