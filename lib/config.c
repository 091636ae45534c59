/*
 * git config with "git -c" overrides, and the suite's settings.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "config.h"
#include "banned.h"

static const char *default_migration_paths[] = {
	"db/migrate/", "db/migrations/", "migrations/", "alembic/versions/",
	"prisma/migrations/", "src/main/resources/db/migration/",
	"*/migrations/", NULL
};

/*
 * Section and variable names are case-insensitive, a subsection is not:
 * "Deploy.Staging.Command" is "deploy.Staging.command".
 */
char *
config_normalize_key(const char *key)
{
	char *k = xstrdup(key), *first, *last, *p;

	first = strchr(k, '.');
	last = strrchr(k, '.');
	for (p = k; *p != '\0'; p++)
		if (first == NULL || p < first || p > last)
			*p = (char)tolower((unsigned char)*p);
	return k;
}

/* one shell single-quoted word: 'text', with '\'' for a quote, '\!' for ! */
static const char *
parse_quoted(struct strbuf *out, const char *p)
{
	if (*p != '\'')
		return NULL;
	for (p++;;) {
		if (*p == '\0')
			return NULL;
		if (*p != '\'') {
			strbuf_addch(out, *p++);
			continue;
		}
		if (strncmp(p, "'\\''", 4) == 0) {
			strbuf_addch(out, '\'');
			p += 4;
			continue;
		}
		/* git quotes '!' too, for the shells that expand it */
		if (strncmp(p, "'\\!'", 4) == 0) {
			strbuf_addch(out, '!');
			p += 4;
			continue;
		}
		return p + 1;
	}
}

int
config_parse_parameters(struct strlist *keys, struct strlist *values,
    const char *text)
{
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	const char *p = text;
	int ret = -1;

	while (p != NULL && *p != '\0') {
		char *eq;
		int has_value = 0;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		strbuf_reset(&key);
		strbuf_reset(&val);
		if ((p = parse_quoted(&key, p)) == NULL)
			goto out;
		if (*p == '=') {	/* 'key'='value' */
			if ((p = parse_quoted(&val, p + 1)) == NULL)
				goto out;
			has_value = 1;
		} else if ((eq = strchr(key.buf, '=')) != NULL) {
			strbuf_addstr(&val, eq + 1);	/* 'key=value' */
			strbuf_setlen(&key, (size_t)(eq - key.buf));
			has_value = 1;
		}
		strlist_add_nodup(keys, config_normalize_key(key.buf));
		strlist_add(values, has_value ? val.buf : "true");
		if (*p != '\0' && *p != ' ')
			goto out;
	}
	ret = 0;
out:
	strbuf_release(&key);
	strbuf_release(&val);
	return ret;
}

int
config_load(struct config *cfg, git_repository *repo)
{
	const char *params = getenv("GIT_CONFIG_PARAMETERS");
	int rc;

	if (repo != NULL)
		rc = git_repository_config_snapshot(&cfg->snap, repo);
	else {
		git_config *live = NULL;

		rc = git_config_open_default(&live);
		if (rc == 0)
			rc = git_config_snapshot(&cfg->snap, live);
		git_config_free(live);
	}
	if (rc < 0)
		return error_git(E_FATAL, "cannot read the git configuration");
	if (params != NULL && config_parse_parameters(&cfg->keys,
	    &cfg->values, params) < 0)
		return error_fatal("bogus format in GIT_CONFIG_PARAMETERS");
	return 0;
}

void
config_release(struct config *cfg)
{
	git_config_free(cfg->snap);
	cfg->snap = NULL;
	strlist_release(&cfg->keys);
	strlist_release(&cfg->values);
}

const char *
config_get(const struct config *cfg, const char *key)
{
	char *k = config_normalize_key(key);
	const char *v = NULL;
	size_t i;

	for (i = cfg->keys.nr; i > 0; i--)
		if (strcmp(cfg->keys.items[i - 1], k) == 0) {
			v = cfg->values.items[i - 1];
			break;
		}
	free(k);
	if (v == NULL && cfg->snap != NULL &&
	    git_config_get_string(&v, cfg->snap, key) < 0) {
		git_error_clear();
		v = NULL;
	}
	return v;
}

int
config_get_bool(int *out, const struct config *cfg, const char *key, int def)
{
	const char *v = config_get(cfg, key);

	*out = def;
	if (v == NULL)
		return 0;
	if (git_config_parse_bool(out, v) < 0) {
		git_error_clear();
		return error_fatal("bad boolean config value '%s' for '%s'",
		    v, key);
	}
	return 0;
}

