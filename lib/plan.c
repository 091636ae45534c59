/*
 * Plans as data: building them, their attributes, and the three ways
 * they are shown (the dry run's text, JSON, the undo line).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "json.h"
#include "plan.h"
#include "banned.h"

static const char *const kind_names[] = {
	[PLAN_CHECK] = "check",
	[PLAN_REF] = "ref",
	[PLAN_TAG] = "tag",
	[PLAN_MERGE] = "merge",
	[PLAN_CHECKOUT] = "checkout",
	[PLAN_PUSH] = "push",
	[PLAN_MIGRATION] = "migration",
	[PLAN_HOOK] = "hook",
	[PLAN_LOG] = "log",
	[PLAN_MARK] = "mark",
	[PLAN_DEPLOYED_TAG] = "deployed-tag",
	[PLAN_REVERT] = "revert",
};

static const char *const status_names[] = {
	[PLAN_PENDING] = "pending",
	[PLAN_DONE] = "done",
	[PLAN_STOPPED] = "stopped",
	[PLAN_UNDONE] = "undone",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *
plan_kind_name(enum plan_kind k)
{
	return (size_t)k < NELEM(kind_names) ? kind_names[k] : "?";
}

int
plan_kind_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(kind_names); i++)
		if (strcmp(kind_names[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
plan_status_name(enum plan_status s)
{
	return (size_t)s < NELEM(status_names) ? status_names[s] : "?";
}

int
plan_status_parse(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(status_names); i++)
		if (strcmp(status_names[i], name) == 0)
			return (int)i;
	return -1;
}

void
plan_begin(struct plan *p, const char *op, const char *cmdline)
{
	free(p->op);
	free(p->cmdline);
	p->op = xstrdup(op);
	p->cmdline = cmdline ? xstrdup(cmdline) : NULL;
}

void
plan_attrs_release(struct plan_attrs *a)
{
	size_t i;

	for (i = 0; i < a->nr; i++) {
		free(a->items[i].key);
		free(a->items[i].value);
	}
	free(a->items);
	a->items = NULL;
	a->nr = a->alloc = 0;
}

void
plan_release(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		plan_attrs_release(&p->steps[i].attrs);
	free(p->steps);
	plan_attrs_release(&p->attrs);
	free(p->op);
	free(p->cmdline);
	memset(p, 0, sizeof(*p));
}

struct plan_step *
plan_add(struct plan *p, enum plan_kind kind)
{
	struct plan_step *s;

	ALLOC_GROW(p->steps, p->nr, p->alloc);
	s = &p->steps[p->nr++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->status = PLAN_PENDING;
	return s;
}

void
plan_add_attr(struct plan_attrs *a, const char *key, const char *value)
{
	ALLOC_GROW(a->items, a->nr, a->alloc);
	a->items[a->nr].key = xstrdup(key);
	a->items[a->nr].value = xstrdup(value);
	a->nr++;
}

void
plan_set(struct plan_attrs *a, const char *key, const char *value)
{
	size_t i, j;

	for (i = 0; value != NULL && i < a->nr; i++)
		if (strcmp(a->items[i].key, key) == 0) {
			free(a->items[i].value);
			a->items[i].value = xstrdup(value);
			return;
		}
	if (value != NULL) {
		plan_add_attr(a, key, value);
		return;
	}
	for (i = j = 0; i < a->nr; i++) {
		if (strcmp(a->items[i].key, key) == 0) {
			free(a->items[i].key);
			free(a->items[i].value);
			continue;
		}
		a->items[j++] = a->items[i];
	}
	a->nr = j;
}

void
plan_setf(struct plan_attrs *a, const char *key, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	plan_set(a, key, sb.buf);
	strbuf_release(&sb);
}

void
plan_set_oid(struct plan_attrs *a, const char *key, const git_oid *id)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (id == NULL) {
		plan_set(a, key, NULL);
		return;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	plan_set(a, key, hex);
}

const char *
plan_get(const struct plan_attrs *a, const char *key)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (strcmp(a->items[i].key, key) == 0)
			return a->items[i].value;
	return NULL;
}

int
plan_get_oid(git_oid *out, const struct plan_attrs *a, const char *key)
{
	const char *v = plan_get(a, key);

	if (v == NULL || strlen(v) != GIT_OID_HEXSZ ||
	    git_oid_fromstr(out, v) < 0) {
		git_error_clear();
		return 0;
	}
	return 1;
}

void
plan_get_all(struct strlist *out, const struct plan_attrs *a, const char *key)
{
	size_t i;

	for (i = 0; i < a->nr; i++)
		if (strcmp(a->items[i].key, key) == 0)
			strlist_add(out, a->items[i].value);
}

size_t
plan_count(const struct plan *p, enum plan_status st)
{
	size_t i, n = 0;

	for (i = 0; i < p->nr; i++)
		n += p->steps[i].status == st;
	return n;
}

/* --- the undo line --- */

