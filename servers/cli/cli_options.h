/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command-line options from a table, one per command (in the manner of
 * curl's tool_getparam.c aliases table): the table drives parsing
 * (`--opt value` and `--opt=value`, numbers checked against a range) and
 * generates `--help`, so what a command accepts and what it says it accepts
 * cannot drift apart.
 */
#ifndef ISSUESIGHT_CLI_OPTIONS_H
#define ISSUESIGHT_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

typedef enum cli_opt_kind {
	CLI_FLAG,   /* no value; sets an int to 1 */
	CLI_STRING, /* a value; stores the const char * from argv */
	CLI_NUMBER, /* a whole decimal number in [min, max]; a long long */
	CLI_CHOICE  /* a value among `choices` ("md|json"); a const char * */
} cli_opt_kind;

typedef struct cli_opt {
	const char *name;    /* "repo" for --repo */
	cli_opt_kind kind;   /* how the value is parsed and stored */
	const char *metavar; /* what --help shows for the value ("DIR|URL") */
	const char *help;    /* one or more lines ('\n' continues) */
	size_t offset;       /* where in the command's argument struct */
	long long min, max;  /* CLI_NUMBER: the accepted range */
	const char *def;     /* applied before parsing; shown in --help */
	const char *choices; /* CLI_CHOICE: "a|b|c" */
} cli_opt;

/* Shorthands for table rows; `T` is the command's argument struct. */
#define CLI_OPT_FLAG(name, T, field, help)                                  \
	{                                                                   \
		name, CLI_FLAG, NULL, help, offsetof(T, field), 0, 0, NULL, \
		        NULL                                                \
	}
#define CLI_OPT_STR(name, meta, T, field, help)                               \
	{                                                                     \
		name, CLI_STRING, meta, help, offsetof(T, field), 0, 0, NULL, \
		        NULL                                                  \
	}
#define CLI_OPT_NUM(name, meta, T, field, lo, hi, def, help)                   \
	{                                                                      \
		name, CLI_NUMBER, meta, help, offsetof(T, field), lo, hi, def, \
		        NULL                                                   \
	}
#define CLI_OPT_CHOICE(name, T, field, choices, def, help)                 \
	{                                                                  \
		name, CLI_CHOICE, choices, help, offsetof(T, field), 0, 0, \
		        def, choices                                       \
	}

/* One command's interface: its options, positional arguments and help. */
typedef struct cli_spec {
	const char *name;        /* "bridge" */
	const char *summary;     /* one line, for `issuesight --help` */
	const char *synopsis;    /* after "usage: issuesight NAME " */
	const char *description; /* paragraphs before the options */
	const cli_opt *opts;
	size_t nopts;
	/* Positional arguments: stored as const char * in an array at
	 * `pos_offset`, between pos_min and pos_max of them. */
	size_t pos_offset;
	int pos_min, pos_max;
	const char *pos_name; /* "OWNER/REPO", for "missing OWNER/REPO" */
	const char *epilog;   /* after the options (exit codes...) */
	/* Non-zero: parsing stops at the first positional argument, which
	 * and whose followers are left for the caller (the global options
	 * before the command name). */
	int stop_at_positional;
	/* Called by the help between the description and the options (the
	 * list of commands); may be NULL. */
	void (*extra_help)(FILE *f);
} cli_spec;

/* What cli_parse() returns besides an SRV_EXIT_* code. */
#define CLI_HELP_SHOWN (-1)

/*
 * Parses argv[1..argc-1] by `spec` into `args` (a zeroed struct of the
 * command's type; NULL only checks). `--help`/`-h` prints the help on
 * stdout and gives CLI_HELP_SHOWN; a bad command line prints what was wrong
 * and the usage line on stderr and gives SRV_EXIT_USAGE; else SRV_EXIT_OK.
 * With stop_at_positional, *consumed is the index of the first argument
 * left (argc when none).
 */
int cli_parse(const cli_spec *spec, int argc, char **argv, void *args,
              int *consumed);

/* Prints the generated help of `spec`. */
void cli_help(const cli_spec *spec, FILE *f);

/* Parses a whole decimal number in [min, max]: 0, or -1 when it is not a
 * number, negative where min >= 0, or out of range. */
int cli_parse_number(const char *s, long long min, long long max,
                     long long *out);

#endif /* ISSUESIGHT_CLI_OPTIONS_H */
