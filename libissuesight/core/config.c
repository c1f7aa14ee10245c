/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config: typed settings from defaults, an optional KEY=value file and the
 * environment. This is the only place the library reads the environment.
 * Every value is validated as it is read, and errors name the key and the
 * source but never echo a secret.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core_int.h"
#include "issuesight/config.h"
#include "issuesight/file.h"

extern char **environ;

enum key_type { T_STRING, T_URL, T_CONNINFO, T_INT, T_BOOL, T_LOGLEVEL };
enum { F_SECRET = 1 };
enum source { SRC_NONE, SRC_DEFAULT, SRC_FILE, SRC_ENV, SRC_SET };

typedef struct key_def {
	const char *name;
	enum key_type type;
	const char *def;
	long long min, max;
	int flags;
	const char *doc;
} key_def;

#define STRING T_STRING
#define URL T_URL
#define CONNINFO T_CONNINFO
#define INT T_INT
#define BOOL T_BOOL
#define LOGLEVEL T_LOGLEVEL
#define SECRET F_SECRET
#define ISG_CONFIG_KEY(n, t, d, lo, hi, f, doc) { #n, t, d, lo, hi, f, doc },
static const key_def keys[] = {
#include "config_keys.h"
};
#undef ISG_CONFIG_KEY
#undef STRING
#undef URL
#undef CONNINFO
#undef INT
#undef BOOL
#undef LOGLEVEL
#undef SECRET

#define NKEYS ISG__ARRAY_SIZE(keys)
#define CONFIG_FILE_MAX (1024 * 1024)

struct isg_config {
	char *values[NKEYS];
	unsigned char source[NKEYS];
};

static const char *const source_names[] = { "unset", "default", "file", "env",
	                                    "set" };

static int find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(yes); i++) {
		if (isg__text_casecmp(v, yes[i]) == 0) {
			*out = 1;
			return ISG_OK;
		}
		if (isg__text_casecmp(v, no[i]) == 0) {
			*out = 0;
			return ISG_OK;
		}
	}
	return ISG_EINVALID;
}

static int url_ok(const char *v)
{
	const char *p = v;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return 0;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) != 0)
		return 0;
	for (p = v; *p; p++)
		if ((unsigned char)*p <= ' ')
			return 0;
	return 1;
}

/* Validates `value` for key `k`. `where` says where it came from. */
static int validate(const key_def *k, const char *value, const char *where)
{
	long long n;
	int b, lvl;
	const char *shown = (k->flags & F_SECRET) ? "***" : value;
	char safe[160];
	isg_buf red = ISG_BUF_INIT;

	/* Values in messages are redacted and shortened. */
	if (isg_log_redact(&red, shown) == ISG_OK)
		snprintf(safe, sizeof(safe), "%.120s%s", red.ptr,
		         red.size > 120 ? "..." : "");
	else
		snprintf(safe, sizeof(safe), "(value hidden)");
	isg_buf_dispose(&red);

	switch (k->type) {
	case T_INT:
		if (isg__text_parse_ll(value, &n) != ISG_OK)
			return isg__error_set(ISG_EINVALID, "config",
			                      "%s='%s' (%s) is not an integer",
			                      k->name, safe, where);
		if (n < k->min || n > k->max)
			return isg__error_set(
			        ISG_EINVALID, "config",
			        "%s=%lld (%s) is out of range [%lld, %lld]",
			        k->name, n, where, k->min, k->max);
		break;
	case T_BOOL:
		if (parse_bool(value, &b) != ISG_OK)
			return isg__error_set(
			        ISG_EINVALID, "config",
			        "%s='%s' (%s) is not a boolean (true/false, yes/no, on/off, 1/0)",
			        k->name, safe, where);
		break;
	case T_LOGLEVEL:
		if (isg_log_level_parse(&lvl, value) != ISG_OK)
			return isg__error_set(
			        ISG_EINVALID, "config",
			        "%s='%s' (%s) is not a log level (trace, debug, info, warn, error, off)",
			        k->name, safe, where);
		break;
	case T_URL:
		if (!url_ok(value))
			return isg__error_set(
			        ISG_EINVALID, "config",
			        "%s='%s' (%s) is not a URL (scheme://...)",
			        k->name, safe, where);
		break;
	case T_CONNINFO:
		if (!url_ok(value) && !strchr(value, '='))
			return isg__error_set(
			        ISG_EINVALID, "config",
			        "%s='%s' (%s) is neither a URL nor a key=value connection string",
			        k->name, safe, where);
		break;
	case T_STRING:
		break;
	}
	return ISG_OK;
}

static int store_value(isg_config *cfg, int idx, const char *value,
                       enum source src)
{
	char *copy = NULL;

	if (value) {
		copy = isg__alloc_strdup(value);
		if (!copy)
			return isg__error_oom("config");
	}
	isg__alloc_free(cfg->values[idx]);
	cfg->values[idx] = copy;
	cfg->source[idx] = (unsigned char)src;
	return ISG_OK;
}