static int
step_took_effect(const struct plan_step *s)
{
	return s->status == PLAN_DONE || s->status == PLAN_STOPPED;
}

static void
add_word(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, ' ');
	strbuf_add_shquoted(sb, s);
}

static void
add_command(struct strbuf *out, const char *cmd)
{
	if (out->len)
		strbuf_addstr(out, " && ");
	strbuf_addstr(out, cmd);
}

/* "refs/tags/v1" -> "v1" */
static const char *
tag_name(const char *ref)
{
	return strncmp(ref, "refs/tags/", 10) == 0 ? ref + 10 : ref;
}

/* a push step pushed dst: was it to a mark or log ref of ours? */
static int
pushed_ref(const struct plan *p, const char *ref)
{
	struct strlist specs = STRLIST_INIT;
	size_t i, k;
	int found = 0;

	for (i = 0; i < p->nr && !found; i++) {
		if (p->steps[i].kind != PLAN_PUSH ||
		    !step_took_effect(&p->steps[i]))
			continue;
		plan_get_all(&specs, &p->steps[i].attrs, "refspec");
		for (k = 0; k < specs.nr; k++) {
			const char *dst = strchr(specs.items[k], ':');

			if (dst != NULL && strcmp(dst + 1, ref) == 0)
				found = 1;
		}
		strlist_release(&specs);
	}
	return found;
}

/* the done hook that makes the undo a deploy of what ran before */
static const struct plan_step *
redeploy_step(const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nr; i++)
		if (p->steps[i].kind == PLAN_HOOK &&
		    step_took_effect(&p->steps[i]) &&
		    plan_get(&p->steps[i].attrs, "previous") != NULL)
			return &p->steps[i];
	return NULL;
}

static void
undo_ref(struct strbuf *out, const struct plan_step *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *ref = plan_get(&s->attrs, "ref");
	const char *old = plan_get(&s->attrs, "old");
	const char *new = plan_get(&s->attrs, "new");

	if (ref == NULL || (old == NULL && new == NULL))
		return;
	strbuf_addstr(&sb, "git update-ref");
	if (old == NULL)
		strbuf_addstr(&sb, " -d");
	add_word(&sb, ref);
	if (old != NULL)
		add_word(&sb, old);
	if (new != NULL)
		add_word(&sb, new);
	add_command(out, sb.buf);
	strbuf_release(&sb);
}

/* a merge into the branch checked out: the worktree goes back with it */
static void
undo_reset(struct strbuf *out, const struct plan_step *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *old = plan_get(&s->attrs, "old");

	if (old == NULL)
		return;
	strbuf_addstr(&sb, "git reset --keep");
	add_word(&sb, old);
	add_command(out, sb.buf);
	strbuf_release(&sb);
}

/* the config a step removed ("config" repeated, "<key> <value>") */
static void
undo_config(struct strbuf *out, const struct plan_step *s)
{
	struct strlist kv = STRLIST_INIT;
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	plan_get_all(&kv, &s->attrs, "config");
	for (i = 0; i < kv.nr; i++) {
		char *sp = strchr(kv.items[i], ' ');

		if (sp == NULL)
			continue;
		*sp = '\0';
		strbuf_reset(&sb);
		strbuf_addstr(&sb, "git config");
		add_word(&sb, kv.items[i]);
		add_word(&sb, sp + 1);
		add_command(out, sb.buf);
	}
	strbuf_release(&sb);
	strlist_release(&kv);
}

