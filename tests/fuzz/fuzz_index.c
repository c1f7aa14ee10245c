/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for what the repository index reads from a project's
 * files, which anyone who can push to a tracked repository controls: the
 * language guess from a path and the file's head (isg__repo_language()),
 * the line parsers that extract definitions, imports and the doc comment
 * (isg__repo_parse()), the chunker over those definitions, the string
 * literal reader and the code-aware tokenizer. The same entry point
 * replays the committed corpus in the normal test run (fuzz_replay.c).
 *
 * Input: the first byte picks the language (and a path that names it);
 * the rest is the file's content. The content is copied into a buffer of
 * exactly its size so that a read past the end of the file is caught.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <issuesight/issuesight.h>

#include "core_int.h"
#include "repo_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every language the parsers know, and a path that names it. */
static const struct {
	const char *lang, *path;
} langs[] = {
	{ "c", "src/a.c" },
	{ "cpp", "src/a.cpp" },
	{ "python", "pkg/mod.py" },
	{ "ruby", "lib/a.rb" },
	{ "go", "cmd/main.go" },
	{ "javascript", "web/app.js" },
	{ "typescript", "web/app.ts" },
	{ "java", "src/Main.java" },
	{ "kotlin", "src/Main.kt" },
	{ "csharp", "src/Main.cs" },
	{ "scala", "src/Main.scala" },
	{ "rust", "src/lib.rs" },
	{ "markdown", "README.md" },
	{ "shell", "script" },
};

typedef struct chunk_check {
	const char *text;
	size_t len, lines;
} chunk_check;

/* A chunk lies inside the file, starts on one of its lines, and chunks
 * come in order. */
static int on_chunk(unsigned int line, const char *text, size_t len,
                    void *payload)
{
	chunk_check *c = payload;

	if (line < 1 || (c->lines && line > c->lines) || text < c->text ||
	    text + len > c->text + c->len)
		abort();
	return 0;
}

static void check_parsed(const isg__parsed *p, const char *text, size_t len)
{
	size_t i, nl = 0;

	for (i = 0; i < len; i++)
		nl += text[i] == '\n';
	/* The driver counts one line per line break, plus an unterminated
	 * last line. */
	if (p->lines != nl + (len > 0 && text[len - 1] != '\n'))
		abort();
	for (i = 0; i < p->ndefs; i++)
		if (!p->defs[i].name || !p->defs[i].name[0] ||
		    !p->defs[i].kind || p->defs[i].line < 1 ||
		    p->defs[i].line > p->lines)
			abort();
	for (i = 0; i < p->nimports; i++)
		if (!p->imports[i])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t k, len, ntok = 0;
	const char *lang;
	isg__parsed p;
	isg_buf b = ISG_BUF_INIT;
	chunk_check cc;
	char *text;

	if (size < 1)
		return 0;
	k = data[0] % ISG__ARRAY_SIZE(langs);
	len = size - 1;
	text = malloc(len ? len : 1);
	if (!text)
		return 0;
	memcpy(text, data + 1, len);
	/* The guess reads the path and the head (a shebang); whatever it
	 * says, the parsers are then run for the picked language. */
	(void)isg__repo_language(langs[k].path, text, len);
	(void)isg__repo_language("bin/tool", text, len);
	lang = langs[k].lang;
	if (isg__repo_parse(&p, lang, text, len) == ISG_OK) {
		check_parsed(&p, text, len);
		cc.text = text;
		cc.len = len;
		cc.lines = p.lines;
		(void)isg__repo_chunks(&p, text, len, on_chunk, &cc);
		isg__repo_parsed_free(&p);
	}
	/* Literals are at most the file's bytes plus a line break each. */
	if (isg__repo_literals(&b, lang, text, len) == ISG_OK &&
	    b.size > 2 * len + 1)
		abort();
	isg__buf_clear(&b);
	if (isg__repo_tokens(&b, text, len, &ntok) == ISG_OK && ntok > 0 &&
	    b.size == 0)
		abort();
	isg_buf_dispose(&b);
	free(text);
	return 0;
}
