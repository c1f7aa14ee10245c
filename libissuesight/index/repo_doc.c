/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo doc: reads one file of a snapshot and turns it into what the index
 * stores about it — language, role, definitions and imports, and the
 * pre-split token strings of the three BM25 columns (path, definitions,
 * body). The index writer and the index-storage benchmark both call it, so
 * that the benchmark indexes exactly the strings the product gave FTS5
 * even though the product's FTS5 tables no longer keep them (contentless).
 */
#include <string.h>

#include "issuesight/file.h"
#include "repo_int.h"

/* A file whose first 8 KiB hold a NUL byte is binary; one of 8 KiB or
 * more without a line break in them is minified or generated. */
#define SNIFF_BYTES 8192
/* The scan already left out files over the size limit; this only bounds
 * a file that grew since. */
#define DOC_MAX ((size_t)1 << 30)

int isg__repo_doc_read(isg__doc *d, const char *root, const char *rel)
{
	const char *txt;
	size_t i, head;
	int rc;

	isg__repo_parsed_free(&d->parsed);
	d->lang = NULL;
	d->role = ISG__ROLE_SOURCE;
	d->ntok = 0;
	isg__buf_clear(&d->tpath);
	isg__buf_clear(&d->tdefs);
	isg__buf_clear(&d->tbody);
	/* The scan kept regular files only and skipped symlinks; reading
	 * without following one keeps it so if the tree changed since. */
	rc = isg_file_read_in_tree(&d->text, root, rel, DOC_MAX,
	                           ISG_FILE_NOFOLLOW | ISG_FILE_TRUNCATE);
	if (rc == ISG_ENOMEM)
		return rc;
	if (rc != ISG_OK)
		return 1; /* vanished or unreadable since the scan: skip */
	txt = d->text.ptr ? d->text.ptr : "";
	head = d->text.size < SNIFF_BYTES ? d->text.size : SNIFF_BYTES;
	if (memchr(txt, '\0', head))
		return 1; /* binary */
	if (head == SNIFF_BYTES && !memchr(txt, '\n', head))
		return 1; /* minified or generated */
	d->lang = isg__repo_language(rel, txt, d->text.size);
	d->role = isg__repo_role(rel, d->lang);
	rc = isg__repo_parse(&d->parsed, d->lang, txt, d->text.size);
	if (rc != ISG_OK)
		return rc;
	rc = isg__repo_tokens(&d->tpath, rel, strlen(rel), NULL);
	for (i = 0; rc == ISG_OK && i < d->parsed.ndefs; i++)
		rc = isg__repo_tokens(&d->tdefs, d->parsed.defs[i].name,
		                      strlen(d->parsed.defs[i].name), NULL);
	if (rc == ISG_OK)
		rc = isg__repo_tokens(&d->tbody, txt, d->text.size, &d->ntok);
	return rc;
}

void isg__repo_doc_dispose(isg__doc *d)
{
	if (!d)
		return;
	isg__repo_parsed_free(&d->parsed);
	isg_buf_dispose(&d->text);
	isg_buf_dispose(&d->tpath);
	isg_buf_dispose(&d->tdefs);
	isg_buf_dispose(&d->tbody);
}
