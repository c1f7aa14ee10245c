/* SPDX-License-Identifier: Apache-2.0 */
/*
 * repo walk: lists the files of a checkout worth indexing. It skips version
 * control folders, vendored and generated trees, minified and lock files,
 * honours .gitignore files (simple patterns) and classifies each path by
 * language and role.
 */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "repo_int.h"

#define MODULE "repo"

static const char *const skip_dirs[] = {
	".git",
	".hg",
	".svn",
	"node_modules",
	"vendor",
	"third_party",
	"thirdparty",
	"dist",
	"build",
	"target",
	"__pycache__",
	".venv",
	"venv",
	".tox",
	".nox",
	".mypy_cache",
	".pytest_cache",
	".eggs",
	"bower_components",
	".next",
	".gradle",
	".idea",
	".cache",
	"site-packages",
	".bundle",
	"_build",
};

static const char *const lock_files[] = {
	"package-lock.json",   "yarn.lock",    "pnpm-lock.yaml",
	"Cargo.lock",          "Gemfile.lock", "poetry.lock",
	"composer.lock",       "go.sum",       "Pipfile.lock",
	"npm-shrinkwrap.json", "flake.lock",   "uv.lock",
};

/* Extensions of files that are never text worth indexing. */
static const char *const binary_exts[] = {
	"png",  "jpg",   "jpeg",   "gif",  "bmp",   "ico",  "pdf", "zip",
	"gz",   "bz2",   "xz",     "tar",  "tgz",   "7z",   "so",  "o",
	"a",    "dylib", "dll",    "exe",  "class", "jar",  "pyc", "pyo",
	"woff", "woff2", "ttf",    "otf",  "eot",   "mp3",  "mp4", "wav",
	"ogg",  "webm",  "mov",    "fits", "npy",   "npz",  "pkl", "h5",
	"hdf5", "db",    "sqlite", "bin",  "dat",   "wasm", "psd", "svgz",
	"fz",   "nc",
};

static const struct {
	const char *ext, *lang;
} ext_langs[] = {
	{ "c", "c" },
	{ "h", "c" },
	{ "cc", "cpp" },
	{ "cpp", "cpp" },
	{ "cxx", "cpp" },
	{ "hpp", "cpp" },
	{ "hh", "cpp" },
	{ "hxx", "cpp" },
	{ "py", "python" },
	{ "pyi", "python" },
	{ "pyx", "python" },
	{ "go", "go" },
	{ "js", "javascript" },
	{ "mjs", "javascript" },
	{ "cjs", "javascript" },
	{ "jsx", "javascript" },
	{ "ts", "typescript" },
	{ "tsx", "typescript" },
	{ "mts", "typescript" },
	{ "java", "java" },
	{ "rs", "rust" },
	{ "rb", "ruby" },
	{ "rake", "ruby" },
	{ "gemspec", "ruby" },
	{ "sh", "shell" },
	{ "bash", "shell" },
	{ "zsh", "shell" },
	{ "md", "markdown" },
	{ "markdown", "markdown" },
	{ "rst", "rst" },
	{ "txt", "text" },
	{ "adoc", "asciidoc" },
	{ "json", "json" },
	{ "yml", "yaml" },
	{ "yaml", "yaml" },
	{ "toml", "toml" },
	{ "ini", "ini" },
	{ "cfg", "ini" },
	{ "html", "html" },
	{ "htm", "html" },
	{ "css", "css" },
	{ "scss", "css" },
	{ "xml", "xml" },
	{ "sql", "sql" },
	{ "kt", "kotlin" },
	{ "scala", "scala" },
	{ "cs", "csharp" },
	{ "php", "php" },
	{ "swift", "swift" },
	{ "m", "objc" },
	{ "lua", "lua" },
	{ "pl", "perl" },
	{ "r", "r" },
	{ "jl", "julia" },
	{ "cmake", "cmake" },
	{ "proto", "protobuf" },
	{ "vue", "vue" },
	{ "svg", "xml" },
	{ "in", "text" },
};

