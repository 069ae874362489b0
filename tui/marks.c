/*
 * marks.c - the set of marked ids of a list view (see app.h).
 * Marks are few (what an analyst selects by hand): a plain array will do.
 */
#include <stdlib.h>

#include "tui/app.h"

static size_t find(const struct marks *m, int64_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->ids[i] == id)
			return i;
	return (size_t)-1;
}

int marks_has(const struct marks *m, int64_t id)
{
	return find(m, id) != (size_t)-1;
}

void marks_set(struct marks *m, int64_t id)
{
	if (marks_has(m, id))
		return;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 32;
		m->ids = realloc(m->ids, m->cap * sizeof *m->ids);
		if (!m->ids)
			abort();
	}
	m->ids[m->n++] = id;
}

void marks_toggle(struct marks *m, int64_t id)
{
	size_t i = find(m, id);

	if (i == (size_t)-1)
		marks_set(m, id);
	else
		m->ids[i] = m->ids[--m->n];
}

void marks_clear(struct marks *m)
{
	m->n = 0;
	m->anchor = -1;
}

void marks_free(struct marks *m)
{
	free(m->ids);
	m->ids = NULL;
	m->n = m->cap = 0;
}