/* HEAD back on the value of key: a branch, or a commit id detached */
static void
undo_switch(struct strbuf *out, const struct plan_step *s, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	const char *old = plan_get(&s->attrs, key);

	if (old == NULL)
		return;
	strbuf_addstr(&sb, "git switch");
	if (strncmp(old, "refs/heads/", 11) == 0)
		add_word(&sb, old + 11);
	else {
		strbuf_addstr(&sb, " --detach");
		add_word(&sb, old);
	}
	add_command(out, sb.buf);
	strbuf_release(&sb);
}

/* a yank's undo is a yank with --push: its ref's push needs no undo */
static int
undone_by_yank(const struct plan *p, const char *ref)
{
	size_t i;

	for (i = 0; i < p->nr; i++) {
		const struct plan_attrs *a = &p->steps[i].attrs;

		if (p->steps[i].kind == PLAN_MARK && plan_get(a, "ref") &&
		    strcmp(plan_get(a, "ref"), ref) == 0 &&
		    plan_get(a, "tag") && plan_get(a, "reason") &&
		    plan_get(a, "action"))
			return 1;
	}
	return 0;
}

/*
 * A push not run yet (the dry run's): what it would push, "dst old
 * new" from the steps that move each dst ("-" unknown or absent), only
 * refs the plan itself moves.
 */
static void
planned_pushes(struct strlist *out, const struct plan *p,
    const struct plan_step *push)
{
	struct strlist specs = STRLIST_INIT;
	size_t i, k;

	plan_get_all(&specs, &push->attrs, "refspec");
	for (i = 0; i < specs.nr; i++) {
		const char *dst = strchr(specs.items[i], ':');
		const char *old = NULL, *new = NULL;
		int found = 0;

		if (dst == NULL)
			continue;
		dst++;
		for (k = 0; k < p->nr; k++) {
			const struct plan_attrs *a = &p->steps[k].attrs;

			if (&p->steps[k] == push || plan_get(a, "ref") == NULL ||
			    strcmp(plan_get(a, "ref"), dst) != 0)
				continue;
			if (!found)
				old = plan_get(a, "old");
			new = plan_get(a, "new");
			found = 1;
		}
		if (found) {
			char *v = xstrfmt("%s %s %s", dst, old ? old : "-",
			    new ? new : "-");

			strlist_add_nodup(out, v);
		}
	}
	strlist_release(&specs);
}

static void
undo_push(struct strbuf *out, const struct plan *p, const struct plan_step *s)
{
	struct strlist pushed = STRLIST_INIT;
	struct strbuf sb = STRBUF_INIT, specs = STRBUF_INIT;
	const char *remote = plan_get(&s->attrs, "remote");
	size_t i, n;

	plan_get_all(&pushed, &s->attrs, "pushed");
	if (pushed.nr == 0 && s->status == PLAN_DONE)
		planned_pushes(&pushed, p, s);
	for (i = n = 0; i < pushed.nr; i++) {
		const char *sp = strchr(pushed.items[i], ' ');
		char *dst = sp ? xstrndup(pushed.items[i],
		    (size_t)(sp - pushed.items[i])) : NULL;

		if (dst != NULL && !undone_by_yank(p, dst))
			pushed.items[n++] = pushed.items[i];
		else
			free(pushed.items[i]);
		free(dst);
	}
	pushed.nr = n;
	if (pushed.items != NULL)
		pushed.items[n] = NULL;
	if (remote == NULL || pushed.nr == 0)
		goto out;
	strbuf_addstr(&sb, "git push --atomic");
	for (i = 0; i < pushed.nr; i++) {
		/* "dst old new", old or new "-" for absent */
		char *dst = pushed.items[i], *old, *new;

		if ((old = strchr(dst, ' ')) == NULL ||
		    (new = strchr(old + 1, ' ')) == NULL)
			continue;
		*old++ = '\0';
		*new++ = '\0';
		/* what we pushed, or (not known yet) no lease to give */
		if (strcmp(new, "-") == 0)
			continue;
		strbuf_reset(&specs);
		strbuf_addf(&specs, "--force-with-lease=%s:%s", dst, new);
		add_word(&sb, specs.buf);
	}
	add_word(&sb, remote);
	for (i = 0; i < pushed.nr; i++) {
		const char *dst = pushed.items[i];
		const char *old = dst + strlen(dst) + 1;

		strbuf_reset(&specs);
		strbuf_addf(&specs, "%s:%s", strcmp(old, "-") ? old : "", dst);
		add_word(&sb, specs.buf);
	}
	add_command(out, sb.buf);
out:
	strbuf_release(&specs);
	strbuf_release(&sb);
	strlist_release(&pushed);
}

