/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The option-table parser and help generator of the `issuesight` command:
 * one loop over a command's table, whatever the command.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define HELP_COLUMN 24

int cli_parse_number(const char *s, long long min, long long max,
                     long long *out)
{
	char *end = NULL;
	long long v;

	if (!s || !*s || !(*s == '-' || (*s >= '0' && *s <= '9')))
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || !end || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void usage_line(const cli_spec *spec, FILE *f)
{
	fprintf(f, "usage: issuesight%s%s%s%s\n", *spec->name ? " " : "",
	        spec->name, spec->synopsis && *spec->synopsis ? " " : "",
	        spec->synopsis ? spec->synopsis : "");
}

static void print_wrapped(FILE *f, const char *text, int column)
{
	for (; *text; text++) {
		fputc(*text, f);
		if (*text == '\n' && text[1])
			fprintf(f, "%*s", column, "");
	}
	fputc('\n', f);
}

static void print_option(FILE *f, const cli_opt *o)
{
	char left[96];
	int n;

	n = snprintf(left, sizeof(left), "  --%s%s%s", o->name,
	             o->metavar ? " " : "", o->metavar ? o->metavar : "");
	if (n < 0)
		return;
	if (n + 2 > HELP_COLUMN)
		fprintf(f, "%s\n%*s", left, HELP_COLUMN, "");
	else
		fprintf(f, "%-*s", HELP_COLUMN, left);
	print_wrapped(f, o->help, HELP_COLUMN);
	if (o->kind == CLI_NUMBER)
		fprintf(f, "%*s(%lld to %lld%s%s)\n", HELP_COLUMN, "", o->min,
		        o->max, o->def ? ", default " : "",
		        o->def ? o->def : "");
	else if (o->def)
		fprintf(f, "%*s(default %s)\n", HELP_COLUMN, "", o->def);
}

void cli_help(const cli_spec *spec, FILE *f)
{
	size_t i;

	usage_line(spec, f);
	if (spec->description)
		fprintf(f, "\n%s\n", spec->description);
	if (spec->extra_help)
		spec->extra_help(f);
	fprintf(f, "\noptions:\n");
	for (i = 0; i < spec->nopts; i++)
		print_option(f, &spec->opts[i]);
	fprintf(f, "  %-*s%s\n", HELP_COLUMN - 2, "-h, --help",
	        "print this help and exit");
	if (spec->epilog)
		fprintf(f, "\n%s\n", spec->epilog);
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int
usage_error(const cli_spec *spec, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "issuesight%s%s: ", *spec->name ? " " : "", spec->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	usage_line(spec, stderr);
	fprintf(stderr, "Run 'issuesight%s%s --help' for the options.\n",
	        *spec->name ? " " : "", spec->name);
	return SRV_EXIT_USAGE;
}

static const cli_opt *find_opt(const cli_spec *spec, const char *name,
                               size_t len)
{
	size_t i;

	for (i = 0; i < spec->nopts; i++)
		if (strlen(spec->opts[i].name) == len &&
		    strncmp(spec->opts[i].name, name, len) == 0)
			return &spec->opts[i];
	return NULL;
}

static int choice_ok(const char *choices, const char *v)
{
	size_t len = strlen(v);
	const char *p = choices;

	while (*p) {
		size_t n = strcspn(p, "|");

		if (n == len && strncmp(p, v, n) == 0)
			return 1;
		p += n;
		if (*p == '|')
			p++;
	}
	return 0;
}

/* Checks a value for `o` and stores it in `args` (when not NULL). */
static int store_value(const cli_spec *spec, const cli_opt *o, const char *v,
                       void *args)
{
	char *field = args ? (char *)args + o->offset : NULL;
	long long n = 0;

	if (o->kind == CLI_NUMBER) {
		if (cli_parse_number(v, o->min, o->max, &n) != 0) {
			char range[96];

			snprintf(range, sizeof(range), "%lld to %lld", o->min,
			         o->max);
			fprintf(stderr,
			        "issuesight %s: --%s '%s' is not a whole number from %s\n",
			        spec->name, o->name, v, range);
			usage_line(spec, stderr);
			return SRV_EXIT_USAGE;
		}
		if (field)
			memcpy(field, &n, sizeof(n));
		return SRV_EXIT_OK;
	}
	if (o->kind == CLI_CHOICE && !choice_ok(o->choices, v)) {
		fprintf(stderr, "issuesight %s: --%s '%s' is not one of %s\n",
		        spec->name, o->name, v, o->choices);
		usage_line(spec, stderr);
		return SRV_EXIT_USAGE;
	}
	if (field)
		memcpy(field, &v, sizeof(v));
	return SRV_EXIT_OK;
}

static int apply_defaults(const cli_spec *spec, void *args)
{
	size_t i;

	for (i = 0; i < spec->nopts; i++)
		if (spec->opts[i].def &&
		    store_value(spec, &spec->opts[i], spec->opts[i].def,
		                args) != SRV_EXIT_OK)
			return SRV_EXIT_USAGE;
	return SRV_EXIT_OK;
}

/* Parses the option at argv[*i] ("--name", "--name=value"); advances *i
 * past a separate value. */
static int parse_one(const cli_spec *spec, int argc, char **argv, int *i,
                     void *args)
{
	const char *a = argv[*i] + 2, *eq = strchr(a, '=');
	const cli_opt *o = find_opt(spec, a, eq ? (size_t)(eq - a) : strlen(a));
	const int one = 1;

	if (!o)
		return usage_error(spec, "unknown option '%s'", argv[*i]);
	if (o->kind == CLI_FLAG) {
		if (eq)
			return usage_error(spec, "--%s takes no value",
			                   o->name);
		if (args)
			memcpy((char *)args + o->offset, &one, sizeof(one));
		return SRV_EXIT_OK;
	}
	if (eq)
		return store_value(spec, o, eq + 1, args);
	if (*i + 1 >= argc)
		return usage_error(spec, "missing value after '%s'", argv[*i]);
	/* The next argument is the value even when it starts with '-', so
	 * that `--max-file-size -1` is reported as the bad number it is. */
	*i += 1;
	return store_value(spec, o, argv[*i], args);
}

static int take_positional(const cli_spec *spec, const char *a, int *npos,
                           void *args)
{
	if (*npos >= spec->pos_max)
		return usage_error(spec, "unexpected argument '%s'", a);
	if (args)
		memcpy((char *)args + spec->pos_offset +
		               (size_t)*npos * sizeof(const char *),
		       &a, sizeof(a));
	*npos += 1;
	return SRV_EXIT_OK;
}

int cli_parse(const cli_spec *spec, int argc, char **argv, void *args,
              int *consumed)
{
	int i, npos = 0, rc = SRV_EXIT_OK, only_positional = 0;

	if (args && apply_defaults(spec, args) != SRV_EXIT_OK)
		return SRV_EXIT_USAGE;
	for (i = 1; i < argc && rc == SRV_EXIT_OK; i++) {
		const char *a = argv[i];

		if (!only_positional &&
		    (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			cli_help(spec, stdout);
			return CLI_HELP_SHOWN;
		}
		if (!only_positional && strcmp(a, "--") == 0) {
			only_positional = 1;
		} else if (!only_positional && a[0] == '-' && a[1] == '-') {
			rc = parse_one(spec, argc, argv, &i, args);
		} else if (!only_positional && a[0] == '-' && a[1]) {
			rc = usage_error(spec, "unknown option '%s'", a);
		} else if (spec->stop_at_positional) {
			break;
		} else {
			rc = take_positional(spec, a, &npos, args);
		}
	}
	if (consumed)
		*consumed = i;
	if (rc == SRV_EXIT_OK && !spec->stop_at_positional &&
	    npos < spec->pos_min)
		return usage_error(spec, "missing %s",
		                   spec->pos_name ? spec->pos_name
		                                  : "argument");
	return rc;
}