const char *isg__repo_language(const char *path, const char *head,
                               size_t head_len)
{
	const char *base = isg__path_basename(path);
	const char *dot;
	size_t i;

	if (strcmp(base, "Makefile") == 0 || strcmp(base, "GNUmakefile") == 0)
		return "make";
	if (strcmp(base, "CMakeLists.txt") == 0)
		return "cmake";
	if (strcmp(base, "meson.build") == 0)
		return "meson";
	if (strcmp(base, "Rakefile") == 0 || strcmp(base, "Gemfile") == 0)
		return "ruby";
	if (strcmp(base, "Dockerfile") == 0)
		return "dockerfile";
	dot = isg__path_extension(base);
	if (dot) {
		for (i = 0; i < ISG__ARRAY_SIZE(ext_langs); i++)
			if (isg__text_casecmp(dot + 1, ext_langs[i].ext) == 0)
				return ext_langs[i].lang;
		/* Upper-case .C/.H are C++ by tradition; handled above as
		 * C since the comparison ignores case. */
	}
	if (head && head_len > 2 && head[0] == '#' && head[1] == '!') {
		size_t n = head_len < 128 ? head_len : 128;
		const char *nl = memchr(head, '\n', n);
		size_t l = nl ? (size_t)(nl - head) : n;
		char line[130];

		memcpy(line, head, l);
		line[l] = '\0';
		if (strstr(line, "python"))
			return "python";
		if (strstr(line, "node"))
			return "javascript";
		if (strstr(line, "ruby"))
			return "ruby";
		if (strstr(line, "sh"))
			return "shell";
		if (strstr(line, "perl"))
			return "perl";
	}
	return "text";
}

static int has_component(const char *path, const char *const *names, size_t n,
                         int dirs_only)
{
	const char *p = path;

	while (*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		size_t i;

		if (dirs_only && !slash)
			break;
		for (i = 0; i < n; i++)
			if (strlen(names[i]) == len &&
			    isg__text_ncasecmp(p, names[i], len) == 0)
				return 1;
		if (!slash)
			break;
		p = slash + 1;
	}
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int isg__repo_role(const char *path, const char *lang)
{
	static const char *const test_dirs[] = {
		"test", "tests",    "__tests__", "spec",     "specs",
		"t",    "testdata", "test_data", "fixtures", "testing"
	};
	static const char *const doc_dirs[] = { "doc", "docs", "documentation",
		                                "man" };
	static const char *const ex_dirs[] = { "example",    "examples",
		                               "sample",     "samples",
		                               "demo",       "demos",
		                               "benchmarks", "bench" };
	const char *base = isg__path_basename(path);

	if (has_component(path, test_dirs, ISG__ARRAY_SIZE(test_dirs), 1) ||
	    strncmp(base, "test_", 5) == 0 ||
	    strcmp(base, "conftest.py") == 0 || ends_with(base, "_test.go") ||
	    ends_with(base, "_test.py") || ends_with(base, "_spec.rb") ||
	    ends_with(base, "_test.rb") || strstr(base, ".test.") ||
	    strstr(base, ".spec.") || ends_with(base, "Test.java") ||
	    ends_with(base, "Tests.java"))
		return ISG__ROLE_TEST;
	if (has_component(path, doc_dirs, ISG__ARRAY_SIZE(doc_dirs), 1) ||
	    strcmp(lang, "markdown") == 0 || strcmp(lang, "rst") == 0 ||
	    strcmp(lang, "asciidoc") == 0 ||
	    (strcmp(lang, "text") == 0 && ends_with(base, ".txt")))
		return ISG__ROLE_DOC;
	if (has_component(path, ex_dirs, ISG__ARRAY_SIZE(ex_dirs), 1))
		return ISG__ROLE_EXAMPLE;
	return ISG__ROLE_SOURCE;
}

const char *isg__repo_role_name(int role)
{
	switch (role) {
	case ISG__ROLE_TEST:
		return "test";
	case ISG__ROLE_DOC:
		return "doc";
	case ISG__ROLE_EXAMPLE:
		return "example";
	default:
		return "source";
	}
}

/* ---- .gitignore ---- */

typedef struct ignore_rule {
	char *pattern; /* without '!', leading '/', trailing '/' */
	char *base;    /* directory of the .gitignore, "" for the root */
	int negate, dir_only, anchored;
} ignore_rule;

typedef struct walk_ctx {
	const char *root;
	size_t max_size;
	isg__scan *out;
	ignore_rule *rules;
	size_t nrules, crules;
	isg_repo_progress_cb progress;
	void *payload;
} walk_ctx;

int isg__repo_ignore_match(const char *pattern, const char *relpath, int is_dir)
{
	(void)is_dir;
	return fnmatch(pattern, relpath, FNM_PATHNAME) == 0;
}

static int add_rule(walk_ctx *w, const char *line, size_t len, const char *base)
{
	ignore_rule r;
	char *p;

	memset(&r, 0, sizeof(r));
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\r' ||
	               line[len - 1] == '\t'))
		len--;
	if (!len || line[0] == '#')
		return ISG_OK;
	if (line[0] == '!') {
		r.negate = 1;
		line++;
		len--;
	}
	if (len && line[len - 1] == '/') {
		r.dir_only = 1;
		len--;
	}
	if (len >= 3 && memcmp(line, "**/", 3) == 0) {
		line += 3;
		len -= 3;
	} else if (len && line[0] == '/') {
		r.anchored = 1;
		line++;
		len--;
	}
	if (!len)
		return ISG_OK;
	if (memchr(line, '/', len))
		r.anchored = 1;
	if (w->nrules == w->crules) {
		size_t nc = w->crules ? w->crules * 2 : 16;
		ignore_rule *n = isg__alloc_realloc(w->rules, nc * sizeof(*n));

		if (!n)
			return isg__error_oom(MODULE);
		w->rules = n;
		w->crules = nc;
	}
	p = isg__alloc_strndup(line, len);
	r.base = isg__alloc_strdup(base);
	if (!p || !r.base) {
		isg__alloc_free(p);
		isg__alloc_free(r.base);
		return isg__error_oom(MODULE);
	}
	r.pattern = p;
	w->rules[w->nrules++] = r;
	return ISG_OK;
}