static void
undo_mark(struct strbuf *out, const struct plan *p, const struct plan_step *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *tag = plan_get(&s->attrs, "tag");
	const char *env = plan_get(&s->attrs, "env");
	const char *reason = plan_get(&s->attrs, "reason");
	const char *action = plan_get(&s->attrs, "action");
	const char *ref = plan_get(&s->attrs, "ref");

	if (tag == NULL || reason == NULL || action == NULL) {
		undo_ref(out, s);
		return;
	}
	strbuf_addstr(&sb, strcmp(action, "lift") == 0 ?
	    "git release yank" : "git release yank --undo");
	add_word(&sb, tag);
	if (env != NULL) {
		strbuf_addstr(&sb, " --env");
		add_word(&sb, env);
	}
	strbuf_addstr(&sb, " -m");
	add_word(&sb, reason);
	if (ref != NULL && pushed_ref(p, ref))
		strbuf_addstr(&sb, " --push");
	add_command(out, sb.buf);
	strbuf_release(&sb);
}

static void
undo_redeploy(struct strbuf *out, const struct plan *p,
    const struct plan_step *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *env = plan_get(&s->attrs, "env");
	/* the tag's prefix names its component */
	char *logref = xstrfmt("refs/deploy/log/%s", env ? env : "");

	strbuf_addstr(&sb, "git release deploy");
	add_word(&sb, plan_get(&s->attrs, "previous"));
	if (env != NULL) {
		strbuf_addstr(&sb, " --env");
		add_word(&sb, env);
	}
	/* going back to an older release is a rollback */
	if (plan_get(&s->attrs, "previous-older") != NULL) {
		char *why = xstrfmt("undo the deploy of %s",
		    plan_get(&p->attrs, "tag"));

		strbuf_addstr(&sb, " --allow-downgrade -m");
		add_word(&sb, why);
		free(why);
	}
	if (pushed_ref(p, logref))
		strbuf_addstr(&sb, " --push");
	add_command(out, sb.buf);
	free(logref);
	strbuf_release(&sb);
}

static int
is_lift(const struct plan_step *s)
{
	const char *a = plan_get(&s->attrs, "action");

	return s->kind == PLAN_MARK && a != NULL && strcmp(a, "lift") == 0;
}

void
plan_undo_line(struct strbuf *out, const struct plan *p)
{
	const struct plan_step *redeploy = redeploy_step(p);
	size_t i;

	if (redeploy != NULL) {
		undo_redeploy(out, p, redeploy);
		return;
	}
	for (i = p->nr; i-- > 0;) {
		const struct plan_step *s = &p->steps[i];
		const char *ref = plan_get(&s->attrs, "ref");

		if (!step_took_effect(s))
			continue;
		switch (s->kind) {
		case PLAN_MERGE:
			if (plan_get(&s->attrs, "worktree") != NULL) {
				undo_reset(out, s);
				undo_switch(out, s, "head");
				break;
			}
			/* fall through */
		case PLAN_REF:
		case PLAN_LOG:
		case PLAN_REVERT:
			undo_ref(out, s);
			undo_config(out, s);
			break;
		case PLAN_CHECKOUT:
			undo_switch(out, s, "old");
			break;
		case PLAN_MARK:
			/*
			 * a mark's push is undone by the yank's own --push;
			 * marks lifted in a row are put back in their order,
			 * so the file reads as before
			 */
			if (is_lift(s)) {
				size_t k = i;

				while (k > 0 && is_lift(&p->steps[k - 1]) &&
				    step_took_effect(&p->steps[k - 1]))
					k--;
				for (; k <= i; k++)
					undo_mark(out, p, &p->steps[k]);
				while (i > 0 && is_lift(&p->steps[i - 1]) &&
				    step_took_effect(&p->steps[i - 1]))
					i--;
				break;
			}
			undo_mark(out, p, s);
			break;
		case PLAN_TAG:
		case PLAN_DEPLOYED_TAG:
			/* done, or (dry run) as if; not when it was not made */
			if (ref != NULL && !plan_get(&s->attrs, "skipped")) {
				struct strbuf sb = STRBUF_INIT;

				strbuf_addstr(&sb, "git tag -d");
				add_word(&sb, tag_name(ref));
				add_command(out, sb.buf);
				strbuf_release(&sb);
			}
			break;
		case PLAN_PUSH:
			/* only what it recorded as pushed ("pushed") */
			undo_push(out, p, s);
			break;
		default:
			break;
		}
	}
}