static int
collect(const git_config_entry *e, void *payload)
{
	strlist_add(payload, e->value);
	return 0;
}

void
config_get_all(struct strlist *out, const struct config *cfg, const char *key)
{
	char *k = config_normalize_key(key);
	size_t i;

	if (cfg->snap != NULL &&
	    git_config_get_multivar_foreach(cfg->snap, key, NULL, collect,
	    out) < 0)
		git_error_clear();
	for (i = 0; i < cfg->keys.nr; i++)
		if (strcmp(cfg->keys.items[i], k) == 0)
			strlist_add(out, cfg->values.items[i]);
	free(k);
}

/* "<section>.<sub>.<var>": add sub to out once */
static void
add_subsection(struct strlist *out, const char *name, const char *section)
{
	size_t slen = strlen(section);
	const char *sub, *last;
	char *s;

	if (strncmp(name, section, slen) != 0 || name[slen] != '.')
		return;
	sub = name + slen + 1;
	if ((last = strrchr(sub, '.')) == NULL || last == sub)
		return;
	s = xstrndup(sub, (size_t)(last - sub));
	if (strlist_has(out, s))
		free(s);
	else
		strlist_add_nodup(out, s);
}

void
config_subsections(struct strlist *out, const struct config *cfg,
    const char *section)
{
	git_config_iterator *it = NULL;
	git_config_entry *e;
	size_t i;

	if (cfg->snap != NULL &&
	    git_config_iterator_new(&it, cfg->snap) == 0) {
		while (git_config_next(&e, it) == 0)
			add_subsection(out, e->name, section);
		git_config_iterator_free(it);
	}
	git_error_clear();
	for (i = 0; i < cfg->keys.nr; i++)
		add_subsection(out, cfg->keys.items[i], section);
}

static const char *
get_default(const struct config *cfg, const char *key, const char *def)
{
	const char *v = config_get(cfg, key);

	return v != NULL ? v : def;
}

/* a path setting names a directory: give it its trailing slash */
static void
add_dir(struct strlist *l, const char *path)
{
	size_t len = strlen(path);

	while (len > 1 && path[0] == '.' && path[1] == '/') {
		path += 2;
		len -= 2;
	}
	if (len == 0)
		return;
	if (path[len - 1] == '/')
		strlist_add(l, path);
	else
		strlist_add_nodup(l, xstrfmt("%s/", path));
}

int
settings_load(struct settings *s, const struct config *cfg)
{
	struct strlist raw = STRLIST_INIT;
	const char *v, *why = NULL;
	size_t i;

	s->default_tag_prefix = get_default(cfg, "release.tagPrefix", "v");
	s->tag_prefix = s->default_tag_prefix;
	s->component = NULL;
	s->release_branch = get_default(cfg, "release.branch", "main");
	s->remote = get_default(cfg, "release.remote", "origin");
	s->rollback_branch = get_default(cfg, "rollback.branch", "production");
	s->rollback_prefix = get_default(cfg, "rollback.branchPrefix",
	    "rollback/");
	s->hotfix_prefix = get_default(cfg, "hotfix.branchPrefix", "hotfix/");
	s->migrate_down = config_get(cfg, "rollback.migrateDownCommand");

	config_get_all(&raw, cfg, "release.migrationsPath");
	s->migration_paths_default = raw.nr == 0;
	if (raw.nr == 0)
		for (i = 0; default_migration_paths[i] != NULL; i++)
			strlist_add(&raw, default_migration_paths[i]);
	for (i = 0; i < raw.nr; i++)
		add_dir(&s->migration_paths, raw.items[i]);
	strlist_release(&raw);

	v = config_get(cfg, "release.pushTimeout");
	s->push_timeout = 60;
	if (v != NULL) {
		s->push_timeout = strtonum(v, 1, 86400, &why);
		if (why != NULL)
			return error_fatal("bad release.pushTimeout '%s': %s "
			    "(seconds, 1 to 86400)", v, why);
	}

	config_get_all(&raw, cfg, "release.configPath");
	if (raw.nr == 0)
		strlist_add(&raw, "config/");
	for (i = 0; i < raw.nr; i++)
		add_dir(&s->config_paths, raw.items[i]);
	strlist_release(&raw);
	return component_set_load(&s->components, cfg);
}

void
settings_release(struct settings *s)
{
	strlist_release(&s->migration_paths);
	strlist_release(&s->config_paths);
	component_set_release(&s->components);
	s->component = NULL;
}