static int load_gitignore(walk_ctx *w, const char *rel)
{
	isg_buf path = ISG_BUF_INIT, text = ISG_BUF_INIT;
	const char *p, *end;
	int rc;

	rc = *rel ? isg__buf_printf(&path, "%s/.gitignore", rel)
	          : isg__buf_puts(&path, ".gitignore");
	if (rc != ISG_OK)
		goto done;
	rc = isg__repo_read_in_tree(&text, w->root, path.ptr, 256 * 1024);
	if (rc != ISG_OK) {
		/* No .gitignore here (or unreadable): nothing to add. */
		rc = rc == ISG_ENOMEM ? rc : ISG_OK;
		goto done;
	}
	p = text.ptr;
	end = text.ptr + text.size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		rc = add_rule(w, p, l, rel);
		if (rc != ISG_OK)
			goto done;
		p += l + 1;
	}
done:
	isg_buf_dispose(&path);
	isg_buf_dispose(&text);
	return rc;
}

/* Last matching rule wins, as in git. `rel` is relative to the root. */
static int ignored(const walk_ctx *w, const char *rel, const char *name,
                   int is_dir)
{
	int result = 0;
	size_t i;

	for (i = 0; i < w->nrules; i++) {
		const ignore_rule *r = &w->rules[i];
		size_t bl = strlen(r->base);
		const char *sub;

		if (r->dir_only && !is_dir)
			continue;
		if (bl) {
			if (strncmp(rel, r->base, bl) != 0 || rel[bl] != '/')
				continue;
			sub = rel + bl + 1;
		} else {
			sub = rel;
		}
		if (r->anchored
		            ? isg__repo_ignore_match(r->pattern, sub, is_dir)
		            : isg__repo_ignore_match(r->pattern, name, is_dir))
			result = !r->negate;
	}
	return result;
}

static int skip_file(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(lock_files); i++)
		if (strcmp(name, lock_files[i]) == 0)
			return 1;
	if (ends_with(name, ".min.js") || ends_with(name, ".min.css") ||
	    ends_with(name, ".map") || ends_with(name, "-min.js") ||
	    ends_with(name, ".lock"))
		return 1;
	if (dot)
		for (i = 0; i < ISG__ARRAY_SIZE(binary_exts); i++)
			if (isg__text_casecmp(dot + 1, binary_exts[i]) == 0)
				return 1;
	return 0;
}

static int skip_dir(const char *name)
{
	size_t i;

	for (i = 0; i < ISG__ARRAY_SIZE(skip_dirs); i++)
		if (strcmp(name, skip_dirs[i]) == 0)
			return 1;
	return ends_with(name, ".egg-info");
}