/* --- the dry run --- */

static const char *
oid_or(const struct plan_step *s, const char *key, const char *none)
{
	const char *v = plan_get(&s->attrs, key);

	return v != NULL ? v : none;
}

static void
print_notes(FILE *fp, const struct plan_step *s, const char *key,
    const char *indent)
{
	size_t i;

	for (i = 0; i < s->attrs.nr; i++) {
		const char *v = s->attrs.items[i].value, *nl;

		if (strcmp(s->attrs.items[i].key, key) != 0)
			continue;
		do {
			nl = strchrnul(v, '\n');
			if (nl > v)
				fprintf(fp, "%s%.*s\n", indent, (int)(nl - v),
				    v);
			else
				fputc('\n', fp);
			v = *nl ? nl + 1 : nl;
		} while (*v != '\0');
	}
}

static void
print_push(FILE *fp, const struct plan_step *s)
{
	struct strlist specs = STRLIST_INIT, leases = STRLIST_INIT;
	size_t i;

	plan_get_all(&specs, &s->attrs, "refspec");
	plan_get_all(&leases, &s->attrs, "lease");
	/* as push_command() spells it */
	fprintf(fp, "would run: git push --porcelain --atomic");
	for (i = 0; i < leases.nr; i++)
		fprintf(fp, " --force-with-lease=%s", leases.items[i]);
	fprintf(fp, " --end-of-options %s", oid_or(s, "remote", "?"));
	for (i = 0; i < specs.nr; i++)
		fprintf(fp, " %s", specs.items[i]);
	fputc('\n', fp);
	strlist_release(&specs);
	strlist_release(&leases);
}

/*
 * What a step finds in its ref: its "old", else what an earlier step of
 * the plan leaves there (a hold entry written after the rollback's own),
 * else nothing, the ref is new.
 */
static const char *
old_of(const struct plan *p, size_t idx)
{
	const struct plan_step *s = &p->steps[idx];
	const char *ref = plan_get(&s->attrs, "ref"), *v;

	if ((v = plan_get(&s->attrs, "old")) != NULL || ref == NULL)
		return v != NULL ? v : "(none)";
	while (idx-- > 0) {
		const struct plan_step *e = &p->steps[idx];
		const char *r = plan_get(&e->attrs, "ref");

		if (r != NULL && strcmp(r, ref) == 0 &&
		    (e->kind == PLAN_LOG || e->kind == PLAN_REF))
			return (v = plan_get(&e->attrs, "new")) != NULL ? v :
			    "(what the step before writes)";
	}
	return "(none)";
}