static const char *env_lookup(const isg_config_options *opts, const char *name)
{
	const char *const *e;
	size_t n = strlen(name);

	if (opts->ignore_environment)
		return NULL;
	e = opts->env ? opts->env : (const char *const *)environ;
	for (; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	                   end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

static int parse_file_text(isg_config *cfg, const char *path, char *text)
{
	char *line = text;
	int lineno = 0;

	while (line && *line) {
		char *next = strchr(line, '\n'), *key, *eq, *value;
		char where[300];
		int idx, rc;
		size_t vlen;

		if (next)
			*next++ = '\0';
		lineno++;
		key = trim(line);
		line = next;
		if (*key == '\0' || *key == '#')
			continue;
		if (strncmp(key, "export ", 7) == 0)
			key = trim(key + 7);
		eq = strchr(key, '=');
		snprintf(where, sizeof(where), "%.200s line %d", path, lineno);
		if (!eq)
			return isg__error_set(ISG_EINVALID, "config",
			                      "%s: expected KEY=value", where);
		*eq = '\0';
		value = trim(eq + 1);
		key = trim(key);
		idx = find_key(key);
		if (idx < 0)
			return isg__error_set(ISG_EINVALID, "config",
			                      "%s: unknown key '%.64s'", where,
			                      key);
		vlen = strlen(value);
		if (vlen >= 2 && (value[0] == '"' || value[0] == '\'') &&
		    value[vlen - 1] == value[0]) {
			value[vlen - 1] = '\0';
			value++;
		}
		rc = validate(&keys[idx], value, where);
		if (rc != ISG_OK)
			return rc;
		rc = store_value(cfg, idx, value, SRC_FILE);
		if (rc != ISG_OK)
			return rc;
	}
	return ISG_OK;
}

static int read_file(isg_config *cfg, const char *path)
{
	isg_buf text = ISG_BUF_INIT;
	char why[ISG_ERROR_MESSAGE_MAX];
	int rc = isg_file_read(&text, path, CONFIG_FILE_MAX, 0);

	/* The reader's message names the file and the reason; it is copied
	 * because the new message is written where it is kept. */
	snprintf(why, sizeof(why), "%s", isg_error_last()->message);
	if (rc == ISG_ETOOBIG)
		rc = isg__error_set(ISG_ETOOBIG, "config",
		                    "config file '%.200s' is over %d bytes",
		                    path, CONFIG_FILE_MAX);
	else if (rc != ISG_OK)
		rc = rc == ISG_ENOMEM
		             ? rc
		             : isg__error_set(ISG_EIO, "config",
		                              "cannot read config file: %s",
		                              why);
	else if (text.size != strlen(text.ptr))
		rc = isg__error_set(ISG_EINVALID, "config",
		                    "config file '%.200s' contains a NUL byte",
		                    path);
	else
		rc = parse_file_text(cfg, path, text.ptr);
	isg_buf_dispose(&text);
	return rc;
}

/* The default cache directory follows the XDG base directory rules. */
static int default_cache_dir(isg_config *cfg, const isg_config_options *opts)
{
	const char *xdg = env_lookup(opts, "XDG_CACHE_HOME");
	const char *home = env_lookup(opts, "HOME");
	isg_buf b = ISG_BUF_INIT;
	int idx = find_key("ISSUESIGHT_CACHE_DIR"), rc;

	if (cfg->values[idx])
		return ISG_OK;
	/* Without a home, a per-user directory: a fixed shared name could be
	 * created first by another user (the cache refuses one it does not
	 * own, see repo_cache.c). */
	if (xdg && *xdg == '/')
		rc = isg__buf_printf(&b, "%s/issuesight", xdg);
	else if (home && *home == '/')
		rc = isg__buf_printf(&b, "%s/.cache/issuesight", home);
	else
		rc = isg__buf_printf(&b, "/tmp/issuesight-%lu",
		                     (unsigned long)geteuid());
	if (rc == ISG_OK)
		rc = store_value(cfg, idx, b.ptr, SRC_DEFAULT);
	isg_buf_dispose(&b);
	return rc;
}

int isg_config_new(isg_config **out, const isg_config_options *opts)
{
	isg_config_options dflt = ISG_CONFIG_OPTIONS_INIT;
	isg_config *cfg = NULL;
	const char *file;
	size_t i;
	int rc = ISG_OK;

	if (!out)
		return isg__error_set(ISG_EINVALID, "config",
		                      "isg_config_new: out is NULL");
	*out = NULL;
	if (!opts)
		opts = &dflt;
	if (opts->version != ISG_CONFIG_OPTIONS_VERSION)
		return isg__error_set(
		        ISG_EINVALID, "config",
		        "isg_config_options.version is %u, expected %d",
		        opts->version, ISG_CONFIG_OPTIONS_VERSION);
	cfg = isg__alloc_calloc(1, sizeof(*cfg));
	if (!cfg)
		return isg__error_oom("config");
	for (i = 0; i < NKEYS && rc == ISG_OK; i++)
		if (keys[i].def)
			rc = store_value(cfg, (int)i, keys[i].def, SRC_DEFAULT);
	if (rc != ISG_OK)
		goto done;
	file = opts->file ? opts->file : env_lookup(opts, "ISSUESIGHT_CONFIG");
	if (file && *file) {
		rc = read_file(cfg, file);
		if (rc != ISG_OK)
			goto done;
	}
	for (i = 0; i < NKEYS; i++) {
		const char *v = env_lookup(opts, keys[i].name);
		char where[64];

		if (!v || !*v)
			continue;
		snprintf(where, sizeof(where), "from the environment");
		rc = validate(&keys[i], v, where);
		if (rc == ISG_OK)
			rc = store_value(cfg, (int)i, v, SRC_ENV);
		if (rc != ISG_OK)
			goto done;
	}
	rc = default_cache_dir(cfg, opts);
done:
	if (rc != ISG_OK) {
		isg_config_free(cfg);
		return rc;
	}
	*out = cfg;
	return ISG_OK;
}

void isg_config_free(isg_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	for (i = 0; i < NKEYS; i++)
		isg__alloc_free(cfg->values[i]);
	isg__alloc_free(cfg);
}

const char *isg_config_get(const isg_config *cfg, const char *key)
{
	int idx;

	if (!cfg || !key)
		return NULL;
	idx = find_key(key);
	return idx < 0 ? NULL : cfg->values[idx];
}

static int typed_lookup(const isg_config *cfg, const char *key,
                        enum key_type type, const char **value)
{
	int idx;

	if (!cfg || !key)
		return isg__error_set(ISG_EINVALID, "config", "NULL argument");
	idx = find_key(key);
	if (idx < 0)
		return isg__error_set(ISG_ENOTFOUND, "config",
		                      "unknown setting '%.64s'", key);
	if (keys[idx].type != type)
		return isg__error_set(ISG_EINVALID, "config",
		                      "setting %s is not of the requested type",
		                      key);
	if (!cfg->values[idx])
		return isg__error_set(ISG_ENOTFOUND, "config",
		                      "setting %s is not set", key);
	*value = cfg->values[idx];
	return ISG_OK;
}

int isg_config_get_int(long long *out, const isg_config *cfg, const char *key)
{
	const char *v;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, "config", "out is NULL");
	rc = typed_lookup(cfg, key, T_INT, &v);
	if (rc != ISG_OK)
		return rc;
	return isg__text_parse_ll(v, out);
}

int isg_config_get_bool(int *out, const isg_config *cfg, const char *key)
{
	const char *v;
	int rc;

	if (!out)
		return isg__error_set(ISG_EINVALID, "config", "out is NULL");
	rc = typed_lookup(cfg, key, T_BOOL, &v);
	if (rc != ISG_OK)
		return rc;
	return parse_bool(v, out);
}

int isg_config_set(isg_config *cfg, const char *key, const char *value)
{
	int idx, rc;

	if (!cfg || !key || !value)
		return isg__error_set(ISG_EINVALID, "config",
		                      "isg_config_set: NULL argument");
	idx = find_key(key);
	if (idx < 0)
		return isg__error_set(ISG_EINVALID, "config",
		                      "unknown setting '%.64s'", key);
	rc = validate(&keys[idx], value, "set by the program");
	if (rc != ISG_OK)
		return rc;
	return store_value(cfg, idx, value, SRC_SET);
}

int isg_config_dump(isg_buf *out, const isg_config *cfg)
{
	isg_buf b = ISG_BUF_INIT, red = ISG_BUF_INIT;
	size_t i;
	int rc = ISG_OK;

	if (!out || !cfg)
		return isg__error_set(ISG_EINVALID, "config",
		                      "isg_config_dump: NULL argument");
	for (i = 0; i < NKEYS && rc == ISG_OK; i++) {
		const char *v = cfg->values[i];
		const char *shown = "";

		if (v && (keys[i].flags & F_SECRET)) {
			shown = "***";
		} else if (v) {
			rc = isg_log_redact(&red, v);
			shown = red.ptr;
		}
		if (rc == ISG_OK)
			rc = isg__buf_printf(&b, "%s=%s # %s\n", keys[i].name,
			                     shown,
			                     source_names[cfg->source[i]]);
	}
	isg_buf_dispose(&red);
	if (rc != ISG_OK) {
		isg_buf_dispose(&b);
		return rc;
	}
	isg_buf_dispose(out);
	*out = b;
	return ISG_OK;
}

size_t isg_config_key_count(void)
{
	return NKEYS;
}

const char *isg_config_key_name(size_t i)
{
	return i < NKEYS ? keys[i].name : NULL;
}

const char *isg_config_key_doc(const char *key)
{
	int idx = key ? find_key(key) : -1;

	return idx < 0 ? NULL : keys[idx].doc;
}
