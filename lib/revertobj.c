/*
 * The revert engine's new objects: an in-memory object backend with the
 * highest priority takes every write while the engine runs (and hands
 * writes to the repository's own writer otherwise), and flushing writes
 * them to the repository as one pack of exactly those objects (one file
 * instead of hundreds of loose objects), or drops them after a dry run.
 * (libgit2's mempack cannot do this: its dump packs each commit's whole
 * tree again.)
 */
#include <stdlib.h>
#include <string.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "sequencer.h"
#include "banned.h"

struct held_obj {
	git_oid		 id;
	git_object_t	 type;
	size_t		 len;
	char		*data;		/* NULL: free slot */
};

struct held {
	git_odb_backend	 parent;
	struct held_obj	*tab;
	size_t		 cap, nr;	/* cap a power of two */
	int		 active;	/* else writes go to next */
	git_odb_backend	*next;		/* the repository's loose writer */
};

static size_t
slot_of(const struct held *h, const git_oid *id)
{
	size_t i, hash = 0;

	for (i = 0; i < sizeof(size_t); i++)
		hash = hash << 8 | id->id[i];
	for (i = hash & (h->cap - 1); h->tab[i].data != NULL;
	    i = (i + 1) & (h->cap - 1))
		if (git_oid_equal(&h->tab[i].id, id))
			break;
	return i;
}

static struct held_obj *
find(struct held *h, const git_oid *id)
{
	struct held_obj *o;

	if (h->cap == 0)
		return NULL;
	o = &h->tab[slot_of(h, id)];
	return o->data ? o : NULL;
}

static void
grow(struct held *h)
{
	struct held_obj *old = h->tab;
	size_t i, oldcap = h->cap;

	h->cap = oldcap ? oldcap * 2 : 1024;
	h->tab = xcalloc(h->cap, sizeof(*h->tab));
	for (i = 0; i < oldcap; i++)
		if (old[i].data != NULL)
			h->tab[slot_of(h, &old[i].id)] = old[i];
	free(old);
}

static int
held_read(void **out, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	struct held_obj *o = find((struct held *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	if ((*out = git_odb_backend_data_alloc(b, o->len ? o->len : 1)) == NULL)
		return -1;
	memcpy(*out, o->data, o->len);
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
held_read_header(size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *id)
{
	struct held_obj *o = find((struct held *)b, id);

	if (o == NULL)
		return GIT_ENOTFOUND;
	*len = o->len;
	*type = o->type;
	return 0;
}

static int
held_exists(git_odb_backend *b, const git_oid *id)
{
	return find((struct held *)b, id) != NULL;
}

static int
held_write(git_odb_backend *b, const git_oid *id, const void *data,
    size_t len, git_object_t type)
{
	struct held *h = (struct held *)b;
	struct held_obj *o;

	/* libgit2 1.5 stops at the first backend that can write */
	if (!h->active)
		return h->next->write(h->next, id, data, len, type);
	if (find(h, id) != NULL)
		return 0;
	if (2 * (h->nr + 1) > h->cap)
		grow(h);
	o = &h->tab[slot_of(h, id)];
	o->id = *id;
	o->type = type;
	o->len = len;
	o->data = xmalloc(len ? len : 1);
	memcpy(o->data, data, len);
	h->nr++;
	return 0;
}

static void
held_clear(struct held *h)
{
	size_t i;

	for (i = 0; i < h->cap; i++) {
		free(h->tab[i].data);
		h->tab[i].data = NULL;
	}
	h->nr = 0;
}

static void
held_free(git_odb_backend *b)
{
	struct held *h = (struct held *)b;

	held_clear(h);
	free(h->tab);
	free(h);
}

int
engine_objects_hold(struct seq_state *st, git_repository *repo)
{
	struct held *h;
	git_odb *odb = NULL;
	size_t i;
	int rc;

	if (st->mempack != NULL)
		return 0;
	/* one per repository: an earlier run in this process left it */
	if ((rc = git_repository_odb(&odb, repo)) < 0)
		return error_git(E_FATAL, "cannot open the object store");
	for (i = 0; i < git_odb_num_backends(odb); i++) {
		git_odb_backend *b = NULL;

		if (git_odb_get_backend(&b, odb, i) == 0 &&
		    b->read == held_read) {
			held_clear((struct held *)b);
			((struct held *)b)->active = 1;
			st->mempack = b;
			git_odb_free(odb);
			return 0;
		}
	}
	h = xcalloc(1, sizeof(*h));
	for (i = 0; i < git_odb_num_backends(odb) && h->next == NULL; i++)
		if (git_odb_get_backend(&h->next, odb, i) < 0 ||
		    h->next->write == NULL)
			h->next = NULL;
	if (h->next == NULL) {
		free(h);
		git_odb_free(odb);
		return error_fatal("the object store has no writable backend");
	}
	git_odb_init_backend(&h->parent, GIT_ODB_BACKEND_VERSION);
	h->parent.read = held_read;
	h->parent.read_header = held_read_header;
	h->parent.exists = held_exists;
	h->parent.write = held_write;
	h->parent.free = held_free;
	rc = git_odb_add_backend(odb, &h->parent, 1000);
	git_odb_free(odb);
	if (rc < 0) {
		held_free(&h->parent);
		return error_git(E_FATAL, "cannot prepare the object store");
	}
	/* the odb owns the backend from here on */
	h->active = 1;
	st->mempack = &h->parent;
	return 0;
}

int
engine_objects_flush(struct seq_state *st, git_repository *repo)
{
	struct held *h = (struct held *)st->mempack;
	git_packbuilder *pb = NULL;
	git_odb *odb = NULL;
	size_t i;
	int rc = 0;

	if (h == NULL || h->nr == 0)
		return 0;
	if ((rc = git_packbuilder_new(&pb, repo)) < 0)
		goto out;
	git_packbuilder_set_threads(pb, 1);
	for (i = 0; i < h->cap && rc == 0; i++)
		if (h->tab[i].data != NULL)
			rc = git_packbuilder_insert(pb, &h->tab[i].id, NULL);
	if (rc < 0 ||
	    (rc = git_packbuilder_write(pb, NULL, 0, NULL, NULL)) < 0 ||
	    (rc = git_repository_odb(&odb, repo)) < 0 ||
	    (rc = git_odb_refresh(odb)) < 0)
		goto out;
	held_clear(h);
out:
	git_odb_free(odb);
	git_packbuilder_free(pb);
	return rc < 0 ? error_git(E_FATAL, "cannot write the new objects") : 0;
}

void
engine_objects_drop(struct seq_state *st)
{
	if (st->mempack != NULL)
		held_clear((struct held *)st->mempack);
}

int
engine_objects_release(struct seq_state *st, git_repository *repo)
{
	int rc = 0;

	if (st->mempack == NULL)
		return 0;
	/* a dry run or a refusal before any write leaves no object */
	if (st->opts.dry_run || !st->writing)
		engine_objects_drop(st);
	else
		rc = engine_objects_flush(st, repo);
	/* writes after the engine (the deployment log...) go to disk */
	((struct held *)st->mempack)->active = 0;
	st->mempack = NULL;
	return rc;
}