static void
print_step(FILE *fp, const struct plan *p, size_t idx)
{
	const struct plan_step *s = &p->steps[idx];
	const char *what = plan_get(&s->attrs, "what");
	const char *ref = oid_or(s, "ref", "?");

	switch (s->kind) {
	case PLAN_CHECK:
		fprintf(fp, "checked %s\n", what ? what : "the repository");
		break;
	case PLAN_REF:
	case PLAN_LOG:
	case PLAN_MERGE:
	case PLAN_REVERT:
		if (what != NULL)
			fprintf(fp, "would %s\n", what);
		fprintf(fp, "would update %s %s -> %s\n", ref,
		    old_of(p, idx), oid_or(s, "new",
		    s->kind == PLAN_LOG ? "(a new entry)" :
		    s->kind == PLAN_MERGE ? "(the merge)" :
		    s->kind == PLAN_REVERT ? "(the reverts)" : "(deleted)"));
		break;
	case PLAN_TAG:
		fprintf(fp, "would tag %s as %s%s, annotated:\n\n",
		    what ? what : oid_or(s, "target", "?"), tag_name(ref),
		    plan_get(&s->attrs, "sign") ? ", signed" : "");
		print_notes(fp, s, "message", "    ");
		break;
	case PLAN_DEPLOYED_TAG:
		fprintf(fp, "would create tag %s", tag_name(ref));
		if (plan_get(&s->attrs, "message") != NULL)
			fprintf(fp, " (\"%s\")", plan_get(&s->attrs,
			    "message"));
		fputc('\n', fp);
		break;
	case PLAN_CHECKOUT:
		fprintf(fp, "would check out %s\n", ref);
		break;
	case PLAN_PUSH:
		print_push(fp, s);
		break;
	case PLAN_MIGRATION:
		fprintf(fp, "would run the down migration %s\n",
		    oid_or(s, "id", "?"));
		break;
	case PLAN_HOOK:
		if (what != NULL)
			fprintf(fp, "would %s\n", what);
		if (plan_get(&s->attrs, "skip") &&
		    strcmp(plan_get(&s->attrs, "skip"), "no-hook") == 0)
			fprintf(fp, "would skip the deploy hook (--no-hook)\n");
		else if (plan_get(&s->attrs, "command") == NULL)
			fprintf(fp, "no deploy hook for '%s' "
			    "(deploy.%s.command): would record only, nothing "
			    "deployed\n", oid_or(s, "env", "?"),
			    oid_or(s, "env", "?"));
		else
			fprintf(fp, "would run the deploy hook for '%s': %s\n",
			    oid_or(s, "env", "?"), plan_get(&s->attrs,
			    "command"));
		break;
	case PLAN_MARK:
		if (what != NULL)
			fprintf(fp, "would %s\n", what);
		fprintf(fp, "would update %s\n", ref);
		break;
	}
	print_notes(fp, s, "note", "");
}

void
plan_print(FILE *fp, const struct plan *p)
{
	struct plan q = PLAN_INIT;
	struct strbuf undo = STRBUF_INIT;
	size_t i;

	for (i = 0; i < p->nr; i++)
		print_step(fp, p, i);
	/* a command's own undo line (plan_print_json's rule) */
	if (plan_get(&p->attrs, "undo") != NULL) {
		if (*plan_get(&p->attrs, "undo") != '\0')
			fprintf(fp, "undo: %s\n", plan_get(&p->attrs, "undo"));
		return;
	}
	/* the undo the plan leaves: as if every step were done */
	q = *p;
	q.steps = xreallocarray(NULL, p->nr ? p->nr : 1, sizeof(*q.steps));
	for (i = 0; i < p->nr; i++) {
		q.steps[i] = p->steps[i];
		q.steps[i].status = PLAN_DONE;
	}
	plan_undo_line(&undo, &q);
	free(q.steps);
	if (undo.len)
		fprintf(fp, "undo: %s\n", undo.buf);
	strbuf_release(&undo);
}

/* --- JSON --- */

static void
json_attrs(struct json *j, const struct plan_attrs *a)
{
	struct strlist seen = STRLIST_INIT, all = STRLIST_INIT;
	size_t i, n, k;

	for (i = 0; i < a->nr; i++) {
		const char *key = a->items[i].key;

		if (strlist_has(&seen, key))
			continue;
		strlist_add(&seen, key);
		/* the step's own fields are not written twice */
		if (strcmp(key, "n") == 0 || strcmp(key, "kind") == 0 ||
		    strcmp(key, "status") == 0 || strcmp(key, "schema") == 0) {
			char *name = xstrfmt("step_%s", key);

			json_str(j, name, plan_get(a, key));
			free(name);
			continue;
		}
		for (k = n = 0; k < a->nr; k++)
			n += strcmp(a->items[k].key, key) == 0;
		if (n == 1 && strcmp(key, "refspec") != 0 &&
		    strcmp(key, "lease") != 0 && strcmp(key, "pushed") != 0 &&
		    strcmp(key, "note") != 0) {
			json_str(j, key, a->items[i].value);
			continue;
		}
		plan_get_all(&all, a, key);
		json_strlist(j, key, &all);
		strlist_release(&all);
	}
	strlist_release(&seen);
}

