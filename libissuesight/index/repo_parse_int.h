/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private interface between the line-oriented parsers of the repo module:
 * the parser state shared by repo_parse.c (driver, doc comments),
 * repo_parse_script.c (Python, Ruby), repo_parse_brace.c (C, C++, Go,
 * JavaScript, TypeScript, Java, Rust), repo_parse_state.c (recording) and
 * repo_parse_lex.c (lexical helpers).
 */
#ifndef ISSUESIGHT_REPO_PARSE_INT_H
#define ISSUESIGHT_REPO_PARSE_INT_H

#include "repo_int.h"

#define MAX_STACK 32

typedef struct scope {
	char name[80];
	int indent; /* Python/Ruby: indentation; brace languages: depth */
	int is_class;
} scope;

typedef struct pstate {
	isg__parsed *out;
	const char *lang;
	scope stack[MAX_STACK];
	int nstack;
	int depth;           /* brace depth at the start of the line */
	int in_comment;      /* inside a block comment */
	int in_string;       /* Python: inside a triple-quoted string */
	int in_import;       /* Go: inside an import ( ... ) block */
	int in_type;         /* Go: inside a type ( ... ) block */
	int pending_typedef; /* C: typedef ... { not yet closed */
	const char *text, *end;
} pstate;

/* repo_parse_lex.c */
int isg__repo_parse_is_id0(int c);
int isg__repo_parse_is_id(int c);
const char *isg__repo_parse_skip_ws(const char *p, const char *e);
/* When p starts with the word `word` followed by a blank, returns the
 * first byte after the blanks; else NULL. */
const char *isg__repo_parse_kw(const char *p, const char *e, const char *word);
/* strstr bounded by `e`: the text is not NUL-terminated per line. */
const char *isg__repo_parse_find(const char *p, const char *e,
                                 const char *needle);
size_t isg__repo_parse_ident_len(const char *p, const char *e);
/* repo_parse_state.c */
int isg__repo_parse_add_def(pstate *s, const char *name, size_t n,
                            const char *kind, const char *parent,
                            unsigned int line);
int isg__repo_parse_add_import(pstate *s, const char *name, size_t n);
void isg__repo_parse_push_scope(pstate *s, const char *name, size_t n,
                                int indent, int is_class);
const char *isg__repo_parse_class_parent(const pstate *s, int depth);

/* One line of each language family: p..e is the line without its line
 * break; `line` is 1-based. */
int isg__repo_parse_python_line(pstate *s, const char *p, const char *e,
                                unsigned int line);
int isg__repo_parse_ruby_line(pstate *s, const char *p, const char *e,
                              unsigned int line);
int isg__repo_parse_c_line(pstate *s, const char *p, const char *e,
                           unsigned int line);
int isg__repo_parse_go_line(pstate *s, const char *p, const char *e,
                            unsigned int line);
int isg__repo_parse_js_line(pstate *s, const char *p, const char *e,
                            unsigned int line);
int isg__repo_parse_java_line(pstate *s, const char *p, const char *e,
                              unsigned int line);
int isg__repo_parse_rust_line(pstate *s, const char *p, const char *e,
                              unsigned int line);

#endif /* ISSUESIGHT_REPO_PARSE_INT_H */
