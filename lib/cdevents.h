/*
 * The deployment log as CDEvents (https://cdevents.dev), version 0.3.0
 * of the specification: a succeeded deploy is a
 * dev.cdevents.service.deployed.0.1.1 event, a succeeded rollback a
 * dev.cdevents.service.rolledback.0.1.1; started and failed attempts
 * have no event.  Mapping in git-release(1), "history --format=cdevents".
 */
#ifndef LIB_CDEVENTS_H
#define LIB_CDEVENTS_H

#include "deploylog.h"
#include "repo.h"
#include "strbuf.h"

#define CDEVENTS_SPEC_VERSION	"0.3.0"
#define CDEVENTS_DEPLOYED	"dev.cdevents.service.deployed.0.1.1"
#define CDEVENTS_ROLLEDBACK	"dev.cdevents.service.rolledback.0.1.1"

/*
 * One event on one line for e, the service named repo_name when e has
 * no component, version its tag's bare version (customData.version);
 * 0 when e is an event, 1 (nothing added) when not.
 */
int	 cdevents_entry(struct strbuf *out, const struct deploy_entry *e,
	    const char *repo_name, const char *version);

/*
 * The default component's service name: the last path part of the
 * release remote's URL without ".git", else the top directory's name.
 */
char	*cdevents_repo_name(struct ctx *ctx);

/* s percent-encoded as a purl part: every byte but [A-Za-z0-9._~-] */
void	 cdevents_purl_encode(struct strbuf *out, const char *s);

#endif
