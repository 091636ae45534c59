/*
 * The type and first bytes of an object, read straight from its loose
 * file or its pack: what listing tens of thousands of tags needs of
 * each tag object, without inflating, hashing and caching it whole.
 */
#ifndef OBJHEAD_H
#define OBJHEAD_H

#include <stddef.h>

#include <git2.h>
#include <zlib.h>

struct objhead_pack;

struct objhead {
	char			*objdir;	/* "<dir>/objects/" */
	struct objhead_pack	*packs;
	size_t			 nr_packs;
	int			 packs_read;
	z_stream		 z;
	int			 z_ready;
};

#define OBJHEAD_INIT	{ NULL, NULL, 0, 0, { 0 }, 0 }

/* objdir: the repository's objects directory, ending in '/' */
void objhead_init(struct objhead *oh, const char *objdir);

/*
 * The object's type, and up to *len bytes of the start of its content
 * into buf (*len set to what was read).  1 when it is not found here
 * (in an alternate, deltified, or anything unexpected): the caller asks
 * libgit2.  No hash is checked.
 */
int objhead_read(struct objhead *oh, const git_oid *id, git_object_t *type,
    char *buf, size_t *len);

void objhead_release(struct objhead *oh);

#endif