static const char *
plan_state(const struct plan *p, int dry_run)
{
	size_t i;

	if (dry_run)
		return "planned";
	if (plan_count(p, PLAN_STOPPED))
		return "stopped";
	if (plan_count(p, PLAN_UNDONE))
		return "aborted";
	for (i = 0; i < p->nr; i++)
		if (p->steps[i].status == PLAN_PENDING)
			return "stopped";
	return "complete";
}

static void
json_refs(struct json *j, const struct plan *p, int dry_run)
{
	size_t i;

	json_array_begin(j, "refs");
	for (i = 0; i < p->nr; i++) {
		const struct plan_step *s = &p->steps[i];
		const char *ref = plan_get(&s->attrs, "ref");

		if (ref == NULL || s->kind == PLAN_CHECK ||
		    s->kind == PLAN_HOOK || s->kind == PLAN_CHECKOUT ||
		    (!dry_run && s->status != PLAN_DONE))
			continue;
		json_object_begin(j, NULL);
		json_str(j, "ref", ref);
		json_str(j, "old", plan_get(&s->attrs, "old"));
		json_str(j, "new", plan_get(&s->attrs, "new"));
		json_object_end(j);
	}
	json_array_end(j);
}

void
plan_json_fields(struct json *j, const struct plan *p, int dry_run)
{
	struct strbuf undo = STRBUF_INIT;
	const char *told = plan_get(&p->attrs, "undo");
	struct plan q;
	size_t i;

	json_str(j, "op", p->op);
	json_str(j, "command", p->cmdline);
	json_bool(j, "dry_run", dry_run);
	json_str(j, "status", plan_state(p, dry_run));
	json_array_begin(j, "steps");
	for (i = 0; i < p->nr; i++) {
		json_object_begin(j, NULL);
		json_int(j, "n", (long long)i + 1);
		json_str(j, "kind", plan_kind_name(p->steps[i].kind));
		json_str(j, "status", plan_status_name(p->steps[i].status));
		json_attrs(j, &p->steps[i].attrs);
		json_object_end(j);
	}
	json_array_end(j);
	json_refs(j, p, dry_run);
	if (told != NULL) {
		json_str(j, "undo", *told ? told : NULL);
		return;
	}
	q = *p;
	q.steps = xreallocarray(NULL, p->nr ? p->nr : 1, sizeof(*q.steps));
	for (i = 0; i < p->nr; i++) {
		q.steps[i] = p->steps[i];
		if (dry_run)
			q.steps[i].status = PLAN_DONE;
	}
	plan_undo_line(&undo, &q);
	free(q.steps);
	json_str(j, "undo", undo.len ? undo.buf : NULL);
	strbuf_release(&undo);
}

void
plan_print_dry_run(FILE *fp, const struct plan *p, int json)
{
	if (json)
		plan_print_json(fp, p, 1);
	else
		plan_print(fp, p);
}

void
plan_print_json(FILE *fp, const struct plan *p, int dry_run)
{
	struct json j = JSON_INIT;

	json_begin(&j);
	plan_json_fields(&j, p, dry_run);
	json_end(&j);
	json_print(&j, fp);
	json_release(&j);
}

struct plan_step *
plan_done_step(struct plan *p, enum plan_kind kind, enum plan_status st,
    const char *what)
{
	struct plan_step *s = plan_add(p, kind);

	s->status = st;
	if (what != NULL)
		plan_set(&s->attrs, "what", what);
	return s;
}

FILE *
plan_json_stdout(void)
{
	FILE *fp;
	int fd;

	fflush(stdout);
	if ((fd = dup(STDOUT_FILENO)) < 0)
		return stdout;
	if ((fp = fdopen(fd, "w")) == NULL) {
		close(fd);
		return stdout;
	}
	if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fclose(fp);
		return stdout;
	}
	return fp;
}

void
plan_json_stdout_close(FILE *fp)
{
	if (fp != NULL && fp != stdout)
		fclose(fp);
	else if (fp != NULL)
		fflush(fp);
}