static int push_entry(isg__scan *s, const char *rel, const struct stat *st)
{
	isg__scan_entry *e;

	if (s->len == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 256;
		isg__scan_entry *n =
		        isg__alloc_realloc(s->items, nc * sizeof(*n));

		if (!n)
			return isg__error_oom(MODULE);
		s->items = n;
		s->cap = nc;
	}
	e = &s->items[s->len];
	e->path = isg__alloc_strdup(rel);
	if (!e->path)
		return isg__error_oom(MODULE);
	e->size = (long long)st->st_size;
	e->mtime = (long long)st->st_mtime;
	e->mtime_ns = (long long)st->st_mtim.tv_nsec;
	s->len++;
	return ISG_OK;
}

/* Records a file the walk keeps and reports progress every 256 files
 * (the callback may cancel). */
static int add_file(walk_ctx *w, const char *rel, const struct stat *st)
{
	int rc = push_entry(w->out, rel, st);

	if (rc == ISG_OK && w->progress && w->out->len % 256 == 0 &&
	    w->progress("scan", w->out->len, 0, w->payload))
		rc = isg__error_set(ISG_ECANCELLED, MODULE,
		                    "indexing of '%s' cancelled", w->root);
	return rc;
}

static int walk_dir(walk_ctx *w, const char *abs, const char *rel, int depth)
{
	isg_buf child_abs = ISG_BUF_INIT, child_rel = ISG_BUF_INIT;
	size_t rules_before = w->nrules;
	struct dirent *de;
	DIR *d = NULL;
	int rc = ISG_OK;

	if (depth > 64)
		return ISG_OK; /* a cycle or an absurd tree: stop descending */
	rc = load_gitignore(w, rel);
	if (rc != ISG_OK)
		goto done;
	d = opendir(abs);
	if (!d && depth > 0) {
		/* One unreadable subdirectory does not spoil the rest, as an
		 * unreadable file does not. */
		isg__log_write(ISG_LOG_WARN, MODULE, NULL, 0,
		               "skipping unreadable directory '%s': %s", rel,
		               strerror(errno));
		goto done;
	}
	if (!d) {
		rc = isg__error_set(ISG_EIO, MODULE,
		                    "cannot read directory '%s': %s", abs,
		                    strerror(errno));
		goto done;
	}
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		struct stat st;
		int is_dir;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		isg__buf_clear(&child_abs);
		isg__buf_clear(&child_rel);
		rc = isg__buf_printf(&child_abs, "%s/%s", abs, name);
		if (rc == ISG_OK)
			rc = *rel ? isg__buf_printf(&child_rel, "%s/%s", rel,
			                            name)
			          : isg__buf_puts(&child_rel, name);
		if (rc != ISG_OK)
			goto done;
		/* lstat: symbolic links are not followed, so a link cannot
		 * lead the walk out of the tree or into a cycle. */
		if (lstat(child_abs.ptr, &st) != 0)
			continue;
		is_dir = S_ISDIR(st.st_mode);
		if (!is_dir && !S_ISREG(st.st_mode))
			continue;
		if (is_dir ? skip_dir(name) : skip_file(name))
			continue;
		if (ignored(w, child_rel.ptr, name, is_dir))
			continue;
		if (is_dir) {
			rc = walk_dir(w, child_abs.ptr, child_rel.ptr,
			              depth + 1);
		} else if ((size_t)st.st_size <= w->max_size) {
			rc = add_file(w, child_rel.ptr, &st);
		}
		if (rc != ISG_OK)
			goto done;
	}
done:
	if (d)
		closedir(d);
	while (w->nrules > rules_before) {
		w->nrules--;
		isg__alloc_free(w->rules[w->nrules].pattern);
		isg__alloc_free(w->rules[w->nrules].base);
	}
	isg_buf_dispose(&child_abs);
	isg_buf_dispose(&child_rel);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const isg__scan_entry *)a)->path,
	              ((const isg__scan_entry *)b)->path);
}

int isg__repo_scan(isg__scan *out, const char *root, size_t max_size,
                   isg_repo_progress_cb progress, void *payload)
{
	walk_ctx w;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.root = root;
	w.max_size = max_size;
	w.out = out;
	w.progress = progress;
	w.payload = payload;
	rc = walk_dir(&w, root, "", 0);
	isg__alloc_free(w.rules);
	if (rc != ISG_OK) {
		isg__repo_scan_free(out);
		return rc;
	}
	if (out->len)
		qsort(out->items, out->len, sizeof(*out->items), cmp_entry);
	return ISG_OK;
}

void isg__repo_scan_free(isg__scan *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->len; i++)
		isg__alloc_free(s->items[i].path);
	isg__alloc_free(s->items);
	memset(s, 0, sizeof(*s));
}
